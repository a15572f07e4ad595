"""Reminders and check-ins as rows: they survive restarts. A row is leased while it is
sent and marked sent only once Telegram accepted it, so it goes out at least once; a
crash between Telegram's answer and our note can send it twice, never lose it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database


def _iso(moment: datetime) -> str:
    # Always UTC: the rows are compared as text, so one offset for all of them.
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    client_id: str
    kind: str  # ask, checkin, remap
    due_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class Rhythm:
    reminders_off: bool
    checkin_hours: int
    remap_weeks: int


@dataclass(frozen=True, slots=True)
class Checkin:
    at: str
    outcome: str  # yes, partly, not_yet, no
    went_well: str
    next_step: str


def _reminder(row: tuple) -> Reminder:  # type: ignore[type-arg]
    return Reminder(row[0], row[1], row[2], datetime.fromisoformat(row[3]), row[4])


class Agenda:
    def __init__(self, db: Database) -> None:
        self.db = db

    def schedule(self, client_id: str, kind: str, due: datetime, now: datetime) -> int:
        """One pending reminder of a kind per client: a new time replaces the old."""
        self.cancel(client_id, kind)
        cursor = self.db.execute(
            "INSERT INTO reminders (client_id, kind, due_at, created_at) VALUES (?, ?, ?, ?)",
            (client_id, kind, _iso(due), _iso(now)),
        )
        return int(cursor.lastrowid or 0)

    def record(self, client_id: str, kind: str, now: datetime) -> int:
        """A reminder that goes out by other means right now (a professional's
        invitation), so its buttons work like a reminder's."""
        cursor = self.db.execute(
            "INSERT INTO reminders (client_id, kind, due_at, status, created_at, sent_at) "
            "VALUES (?, ?, ?, 'sent', ?, ?)",
            (client_id, kind, _iso(now), _iso(now), _iso(now)),
        )
        return int(cursor.lastrowid or 0)

    def cancel(self, client_id: str, kind: str | None = None) -> None:
        sql = (
            "UPDATE reminders SET status = 'cancelled' WHERE client_id = ? AND status = 'pending'"
        )
        params: tuple[str, ...] = (client_id,)
        if kind is not None:
            sql, params = sql + " AND kind = ?", (client_id, kind)
        self.db.execute(sql, params)

    def pending(self, client_id: str | None = None) -> list[Reminder]:
        sql = "SELECT id, client_id, kind, due_at, status FROM reminders WHERE status = 'pending'"
        rows = (
            self.db.execute(sql + " AND client_id = ?", (client_id,))
            if client_id
            else (self.db.execute(sql))
        )
        return [_reminder(row) for row in rows]

    def next_deliverable(self) -> datetime | None:
        """The first moment something could be sent: due and not leased (or leased until
        then). One indexed read, for the reminder tick's common case: nothing to do."""
        row = self.db.execute(
            "SELECT min(max(due_at, coalesce(lease_until, ''))) FROM reminders "
            "WHERE status = 'pending'"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def deliverable(self, now: datetime, limit: int) -> list[Reminder]:
        rows = self.db.execute(
            "SELECT id, client_id, kind, due_at, status FROM reminders "
            "WHERE status = 'pending' AND due_at <= ? "
            "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at, id LIMIT ?",
            (_iso(now), _iso(now), limit),
        )
        return [_reminder(row) for row in rows]

    def lease(self, reminder_id: int, owner: str, until: datetime, now: datetime) -> bool:
        """Hold a reminder while sending it; False when someone else holds it."""
        cursor = self.db.execute(
            "UPDATE reminders SET lease_until = ?, leased_by = ? WHERE id = ? "
            "AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)",
            (_iso(until), owner, reminder_id, _iso(now)),
        )
        return cursor.rowcount == 1

    def confirm_sent(self, reminder_id: int, now: datetime) -> None:
        """Telegram accepted it: only now is it sent."""
        self.db.execute(
            "UPDATE reminders SET status = 'sent', sent_at = ?, lease_until = NULL, "
            "leased_by = '' WHERE id = ? AND status = 'pending'",
            (_iso(now), reminder_id),
        )

    def send_failed(self, reminder_id: int, now: datetime, backoff: Sequence[timedelta]) -> bool:
        """A send failed for good this time: wait the next step of `backoff` and try
        again, or give up when every step was tried. True when it will be tried again."""
        row = self.db.execute(
            "SELECT attempts FROM reminders WHERE id = ? AND status = 'pending'", (reminder_id,)
        ).fetchone()
        if row is None:
            return False
        if row[0] >= len(backoff):
            self.db.execute(
                "UPDATE reminders SET status = 'dropped', lease_until = NULL, leased_by = '', "
                "attempts = attempts + 1 WHERE id = ?",
                (reminder_id,),
            )
            return False
        self.db.execute(
            "UPDATE reminders SET attempts = attempts + 1, lease_until = ?, leased_by = '' "
            "WHERE id = ?",
            (_iso(now + backoff[row[0]]), reminder_id),
        )
        return True

    def release_leases(self, owner: str) -> int:
        """At start: leases of earlier runs died with them; what they held is due again.
        A back-off (no owner) stays."""
        cursor = self.db.execute(
            "UPDATE reminders SET lease_until = NULL, leased_by = '' "
            "WHERE status = 'pending' AND leased_by NOT IN ('', ?)",
            (owner,),
        )
        return cursor.rowcount

    def drop(self, reminder_id: int) -> None:
        self.db.execute("UPDATE reminders SET status = 'dropped' WHERE id = ?", (reminder_id,))

    def move(self, reminder_id: int, due: datetime) -> None:
        self.db.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (_iso(due), reminder_id))

    def get(self, reminder_id: int) -> Reminder | None:
        row = self.db.execute(
            "SELECT id, client_id, kind, due_at, status FROM reminders WHERE id = ?",
            (reminder_id,),
        ).fetchone()
        return _reminder(row) if row else None

    def history(self, client_id: str, limit: int = 20) -> list[Reminder]:
        rows = self.db.execute(
            "SELECT id, client_id, kind, due_at, status FROM reminders WHERE client_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (client_id, limit),
        )
        return [_reminder(row) for row in rows]

    # The client's rhythm -------------------------------------------------------------

    def rhythm(self, client_id: str) -> Rhythm:
        row = self.db.execute(
            "SELECT reminders_off, checkin_hours, remap_weeks FROM clients WHERE id = ?",
            (client_id,),
        ).fetchone()
        return Rhythm(bool(row[0]), row[1], row[2]) if row else Rhythm(True, 24, 6)

    def set_rhythm(self, client_id: str, **values: int) -> None:
        allowed = {"reminders_off", "checkin_hours", "remap_weeks"}
        for column, value in values.items():
            if column in allowed:
                self.db.execute(
                    f"UPDATE clients SET {column} = ? WHERE id = ?", (value, client_id)
                )

    # Check-ins ------------------------------------------------------------------------

    def add_checkin(self, client_id: str, outcome: str, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO checkins (client_id, at, outcome) VALUES (?, ?, ?)",
            (client_id, _iso(now), outcome),
        )

    def update_checkin(self, client_id: str, **values: str) -> None:
        latest = self.db.execute(
            "SELECT max(id) FROM checkins WHERE client_id = ?", (client_id,)
        ).fetchone()[0]
        for column in ("outcome", "went_well", "next_step"):
            if column in values and latest is not None:
                self.db.execute(
                    f"UPDATE checkins SET {column} = ? WHERE id = ?", (values[column], latest)
                )

    def checkins(self, client_id: str, limit: int = 10) -> list[Checkin]:
        rows = self.db.execute(
            "SELECT at, outcome, went_well, next_step FROM checkins WHERE client_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (client_id, limit),
        )
        return [Checkin(*row) for row in rows]
