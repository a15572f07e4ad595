"""Simulated Telegram users working through a script, each like a person: act, wait for
the bot's next question, act again. All users at the same time.

Latency of one turn = from the moment getUpdates hands the user's update to the bot
until the bot's next question (its message with buttons) reaches the server; the first
reply (sendMessage or editMessageText) is noted too. The wait before that (queued by
the user, not yet fetched by the bot) is kept apart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.script import Action
from bench.server import BenchServer
from tests.support.botapi import SimulatedUser

TURN_TIMEOUT = 90.0  # seconds one turn may take before the user gives up


@dataclass
class Walks:
    turns: list[float] = field(default_factory=list)  # served -> next question
    first_replies: list[float] = field(default_factory=list)  # served -> first reply
    queued: list[float] = field(default_factory=list)  # queued -> served
    finished: int = 0  # users who did every action
    stopped: int = 0  # users stopped by the time window
    timeouts: int = 0
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0

    @property
    def seconds(self) -> float:
        return max(self.ended - self.started, 1e-9)


async def _act(user: SimulatedUser, action: Action) -> None:
    if action.kind == "start":
        await user.send_command("/start")
    elif action.kind == "say":
        await user.send_text(action.text)
    else:
        await user.press_button(action.text)


async def walk(
    server: BenchServer,
    user: SimulatedUser,
    actions: Sequence[Action],
    walks: Walks,
    until: float,
) -> None:
    """Do `actions` one by one; stop starting new ones after perf_counter() `until`."""
    for action in actions:
        if time.perf_counter() >= until:
            walks.stopped += 1
            return
        turn = server.expect_turn(user.chat_id)
        try:
            await _act(user, action)
        except (KeyError, ValueError) as error:  # the button is not there: off script
            walks.errors.append(f"chat {user.chat_id}: {error}")
            return
        update_id = server.last_update[user.chat_id]
        try:
            arrived = await asyncio.wait_for(turn.question, TURN_TIMEOUT)
        except TimeoutError:
            walks.timeouts += 1
            return
        served = server.served_at.get(update_id)
        if served is not None:
            walks.turns.append(arrived - served)
            walks.first_replies.append((turn.first_reply or arrived) - served)
            walks.queued.append(served - server.queued_at[update_id])
    walks.finished += 1


async def walk_all(
    server: BenchServer, users: list[SimulatedUser], actions: Sequence[Action], window: float
) -> Walks:
    """Everyone walks at once; no new action starts after `window` seconds."""
    walks = Walks(started=time.perf_counter())
    until = walks.started + window
    await asyncio.gather(*(walk(server, user, actions, walks, until) for user in users))
    walks.ended = time.perf_counter()
    return walks
