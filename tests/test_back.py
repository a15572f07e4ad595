"""Back undoes, it never doubles: go back from every step of the route, answer again,
and what is stored equals the route without the detour (issue 14)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from bot.events import Event
from bot.reminders import TIMEZONE
from bot.store.export import export_client
from tests.support.chat import Chat
from tests.support.route import Person, answer, resolve
from tests.test_reminders import at_plan

PEOPLE = [("Ans", "familie"), ("Bram", "vrienden")]
TIMES = {"at", "created_at", "updated_at", "consent_at", "last_seen_at", "answered_at"}


def stored(chat: Chat) -> dict[str, Any]:
    """What the client gave, without ids, times and the answer log (which keeps the detour)."""
    data = export_client(chat.engine.store, chat.client_id)
    assert data is not None

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in TIMES | {"id"}}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    data.pop("history", None)
    data.pop("session", None)
    data["reminders"] = sorted((r["kind"], r["status"]) for r in data["reminders"])
    return clean(data)


def run(tmp_path: Path, back_after: int | None) -> tuple[dict[str, Any], list[str]]:
    """The scripted route; after answer number `back_after`, "terug" and on again."""
    chat = Chat.open(tmp_path / f"back-{back_after}.db")
    chat.start()
    person = Person(contacts=list(PEOPLE))
    sector_of = dict(PEOPLE)
    states: list[str] = []
    for step in range(400):
        state = chat.state
        if state == "overview.done":
            break
        states.append(state)
        added = len(chat.route.contacts) if chat.route_exists else 0
        values = [b.value for b in chat.buttons if not b.value.startswith("!")]
        action = resolve(
            answer(state, person, added, lambda: sector_of[chat.route.session.cursor["name"]]),
            values,
        )
        kind, value = action
        chat.press(value) if kind == "press" else chat.say(value)
        if step == back_after:
            chat.say("terug")
    result = stored(chat)
    chat.close()
    return result, states


def test_going_back_from_every_step_and_answering_again_stores_the_same(
    tmp_path: Path,
) -> None:
    plain, states = run(tmp_path, None)
    assert [c["name"] for c in plain["maps"][0]["contacts"]] == ["Ans", "Bram"]
    doubled = []
    for step in range(len(states) - 1):
        detour, _ = run(tmp_path, step)
        if detour != plain:
            doubled.append((step, states[step]))
    assert doubled == []


@pytest.mark.parametrize("typed", ["terug", "back", "/terug"])
def test_back_right_after_adding_a_person_does_not_add_them_twice(
    tmp_path: Path, typed: str
) -> None:
    chat = Chat.open(tmp_path / "s.db")
    chat.start()
    for value in ("next", "next", "yes", "no"):
        chat.press(value)
    chat.press("skip") if "skip" in [b.value for b in chat.buttons] else None
    while chat.state != "network.intro":
        chat.press(next(b.value for b in chat.buttons if not b.value.startswith("!")))
    chat.press("start")
    for name, sector in PEOPLE:
        chat.say(name)
        chat.press(sector)
        if name == "Ans":
            chat.say(typed)  # back to Ans's life area
            assert chat.state == "network.sector"
            chat.press("buren")  # a different answer replaces the first
            chat.press("add")
    assert [(c.name, c.sector) for c in chat.route.contacts] == [
        ("Ans", "buren"),
        ("Bram", "vrienden"),
    ]
    assert "2 personen" in chat.text or "2" in chat.text
    chat.close()


def test_back_in_a_checkin_replaces_the_outcome_instead_of_adding_one(tmp_path: Path) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=TIMEZONE), tick=False):
        chat = Chat.open(tmp_path / "checkin.db")
        at_plan(chat, "today")
        due = chat.engine.due_reminders(datetime(2026, 11, 24, 19, 0, tzinfo=TIMEZONE))
        checkin = next(r for r in due if r.text.startswith("Hoe ging het?"))
        chat.send(Event.chose(checkin.buttons[0].value))
        chat.press("Ja, gelukt")
        chat.say("terug")
        chat.press("Een beetje")
        outcomes = [c.outcome for c in chat.engine.store.agenda.checkins("client-1", limit=10)]
        assert outcomes == ["partly"]
        chat.close()
