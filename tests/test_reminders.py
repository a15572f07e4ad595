"""Between sessions: reminders at the chosen moment, quiet hours, snooze, stop,
check-ins and re-maps. Time is controlled with time-machine; the store is real."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from bot.effects import SavePlan
from bot.events import Event
from bot.model import AskPlan, Session
from bot.reminders import TIMEZONE, QuietHours, ask_moment, checkin_moment
from tests.support.chat import Chat, add_contacts, through_intake

QUIET = QuietHours()
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=TIMEZONE)


def local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


# Pure ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("today", datetime(2026, 11, 23, 19, 0)),
        ("tomorrow", datetime(2026, 11, 24, 19, 0)),
        ("weekend", datetime(2026, 11, 28, 10, 0)),
        ("next_week", datetime(2026, 11, 30, 10, 0)),
    ],
)
def test_a_chosen_moment_becomes_a_time(moment: str, expected: datetime) -> None:
    due = ask_moment(moment, MONDAY_NOON, QUIET)
    assert due is not None and local(due).replace(tzinfo=None) == expected


def test_moments_without_a_time_set_no_reminder() -> None:
    assert ask_moment("unknown", MONDAY_NOON, QUIET) is None
    assert ask_moment("text:als ik moed heb", MONDAY_NOON, QUIET) is None  # no day in it


def test_today_after_the_evening_is_in_an_hour_or_after_quiet_hours() -> None:
    late = datetime(2026, 11, 23, 20, 30, tzinfo=TIMEZONE)
    assert local(ask_moment("today", late, QUIET)).hour == 21  # type: ignore[union-attr]
    later = datetime(2026, 11, 23, 21, 30, tzinfo=TIMEZONE)
    assert local(ask_moment("today", later, QUIET)) == datetime(
        2026, 11, 24, 8, 0, tzinfo=TIMEZONE
    )  # type: ignore[arg-type]


def test_a_check_in_due_in_quiet_hours_moves_to_the_morning() -> None:
    asked = datetime(2026, 11, 23, 23, 30, tzinfo=TIMEZONE) - timedelta(days=1)
    due = checkin_moment(asked, timedelta(days=1), QUIET)
    assert local(due) == datetime(2026, 11, 24, 8, 0, tzinfo=TIMEZONE)


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1)))
def test_nothing_is_ever_due_in_quiet_hours(naive: datetime) -> None:
    moment = naive.replace(tzinfo=UTC)
    assert not QUIET.contains(QUIET.after(moment))
    assert QUIET.after(moment) >= moment


# Through the engine ---------------------------------------------------------------------


def at_plan(chat: Chat, moment: str) -> None:
    """A client who practised asking Ans and chose a moment."""
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    store = chat.engine.store
    route = chat.route
    plan = AskPlan(contact_id=route.contacts[0].id, request="Wil je zaterdag koffie drinken?")
    with store.atomic():
        store.apply(SavePlan(plan), route)
        route = chat.route
        store.apply(SavePlan(replace(plan, moment=moment)), route)
        store.save_session("client-1", Session("overview.done", prompt=route.session.prompt))


def due_texts(chat: Chat, moment: datetime) -> list[str]:
    return [reply.text for reply in chat.engine.due_reminders(moment)]


@time_machine.travel(MONDAY_NOON, tick=False)
def test_the_reminder_comes_at_the_chosen_moment_and_says_nothing_personal(chat: Chat) -> None:
    at_plan(chat, "tomorrow")
    assert due_texts(chat, datetime(2026, 11, 24, 18, 59, tzinfo=TIMEZONE)) == []
    replies = chat.engine.due_reminders(datetime(2026, 11, 24, 19, 0, tzinfo=TIMEZONE))
    assert [r.text for r in replies] == ["Je had een plan voor vandaag."]
    assert replies[0].to == "client-1"
    assert "Ans" not in replies[0].text and "koffie" not in replies[0].text
    assert due_texts(chat, datetime(2026, 11, 24, 19, 5, tzinfo=TIMEZONE)) == []  # once


@time_machine.travel(MONDAY_NOON, tick=False)
def test_one_tap_shows_the_plan_and_the_request(chat: Chat) -> None:
    at_plan(chat, "tomorrow")
    reminder = chat.engine.due_reminders(datetime(2026, 11, 24, 19, 0, tzinfo=TIMEZONE))[0]
    show = next(b for b in reminder.buttons if b.label == "Laat zien")
    chat.send(Event.chose(show.value, reminder.prompt))
    assert "Ans" in chat.text and "Wil je zaterdag koffie drinken?" in chat.text


@time_machine.travel(MONDAY_NOON, tick=False)
def test_snooze_and_stop(chat: Chat) -> None:
    at_plan(chat, "today")
    evening = datetime(2026, 11, 23, 19, 0, tzinfo=TIMEZONE)
    reminder = chat.engine.due_reminders(evening)[0]
    with time_machine.travel(evening, tick=False):
        chat.send(Event.chose(next(b.value for b in reminder.buttons if b.label == "Later")))
    assert "later nog een keer" in chat.text
    again = chat.engine.due_reminders(evening + timedelta(hours=2))
    assert [r.text for r in again] == ["Je had een plan voor vandaag."]
    chat.send(Event.chose(next(b.value for b in again[0].buttons if "Geen" in b.label)))
    assert "geen herinneringen meer" in chat.text
    assert due_texts(chat, evening + timedelta(days=3)) == []  # the check-in is off too
    chat.say("/herinneringen")
    assert "weer herinneringen" in chat.text


@time_machine.travel(datetime(2026, 11, 23, 21, 30, tzinfo=TIMEZONE), tick=False)
def test_a_reminder_due_in_quiet_hours_waits_for_the_morning(chat: Chat) -> None:
    at_plan(chat, "today")  # after 21:00: due at 08:00 tomorrow
    night = datetime(2026, 11, 23, 23, 30, tzinfo=TIMEZONE)
    assert due_texts(chat, night) == []
    assert due_texts(chat, datetime(2026, 11, 24, 8, 0, tzinfo=TIMEZONE)) != []


def test_an_overdue_reminder_found_at_night_is_moved_not_sent(chat: Chat) -> None:
    at_plan(chat, "today")
    pending = chat.engine.store.agenda.pending("client-1")
    chat.engine.store.agenda.move(pending[0].id, datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    assert due_texts(chat, datetime(2026, 11, 23, 23, 0, tzinfo=TIMEZONE)) == []
    morning = chat.engine.store.agenda.get(pending[0].id)
    assert morning is not None and local(morning.due_at).hour == 8


@time_machine.travel(MONDAY_NOON, tick=False)
def test_check_in_branches_are_stored_and_reach_the_summary(chat: Chat) -> None:
    at_plan(chat, "today")
    checkin = chat.engine.due_reminders(datetime(2026, 11, 24, 19, 0, tzinfo=TIMEZONE))
    checkin = [r for r in checkin if r.text.startswith("Hoe ging het?")]
    assert checkin and "Ans" not in checkin[0].text
    chat.send(Event.chose(checkin[0].buttons[0].value))
    assert "Is het gelukt om Ans te vragen?" in chat.text
    chat.press("Ja, gelukt")
    chat.say("Ze zei meteen ja")
    chat.press("Zo doorgaan")
    assert chat.state == "checkin.done"
    stored = chat.engine.store.agenda.checkins("client-1")
    assert (stored[0].outcome, stored[0].went_well, stored[0].next_step) == (
        "yes",
        "Ze zei meteen ja",
        "keep",
    )
    from bot.summary.report import summary_context

    assert summary_context(chat.route)["checkins"][0].outcome == "yes"
    chat.start()
    assert "Vorige keer vertelde je: ja, gelukt" in chat.text


@pytest.mark.parametrize(
    ("answer", "state"),
    [("Nog niet", "checkin.new_moment"), ("Nee, het lukte niet", "checkin.after_no")],
)
@time_machine.travel(MONDAY_NOON, tick=False)
def test_not_yet_and_no_lead_somewhere_useful(chat: Chat, answer: str, state: str) -> None:
    at_plan(chat, "today")
    replies = chat.engine.due_reminders(datetime(2026, 11, 24, 19, 0, tzinfo=TIMEZONE))
    checkin = next(r for r in replies if r.text.startswith("Hoe ging het?"))
    chat.send(Event.chose(checkin.buttons[0].value))
    chat.press(answer)
    assert chat.state == state
    if state == "checkin.new_moment":
        chat.press("Morgen")
        kinds = {r.kind for r in chat.engine.store.agenda.pending("client-1")}
        assert kinds == {"ask", "checkin"}
    else:
        assert "geen mislukking" in chat.text
        chat.press("Iemand anders vragen")
        assert chat.state == "practice.who"


@time_machine.travel(MONDAY_NOON, tick=False)
def test_a_re_map_after_six_weeks_starts_from_the_old_list(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"), ("Bram", "vrienden"))
    chat.press("Klaar met de lijst")
    chat.press("skip")  # no ratings now
    assert chat.state == "mapview.summary"
    remap = [r for r in chat.engine.store.agenda.pending("client-1") if r.kind == "remap"]
    assert remap and local(remap[0].due_at).date() == datetime(2027, 1, 4).date()
    replies = chat.engine.due_reminders(remap[0].due_at)
    assert [r.text for r in replies] == ["Zin om nog eens naar je kaart te kijken?"]
    chat.send(Event.chose(replies[0].buttons[0].value))
    assert chat.state == "network.list"
    assert [c.name for c in chat.route.contacts] == ["Ans", "Bram"]
    assert [c.name for c in chat.route.previous_contacts] == ["Ans", "Bram"]
    assert chat.route.map_id != remap[0].id


def test_a_reminder_of_an_erased_client_is_dropped(chat: Chat) -> None:
    at_plan(chat, "today")
    chat.engine.store.set_active("client-1", active=False)
    assert due_texts(chat, datetime(2030, 1, 1, 12, 0, tzinfo=UTC)) == []
    chat.say("/wissen")
    chat.press("Ja, wis alles")
    assert chat.engine.store.agenda.pending() == []


def test_a_forged_reminder_button_reaches_nothing(chat: Chat) -> None:
    at_plan(chat, "today")
    other = Chat(chat.engine, "client-2")
    through_intake(other)
    reminder_id = chat.engine.store.agenda.pending("client-1")[0].id
    other.send(Event.chose(f"!r:show:{reminder_id}"))
    assert "Ans" not in other.text and "voorbij" in other.text


@time_machine.travel(MONDAY_NOON, tick=False)
def test_the_new_map_is_compared_with_the_previous_one(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"), ("Bram", "vrienden"))
    chat.press("Klaar met de lijst")
    chat.press("skip")
    assert chat.replies[-1].attachments()  # the picture comes with the map in words
    remap = next(r for r in chat.engine.store.agenda.pending("client-1") if r.kind == "remap")
    reminder = chat.engine.due_reminders(remap.due_at)[0]
    chat.send(Event.chose(reminder.buttons[0].value))
    chat.press("Bram")
    chat.press("Weghalen")
    chat.press("Ja, weghalen")
    chat.press("Nog iemand")
    chat.say("Cas")
    chat.press("Buren")
    chat.press("Klaar met de lijst")
    chat.press("skip")
    assert "Sinds je vorige kaart:" in chat.text
    assert "Erbij: Cas." in chat.text and "Niet meer op je lijst: Bram." in chat.text


@time_machine.travel(MONDAY_NOON, tick=False)
def test_the_client_can_change_the_moment_from_the_reminder(chat: Chat) -> None:
    at_plan(chat, "today")
    reminder = chat.engine.due_reminders(datetime(2026, 11, 23, 19, 0, tzinfo=TIMEZONE))[0]
    chat.send(
        Event.chose(next(b.value for b in reminder.buttons if b.label == "Ander moment kiezen"))
    )
    assert chat.state == "practice.when"
    chat.press("Volgende week")
    chat.press("Ja")  # "Ik stuur je maandag 30 november om 10:00 een herinnering."
    ask = next(r for r in chat.engine.store.agenda.pending("client-1") if r.kind == "ask")
    assert local(ask.due_at) == datetime(2026, 11, 30, 10, 0, tzinfo=TIMEZONE)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("dinsdag 19:30", datetime(2026, 11, 24, 19, 30)),
        ("morgen om 8 uur", datetime(2026, 11, 24, 8, 0)),
        ("Friday 18.00", datetime(2026, 11, 27, 18, 0)),
        ("maandag", datetime(2026, 11, 30, 19, 0)),
        ("vandaag 17:15", datetime(2026, 11, 23, 17, 15)),
    ],
)
def test_a_day_and_time_in_own_words(typed: str, expected: datetime) -> None:
    due = ask_moment(f"text:{typed}", MONDAY_NOON, QUIET)
    assert due is not None and local(due).replace(tzinfo=None) == expected


@pytest.mark.parametrize("typed", ["als ik moed heb", "vanochtend 9:00", "vandaag 11:00", ""])
def test_own_words_without_a_future_day_set_no_reminder(typed: str) -> None:
    assert ask_moment(f"text:{typed}", MONDAY_NOON, QUIET) is None


@given(st.text(max_size=80))
def test_any_own_words_parse_without_error(typed: str) -> None:
    due = ask_moment(f"text:{typed}", MONDAY_NOON, QUIET)
    assert due is None or due > MONDAY_NOON


def test_everyday_words_are_not_taken_for_a_day() -> None:
    assert ask_moment("text:ik doe het zo snel als het kan", MONDAY_NOON, QUIET) is None
