"""The summary a professional prepares a conversation with, through Telegram: label in
bold at the top, date and map number, the picture's caption; and gone from the
professional's chat when the client erases everything."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.model import Session
from bot.store.repository import Store
from tests.channels.test_deactivation_telegram import linked_client, professional
from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import TelegramClient, running_bot, texts


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def summary_sent(server: BotApiServer, db: Path) -> tuple[TelegramClient, TelegramClient]:
    """Sanne and her client AB (1001), who has one person on the map and has just sent
    Sanne the summary (text and picture)."""
    sanne = await professional(server, db, 900, "Sanne")
    ans = await linked_client(server, sanne, 1001)
    await ans.press("Verder")
    await ans.press("Beginnen")
    await ans.say("Kees")
    await ans.press("Vrienden")
    store = Store.open(db)
    with store.atomic():
        store.save_session("tg:1001", Session("overview.show", prompt=1000))
    store.close()
    await ans.start()
    await ans.press("Klaar")
    await ans.press("Ja, stuur het")
    await server.wait_for(lambda: any(m.kind == "photo" for m in sanne.user.messages), 5)
    await server.wait_for(lambda: "Samenvatting" in sanne.last_text, 5)
    return sanne, ans


async def test_the_summary_names_client_map_and_date_and_leaves_on_erasure(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    async with running_bot(server, db):
        sanne, ans = await summary_sent(server, db)
        photo = next(m for m in sanne.user.messages if m.kind == "photo")
        assert photo.caption is not None and photo.caption.startswith("AB · kaart 1 · ")
        summary = next(m for m in sanne.user.messages if "Samenvatting" in (m.plain_text or ""))
        assert (summary.text or "").startswith("<b>AB</b>\nSamenvatting Steunkaart · ")
        body = summary.plain_text or ""
        assert "0×" not in body and "(0%)" not in body and "UTC" not in body
        assert "• Op de kaart: Kees (vrienden)\n" in body  # one bullet per line
        with sqlite3.connect(db) as connection:
            kept = connection.execute("SELECT count(*) FROM summary_messages").fetchone()[0]
        assert kept == 2  # the picture and the text

        await ans.say("/wissen")
        await ans.press("Ja, wis alles", keyboard=False)
        await server.wait_for(lambda: "laten wissen" in sanne.last_text, 5)
        assert "uit deze chat gehaald" in sanne.last_text
        shown = texts(sanne.user.messages)  # messages not deleted
        assert "Samenvatting Steunkaart" not in shown
        assert not any(m.kind == "photo" for m in sanne.user.messages)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM summary_messages").fetchone()[0] == 0


async def test_an_erasure_by_the_administrator_also_takes_the_summaries_away(
    server: BotApiServer, tmp_path: Path
) -> None:
    """`admin erase` runs without Telegram: the running bot tells the professional and
    deletes the summary messages, as after the client's own /wissen."""
    from bot.__main__ import main

    db = tmp_path / "s.db"
    async with running_bot(server, db):
        sanne, _ = await summary_sent(server, db)

        assert main(["admin", "--db", str(db), "erase", "--client", "tg:1001"]) == 0
        await server.wait_for(lambda: "laten wissen" in sanne.last_text, 5)
        assert "uit deze chat gehaald" in sanne.last_text
        assert "Samenvatting Steunkaart" not in texts(sanne.user.messages)
        assert not any(m.kind == "photo" for m in sanne.user.messages)
