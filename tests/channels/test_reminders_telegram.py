"""Reminders and check-ins as a Telegram user sees them, across bot restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store.repository import Store
from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import TelegramClient, running_bot

ANS = 1001


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def consented(person: TelegramClient) -> None:
    await person.start()
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Nee", "Sla over", "Sla over", "Verder"):
        await person.press(label)


def schedule(db: Path, kind: str, due: datetime, client: str = f"tg:{ANS}") -> None:
    store = Store.open(db)
    with store.atomic():
        store.agenda.schedule(client, kind, due, datetime.now(UTC))
    store.close()


async def test_an_overdue_reminder_is_sent_once_after_start_and_not_after_a_restart(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    ans = TelegramClient(server, server.user(ANS, "Ans"))
    async with running_bot(server, db):
        await consented(ans)
    # Fell due while the bot was down; the quiet hours are irrelevant for a past
    # moment at noon, so pick a daytime due moment.
    schedule(db, "ask", datetime.now(UTC) - timedelta(minutes=5))
    async with running_bot(server, db):
        await server.wait_for(lambda: "Je had een plan voor vandaag." in ans.last_text, 5)
        ans.user.unread()
        shown = await ans.press("Laat zien")
        assert "Je hebt nog geen vraag geoefend" in shown[0].plain_text
    async with running_bot(server, db):
        await asyncio.sleep(0.6)  # several reminder ticks
    sent = [
        m.plain_text for m in ans.user.messages if m.plain_text == "Je had een plan voor vandaag."
    ]
    assert len(sent) == 1


async def test_a_check_in_arrives_and_is_answered_in_telegram(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    ans = TelegramClient(server, server.user(ANS, "Ans"))
    async with running_bot(server, db):
        await consented(ans)
        schedule(db, "checkin", datetime.now(UTC) - timedelta(seconds=1))
        await server.wait_for(lambda: ans.last_text.startswith("Hoe ging het?"), 5)
        await ans.press("Vertellen")
        assert "Is het gelukt" in ans.last_text
        await ans.press("Een beetje")
        await ans.say("We hebben even gebeld")
        await ans.press("Zo doorgaan")
        assert "Ik heb het bewaard" in ans.last_text
    store = Store.open(db)
    checkin = store.agenda.checkins(f"tg:{ANS}")[0]
    store.close()
    assert (checkin.outcome, checkin.went_well) == ("partly", "We hebben even gebeld")


async def test_many_reminders_due_at_once_all_arrive_once(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    people = [TelegramClient(server, server.user(5000 + n, f"P{n}")) for n in range(40)]
    async with running_bot(server, db):
        await asyncio.gather(*(consented(p) for p in people))
        store = Store.open(db)
        due = datetime.now(UTC) - timedelta(seconds=1)
        with store.atomic():
            for person in people:
                store.agenda.schedule(f"tg:{person.user.chat_id}", "ask", due, due)
        store.close()
        await server.wait_for(
            lambda: all(p.last_text == "Je had een plan voor vandaag." for p in people), 15
        )
        await asyncio.sleep(0.5)
    for person in people:
        texts = [m.plain_text for m in person.user.messages]
        assert texts.count("Je had een plan voor vandaag.") == 1
