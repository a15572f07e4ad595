"""How well typed answers and moments in own words are understood (issue 14).

    .venv/bin/python -m tests.support.understanding_figures          # both figures
    .venv/bin/python -m tests.support.understanding_figures --buttons   # buttons per step

1. `tests/data/typed_answers.tsv`: typed answers at the questions of the whole route,
   each typed by a fresh client walked there through the real engine on a real SQLite
   file. Right: the expected button pressed, or asked about in one line ("Bedoel je
   ...?"); for `-` rows, no button pressed (the short reprompt); for `notext` rows, not
   stored as a name, reason or request. Wrongly stored free text is counted apart.
2. `tests/data/moments.tsv`: each phrasing read by `bot.moments` as expected, and,
   typed at "Wanneer ga je het vragen?", confirmed in words or asked again, never
   stored without a word.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import time_machine

from bot.engine_understand import MEAN
from bot.model import Route
from bot.moments import TIMEZONE, read_moment
from tests.support.chat import Chat
from tests.support.route import Person, answer, resolve

DATA = Path(__file__).resolve().parent.parent / "data"
TYPED = DATA / "typed_answers.tsv"
MOMENTS = DATA / "moments.tsv"
TYPED_UNSEEN = DATA / "typed_answers_unseen.tsv"  # written after, never tuned on
MOMENTS_UNSEEN = DATA / "moments_unseen.tsv"
# The moments table is read on this day (a Wednesday morning), in the clinic's zone.
MOMENT_NOW = datetime(2026, 12, 9, 9, 30, tzinfo=TIMEZONE)
PEOPLE = [("Ans", "familie"), ("Bram", "vrienden")]
NO_BUTTON = "-"  # nothing on screen was meant: the short reprompt is right
NOT_TEXT = "notext"  # a button, command or non-name typed where free text is taken


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:]  # the header


# Typed answers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Typed:
    lang: str
    state: str  # "network.name" or "network.name#2": the second time there
    text: str
    expected: str  # a button value, "-", "notext", or "check:<name>:<sector>"

    @property
    def target(self) -> tuple[str, int]:
        state, _, visit = self.state.partition("#")
        return state, int(visit or 1)


def load_typed(path: Path = TYPED) -> list[Typed]:
    return [Typed(*row) for row in _rows(path)]


@dataclass
class Walker:
    """Clients walked through the scripted route to one question each."""

    db: Path
    made: int = 0
    chats: list[Chat] = field(default_factory=list)
    pressed: dict[tuple[str, str, str], tuple[str, str, str]] = field(default_factory=dict)

    def at(self, lang: str, state: str, visit: int) -> Chat:
        self.made += 1
        chat = Chat.open(self.db, client_id=f"typist-{self.made}", locale=lang)
        self.chats.append(chat)
        chat.start()
        person = Person(contacts=list(PEOPLE))
        sectors = dict(PEOPLE)
        seen: Counter[str] = Counter()
        for _ in range(200):
            here = chat.state
            seen[here] += 1
            if here == state and seen[here] == visit:
                return chat
            added = len(chat.route.contacts) if chat.route_exists else 0
            values = [b.value for b in chat.buttons if not b.value.startswith("!")]
            name = chat.route.session.cursor.get("name", "") if chat.route_exists else ""
            kind, value = resolve(
                answer(here, person, added, lambda n=name, s=sectors: s[n]), values
            )
            chat.press(value) if kind == "press" else chat.say(value)
        raise AssertionError(f"{state}#{visit} not reached")

    def close(self) -> None:
        for chat in self.chats:
            chat.close()


def _route(chat: Chat) -> Route:
    route = chat.engine._drafts.get(chat.client_id) or chat.engine.store.load(
        chat.client_id, chat.engine.settings
    )
    assert route is not None
    return route


def _named(value: Any, names: dict[int, str], key: str = "") -> Any:
    """Contact ids (different for every client) as names, so two clients compare."""
    if isinstance(value, dict):
        return {k: _named(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v, names, key) for v in value]
    if key in ("contact", "contact_id", "chosen") and isinstance(value, int):
        return names.get(value, value)
    return value


def stored(chat: Chat) -> str:
    """What the client's answers left in their data (not the log of what they typed)."""
    route = _route(chat)
    profile = route.profile
    data = {
        "contacts": [(c.name, c.sector, sorted(c.ratings.items())) for c in route.contacts],
        "goal": asdict(route.goal) if route.goal else None,
        "barriers": [asdict(b) for b in route.barriers],
        "plan": asdict(route.plan) if route.plan else None,
        "profile": (profile.locale, profile.consented, profile.alert_consent),
        "phones": (profile.gp_phone, profile.hap_phone),
    }
    names = {c.id: c.name for c in route.contacts}
    return json.dumps(_named(data, names), ensure_ascii=False, sort_keys=True)


