"""Parts "route" and "echo": many Telegram users at once against a bot process.

route: every user does the whole client route (the script is first checked against the
engine, see bench/script.py), against `python -m bot run` as shipped and against the
same bot with Telegram's overall 30 messages/s limit lifted (bench/run_bot.py).
echo: the same number of users each send as many messages to the echo bot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import fixtures, script
from bench.context import Context, first_poll
from bench.process import bot_env, cpu_seconds, memory, running
from bench.script import FINAL_STATE, Action
from bench.server import BenchServer
from bench.table import Line, mb, ms, percentile
from bench.walk import Walks, walk_all

ROUTE_ABOUT = (
    "N Telegram users at once through the whole route, the bot as a separate process "
    "on a fresh database"
)
LATENCY_NOTE = (
    "turn = from getUpdates handing the user's update to the bot until the bot's next "
    "question (its message with buttons) reaches the server; first reply = until its first "
    "sendMessage/editMessageText; the wait before that, queued but not yet fetched, apart"
)
SHIPPED_NOTE = (
    "as shipped, AIORateLimiter lets the whole bot make 30 chat calls a second "
    "(sendMessage and the editMessageText that confirms a press count alike): that "
    "limit sets these figures; only {window:.0f}s of the route, then the users stop"
)
LIFTED_NOTE = (
    "lifted: bench/run_bot.py, the same `steunkaart run` with the 30/s limit lifted: what "
    "the process itself can do; at most {budget:.0f}s, then the users stop"
)
ECHO_ABOUT = (
    "the echo bot (bench/echo_bot.py, PTB defaults) as a process, the same N users each "
    "sending as many messages as the route has actions, one after another"
)


@dataclass
class Served:
    walks: Walks
    updates: int
    peak_rss: int | None
    busy: float  # share of one CPU the bot process used while the users walked
    calls: float  # the bot's API calls per update
    at_the_end: int  # users whose stored state is the end of the route

    @property
    def per_second(self) -> float:
        return self.updates / self.walks.seconds


async def serve(
    ctx: Context, module: str, args: list[str], actions: Sequence[Action], window: float, name: str
) -> Served:
    db, log = ctx.folder / f"{name}.db", ctx.folder / f"{name}.log"
    async with BenchServer() as server:
        users = [server.user(fixtures.chat_id(n), f"Client{n}") for n in range(ctx.sizes.clients)]
        env = bot_env(server.url, server.token, db)
        async with running(module, args, env, log) as process:
            await first_poll(server, process, log)
            cpu = cpu_seconds(process.pid)
            walks = await walk_all(server, users, actions, window)
            busy = (cpu_seconds(process.pid) - cpu) / walks.seconds
            peak = memory(process.pid).get("VmHWM")
        updates, calls = len(server.served_at), server.calls_per_update()
    return Served(walks, updates, peak, busy, calls, _at_the_end(db))


def _at_the_end(db: Path) -> int:
    try:
        connection = sqlite3.connect(str(db))
        try:
            row = connection.execute(
                "SELECT count(*) FROM sessions WHERE state = ?", (FINAL_STATE,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return 0
    return int(row[0])


def _figures(label: str, served: Served) -> list[Line]:
    walks = served.walks
    return [
        Line(f"{label} updates/s", "-", f"{served.per_second:,.1f}/s", None),
        Line(f"{label} turn p50 / p95", "-", _pair(walks.turns, 0.5, 0.95), None),
        Line(f"{label} turn p99", "-", ms(percentile(walks.turns, 0.99)), None),
        Line(f"{label} first reply p50 / p95", "-", _pair(walks.first_replies, 0.5, 0.95), None),
        Line(f"{label} queued -> fetched p50", "-", ms(percentile(walks.queued, 0.5)), None),
        Line(f"{label} bot API calls per update", "-", f"{served.calls:.2f}", None),
        Line(f"{label} bot CPU (share of one core)", "-", f"{served.busy:.0%}", None),
        Line(f"{label} peak RSS of the bot", "-", mb(served.peak_rss), None),
    ]


def _pair(values: list[float], low: float, high: float) -> str:
    return f"{ms(percentile(values, low))} / {ms(percentile(values, high))}".replace(" ms /", " /")


def _trouble(walks: Walks) -> str:
    if walks.errors:
        return f"{len(walks.errors)} users off script, e.g. {walks.errors[0]}"
    return f"{walks.timeouts} turns timed out" if walks.timeouts else ""


async def route(ctx: Context) -> None:
    table, n = ctx.table, ctx.sizes.clients
    table.part("route", ROUTE_ABOUT.replace("N ", f"{n} ", 1))
    actions = script.record()
    table.note(f"script: {len(actions)} actions a user, checked against the engine first")
    table.note(LATENCY_NOTE)
    window = ctx.sizes.shipped_window
    table.note(SHIPPED_NOTE.format(window=window))
    shipped = await serve(ctx, "bot", ["run"], actions, window, "route-shipped")
    for line in _figures("shipped:", shipped):
        table.add(line)
    budget = ctx.sizes.walk_budget
    table.note(LIFTED_NOTE.format(budget=budget))
    lifted = await serve(ctx, "bench.run_bot", [], actions, budget, "route-lifted")
    done = lifted.walks.finished
    table.add(Line(f"lifted: users done within {budget:.0f}s", f"{n}", f"{done}", done == n))
    for line in _figures("lifted:", lifted):
        table.add(line)
    note = (
        f"lifted: {lifted.updates:,} updates in {lifted.walks.seconds:.1f}s; "
        f"{lifted.at_the_end} users stored at the route's end"
    )
    if done < n:
        whole = n * len(actions) / lifted.per_second
        note += f"; all {n} through the whole route would take ~{whole:.0f}s at this rate"
    table.note(note)
    for trouble in (_trouble(shipped.walks), _trouble(lifted.walks)):
        if trouble:
            table.note(trouble)
    ctx.results["route_per_second"] = lifted.per_second
    ctx.results["route_calls_per_second"] = lifted.per_second * lifted.calls
    ctx.results["route_actions"] = len(actions)


async def echo(ctx: Context) -> None:
    table, n = ctx.table, ctx.sizes.clients
    table.part("echo", ECHO_ABOUT.replace("N ", f"{n} ", 1))
    count = int(ctx.results.get("route_actions", len(script.ROUTE)))
    actions = tuple(Action("say", f"Bericht {number}") for number in range(1, count + 1))
    budget = ctx.sizes.walk_budget
    served = await serve(ctx, "bench.run_echo", [], actions, budget, "echo")
    done = served.walks.finished
    table.add(Line(f"echo: users done within {budget:.0f}s", f"{n}", f"{done}", done == n))
    for line in _figures("echo:", served):
        if not any(word in line.what for word in ("p99", "queued", "first reply")):
            table.add(line)
    if trouble := _trouble(served.walks):
        table.note(trouble)
    ours = ctx.results.get("route_per_second")
    if ours is None:
        table.note("no ratio: the route part did not run (--only echo)")
        return
    ratio = ours / served.per_second
    table.add(Line("route (lifted) / echo updates/s", ">= 0.70", f"{ratio:.2f}", ratio >= 0.7))
    calls = ctx.results["route_calls_per_second"] / (served.per_second * served.calls)
    table.add(Line("route (lifted) / echo API calls/s", "-", f"{calls:.2f}", None))
