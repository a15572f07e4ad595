"""The real `steunkaart run` process against the loopback Bot API server, killed with
SIGKILL mid-route and started again: nothing acknowledged is lost, everyone continues."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.model import Settings
from bot.store.repository import Store
from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import TelegramClient

CLIENTS = 4
NAMES = [f"Vriend{n}" for n in range(6)]


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def start_bot(server: BotApiServer, db: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.url,
        "STEUNKAART_DB": str(db),
        "PTB_TIMEDELTA": "true",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


ANSWERS = [  # (words in the latest question, what the client does)
    ("Dit hebben we afgesproken", "Verder"),
    ("computerprogramma", "Verder"),
    ("Wat bewaar ik?", "Ik snap het"),
    ("Mag ik je antwoorden bewaren?", "Ja, dat mag"),
    ("seintje", "Nee"),
    ("huisarts", "Sla over"),
    ("Wie zijn belangrijk", "Beginnen"),
    ("Is dit iemand anders?", "Nee, dezelfde"),
    ("Waar ken je", "Familie"),
]


async def turn(person: TelegramClient, acknowledged: list[str]) -> bool:
    """One answer to the latest question, like a person would; False when all is done."""
    question = person.user.last_message_with_keyboard()
    text = (question.plain_text or "") if question else ""
    for name in NAMES:
        # "staat al op je lijst": stored before a kill took the confirmation away.
        stored = f"{name} staat op je lijst" in text or f"{name} staat al op je lijst" in text
        if stored and name not in acknowledged:
            acknowledged.append(name)
    todo = [n for n in NAMES if n not in acknowledged]
    if not todo:
        return False
    if "Wat is de voornaam" in text or "Nog iemand" in person.labels:
        await person.say(todo[0])
        return True
    for words, label in ANSWERS:
        if words in text:
            await person.press(label)
            return True
    await person.start()
    return True


async def resilient_walk(person: TelegramClient, acknowledged: list[str]) -> None:
    """Answer turn by turn across kills: when the bot is gone, wait, then /start."""
    await person.start_soon()
    for _ in range(200):
        try:
            if not await turn(person, acknowledged):
                return
        except (TimeoutError, KeyError, ValueError):
            await asyncio.sleep(0.2)
            await person.start_soon()
    tail = [(m.plain_text or "")[:60] + str(m.buttons)[:80] for m in person.user.messages[-6:]]
    raise AssertionError(f"chat {person.user.chat_id} never finished: {acknowledged} {tail}")


async def test_kill_minus_nine_mid_route_loses_nothing(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    people = [TelegramClient(server, server.user(3000 + n, f"P{n}")) for n in range(CLIENTS)]
    acknowledged: dict[int, list[str]] = {p.user.chat_id: [] for p in people}
    rng = random.Random(7)
    bot = await start_bot(server, db)
    walks = asyncio.gather(*(resilient_walk(p, acknowledged[p.user.chat_id]) for p in people))
    try:
        for _ in range(3):
            await asyncio.sleep(rng.uniform(0.8, 2.0))
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            bot = await start_bot(server, db)
        await asyncio.wait_for(walks, 120)
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
    store = Store.open(db)
    try:
        for person in people:
            route = store.load(f"tg:{person.user.chat_id}", Settings())
            assert route is not None
            stored = [c.name for c in route.contacts]
            for name in acknowledged[person.user.chat_id]:
                assert name in stored, (person.user.chat_id, name, stored)
            assert stored == NAMES, "every client finished, each answer stored once"
    finally:
        store.close()


async def stop_time(bot: asyncio.subprocess.Process) -> float:
    loop = asyncio.get_running_loop()
    started = loop.time()
    bot.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(bot.wait(), 30)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    return loop.time() - started


async def test_sigterm_stops_within_five_seconds_when_telegram_does_not_answer(
    server: BotApiServer, tmp_path: Path
) -> None:
    """Telegram goes silent mid-conversation (every call hangs): a stop must not wait
    for the time-outs and retries of the sends on their way."""
    person = TelegramClient(server, server.user(3100, "P"))
    bot = await start_bot(server, tmp_path / "steunkaart.db")
    await server.wait_for(lambda: server.get_updates_calls > 0, 15)
    server.delay_next("*", 120, times=1000)
    for _ in range(3):
        await person.user.send_command("/start")
    await server.wait_for(lambda: len(server.calls_to("sendMessage")) >= 1, 10)
    assert await stop_time(bot) < 5.0


async def test_sigterm_stops_within_five_seconds_while_starting_without_telegram(
    server: BotApiServer, tmp_path: Path
) -> None:
    server.delay_next("getMe", 120, times=100)
    bot = await start_bot(server, tmp_path / "steunkaart.db")
    await server.wait_for(lambda: len(server.calls_to("getMe")) >= 1, 15)
    assert await stop_time(bot) < 5.0