def fingerprint(chat: Chat) -> tuple[str, str, str]:
    route = _route(chat)
    names = {c.id: c.name for c in route.contacts}
    cursor = json.dumps(_named(route.session.cursor, names), sort_keys=True)
    return (route.session.state, cursor, stored(chat))


@dataclass(frozen=True, slots=True)
class Verdict:
    right: bool
    asked: bool  # right by a "Bedoel je ...?" question
    stored_text: bool  # a button, command or non-name stored as free text
    how: str


def _pressed(walker: Walker, row: Typed, label: str) -> tuple[str, str, str]:
    """What pressing the expected button does, on a twin client (cached)."""
    key = (row.lang, row.state, label)
    if key not in walker.pressed:
        state, visit = row.target
        twin = walker.at(row.lang, state, visit)
        twin.press(label)
        walker.pressed[key] = fingerprint(twin)
    return walker.pressed[key]


def judge(walker: Walker, row: Typed) -> Verdict:
    state, visit = row.target
    chat = walker.at(row.lang, state, visit)
    labels = {b.value: b.label for b in chat.buttons}
    before = stored(chat)
    chat.say(row.text)
    after = fingerprint(chat)
    typed = " ".join(row.text.split())
    stored_text = (
        len(typed) > 1
        and typed.casefold() in after[2].casefold()
        and (typed.casefold() not in before.casefold())
    )
    asked = next(
        (
            b.value.removeprefix(MEAN)
            for b in chat.buttons
            if b.value.startswith(MEAN) and b.value != MEAN
        ),
        None,
    )
    if row.expected.startswith("check:"):
        _, name, sector = row.expected.split(":")
        cursor = _route(chat).session.cursor
        right = chat.state == "network.check" and (cursor.get("name"), cursor.get("sector")) == (
            name,
            sector,
        )
        return Verdict(right, False, stored_text, f"{chat.state} {cursor}")
    if row.expected == NOT_TEXT:
        return Verdict(not stored_text, False, stored_text, f"{chat.state} {after[1]}")
    if row.expected == NO_BUTTON:
        unchanged = after[0] == state and after[2] == before
        return Verdict(unchanged and asked is None, False, stored_text, f"{after[0]}")
    expected = next((v for v, label in labels.items() if row.expected in (v, label)), None)
    if expected is None:
        raise AssertionError(f"{row}: no such button in {list(labels.values())}")
    pressed = _pressed(walker, row, labels[expected])
    # Free text only counts when pressing the button would not have stored those words.
    stored_text = stored_text and typed.casefold() not in pressed[2].casefold()
    if asked is not None:
        return Verdict(asked == expected, True, stored_text, f"asked={asked}")
    return Verdict(after == pressed, False, stored_text, f"state={after[0]} {after[1]}")


def typed_figures(rows: list[Typed] | None = None, show: bool = False) -> dict[str, float]:
    rows = load_typed() if rows is None else rows
    with tempfile.TemporaryDirectory() as folder:
        walker = Walker(Path(folder) / "typed.db")
        verdicts = []
        for row in rows:
            verdict = judge(walker, row)
            verdicts.append(verdict)
            if show and verdict.stored_text:
                print(
                    f"STORED {row.lang} {row.state} {row.text!r} -> {row.expected}: {verdict.how}"
                )
            if show and not verdict.right:
                print(f"MISS {row.lang} {row.state} {row.text!r} -> {row.expected}: {verdict.how}")
        walker.close()
    right = sum(v.right for v in verdicts)
    return {
        "rows": len(rows),
        "right": right / len(rows),
        "asked": sum(v.asked and v.right for v in verdicts) / len(rows),
        "stored_as_text": sum(v.stored_text for v in verdicts),
        "nl": sum(r.lang == "nl" for r in rows),
        "en": sum(r.lang == "en" for r in rows),
    }


# Moments ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrasing:
    text: str
    expected: str

    def read_right(self) -> bool:
        return describe(self.text) == self.expected


