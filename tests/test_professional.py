"""Professionals: registration, link codes, sharing, alerts, access. Real engine and
SQLite; the professional and clients are different chats of the same engine."""

from __future__ import annotations

import io
from datetime import time
from pathlib import Path

import pytest
from PIL import Image

from bot.events import Event
from bot.model import Session
from bot.reminders import QuietHours
from tests.support.chat import Chat, add_contacts, through_intake

PRO = "tg:900"
OTHER_PRO = "tg:901"


def register(chat: Chat, pro_chat: str = PRO, name: str = "Sanne") -> None:
    with chat.engine.store.atomic():
        _, code = chat.engine.store.care.add_professional(name)
    replies = chat.engine.handle(pro_chat, Event.start(code))
    assert "Welkom, " + name in replies[0].text


def link_code(chat: Chat, pro_chat: str = PRO, label: str = "AB") -> str:
    replies = chat.engine.handle(pro_chat, Event.typed(f"/code {label}"))
    text = replies[0].text
    return text.split("<b>")[1].split("</b>")[0]


@pytest.fixture
def linked(chat: Chat) -> Chat:
    register(chat)
    code = link_code(chat)
    through_intake(chat)
    chat.say(f"/koppel {code}")
    assert "gekoppeld aan Sanne" in chat.text
    return chat


def test_a_professional_registers_with_a_single_use_code(chat: Chat) -> None:
    with chat.engine.store.atomic():
        _, code = chat.engine.store.care.add_professional("Sanne")
    assert len(code) == 10
    assert "Welkom, Sanne" in chat.engine.handle(PRO, Event.start(code))[0].text
    again = chat.engine.handle("tg:902", Event.start(code))
    assert "Deze code werkt niet" in again[0].text


def test_linking_tells_the_professional_without_content(linked: Chat) -> None:
    notice = [r for r in linked.replies if r.to == PRO]
    assert notice and "AB is nu aan je gekoppeld" in notice[0].text


