"""Several processes on one database file: a running bot and admin commands wait for
each other instead of failing; a second bot is refused at start."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.botapi import BotApiServer
from tests.support.durability import ROOT, admin_during_chats, bot_env, start_bot, stop_bot
from tests.support.telegram_bot import TelegramClient, running_bot


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def test_admin_commands_while_the_bot_runs_all_succeed(
    server: BotApiServer, tmp_path: Path
) -> None:
    figures = await admin_during_chats(server, tmp_path, tries=16, parallel=8, clients=3)
    assert figures.failed == 0
    assert figures.unanswered == 0


async def test_a_second_bot_on_the_same_database_is_refused_with_a_clear_message(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    first = await start_bot(server, db)
    try:
        ans = server.user(1001, "Ans")
        await ans.send_command("/start")
        await ans.wait_for_messages(1, timeout=20)
        second = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=bot_env(server, db),
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(second.communicate(), 20)
        assert second.returncode == 1
        assert "already running" in err.decode()
        assert first.returncode is None  # the first one goes on
    finally:
        await stop_bot(first)


async def test_a_message_that_cannot_be_stored_gets_try_again_and_is_taken_when_sent_again(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    ans = TelegramClient(server, server.user(1001, "Ans"))
    async with running_bot(server, db) as app:
        await ans.start()
        app.bot_data["engine"].store.db.execute("PRAGMA busy_timeout = 200")
        other = sqlite3.connect(db, isolation_level=None)  # another process's write lock
        other.execute("BEGIN IMMEDIATE")
        try:
            await ans.user.send_command("/help")
            [reply] = await ans.user.wait_for_messages(1, timeout=5)
            assert reply.plain_text == "Dat lukte even niet. Probeer het zo nog eens."
        finally:
            other.execute("ROLLBACK")
            other.close()
        again = await ans.say("/help", keyboard=False)
        assert "nog eens" not in again[-1].plain_text


async def test_two_terminals_of_one_client_both_finish(tmp_path: Path) -> None:
    db = tmp_path / "steunkaart.db"
    env = {**os.environ, "STEUNKAART_DB": str(db), "TELEGRAM_BOT_TOKEN": ""}
    script = ("1\n" * 6 + "Ans\n1\nKim\n2\n/hulp\n" * 5).encode()

    async def terminal() -> tuple[int, bytes]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "chat",
            env=env,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await process.communicate(script)
        return process.returncode or 0, err

    results = await asyncio.gather(terminal(), terminal(), terminal())
    assert [code for code, _ in results] == [0, 0, 0], [err.decode()[-500:] for _, err in results]
