"""Progress over time: the previous and the current map side by side, the change per
person in plain words, and a trend line over all maps, for client and professional."""

from __future__ import annotations

import io

from PIL import Image

from bot.effects import SetRating
from bot.events import Event
from tests.support.chat import Chat, add_contacts, through_intake
from tests.test_professional import PRO, link_code, register


def rate(chat: Chat, name: str, **ratings: int) -> None:
    route = chat.route
    contact = next(c for c in route.contacts if c.name == name)
    with chat.engine.store.atomic():
        for dimension, value in ratings.items():
            chat.engine.store.apply(SetRating(contact.id, dimension, value), route)


def two_maps(chat: Chat) -> None:
    """A first map with Mirjam close and weekly, a second where that changed, Ellen new."""
    register(chat)
    code = link_code(chat)
    through_intake(chat)
    chat.say(f"/koppel {code}")
    add_contacts(chat, ("Mirjam", "familie"), ("Fatma", "buren"))
    rate(chat, "Mirjam", closeness=3, frequency=3, reciprocity=1, practical=3)
    chat.press("Klaar met de lijst")
    chat.press("skip")
    remap = next(r for r in chat.engine.store.agenda.pending("client-1") if r.kind == "remap")
    reminder = chat.engine.due_reminders(remap.due_at)[0]
    chat.send(Event.chose(reminder.buttons[0].value))
    chat.press("Fatma")
    chat.press("Weghalen")
    chat.press("Ja, weghalen")
    chat.press("Nog iemand")
    chat.say("Ellen")
    chat.press("Vrienden")
    rate(chat, "Mirjam", closeness=1, frequency=1, reciprocity=2)
    chat.press("Klaar met de lijst")
    chat.press("skip")


def test_the_client_sees_the_change_in_own_words_and_both_maps(chat: Chat) -> None:
    two_maps(chat)
    text = chat.text
    assert (
        "• Mirjam: voelt verder weg, minder vaak contact, wie helpt wie: nu jullie elkaar." in text
    )
    assert "Zo ging het over je 2 kaarten:" in text
    assert "• Mensen op je lijst: 2 → 2" in text and "• Elke week contact: 1 → 0" in text
    [picture] = chat.replies[-1].attachments()
    width, height = Image.open(io.BytesIO(picture.content)).size
    assert width == 2 * height  # previous and current side by side


def test_the_professional_sees_change_per_person_and_the_trend(chat: Chat) -> None:
    two_maps(chat)
    route = chat.route
    [summary] = chat.engine._share(route)
    rendered = chat.engine._render("nl", summary)
    assert "• Mirjam: minder hecht, minder vaak contact, wie helpt wie: nu over en weer" in (
        rendered.text
    )
    assert "• Ellen: nieuw" in rendered.text and "• Fatma: niet meer op de kaart" in rendered.text
    assert "<b>Verloop over 2 kaarten</b>" in rendered.text
    assert "• Bijna altijd steun: 1 → 0" in rendered.text
    assert "closeness" not in rendered.text and "3→1" not in rendered.text
    assert rendered.caption.startswith("AB · kaart 2 · ")
    assert rendered.to == PRO
