"""Crisis alerts as episodes with a delivery status, and the notices the administrator's
command line leaves for the running bot to send.

An alert is only `delivered` once Telegram accepted the message; one that had nobody to
go to, or that Telegram refused, is `undeliverable` and stays visible to the
administrator until they have seen it. Messages of one client within EPISODE_MINUTES
fold into the first alert (a count), so a professional gets one alert per episode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

EPISODE_MINUTES = 30


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    client_id: str
    professional_id: int | None
    label: str
    at: str
    last_at: str
    count: int
    status: str
    reason: str
    chat: str | None = None  # where it was delivered, and as which message
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    chat: str
    template: str
    context: dict[str, Any]
    locale: str
    options: tuple[tuple[str, str], ...] = ()  # (value, label key) of its buttons


_ALERT_COLUMNS = (
    "id, client_id, professional_id, label, at, last_at, count, status, reason, chat, message_id"
)


def undelivered_line(alerts: AlertLog) -> str | None:
    """One line for the administrator at start-up when crisis alerts did not arrive."""
    missed = alerts.unseen()
    if not missed:
        return None
    return (
        f"{len(missed)} crisis alert(s) did not reach a professional; see `steunkaart admin audit`"
    )


def missed_context(missed: list[Alert], reactivated: bool) -> dict[str, Any]:
    """What a professional is told about alerts that never reached them: how many, from
    whom (their own labels), since when."""
    return {
        "count": sum(a.count for a in missed),
        "labels": sorted({a.label for a in missed if a.label}),
        "first": missed[0].at,
        "reactivated": reactivated,
    }


class AlertLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _alerts(self, where: str, params: tuple[Any, ...]) -> list[Alert]:
        rows = self.db.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE {where}", params)
        return [Alert(*row) for row in rows]

    def _audit(self, actor: str, action: str, subject: str) -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor, action, subject) VALUES (?, ?, ?, ?)",
            (_iso(_now()), actor, action, subject),
        )

    # Episodes -------------------------------------------------------------------------------

    def get(self, alert_id: int) -> Alert | None:
        found = self._alerts("id = ?", (alert_id,))
        return found[0] if found else None

    def open_episode(self, client_id: str, deliverable: bool) -> Alert | None:
        """The alert this client's crisis message folds into, if any: one within the
        episode window that went (or is going) out, or that had nobody to go to while
        there still is nobody."""
        since = _iso(_now() - timedelta(minutes=EPISODE_MINUTES))
        status = "status != 'undeliverable'" if deliverable else "1 = 1"
        found = self._alerts(
            f"client_id = ? AND last_at >= ? AND {status} ORDER BY id DESC LIMIT 1",
            (client_id, since),
        )
        return found[0] if found else None

    def fold(self, alert: Alert) -> Alert:
        """Count one more crisis message in this episode; the alert as it is now."""
        self.db.execute(
            "UPDATE alerts SET count = count + 1, last_at = ? WHERE id = ?",
            (_iso(_now()), alert.id),
        )
        self._audit(alert.client_id, "crisis-alert-repeat", f"alert:{alert.id}")
        return self._alerts("id = ?", (alert.id,))[0]

    def start(self, client_id: str, professional_id: int | None, label: str) -> int:
        """A new episode whose message is about to be sent (status pending)."""
        moment = _iso(_now())
        cursor = self.db.execute(
            "INSERT INTO alerts (client_id, professional_id, label, at, last_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (client_id, professional_id, label, moment, moment),
        )
        return int(cursor.lastrowid or 0)

    def delivered(self, alert_id: int, chat: str = "", message_id: int | None = None) -> None:
        row = self.db.execute(
            "SELECT client_id, professional_id FROM alerts WHERE id = ?", (alert_id,)
        ).fetchone()
        if row is None:
            return  # erased meanwhile
        self.db.execute(
            "UPDATE alerts SET status = 'delivered', delivered_at = ?, chat = ?, message_id = ? "
            "WHERE id = ?",
            (_iso(_now()), chat or None, message_id, alert_id),
        )
        self._audit(row[0], "crisis-alert-delivered", f"professional:{row[1]} alert:{alert_id}")

    def undeliverable(
        self, client_id: str, professional_id: int | None, label: str, reason: str
    ) -> int:
        alert_id = self.start(client_id, professional_id, label)
        self.failed(alert_id, reason)
        return alert_id

    def failed(self, alert_id: int, reason: str) -> None:
        row = self.db.execute(
            "SELECT client_id, professional_id FROM alerts WHERE id = ?", (alert_id,)
        ).fetchone()
        if row is None:
            return
        self.db.execute(
            "UPDATE alerts SET status = 'undeliverable', reason = ? WHERE id = ?",
            (reason, alert_id),
        )
        who = f"professional:{row[1]}" if row[1] is not None else "nobody"
        self._audit(
            row[0], "crisis-alert-undeliverable", f"{who} alert:{alert_id} reason:{reason}"
        )

    # What the administrator and professionals are told ---------------------------------------

    def not_delivered(self, unconfirmed_after: timedelta = timedelta(minutes=5)) -> list[Alert]:
        """Alerts that did not reach anyone: refused or without recipient, and sends
        never confirmed (the bot stopped between storing and sending)."""
        before = _iso(_now() - unconfirmed_after)
        return self._alerts(
            "status = 'undeliverable' OR (status = 'pending' AND at < ?) ORDER BY id",
            (before,),
        )

    def unseen(self) -> list[Alert]:
        """Not delivered and not yet read by the administrator (`admin audit`)."""
        return [a for a in self.not_delivered() if a.id not in self._seen()]

    def _seen(self) -> set[int]:
        rows = self.db.execute("SELECT id FROM alerts WHERE seen_at IS NOT NULL")
        return {row[0] for row in rows}

    def mark_seen(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            self.db.execute("UPDATE alerts SET seen_at = ? WHERE id = ?", (_iso(_now()), alert.id))

    def missed_by(self, professional_id: int) -> list[Alert]:
        """Alerts meant for this professional that never reached them, not yet told."""
        return self._alerts(
            "professional_id = ? AND status = 'undeliverable' AND reported_at IS NULL ORDER BY id",
            (professional_id,),
        )

    def mark_reported(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            self.db.execute(
                "UPDATE alerts SET reported_at = ? WHERE id = ?", (_iso(_now()), alert.id)
            )

    def recent(self, client_id: str, days: int = 7) -> list[Alert]:
        since = _iso(_now() - timedelta(days=days))
        return self._alerts("client_id = ? AND at >= ? ORDER BY id", (client_id, since))


# A notice's context may carry message ids the bot deletes in that chat before sending it
# (the summaries of a client the administrator erased).
DELETE_KEY = "_delete"


class Outbox:
    """Notices for the running bot to send, written by whoever has no Telegram connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(
        self,
        chat: str,
        template: str,
        context: dict[str, Any],
        locale: str,
        due: datetime | None = None,
        options: tuple[tuple[str, str], ...] = (),
    ) -> int:
        now = _now()
        cursor = self.db.execute(
            "INSERT INTO notices (chat, template, context, locale, options, created_at, due_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                chat,
                template,
                json.dumps(context, ensure_ascii=False),
                locale,
                json.dumps(options),
                _iso(now),
                _iso((due or now).astimezone(UTC)),
            ),
        )
        return int(cursor.lastrowid or 0)

    def any_due(self) -> bool:
        """One indexed read: the common case each tick, with no transaction."""
        row = self.db.execute(
            "SELECT 1 FROM notices WHERE status = 'pending' AND due_at <= ? LIMIT 1",
            (_iso(_now()),),
        ).fetchone()
        return row is not None

    def claim(self, limit: int = 50) -> list[Notice]:
        """Due notices, marked as being sent so the next tick does not take them too."""
        rows = self.db.execute(
            "SELECT id, chat, template, context, locale, options FROM notices "
            "WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (_iso(_now()), limit),
        ).fetchall()
        for row in rows:
            self.db.execute("UPDATE notices SET status = 'sending' WHERE id = ?", (row[0],))
        return [
            Notice(r[0], r[1], r[2], json.loads(r[3]), r[4], tuple(map(tuple, json.loads(r[5]))))
            for r in rows
        ]

    def done(self, notice_id: int, sent: bool) -> None:
        self.db.execute(
            "UPDATE notices SET status = ?, sent_at = ? WHERE id = ?",
            ("sent" if sent else "failed", _iso(_now()), notice_id),
        )

    def status(self, notice_id: int) -> str | None:
        row = self.db.execute("SELECT status FROM notices WHERE id = ?", (notice_id,)).fetchone()
        return row[0] if row else None

    def failed(self) -> list[tuple[int, str, str]]:
        rows = self.db.execute(
            "SELECT id, chat, template FROM notices WHERE status = 'failed' ORDER BY id"
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]
