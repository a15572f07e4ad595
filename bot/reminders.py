"""When to remind: the client's chosen moment as a time, quiet hours, check-ins, re-maps.

Pure functions over aware datetimes. Times are chosen in the organisation's time zone
(Europe/Amsterdam by default) and stored in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")
EVENING = time(19, 0)
MORNING = time(10, 0)
SNOOZE = timedelta(hours=2)
CHECKIN_AFTER = timedelta(days=1)
REMAP_AFTER_WEEKS = 6


@dataclass(frozen=True, slots=True)
class QuietHours:
    """No messages from `start` to `end` (local time); what falls due then waits."""

    start: time = time(22, 0)
    end: time = time(8, 0)

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(TIMEZONE).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def after(self, moment: datetime) -> datetime:
        """The moment itself, or the end of the quiet hours it falls in."""
        if not self.contains(moment):
            return moment
        local = moment.astimezone(TIMEZONE)
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, TIMEZONE).astimezone(UTC)


def _at(day: datetime, clock: time) -> datetime:
    return datetime.combine(day.date(), clock, TIMEZONE).astimezone(UTC)


def ask_moment(moment: str, now: datetime, quiet: QuietHours) -> datetime | None:
    """The reminder time for a moment chosen in practice ("tomorrow", ...); None when
    the client did not pick one we can turn into a time ("unknown", own words)."""
    local = now.astimezone(TIMEZONE)
    if moment == "today":
        due = _at(local, EVENING)
        due = due if due > now else now + timedelta(hours=1)
    elif moment == "tomorrow":
        due = _at(local + timedelta(days=1), EVENING)
    elif moment == "weekend":
        days = (5 - local.weekday()) % 7 or (0 if local.time() < MORNING else 1)
        due = _at(local + timedelta(days=days), MORNING)
    elif moment == "next_week":
        due = _at(local + timedelta(days=7 - local.weekday()), MORNING)
    elif moment.startswith("at:"):  # confirmed in words by the client (bot/flows/when.py)
        due = datetime.fromisoformat(moment[3:]).replace(tzinfo=TIMEZONE).astimezone(UTC)
        if due <= now:
            return None
    elif moment.startswith("text:"):
        parsed = own_moment(moment[5:], now)
        if parsed is None:
            return None
        due = parsed
    else:
        return None
    return quiet.after(due)


# Words a client may type for a day; recognised, never shown. No two-letter Dutch
# abbreviations: "zo", "do" and "ma" are everyday words too.
WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("maandag", "monday", "mon"), 0),
    **dict.fromkeys(("dinsdag", "tuesday", "tue"), 1),
    **dict.fromkeys(("woensdag", "wednesday", "wed"), 2),
    **dict.fromkeys(("donderdag", "thursday", "thu"), 3),
    **dict.fromkeys(("vrijdag", "friday", "fri"), 4),
    **dict.fromkeys(("zaterdag", "saturday", "sat"), 5),
    **dict.fromkeys(("zondag", "sunday", "sun"), 6),
}
RELATIVE: dict[str, int] = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
CLOCK = re.compile(r"\b([01]?\d|2[0-3])(?:[:.]([0-5]\d)|\s*(?:uur|u|h|o'clock))\b")


def own_moment(text: str, now: datetime) -> datetime | None:
    """A day and time in the client's own words ("dinsdag 19:30", "morgen om 8 uur",
    "friday 18.00"); None when no day is recognised."""
    words = re.findall(r"[a-zà-ÿ]+", text.casefold())
    local = now.astimezone(TIMEZONE)
    offset = next((RELATIVE[w] for w in words if w in RELATIVE), None)
    if offset is None:
        weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
        if weekday is None:
            return None
        offset = (weekday - local.weekday()) % 7 or 7
    match = CLOCK.search(text.casefold())
    clock = time(int(match.group(1)), int(match.group(2) or 0)) if match else EVENING
    due = _at(local + timedelta(days=offset), clock)
    return due if due > now else None


def checkin_moment(asked: datetime, after: timedelta, quiet: QuietHours) -> datetime:
    return quiet.after(asked + after)


def snoozed(now: datetime, quiet: QuietHours) -> datetime:
    return quiet.after(now + SNOOZE)


def remap_moment(mapped: datetime, weeks: int, quiet: QuietHours) -> datetime:
    local = (mapped + timedelta(weeks=weeks)).astimezone(TIMEZONE)
    return quiet.after(_at(local, MORNING))
