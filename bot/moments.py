"""A moment in the client's own words: "zaterdagochtend", "morgen half 8", "next Tue 7pm".

Pure, no I/O: `read_moment(text, now)` says what it could read — a day, a time of day,
a part of the day — and `Reading.when()` the moment, when day and time are both known.
A part of the day without a time takes a default (ochtend 10:00, middag 14:00, avond
19:00). What is missing is asked (day first, with buttons, then the part of the day),
and every moment read is confirmed in words before a reminder is set (practice flow).

Dutch and English: day names and abbreviations (wo, za, tue), compounds (dinsdagavond,
morgenochtend), relative days (morgen, overmorgen, "volgende week woensdag", "next
Tuesday", "over 3 dagen"), parts of the day ("'s middags", "na het eten", "after lunch")
and times in many spellings (19u, 19.00, 7 uur 's avonds, half acht, kwart over 7, 7pm).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

TIMEZONE = ZoneInfo("Europe/Amsterdam")

MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
PARTS: tuple[str, ...] = (MORNING, AFTERNOON, EVENING)
DEFAULT_CLOCK: dict[str, time] = {
    MORNING: time(10, 0),
    AFTERNOON: time(14, 0),
    EVENING: time(19, 0),
}

_DAYS: dict[str, int] = {
    **dict.fromkeys(("maandag", "monday", "mon", "maan"), 0),
    **dict.fromkeys(("dinsdag", "tuesday", "tue", "tues", "din"), 1),
    **dict.fromkeys(("woensdag", "wednesday", "wed", "woe", "woens"), 2),
    **dict.fromkeys(("donderdag", "thursday", "thu", "thur", "thurs", "dond"), 3),
    **dict.fromkeys(("vrijdag", "friday", "fri"), 4),
    **dict.fromkeys(("zaterdag", "saturday", "sat", "zat", "zater"), 5),
    **dict.fromkeys(("zondag", "sunday", "sun"), 6),
}
_FULL_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_FULL_DAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Two letters are everyday words too ("zo snel", "ma en pa"): a day only in a short
# answer, or next to a time.
_SHORT_DAYS: dict[str, int] = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}

# Phrases for a part of the day, longest first when matching. "s" is what is left of
# "'s" after the apostrophe goes.
_PART_PHRASES: dict[str, str] = {
    "s ochtends": MORNING,
    "s morgens": MORNING,
    "smorgens": MORNING,
    "sochtends": MORNING,
    "in de ochtend": MORNING,
    "in de morgen": MORNING,
    "voor de middag": MORNING,
    "voor de lunch": MORNING,
    "na het ontbijt": MORNING,
    "bij het ontbijt": MORNING,
    "na t ontbijt": MORNING,
    "in the morning": MORNING,
    "after breakfast": MORNING,
    "before lunch": MORNING,
    "ochtend": MORNING,
    "ochtends": MORNING,
    "morgens": MORNING,
    "voormiddag": MORNING,
    "morning": MORNING,
    "vroeg": MORNING,
    "vanochtend": MORNING,
    "vanmorgen": MORNING,
    "this morning": MORNING,
    "s middags": AFTERNOON,
    "smiddags": AFTERNOON,
    "in de middag": AFTERNOON,
    "na de lunch": AFTERNOON,
    "na het middageten": AFTERNOON,
    "na de middag": AFTERNOON,
    "in the afternoon": AFTERNOON,
    "after lunch": AFTERNOON,
    "middag": AFTERNOON,
    "middags": AFTERNOON,
    "namiddag": AFTERNOON,
    "afternoon": AFTERNOON,
    "arvo": AFTERNOON,
    "vanmiddag": AFTERNOON,
    "pm": AFTERNOON,
    "s avonds": EVENING,
    "savonds": EVENING,
    "in de avond": EVENING,
    "na het eten": EVENING,
    "na t eten": EVENING,
    "na het avondeten": EVENING,
    "na de avondeten": EVENING,
    "na het diner": EVENING,
    "bij het eten": EVENING,
    "in the evening": EVENING,
    "after dinner": EVENING,
    "after tea": EVENING,
    "after supper": EVENING,
    "after work": EVENING,
    "na het werk": EVENING,
    "na werk": EVENING,
    "na mijn werk": EVENING,
    "avond": EVENING,
    "avonds": EVENING,
    "evening": EVENING,
    "tonight": EVENING,
    "vanavond": EVENING,
}
# Words that fix the time itself.
_CLOCK_PHRASES: dict[str, time] = {
    "tussen de middag": time(12, 30),
    "rond lunchtijd": time(12, 30),
    "bij de lunch": time(12, 30),
    "lunchtijd": time(12, 30),
    "at lunch": time(12, 30),
    "lunchtime": time(12, 30),
    "noon": time(12, 0),
    "midday": time(12, 0),
    "twaalf uur s middags": time(12, 0),
}
_RELATIVE: dict[str, int] = {
    "vandaag": 0,
    "today": 0,
    "vanavond": 0,
    "vanmiddag": 0,
    "vanochtend": 0,
    "vanmorgen": 0,
    "tonight": 0,
    "straks": 0,
    "later vandaag": 0,
    "this evening": 0,
    "this afternoon": 0,
    "this morning": 0,
    "later today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "tomorow": 1,
    "tommorow": 1,
    "morgn": 1,
    "overmorgen": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}
_NUMBERS: dict[str, int] = {
    "een": 1, "one": 1, "twee": 2, "two": 2, "drie": 3, "three": 3, "vier": 4, "four": 4,
    "vijf": 5, "five": 5, "zes": 6, "six": 6, "zeven": 7, "seven": 7, "acht": 8, "eight": 8,
    "negen": 9, "nine": 9, "tien": 10, "ten": 10, "elf": 11, "eleven": 11, "twaalf": 12,
    "twelve": 12,
}  # fmt: skip
_NEXT_WEEK = ("volgende week", "next week", "komende week", "de week erna")
_WEEKEND = ("weekend", "het weekend", "dit weekend", "this weekend", "the weekend")
_H = r"(?P<h>[01]?\d|2[0-3])"
_M = r"(?P<m>[0-5]\d)"
# 19:00 19.00 19u 19u30 19h30 19 uur 7pm 7.30 pm 7 am, checked in this order.
_CLOCKS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b{_H}\s?[:.]?\s?{_M}?\s?(?P<ap>am|pm|a m|p m)\b"),
    re.compile(rf"\b{_H}\s?[:.]\s?{_M}\b(?:\s?(?:uur|u|h))?"),
    re.compile(rf"\b{_H}\s?(?:uur|u|h|hr|o clock|oclock)\s?{_M}?\b"),
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the words gave. `past` marks a day and time that have gone by already."""

    day: date | None = None
    clock: time | None = None
    part: str | None = None
    past: bool = False

    @property
    def complete(self) -> bool:
        return self.day is not None and (self.clock is not None or self.part is not None)

    @property
    def time_of_day(self) -> time | None:
        if self.clock is not None:
            return self.clock
        return DEFAULT_CLOCK.get(self.part or "")

    def when(self) -> datetime | None:
        """The moment in local time, when both a day and a time of day are known."""
        clock = self.time_of_day
        if self.day is None or clock is None:
            return None
        return datetime.combine(self.day, clock, TIMEZONE)


