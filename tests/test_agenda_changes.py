"""What is planned follows what changed: a new rhythm, a new moment at a check-in, a
moment changed by going back."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine

from bot.events import Event
from bot.reminders import TIMEZONE
from tests.support.chat import Chat, add_contacts, due_and_sent, through_intake
from tests.test_professional import PRO, link_code, register
from tests.test_reminders import MONDAY_NOON, at_plan, local


def planned(chat: Chat) -> dict[str, datetime]:
    return {r.kind: local(r.due_at) for r in chat.engine.store.agenda.pending("client-1")}


@time_machine.travel(MONDAY_NOON, tick=False)
def test_a_new_rhythm_moves_the_planned_new_map_and_check_in(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    through_intake(chat)
    chat.say(f"/koppel {code}")
    add_contacts(chat, ("Ans", "familie"))
    chat.press("Klaar met de lijst")
    chat.press("skip")
    assert planned(chat)["remap"].date() == datetime(2027, 1, 4).date()  # 6 weeks
    chat.engine.handle(PRO, Event.chose("!p:remap4:client-1"))
    assert planned(chat)["remap"].date() == datetime(2026, 12, 21).date()  # 4 weeks
    at_plan_again(chat, "tomorrow")
    assert planned(chat)["checkin"] == datetime(2026, 11, 25, 19, 0, tzinfo=TIMEZONE)
    chat.engine.handle(PRO, Event.chose("!p:checkin72:client-1"))
    assert planned(chat)["checkin"] == datetime(2026, 11, 27, 19, 0, tzinfo=TIMEZONE)


def at_plan_again(chat: Chat, moment: str) -> None:
    from dataclasses import replace

    from bot.effects import SavePlan
    from bot.model import AskPlan

    store, route = chat.engine.store, chat.route
    plan = AskPlan(contact_id=route.contacts[0].id, request="Koffie?")
    with store.atomic():
        store.apply(SavePlan(plan), route)
        store.apply(SavePlan(replace(plan, moment=moment)), chat.route)


@time_machine.travel(MONDAY_NOON, tick=False)
def test_a_new_moment_at_a_check_in_is_scheduled_and_confirmed(chat: Chat) -> None:
    at_plan(chat, "tomorrow")
    # A re-map is planned too: it must not hide that the new moment needs a reminder.
    chat.engine.store.plan_remap("client-1")
    evening = datetime(2026, 11, 25, 19, 0, tzinfo=TIMEZONE)
    with time_machine.travel(evening, tick=False):
        replies = due_and_sent(chat, evening)
        checkin = next(r for r in replies if r.text.startswith("Hoe ging het?"))
        chat.send(Event.chose(checkin.buttons[0].value))
        chat.press("Nog niet")
        chat.press("Morgen")
        assert "Ik stuur je morgen een herinnering" in chat.text
        assert planned(chat)["ask"] == datetime(2026, 11, 26, 19, 0, tzinfo=TIMEZONE)
        assert planned(chat)["checkin"] == datetime(2026, 11, 27, 19, 0, tzinfo=TIMEZONE)


@time_machine.travel(MONDAY_NOON, tick=False)
def test_going_back_to_an_open_moment_cancels_the_old_check_in(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    at_plan_again(chat, "tomorrow")
    assert set(planned(chat)) == {"ask", "checkin"}
    at_plan_again(chat, "unknown")  # "Weet ik nog niet": nothing to remind at
    assert "checkin" not in planned(chat) and "ask" not in planned(chat)


@time_machine.travel(MONDAY_NOON, tick=False)
def test_a_moment_changed_later_moves_ask_and_check_in_together(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    at_plan_again(chat, "tomorrow")
    at_plan_again(chat, "next_week")
    due = planned(chat)
    assert due["checkin"] - due["ask"] == timedelta(days=1)
    assert due["ask"] == datetime(2026, 11, 30, 10, 0, tzinfo=TIMEZONE)