def test_a_deep_link_before_the_intake_links_after_consent(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    assert "Na de kennismaking koppel ik je aan Sanne" in chat.text
    through_intake(chat)
    links = chat.engine.store.care.link_of("client-1")
    assert links is not None and links.label == "AB"


def test_a_reused_or_expired_code_is_refused(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    through_intake(chat)
    chat.say(f"/koppel {code}")
    other = Chat(chat.engine, "client-2")
    through_intake(other)
    other.say(f"/koppel {code}")
    assert "Deze code werkt niet" in other.text
    fresh = link_code(chat)
    chat.engine.store.db.execute(
        "UPDATE codes SET expires_at = '2000-01-01' WHERE used_at IS NULL"
    )
    other.say(f"/koppel {fresh}")
    assert "Deze code werkt niet" in other.text
    assert chat.engine.store.care.link_of("client-2") is None


def test_five_wrong_codes_lock_code_entry_for_an_hour(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    through_intake(chat)
    for n in range(5):
        chat.say(f"/koppel WRONGCODE{n}")
    chat.say(f"/koppel {code}")
    assert "te veel verkeerde codes" in chat.text
    assert chat.engine.store.care.link_of("client-1") is None


def test_the_professional_lists_only_their_own_clients(linked: Chat) -> None:
    register(linked, OTHER_PRO, "Ravi")
    mine = linked.engine.handle(PRO, Event.typed("/clienten"))
    assert "<b>AB</b>\nBezig: stap 2 van 6" in mine[0].text
    theirs = linked.engine.handle(OTHER_PRO, Event.typed("/clienten"))
    assert "Er is nog niemand aan je gekoppeld" in theirs[0].text
    forged = linked.engine.handle(OTHER_PRO, Event.chose("!p:summary:client-1"))
    assert "niet aan jou gekoppeld" in forged[0].text


def test_the_client_can_see_and_end_the_link(linked: Chat) -> None:
    linked.say("/koppel")
    assert "Je bent gekoppeld aan Sanne" in linked.text
    linked.say("/ontkoppel")
    linked.press("Ja, ontkoppel")
    assert "Je bent ontkoppeld" in linked.text
    assert linked.engine.store.care.link_of("client-1") is None
    assert any(r.to == PRO and "beëindigd" in r.text for r in linked.replies)


def finish_route(chat: Chat) -> None:
    """Put a client with a small map at the closing overview."""
    add_contacts(chat, ("<b>Kees</b>", "vrienden"), ("Ans", "familie"))
    store = chat.engine.store
    with store.atomic():
        store.save_session("client-1", Session("overview.show", prompt=chat.route.session.prompt))
    chat.start()


def test_the_client_sees_the_summary_first_and_chooses_to_send_it(linked: Chat) -> None:
    finish_route(linked)
    linked.press("Klaar")
    assert linked.state == "overview.share"
    shown = linked.replies[-1]
    assert "Dit is de samenvatting die Sanne zou krijgen" in shown.text
    (picture,) = shown.attachments()
    assert Image.open(io.BytesIO(picture.content)).format == "PNG"
    linked.press("Ja, stuur het")
    sent = [r for r in linked.replies if r.to == PRO]
    assert len(sent) == 1 and sent[0].protect
    assert "&lt;b&gt;Kees&lt;/b&gt;" in sent[0].text  # a name with markup stays literal
    image = Image.open(io.BytesIO(sent[0].image.content))
    assert image.format == "PNG" and min(image.size) >= 400
    audit = [row[2] for row in linked.engine.store.care.audit_log()]
    assert "summary-sent" in audit


def test_not_sending_sends_nothing(linked: Chat) -> None:
    finish_route(linked)
    linked.press("Klaar")
    linked.press("Nee, liever niet")
    assert not [r for r in linked.replies if r.to]
    latest = linked.engine.handle(PRO, Event.chose("!p:summary:client-1"))
    assert "nog geen samenvatting" in latest[0].text


def test_the_professional_asks_for_the_latest_summary(linked: Chat) -> None:
    finish_route(linked)
    linked.press("Klaar")
    linked.press("Ja, stuur het")
    latest = linked.engine.handle(PRO, Event.chose("!p:summary:client-1"))
    assert "Samenvatting Steunkaart" in latest[0].text
    assert latest[0].image is not None and latest[0].protect


def test_a_crisis_alerts_the_professional_only_with_consent(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.start()
    for value in ("next", "next", "yes", "yes", "skip", "skip", "next"):
        chat.press(value)
    chat.say(f"/koppel {code}")
    chat.say("ik wil niet meer leven")
    alert = [r for r in chat.replies if r.to == PRO]
    assert alert and "niet meer leven" not in alert[0].text
    assert "Seintje uit Steunkaart" in alert[0].text


def test_no_alert_without_consent(linked: Chat) -> None:
    linked.say("ik wil niet meer leven")
    assert not [r for r in linked.replies if r.to]


def test_erasing_tells_the_professional_without_content(linked: Chat) -> None:
    linked.say("/wissen")
    linked.press("Ja, wis alles")
    told = [r for r in linked.replies if r.to == PRO]
    assert told and "laten wissen" in told[0].text


def test_the_professional_invites_a_client_gently(linked: Chat) -> None:
    linked.engine.desk.quiet = QuietHours(time(0), time(0))  # no quiet hours now
    replies = linked.engine.handle(PRO, Event.chose("!p:invite:client-1"))
    assert "verstuurd naar AB" in replies[0].text
    invitation = [r for r in linked.engine.due_notices() if r.to == "client-1"]
    assert invitation and "Alleen als het jou uitkomt" in invitation[0].text
    # Mid-route, the button carries on where the client was (no "welcome back").
    assert [b.label for b in invitation[0].buttons] == ["Verder waar ik was"]
    linked.send(Event.chose(invitation[0].buttons[0].value))
    assert linked.state == "network.intro" and "Fijn dat je er weer bent" not in linked.text


def test_an_invitation_in_quiet_hours_waits_for_the_morning(linked: Chat) -> None:
    linked.engine.desk.quiet = QuietHours(time(0), time(23, 59))  # quiet all day
    replies = linked.engine.handle(PRO, Event.chose("!p:invite:client-1"))
    assert "te laat voor berichten" in replies[0].text
    assert linked.engine.due_notices() == []


def test_an_invitation_to_a_finished_client_offers_a_new_map(linked: Chat) -> None:
    linked.engine.desk.quiet = QuietHours(time(0), time(0))
    with linked.engine.store.atomic():
        linked.engine.store.save_session("client-1", Session("overview.done", prompt=50))
    linked.engine.handle(PRO, Event.chose("!p:invite:client-1"))
    [invitation] = [r for r in linked.engine.due_notices() if r.to == "client-1"]
    assert "nieuwe kaart" in invitation.text
    linked.send(Event.chose(invitation.buttons[0].value))
    assert linked.state == "network.list"
    assert "Dank je wel voor vandaag" not in linked.text


def test_a_deactivated_professional_gets_nothing(linked: Chat, tmp_path: Path) -> None:
    professional = linked.engine.store.care.professionals()[0]
    linked.engine.store.care.set_professional_active(professional.id, False)
    linked.say("ik wil niet meer leven")
    assert [r.to for r in linked.replies if r.to is not None] in ([], [""])


def test_the_professional_sets_the_rhythm_and_sees_the_history(linked: Chat) -> None:
    rhythm = linked.engine.handle(PRO, Event.chose("!p:rhythm:client-1"))
    assert "Check-in 1 dag na het gekozen moment" in rhythm[0].text
    labels = [b.label for b in rhythm[0].buttons]
    assert "Check-in na 3 dagen" in labels and "Nieuwe kaart na 8 weken" in labels
    changed = linked.engine.handle(PRO, Event.chose("!p:checkin72:client-1"))
    assert "Check-in 3 dagen na" in changed[0].text
    linked.engine.handle(PRO, Event.chose("!p:remap8:client-1"))
    assert linked.engine.store.agenda.rhythm("client-1").remap_weeks == 8
    refused = linked.engine.handle(PRO, Event.chose("!p:remap999:client-1"))
    assert linked.engine.store.agenda.rhythm("client-1").remap_weeks == 8
    assert refused
    history = linked.engine.handle(PRO, Event.chose("!p:history:client-1"))
    assert "Nog geen check-ins" in history[0].text
    register(linked, OTHER_PRO, "Ravi")
    forged = linked.engine.handle(OTHER_PRO, Event.chose("!p:checkin24:client-1"))
    assert "niet aan jou gekoppeld" in forged[0].text
    assert linked.engine.store.agenda.rhythm("client-1").checkin_hours == 72


def test_help_for_a_professional_explains_each_command(chat: Chat) -> None:
    register(chat)
    [reply] = chat.engine.handle(PRO, Event.typed("/help"))
    for command in ("/clienten", "/code AB", "/help"):
        assert command in reply.text
    assert [b.label for b in reply.buttons] == ["Mijn cliënten", "Nieuwe koppelcode"]
