"""Part "fanout": N reminders due at the same second, sent by the running bot.

N consented clients (bench/fixtures.py); the bot runs as shipped (`python -m bot run`,
quiet hours off) with its rate limiter. Once it polls, N check-in reminders are stored
due a few seconds later; measured from that due moment until the last reminder reaches
the server, so the bot's reminder tick (REMINDER_TICK, 20 s) is part of the figure.
Every chat must get exactly one message: none lost, none doubled.
"""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime

from bench import fixtures
from bench.context import Context, first_poll
from bench.process import bot_env, memory, running
from bench.server import BenchServer
from bench.table import Line, mb
from bot.store.repository import Store

TARGET = 40.0
LEAD = 3  # seconds between storing the reminders and their due moment
WAIT = 120.0  # at most this long after the due moment
SETTLE = 1.0  # after the last one: time for a double to show up


def _schedule(ctx: Context, count: int, due: datetime) -> None:
    store = Store.open(ctx.folder / "fanout.db", fixtures.NO_QUIET)
    try:
        with store.atomic():
            now = datetime.now(UTC)
            for number in range(count):
                store.agenda.schedule(fixtures.client_id(number), "checkin", due, now)
    finally:
        store.close()


def _due_in(seconds: int) -> datetime:
    """A whole second (reminders are stored to the second): `seconds` or a bit more ahead,
    or, for 0, the second that has just begun (due at once)."""
    now = time.time()
    return datetime.fromtimestamp((math.ceil(now) + seconds) if seconds else math.floor(now), UTC)


async def fanout(ctx: Context) -> None:
    table, count = ctx.table, ctx.sizes.fanout
    table.part("fanout", f"{count:,} reminders due at the same moment, sent by the bot process")
    db, log = ctx.folder / "fanout.db", ctx.folder / "fanout.log"
    fixtures.build(db, count)
    through_tick = ctx.sizes.fanout_through_tick
    due = None if through_tick else _due_in(0)
    if due is not None:
        _schedule(ctx, count, due)
        table.note("quick: due as the bot starts; its first tick (0.5 s in) sends them")
    else:
        table.note(f"due {LEAD}s after the bot's first poll: the reminder tick wait counts")
    async with BenchServer() as server:
        for number in range(count):
            server.user(fixtures.chat_id(number), f"Client{number}")
        server.keep_arrivals = True
        async with running("bot", ["run"], bot_env(server.url, server.token, db), log) as bot:
            await first_poll(server, bot, log)
            if due is None:
                due = _due_in(LEAD)
                _schedule(ctx, count, due)
            await _all_arrived(server, count, due.timestamp() + WAIT)
            peak = memory(bot.pid).get("VmHWM")
        _report(ctx, server, count, due.timestamp(), peak)


async def _all_arrived(server: BenchServer, count: int, deadline: float) -> None:
    while len({chat for _, chat in server.arrivals}) < count and time.time() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(SETTLE)


def _report(ctx: Context, server: BenchServer, count: int, due: float, peak: int | None) -> None:
    table = ctx.table
    per_chat = [server.message_count(fixtures.chat_id(n)) for n in range(count)]
    lost = per_chat.count(0)
    doubled = sum(1 for value in per_chat if value > 1)
    times = sorted(moment for moment, _ in server.arrivals)
    if times:
        last, first = times[-1] - due, times[0] - due
        table.add(
            Line(
                "fanout: due -> last one arrived",
                f"<= {TARGET:.0f} s",
                f"{last:.1f} s",
                last <= TARGET and not lost,
            )
        )
        table.add(Line("fanout: due -> first one (tick wait)", "-", f"{first:.1f} s", None))
        spread = max(times[-1] - times[0], 1e-9)
        table.add(
            Line(
                "fanout: sending rate first -> last",
                "~30/s (limit)",
                f"{(len(times) - 1) / spread:.1f}/s" if len(times) > 1 else "n/a",
                None,
            )
        )
    else:
        table.add(Line("fanout: due -> last one arrived", f"<= {TARGET:.0f} s", "none", False))
    table.add(Line("fanout: lost", "0", str(lost), lost == 0))
    table.add(Line("fanout: doubled", "0", str(doubled), doubled == 0))
    table.add(Line("fanout: peak RSS of the bot", "-", mb(peak), None))
