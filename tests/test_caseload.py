"""The professional's client list, sorted by need and in local time, and the short
notices a professional gets without content."""

from __future__ import annotations

from datetime import datetime

import time_machine

from bot.events import Event
from bot.reminders import TIMEZONE
from tests.support.chat import Chat, due_and_sent, through_intake
from tests.test_professional import PRO, link_code, register
from tests.test_reminders import at_plan

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=TIMEZONE)


def linked_client(chat: Chat, client_id: str, label: str) -> Chat:
    client = Chat(chat.engine, client_id)
    code = link_code(chat, label=label)
    through_intake(client)
    client.say(f"/koppel {code}")
    return client


@time_machine.travel(NOW, tick=False)
def test_the_list_puts_who_needs_attention_first(chat: Chat) -> None:
    register(chat)
    for client_id, label in (("c-d", "DD"), ("c-c", "CC"), ("c-b", "BB"), ("c-a", "AA")):
        linked_client(chat, client_id, label)
    db = chat.engine.store.db
    with chat.engine.store.atomic():
        db.execute(
            "INSERT INTO alerts (client_id, professional_id, label, at, last_at, count, status) "
            "VALUES ('c-c', 1, 'CC', '2026-12-06T13:02:00+00:00', '2026-12-06T13:10:00+00:00', "
            "3, 'delivered')"
        )
        db.execute(
            "INSERT INTO checkins (client_id, at, outcome) "
            "VALUES ('c-a', '2026-12-04T18:00:00+00:00', 'no')"
        )
        db.execute(
            "UPDATE clients SET last_seen_at = '2026-10-01T10:00:00+00:00' WHERE id = 'c-d'"
        )
    listed = chat.engine.handle(PRO, Event.typed("/clienten"))[0]
    assert [b.label for b in listed.buttons] == ["CC", "AA", "DD", "BB"]
    text = listed.text
    assert "<b>CC</b> · ⚠️ seintje zo 6 dec 14:02 (3×)" in text  # Amsterdam time, not UTC
    assert "<b>AA</b> · check-in lukte niet" in text
    assert "check-in vr 4 dec: nee, het lukte niet" in text
    assert "<b>DD</b> · al een tijd niet actief" in text
    assert "UTC" not in text and "2026-" not in text


@time_machine.travel(NOW, tick=False)
def test_a_failed_check_in_and_a_declined_map_reach_the_professional_briefly(
    chat: Chat,
) -> None:
    register(chat)
    code = link_code(chat)
    at_plan(chat, "today")
    chat.say(f"/koppel {code}")
    replies = due_and_sent(chat, datetime(2026, 12, 7, 19, 0, tzinfo=TIMEZONE))
    checkin = next(r for r in replies if r.text.startswith("Hoe ging het?"))
    chat.send(Event.chose(checkin.buttons[0].value))
    chat.press("Nee, het lukte niet")
    [notice] = [r for r in chat.replies if r.to == PRO]
    assert notice.text == "AB heeft bij de check-in gezegd: het lukte niet."
    chat.engine.store.plan_remap("client-1")
    remap = chat.engine.store.agenda.pending("client-1")
    due = next(r for r in remap if r.kind == "remap").due_at
    [offer] = due_and_sent(chat, due)
    chat.send(Event.chose(next(b.value for b in offer.buttons if b.value.startswith("!r:no:"))))
    told = [r for r in chat.replies if r.to == PRO]
    assert told and told[0].text == "AB wil nu geen nieuwe kaart maken."


@time_machine.travel(NOW, tick=False)
def test_the_history_is_in_order_and_in_local_time(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    at_plan(chat, "tomorrow")
    chat.say(f"/koppel {code}")
    history = chat.engine.handle(PRO, Event.chose("!p:history:client-1"))[0].text
    ask = history.index("ma 7 dec 19:00")
    check = history.index("di 8 dec 19:00")
    assert ask < check and "UTC" not in history and "<b>Check-ins</b>" in history
