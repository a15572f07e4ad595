"""When to ask, in the client's own words: read, ask what is missing, confirm in words.

    when -(words with day and time)---------------------------> when_ok -(ja)-> stored
      |-(a day only: "zaterdag")-> when_part -(ochtend/...)---^    `-(ander moment)-> when
      `-(no day: "om 8 uur", or unreadable)-> when_day -(day)-> when_part or when_ok

Nothing fails silently: what cannot be read is asked with buttons, and every moment is
said back ("Ik stuur je zaterdag om 10:00 een herinnering. Goed zo?") before it is
stored as "at:<local date and time>", already moved out of the quiet hours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.effects import Effect
from bot.flows.base import CHOOSE_BUTTON, Answer, Option, Outcome, Prompt, Reprompt
from bot.flows.people import read_text
from bot.model import Route
from bot.moments import DEFAULT_CLOCK, PARTS, TIMEZONE, Reading, now, read_moment
from bot.reminders import ask_moment

AT = "at:"  # a moment confirmed by the client, in local time: "at:2026-12-12T10:00"
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NEAR_DAYS = ("today", "tomorrow", "day_after")

Save = Callable[..., Effect]


def today() -> date:
    return now().astimezone(TIMEZONE).date()


def _clock(text: str) -> time | None:
    return time.fromisoformat(text) if text else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def outcome(reading: Reading) -> Outcome:
    """On to the confirmation when day and time are known; else ask what is missing."""
    when = reading.when()
    if when is not None:
        local = when.replace(tzinfo=None).isoformat(timespec="minutes")
        return Outcome("read", cursor={"at": local})
    if reading.day is not None:
        return Outcome("part", cursor={"day": reading.day.isoformat()})
    clock = reading.clock.isoformat(timespec="minutes") if reading.clock else ""
    unread = reading.clock is None and reading.part is None and not reading.past
    return Outcome(
        "day",
        cursor={
            "clock": clock,
            "part": reading.part or "",
            "past": reading.past,
            "unread": unread,
        },
    )


def read_typed(route: Route, answer: Answer, keep: Reading | None = None) -> Outcome | Reprompt:
    """Typed words at any of the moment questions; what they lack comes from `keep`."""
    text = read_text(answer)
    if isinstance(text, Reprompt):
        return text
    typed = read_moment(text, now())
    if keep is not None:
        typed = Reading(
            typed.day or keep.day,
            typed.clock or (keep.clock if typed.part is None else None),
            typed.part or keep.part,
        )
        when = typed.when()
        if when is not None and when <= now():
            typed = Reading(None, typed.clock, typed.part, past=True)
    return outcome(typed)


def kept(route: Route) -> Reading:
    cursor = route.session.cursor
    return Reading(
        _day(cursor.get("day", "")), _clock(cursor.get("clock", "")), cursor.get("part") or None
    )


# The day question ---------------------------------------------------------------------------


def day_options() -> tuple[Option, ...]:
    first = today()
    options = []
    for offset in range(7):
        day = first + timedelta(days=offset)
        key = (
            f"practice.day.{NEAR_DAYS[offset]}"
            if offset < len(NEAR_DAYS)
            else f"goal.day.{DAY_NAMES[day.weekday()]}"
        )
        options.append(Option(day.isoformat(), key))
    return tuple(options)


def day_prompt(route: Route) -> Prompt:
    cursor = route.session.cursor
    context = {"past": cursor.get("past", False), "unread": cursor.get("unread", False)}
    return Prompt("practice/when_day", context, day_options())


def day_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    known = kept(route)
    if not answer.is_choice:
        return read_typed(route, answer, known)
    day = _day(answer.value)
    if day is None:
        return CHOOSE_BUTTON
    return checked(Reading(day, known.clock, known.part))


def checked(reading: Reading) -> Outcome:
    when = reading.when()
    if when is not None and when <= now():
        return outcome(Reading(None, reading.clock, reading.part, past=True))
    return outcome(reading)


# The part of the day --------------------------------------------------------------------------


def part_prompt(route: Route) -> Prompt:
    day = _day(route.session.cursor.get("day", ""))
    options = tuple(
        Option(
            part, f"practice.part.{part}", params={"clock": DEFAULT_CLOCK[part].strftime("%H:%M")}
        )
        for part in PARTS
    )
    return Prompt("practice/when_part", {"day": day, **relative(day)}, options)


def part_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    known = kept(route)
    if not answer.is_choice:
        return read_typed(route, answer, known)
    if answer.value not in PARTS or known.day is None:
        return CHOOSE_BUTTON
    return checked(Reading(known.day, None, answer.value))


# The confirmation -----------------------------------------------------------------------------


def relative(day: date | None) -> dict[str, Any]:
    if day is None:
        return {"near": ""}
    offset = (day - today()).days
    return {"near": NEAR_DAYS[offset] if 0 <= offset < 2 else ""}


def preset(route: Route, key: str) -> Outcome:
    """A button ("Morgen") is said back in words too, at the time it will be sent."""
    return Outcome("read", cursor={"preset": key})


def asked_moment(route: Route) -> datetime | None:
    cursor = route.session.cursor
    if "preset" in cursor:
        due = ask_moment(cursor["preset"], now(), route.settings.quiet)
        return due.astimezone(TIMEZONE) if due else None
    if "at" in cursor:
        return datetime.fromisoformat(cursor["at"]).replace(tzinfo=TIMEZONE)
    return None


def confirm_context(route: Route) -> dict[str, Any]:
    asked = asked_moment(route) or now().astimezone(TIMEZONE)
    due = route.settings.quiet.after(asked).astimezone(TIMEZONE)
    quiet = route.settings.quiet
    return {
        "day": due.date(),
        "clock": due.strftime("%H:%M"),
        "shifted": due != asked,
        "quiet_start": quiet.start.strftime("%H:%M"),
        "quiet_end": quiet.end.strftime("%H:%M"),
        **relative(due.date()),
    }


def confirm_prompt(route: Route) -> Prompt:
    options = (Option("yes", "common.yes"), Option("other", "practice.moment_other"))
    return Prompt("practice/when_ok", confirm_context(route), options)


def confirm_handle(save: Save) -> Callable[[Route, Answer], Outcome | Reprompt]:
    def handle(route: Route, answer: Answer) -> Outcome | Reprompt:
        if not answer.is_choice:
            return read_typed(route, answer)  # another moment typed straight away
        if answer.value == "other":
            return Outcome("other", cursor={})
        asked = asked_moment(route)
        if answer.value != "yes" or asked is None:
            return CHOOSE_BUTTON
        if asked <= now():  # the question waited too long: that moment has gone by
            return outcome(Reading(past=True))
        if "preset" in route.session.cursor:  # kept as the key: the agenda plans it
            return Outcome(
                "chosen", (save(route, moment=route.session.cursor["preset"]),), cursor={}
            )
        context = confirm_context(route)
        moment = f"{AT}{context['day'].isoformat()}T{context['clock']}"
        return Outcome("chosen", (save(route, moment=moment),), cursor={})

    return handle
