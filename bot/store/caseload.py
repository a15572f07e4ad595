"""A professional's clients at a glance, sorted by need: first a recent crisis alert,
then a check-in that did not work out, then no activity for long, then the rest.

Only what the professional may see: dates, results and the step, never the client's
words. Read from the store per request; a caseload is tens of clients, not thousands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.store.care import ClientRow

RECENT_ALERT = timedelta(days=7)
RECENT_CHECKIN = timedelta(days=14)
QUIET_FOR_LONG = timedelta(days=14)
# Need, most urgent first; the template names each group.
ALERT, CHECKIN_FAILED, INACTIVE, REST = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class ClientCard:
    row: ClientRow
    need: int
    alert_at: str | None  # the latest alert in the last week
    alert_count: int  # messages folded into it
    last_summary_at: str | None
    checkin_outcome: str | None
    checkin_at: str | None
    alert_consent: bool
    next_kind: str | None  # the next planned reminder
    next_at: str | None


def _need(card: dict[str, object], now: datetime) -> int:
    def since(moment: object, window: timedelta) -> bool:
        return isinstance(moment, str) and datetime.fromisoformat(moment) >= now - window

    if since(card["alert_at"], RECENT_ALERT):
        return ALERT
    if card["checkin_outcome"] == "no" and since(card["checkin_at"], RECENT_CHECKIN):
        return CHECKIN_FAILED
    if not since(card["last_seen"], QUIET_FOR_LONG):
        return INACTIVE
    return REST


def caseload(db: Database, professional_id: int, rows: list[ClientRow]) -> list[ClientCard]:
    now = datetime.now(UTC)
    cards = []
    for row in rows:
        client = row.client_id
        alert = db.execute(
            "SELECT at, count FROM alerts WHERE client_id = ? AND at >= ? ORDER BY id DESC",
            (client, (now - RECENT_ALERT).isoformat(timespec="seconds")),
        ).fetchone()
        summary = db.execute(
            "SELECT max(at) FROM shared_summaries WHERE client_id = ? AND professional_id = ?",
            (client, professional_id),
        ).fetchone()
        checkin = db.execute(
            "SELECT outcome, at FROM checkins WHERE client_id = ? ORDER BY id DESC LIMIT 1",
            (client,),
        ).fetchone()
        consent = db.execute(
            "SELECT alert_consent FROM clients WHERE id = ?", (client,)
        ).fetchone()
        upcoming = db.execute(
            "SELECT kind, due_at FROM reminders WHERE client_id = ? AND status = 'pending' "
            "ORDER BY due_at LIMIT 1",
            (client,),
        ).fetchone()
        facts: dict[str, object] = {
            "alert_at": alert[0] if alert else None,
            "checkin_outcome": checkin[0] if checkin else None,
            "checkin_at": checkin[1] if checkin else None,
            "last_seen": row.last_seen_at,
        }
        cards.append(
            ClientCard(
                row=row,
                need=_need(facts, now),
                alert_at=alert[0] if alert else None,
                alert_count=alert[1] if alert else 0,
                last_summary_at=summary[0] if summary else None,
                checkin_outcome=checkin[0] if checkin else None,
                checkin_at=checkin[1] if checkin else None,
                alert_consent=bool(consent and consent[0]),
                next_kind=upcoming[0] if upcoming else None,
                next_at=upcoming[1] if upcoming else None,
            )
        )
    # Most urgent group first; within it the latest alert first, otherwise by label.
    return sorted(cards, key=_order)


def _order(card: ClientCard) -> tuple[int, float, str]:
    latest = datetime.fromisoformat(card.alert_at).timestamp() if card.alert_at else 0.0
    return (card.need, -latest, card.row.label.casefold())
