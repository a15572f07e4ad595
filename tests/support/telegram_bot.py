"""The real bot (python-telegram-bot `Application` + our engine) against the loopback
Bot API server, and a Telegram user who talks to it turn by turn."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from telegram.ext import Application

from bot.channels.telegram import build_application
from bot.engine import Engine
from bot.i18n import renderer
from bot.model import Settings
from bot.reminders import QuietHours
from bot.store.repository import Store
from tests.support.botapi import BotApiServer, BotMessage, SimulatedUser

QUIET = 0.05


@asynccontextmanager
async def running_bot(
    server: BotApiServer,
    db_path: Path,
    settings: Settings | None = None,
    reminder_tick: float = 0.2,
    organisation: str = "",
) -> AsyncIterator[Application]:
    """Start the bot on `db_path`; stop it cleanly on exit (a restart is a new block)."""
    # No quiet hours here: these tests run at any hour; quiet hours are tested with a
    # controlled clock in tests/test_reminders.py.
    store = Store.open(db_path, QuietHours(time(0), time(0)))
    engine = Engine(store, renderer(), settings or Settings())
    app = build_application(
        engine, server.token, server.url, reminder_tick=reminder_tick, organisation=organisation
    )
    await app.initialize()
    if app.post_init:  # run_polling() does this; we start the parts by hand
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, drop_pending_updates=False)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        store.close()


@dataclass
class TelegramClient:
    """A Telegram user: each action returns the bot's new messages for that turn."""

    server: BotApiServer
    user: SimulatedUser

    async def settle(self, keyboard: bool = True, timeout: float = 5.0) -> list[BotMessage]:
        user = self.user
        start = len(user.messages)

        def done() -> bool:
            new = user.messages[start:]
            if not new:
                return False
            return not keyboard or bool(new[-1].buttons)

        try:
            await self.server.wait_for(done, timeout)
        except TimeoutError:
            if keyboard and len(user.messages) > start:
                pass  # a turn that ends without a question (pause, stop, stale press)
            else:
                raise
        await asyncio.sleep(QUIET)
        return user.unread()

    async def start(self, payload: str | None = None) -> list[BotMessage]:
        await self.user.send_command("/start", payload)
        return await self.settle()

    async def start_soon(self) -> None:
        """/start without waiting for the answer (the bot may be down right now)."""
        await self.user.send_command("/start")
        with contextlib.suppress(TimeoutError):
            await self.settle(timeout=3.0)

    async def say(self, text: str, keyboard: bool = True) -> list[BotMessage]:
        await self.user.send_text(text)
        return await self.settle(keyboard)

    async def press(self, label: str, keyboard: bool = True) -> list[BotMessage]:
        await self.user.press_button(label)
        return await self.settle(keyboard)

    async def press_on(self, message: BotMessage, label: str) -> list[BotMessage]:
        """Tap a button on a given (not necessarily the latest) message."""
        await self.user.press(message.message_id, message.button_data(label))
        return await self.settle()

    @property
    def labels(self) -> list[str]:
        rows = self.user.last_keyboard() or []
        return [text for row in rows for text, _ in row]

    @property
    def last_text(self) -> str:
        message = self.user.last_message
        return (message.plain_text or "") if message else ""


def texts(messages: list[BotMessage]) -> str:
    return "\n".join(m.plain_text or "" for m in messages)


async def press_value(person: TelegramClient, value: str) -> list[BotMessage]:
    """Tap the button whose callback data carries `value` (the route script speaks in
    values; labels differ per language)."""
    message = person.user.last_message_with_keyboard()
    assert message is not None, "no keyboard to press"
    for row in message.buttons:
        for _, data in row:
            if data and data.split("|", 1)[-1] == value:
                await person.user.press(message.message_id, data)
                return await person.settle()
    raise KeyError(f"no button with value {value!r}: {message.buttons}")


def button_values(person: TelegramClient) -> list[str]:
    message = person.user.last_message_with_keyboard()
    rows = message.buttons if message else []
    return [data.split("|", 1)[-1] for row in rows for _, data in row if data]
