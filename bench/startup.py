"""Part "startup": `steunkaart run` on a big database, until it asks Telegram for updates.

The database holds N clients who finished the route (8 contacts with all ratings, ties,
a goal, barriers, a plan) and N reminders due in the coming weeks, written with direct
SQL (bench/fixtures.py). Measured: from starting the process to its first getUpdates
reaching the server, and its resident memory at that moment.
"""

from __future__ import annotations

import time

from bench import fixtures
from bench.context import Context, first_poll
from bench.process import bot_env, memory, running
from bench.server import BenchServer
from bench.table import Line, mb

SECONDS = 2.0
MEGABYTES = 150


async def startup(ctx: Context) -> None:
    table, count = ctx.table, ctx.sizes.startup_clients
    table.part("startup", f"`python -m bot run` on {count:,} clients with full maps")
    db, log = ctx.folder / "startup.db", ctx.folder / "startup.log"
    began = time.perf_counter()
    fixtures.build(db, count, pending_reminders=True)
    size = db.stat().st_size
    table.note(
        f"database: {count:,} clients, {count:,} pending reminders, {size / 2**20:.0f} MB, "
        f"written in {time.perf_counter() - began:.1f}s"
    )
    async with BenchServer() as server:
        rss: dict[str, int] = {}
        pid: list[int] = []
        server.on_first_poll = lambda: rss.update(memory(pid[0]) if pid else {})
        started = time.perf_counter()
        async with running("bot", ["run"], bot_env(server.url, server.token, db), log) as bot:
            pid.append(bot.pid)
            polled = await first_poll(server, bot, log)
    seconds = polled - started
    resident = rss.get("VmRSS")
    table.add(
        Line(
            "startup: start -> first getUpdates",
            f"< {SECONDS:.0f} s",
            f"{seconds:.2f} s",
            seconds < SECONDS,
        )
    )
    ok = resident is not None and resident < MEGABYTES * 2**20
    table.add(Line("startup: RSS at first getUpdates", f"< {MEGABYTES} MB", mb(resident), ok))
