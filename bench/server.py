"""The loopback Bot API server of the tests, with a stopwatch.

`BenchServer` notes when each update is queued by a simulated user and when getUpdates
hands it to the bot, counts the bot's calls per method, and wakes the one user whose
answer has arrived, instead of waking every waiting user on every change as
`BotApiServer.wait_for` does: with hundreds of users that would cost more CPU than the
bot under test.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.botapi import BotApiServer, BotMessage, SimulatedUser

JSON = dict[str, Any]
TOKEN = "424242:BENCH-TOKEN"


def _chat_of(content: JSON) -> int | None:
    if "message" in content:
        return int(content["message"]["chat"]["id"])
    if "callback_query" in content:
        return int(content["callback_query"]["from"]["id"])
    return None


@dataclass
class Turn:
    """What a user waits for after acting: perf_counter() of the bot's first reply
    (sendMessage or editMessageText) and of its next question (a message with buttons)."""

    first_reply: float | None = None
    question: asyncio.Future[float] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def replied(self, now: float, question: bool) -> None:
        if self.first_reply is None:
            self.first_reply = now
        if question and not self.question.done():
            self.question.set_result(now)


class BenchServer(BotApiServer):
    def __init__(self) -> None:
        super().__init__(TOKEN, record_calls=False)
        self.queued_at: dict[int, float] = {}
        self.served_at: dict[int, float] = {}
        self.last_update: dict[int, int] = {}  # chat -> its newest update id
        self.first_poll: float | None = None  # perf_counter() of the first getUpdates
        self.on_first_poll: Callable[[], None] | None = None
        self.arrivals: list[tuple[float, int]] = []  # (time.time(), chat) per message sent
        self.keep_arrivals = False
        self.methods: Counter[str] = Counter()  # the bot's calls, by method
        self._turns: dict[int, Turn] = {}

    # Users act --------------------------------------------------------------------------

    def queue_update(self, content: JSON) -> int:
        update_id = super().queue_update(content)
        self.queued_at[update_id] = time.perf_counter()
        chat = _chat_of(content)
        if chat is not None:
            self.last_update[chat] = update_id
        return update_id

    def expect_turn(self, chat_id: int) -> Turn:
        """Call before acting, so that a fast answer cannot be missed."""
        turn = self._turns[chat_id] = Turn()
        return turn

    # The bot calls ----------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        self.methods[request.match_info["method"].lower()] += 1
        return await super()._handle_api(request)

    async def _get_updates(self, p: Any) -> list[JSON]:
        if self.first_poll is None:
            self.first_poll = time.perf_counter()
            if self.on_first_poll is not None:
                self.on_first_poll()
        updates = await super()._get_updates(p)
        now = time.perf_counter()
        for update in updates:
            self.served_at.setdefault(update["update_id"], now)
        return updates

    def _deliver(self, user: SimulatedUser, record: BotMessage) -> JSON:
        result = super()._deliver(user, record)
        if self.keep_arrivals:
            self.arrivals.append((time.time(), user.chat_id))
        if (turn := self._turns.get(user.chat_id)) is not None:
            turn.replied(time.perf_counter(), question=bool(record.reply_markup))
        return result

    async def _edit_message_text(self, p: Any) -> JSON:
        result = await super()._edit_message_text(p)
        chat = p.get_int("chat_id")
        if (turn := self._turns.get(chat)) is not None:
            turn.replied(time.perf_counter(), question=False)
        return result

    def calls_per_update(self) -> float:
        """The bot's API calls (getUpdates not counted) per update it was handed."""
        calls = sum(self.methods.values()) - self.methods["getupdates"]
        return calls / max(len(self.served_at), 1)