def now() -> datetime:
    """The clock the flows read (tests move it with time-machine)."""
    return datetime.now(UTC)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'`]", "", text)
    text = re.sub(r"(\d)\s*[.:](?!\d)", r"\1 ", text)  # "om 8." -> "om 8"
    text = re.sub(r"[^\w:.\s]", " ", text)
    text = re.sub(r"(?<!\d)[.:]|[.:](?!\d)", " ", text)
    return " ".join(text.split())


def _has(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


def _split_compounds(text: str) -> str:
    """ "zaterdagochtend" -> "zaterdag ochtend", "morgenavond" -> "morgen avond"."""
    heads = "|".join(sorted((*_DAYS, "morgen", "overmorgen"), key=len, reverse=True))
    tails = "ochtend|morgen|middag|avond|nacht|morning|afternoon|evening|night|vroeg"
    return re.sub(rf"\b({heads})({tails})\b", r"\1 \2", text)


def _part(text: str) -> str | None:
    for phrase in sorted(_PART_PHRASES, key=len, reverse=True):
        if _has(text, phrase):
            return _PART_PHRASES[phrase]
    return None


def _fix_hour(hour: int, part: str | None, ap: str | None) -> int:
    """A 12-hour clock made 24-hour: by am/pm, by the part of the day, else by
    when people send messages (1-7 is afternoon or evening, 8-12 morning or noon)."""
    if ap:
        pm = ap.replace(" ", "") == "pm"
        return (hour % 12) + (12 if pm else 0)
    if hour > 12 or hour == 0:
        return hour
    if part in (AFTERNOON, EVENING):
        return hour if hour == 12 else hour + 12
    if part == MORNING:
        return 0 if hour == 12 else hour
    return hour + 12 if 1 <= hour <= 7 else hour


def _word_clock(text: str, part: str | None) -> time | None:
    """Half acht, kwart over 7, tien voor half 8, half past 7, quarter to 8."""
    num = r"(\d{1,2}|" + "|".join(_NUMBERS) + ")"

    def n(value: str) -> int:
        return int(value) if value.isdigit() else _NUMBERS[value]

    rules: tuple[tuple[str, object], ...] = (
        (rf"\b{num} (?:minuten )?voor half {num}\b", lambda a, b: (n(b) - 1, 30 - n(a))),
        (rf"\b{num} (?:minuten )?over half {num}\b", lambda a, b: (n(b) - 1, 30 + n(a))),
        (rf"\bkwart voor {num}\b", lambda a: (n(a) - 1, 45)),
        (rf"\bkwart over {num}\b", lambda a: (n(a), 15)),
        (rf"\bhalf {num}\b", lambda a: (n(a) - 1, 30)),
        (rf"\bhalf past {num}\b", lambda a: (n(a), 30)),
        (rf"\b(?:a )?quarter past {num}\b", lambda a: (n(a), 15)),
        (rf"\b(?:a )?quarter to {num}\b", lambda a: (n(a) - 1, 45)),
        (rf"\b{num} (?:minuten )?over {num}\b", lambda a, b: (n(b), n(a))),
        (rf"\b{num} (?:minuten )?voor {num}\b", lambda a, b: (n(b) - 1, 60 - n(a))),
        (rf"\b{num} (?:minutes )?past {num}\b", lambda a, b: (n(b), n(a))),
        (rf"\b{num} (?:minutes )?to {num}\b", lambda a, b: (n(b) - 1, 60 - n(a))),
    )
    for pattern, make in rules:
        match = re.search(pattern, text)
        if match:
            hour, minute = make(*match.groups())  # type: ignore[operator]
            if not (0 <= minute < 60 and 0 <= hour <= 23):
                return None
            return time(_fix_hour(hour % 24 or 12, part, None) % 24, minute)
    return None


def _clock(text: str, part: str | None) -> time | None:
    for phrase, clock in _CLOCK_PHRASES.items():
        if _has(text, phrase):
            return clock
    worded = _word_clock(text, part)
    if worded is not None:
        return worded
    for pattern in _CLOCKS:
        match = pattern.search(text)
        if match:
            hour, minute = int(match["h"]), int(match["m"] or 0)
            ap = match.groupdict().get("ap")
            return time(_fix_hour(hour, part, ap), minute)
    bare = re.search(
        r"\b(?:om|rond|tegen|at|around|about|vanaf|na|after|by)\s+(\d{1,2}|[a-z]+)\b", text
    )
    if bare and (bare[1].isdigit() or bare[1] in _NUMBERS):
        hour = int(bare[1]) if bare[1].isdigit() else _NUMBERS[bare[1]]
        if 1 <= hour <= 23:
            return time(_fix_hour(hour, part, None), 0)
    return None


def _weekday(tokens: list[str], short_ok: bool) -> int | None:
    for token in tokens:
        if token in _DAYS:
            return _DAYS[token]
        if short_ok and token in _SHORT_DAYS:
            return _SHORT_DAYS[token]
    for token in tokens:  # "woensdg", "zaterdga", "vrydag": a day name with a typo
        if len(token) >= 6:
            dutch = token.replace("y", "ij")  # "y" for "ij" is common Dutch spelling
            for index, name in enumerate(_FULL_DAYS):
                if max(fuzz.ratio(token, name), fuzz.ratio(dutch, name)) >= 80:
                    return index
            for index, name in enumerate(_FULL_DAYS_EN):
                if fuzz.ratio(token, name) >= 80:
                    return index
    return None


def _day(text: str, today: date, short_ok: bool) -> date | None:
    tokens = text.split()
    weekday = _weekday(tokens, short_ok)
    next_week = any(_has(text, p) for p in _NEXT_WEEK)
    if weekday is not None:
        if next_week:
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=weekday)
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    in_days = re.search(
        r"\b(?:over|in|within)\s+(\d{1,2}|[a-z]+)\s+(?:dagen|dag|days|day)\b", text
    )
    if in_days and (in_days[1].isdigit() or in_days[1] in _NUMBERS):
        count = int(in_days[1]) if in_days[1].isdigit() else _NUMBERS[in_days[1]]
        return today + timedelta(days=count)
    for phrase in sorted(_RELATIVE, key=len, reverse=True):
        if _has(text, phrase):
            return today + timedelta(days=_RELATIVE[phrase])
    if next_week:
        return today + timedelta(days=7 - today.weekday())  # Monday next week
    if any(_has(text, p) for p in _WEEKEND):
        return today + timedelta(days=(5 - today.weekday()) % 7)
    return None


def read_moment(text: str, moment: datetime) -> Reading:
    """Day, time and part of the day in `text`, seen from `moment` (aware)."""
    plain = _split_compounds(_plain(text))
    # "morgen" is also the morning: "zondagmorgen", "morgen vroeg", "'s morgens".
    plain = re.sub(r"\b(\w+dag|morgen) (morgen|vroeg)\b", r"\1 ochtend", plain)
    part = _part(plain)
    clock = _clock(plain, part)
    dayless = re.sub(r"\b(s morgens|smorgens|morgens)\b", " ", plain)
    local = moment.astimezone(TIMEZONE)
    if part is None and _has(plain, "am") and len(plain.split()) <= 3:
        part = MORNING  # "sat am"; alone, "am" is too often "I am"
    short_ok = len(plain.split()) <= 2 or clock is not None or part is not None
    day = _day(dayless, local.date(), short_ok)
    reading = Reading(day, clock, part)
    when = reading.when()
    if when is not None and when <= local:
        return Reading(None, clock, part, past=True)
    return reading
