"""The lease-and-confirm loop of reminder delivery on a real SQLite file: a reminder is
sent until Telegram accepted it, taken over after a restart, retried with a back-off."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.engine import Engine
from bot.i18n import renderer
from bot.model import CONSENT_VERSION, Profile, Settings
from bot.reminders import QuietHours
from bot.store.repository import Store
from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import running_bot

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
NO_QUIET = QuietHours(time(0), time(0))


def bot_run(db: Path) -> Engine:
    """One run of the bot: a new engine on the file, as after a (re)start."""
    return Engine(Store.open(db, NO_QUIET), renderer(), Settings())


def one_due(db: Path) -> None:
    store = Store.open(db)
    with store.atomic():
        store.create_client(Profile("tg:1", consent_at=NOW))
        store.agenda.schedule("tg:1", "ask", NOW, NOW - timedelta(days=1))
    store.close()


def status(db: Path) -> str:
    store = Store.open(db)
    try:
        return store.agenda.history("tg:1")[0].status
    finally:
        store.close()


def test_a_leased_reminder_is_not_sent_twice_by_one_run_but_again_after_a_restart(
    tmp_path: Path,
) -> None:
    db = tmp_path / "steunkaart.db"
    one_due(db)
    first = bot_run(db)
    [reply] = first.due_reminders(NOW)
    assert reply.reminder is not None and reply.to == "tg:1"
    assert first.due_reminders(NOW + timedelta(minutes=1)) == []  # leased, being sent
    assert status(db) == "pending"  # not sent until Telegram said so
    first.store.close()  # killed before Telegram answered

    second = bot_run(db)
    assert second.resume_reminders() == 1
    [again] = second.due_reminders(NOW + timedelta(minutes=1))
    assert again.reminder == reply.reminder
    second.reminder_sent(again.reminder)
    assert status(db) == "sent"
    second.store.close()
    third = bot_run(db)
    third.resume_reminders()
    assert third.due_reminders(NOW + timedelta(hours=1)) == []
    third.store.close()


def test_a_refused_send_waits_longer_each_time_then_gives_up(tmp_path: Path) -> None:
    db = tmp_path / "steunkaart.db"
    one_due(db)
    engine = bot_run(db)
    moment, waits = NOW, []
    while True:
        replies = engine.due_reminders(moment)
        if not replies:
            break
        if not engine.reminder_failed(replies[0].reminder or 0):
            break
        # Not due again right away, and due again after its back-off.
        row = engine.store.db.execute("SELECT lease_until FROM reminders").fetchone()
        retry = datetime.fromisoformat(row[0])
        assert engine.due_reminders(retry - timedelta(seconds=1)) == []
        waits.append(retry - datetime.now(UTC))
        moment = retry
    engine.store.close()
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2]
    assert status(db) == "dropped"


async def test_a_reminder_telegram_refuses_stays_due_with_a_back_off(tmp_path: Path) -> None:
    db = tmp_path / "steunkaart.db"
    store = Store.open(db)
    now = datetime.now(UTC)
    with store.atomic():
        store.create_client(Profile("tg:1001", consent_at=now, consent_version=CONSENT_VERSION))
        store.agenda.schedule("tg:1001", "ask", now - timedelta(seconds=1), now)
    store.close()
    async with BotApiServer() as server:
        ans = server.user(1001, "Ans")
        server.fail_next("sendMessage", 400, description="Bad Request: something odd")
        async with running_bot(server, db):
            await asyncio.sleep(1.0)  # several ticks: tried once, then waiting
        assert ans.messages == []
    [row] = Store.open(db).db.execute("SELECT status, attempts, lease_until FROM reminders")
    status, attempts, retry_at = row
    assert (status, attempts) == ("pending", 1)
    assert datetime.fromisoformat(retry_at) > now + timedelta(minutes=4)
