"""What every part of the benchmark gets: the sizes, the table, a temporary folder."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.process import tail
from bench.server import BenchServer
from bench.table import Table

FIRST_POLL_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Sizes:
    clients: int = 200  # simulated Telegram users for route and echo
    shipped_window: float = 15.0  # seconds of the route against the bot as shipped
    walk_budget: float = 120.0  # at most this long for the whole route (and for echo)
    engine_clients: int = 50
    engine_budget: float = 60.0
    startup_clients: int = 10_000
    fanout: int = 1_000
    fanout_through_tick: bool = True  # due after start: the reminder tick is measured
    summary_runs: int = 20


FULL = Sizes()
QUICK = Sizes(
    clients=10,
    shipped_window=3.0,
    walk_budget=20.0,
    engine_clients=10,
    engine_budget=10.0,
    startup_clients=500,
    fanout=50,
    fanout_through_tick=False,
    summary_runs=5,
)


def sizes(quick: bool, clients: int | None = None, budget: float | None = None) -> Sizes:
    chosen = QUICK if quick else FULL
    if clients is not None:
        chosen = replace(chosen, clients=clients)
    return chosen if budget is None else replace(chosen, walk_budget=budget)


@dataclass
class Context:
    sizes: Sizes
    table: Table
    folder: Path
    results: dict[str, float] = field(default_factory=dict)


async def first_poll(server: BenchServer, process: asyncio.subprocess.Process, log: Path) -> float:
    """Wait until the bot process polls; perf_counter() of its first getUpdates."""
    deadline = time.perf_counter() + FIRST_POLL_TIMEOUT
    while server.first_poll is None:
        if process.returncode is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}:\n{tail(log)}")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the bot did not poll within {FIRST_POLL_TIMEOUT}s:\n{tail(log)}")
        await asyncio.sleep(0.01)
    return server.first_poll