def describe(text: str) -> str:
    """What `bot.moments` read, in the notation of the moments table."""
    reading = read_moment(text, MOMENT_NOW)
    when = reading.when()
    if when is not None:
        return f"+{(when.date() - MOMENT_NOW.date()).days} {when:%H:%M}"
    if reading.past:
        return "past"
    if reading.day is not None:
        return f"day +{(reading.day - MOMENT_NOW.date()).days}"
    if reading.clock is not None:
        return f"time {reading.clock:%H:%M}"
    if reading.part is not None:
        return f"part {reading.part}"
    return "ask"


def load_moments(path: Path = MOMENTS) -> list[Phrasing]:
    return [Phrasing(*row) for row in _rows(path)]


def moment_in_chat(chat: Chat, text: str) -> str:
    """Type `text` at "when"; "confirmed", "asked" or what went wrong."""
    from tests.flows.test_goal import jump

    jump(chat, "practice.when")
    chat.say(text)
    if chat.state == "practice.when_ok":
        said = "Ik stuur je" in chat.text or "I will send you" in chat.text
        return "confirmed" if said else "silent"
    if chat.state in ("practice.when_day", "practice.when_part"):
        return "asked"
    if chat.state == "practice.when" and text.strip():
        return "asked"  # the question again
    plan = chat.route.plan
    if chat.state == "overview.show" and plan is not None and plan.moment == "unknown":
        return "not yet"  # "weet ik niet": the "Weet ik nog niet" button, no reminder
    return f"stored silently ({chat.state})"


def moment_figures(rows: list[Phrasing] | None = None, show: bool = False) -> dict[str, float]:
    rows = load_moments() if rows is None else rows
    read = [row.read_right() for row in rows]
    with tempfile.TemporaryDirectory() as folder, time_machine.travel(MOMENT_NOW, tick=False):
        chat = Chat.open(Path(folder) / "moments.db")
        from tests.support.chat import through_intake

        through_intake(chat)
        outcomes = Counter(moment_in_chat(chat, row.text) for row in rows)
        chat.close()
    if show:
        for row, ok in zip(rows, read, strict=True):
            if not ok:
                print(f"MISREAD {row.text!r}: {describe(row.text)} (expected {row.expected})")
    return {
        "rows": len(rows),
        "read_right": sum(read) / len(rows),
        "handled": (outcomes["confirmed"] + outcomes["asked"] + outcomes["not yet"]) / len(rows),
        "confirmed": outcomes["confirmed"],
        "asked": outcomes["asked"],
        "not_yet": outcomes["not yet"],
    }


def buttons_per_step() -> None:
    """Each question of the route with its buttons, to write rows for the data file."""
    with tempfile.TemporaryDirectory() as folder:
        for lang in ("nl", "en"):
            chat = Chat.open(Path(folder) / f"{lang}.db", locale=lang)
            chat.start()
            person, sectors, seen = Person(contacts=list(PEOPLE)), dict(PEOPLE), Counter[str]()
            while chat.state != "overview.done":
                here = chat.state
                seen[here] += 1
                print(f"{lang} {here}#{seen[here]}: {[(b.value, b.label) for b in chat.buttons]}")
                added = len(chat.route.contacts) if chat.route_exists else 0
                values = [b.value for b in chat.buttons if not b.value.startswith("!")]
                name = chat.route.session.cursor.get("name", "") if chat.route_exists else ""
                kind, value = resolve(
                    answer(here, person, added, lambda n=name, s=sectors: s[n]), values
                )
                chat.press(value) if kind == "press" else chat.say(value)
            chat.close()


def main(argv: list[str]) -> int:
    if "--buttons" in argv:
        buttons_per_step()
        return 0
    show = "--show" in argv
    unseen = "--unseen" in argv
    typed = typed_figures(load_typed(TYPED_UNSEEN) if unseen else None, show=show)
    print(
        f"typed answers at button questions: {typed['rows']} ({typed['nl']} nl, "
        f"{typed['en']} en): {typed['right']:.1%} right "
        f"(of which {typed['asked']:.1%} by one 'Bedoel je ...?'), "
        f"{typed['stored_as_text']} stored as a name, reason or request"
    )
    moments = moment_figures(load_moments(MOMENTS_UNSEEN) if unseen else None, show=show)
    print(
        f"moments in own words: {moments['rows']} phrasings: "
        f"{moments['read_right']:.1%} read as expected; typed at the question, "
        f"{moments['handled']:.1%} confirmed in words or asked again "
        f"({moments['confirmed']} confirmed, {moments['asked']} asked, "
        f"{moments['not_yet']} taken as 'Weet ik nog niet'), "
        f"{moments['rows'] - round(moments['handled'] * moments['rows'])} stored without a word"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
