"""Part "stop": how long `steunkaart run` takes to stop after SIGTERM.

Twice: with the Bot API answering (a stop in order), and with the Bot API gone silent
while three clients wait for an answer (every call hangs, as when the network to
Telegram is down). Measured from sending SIGTERM to the process having exited.
"""

from __future__ import annotations

import asyncio
import signal
import time

from bench.context import Context, first_poll
from bench.process import bot_env, running
from bench.server import BenchServer
from bench.table import Line

SECONDS = 5.0
CLIENTS = 3


async def stop(ctx: Context) -> None:
    ctx.table.part("stop", "SIGTERM to `python -m bot run`, until the process has exited")
    for silent in (False, True):
        seconds = await _stop_time(ctx, silent)
        what = "Bot API silent, 3 clients waiting" if silent else "Bot API answering"
        ctx.table.add(
            Line(f"stop: {what}", f"< {SECONDS:.0f} s", f"{seconds:.2f} s", seconds < SECONDS)
        )


async def _stop_time(ctx: Context, silent: bool) -> float:
    name = "silent" if silent else "answering"
    db, log = ctx.folder / f"stop-{name}.db", ctx.folder / f"stop-{name}.log"
    async with (
        BenchServer() as server,
        running("bot", ["run"], bot_env(server.url, server.token, db), log) as bot,
    ):
        await first_poll(server, bot, log)
        if silent:
            server.delay_next("*", 120, times=10_000)
            for n in range(CLIENTS):
                await server.user(7000 + n, f"S{n}").send_command("/start")
            await server.wait_for(lambda: server.methods["sendmessage"] > 0, 10)
        began = time.perf_counter()
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 60)
        return time.perf_counter() - began
