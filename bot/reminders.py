"""When to remind: the client's chosen moment as a time, quiet hours, check-ins, re-maps.

Pure functions over aware datetimes. Times are chosen in the organisation's time zone
(Europe/Amsterdam by default) and stored in UTC.
"""

from __future__ import annotations

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
    else:
        return None
    return quiet.after(due)


def checkin_moment(asked: datetime, after: timedelta, quiet: QuietHours) -> datetime:
    return quiet.after(asked + after)


def snoozed(now: datetime, quiet: QuietHours) -> datetime:
    return quiet.after(now + SNOOZE)


def remap_moment(mapped: datetime, weeks: int, quiet: QuietHours) -> datetime:
    local = (mapped + timedelta(weeks=weeks)).astimezone(TIMEZONE)
    return quiet.after(_at(local, MORNING))
