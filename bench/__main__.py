"""`python -m bench`: how many clients one bot serves, how fast, in how much memory.

Prints one table: per part a header, then per figure its target, the measured value and
OK / MISSED ("info" for figures without a target). Everything runs on this machine:
bots as separate processes against a Bot API server on 127.0.0.1, databases in a
temporary folder that is removed afterwards. Exit status 1 only when a part failed to
run; a missed target is a finding, not a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.context import Context, sizes
from bench.engine_only import engine
from bench.fanout import fanout
from bench.route import echo, route
from bench.startup import startup
from bench.stop import stop
from bench.summary import summary
from bench.table import Table

Part = Callable[[Context], Awaitable[None]]
PARTS: dict[str, Part] = {
    "route": route,
    "echo": echo,
    "engine": engine,
    "startup": startup,
    "fanout": fanout,
    "summary": summary,
    "stop": stop,
}
PART_BUDGET = 400.0  # seconds, plus three walk budgets: no part runs longer, whatever happens


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, help="simulated Telegram users (default 200)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", choices=sorted(PARTS), help="run one part")
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds the users may walk per bot before they stop (default 120, quick 20)",
    )
    return parser


async def _run(parts: list[str], context: Context) -> None:
    table = context.table
    limit = PART_BUDGET + 3 * context.sizes.walk_budget
    for name in parts:
        try:
            await asyncio.wait_for(PARTS[name](context), limit)
        except Exception as error:  # one broken part must not hide the others' figures
            traceback.print_exc(file=sys.stderr)
            table.error(name, f"{type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.clients is not None and args.clients < 1:
        raise SystemExit("--clients must be at least 1")
    if args.budget is not None and not 1 <= args.budget <= 3600:
        raise SystemExit("--budget must be between 1 and 3600 seconds")
    chosen = sizes(args.quick, args.clients, args.budget)
    parts = [args.only] if args.only else list(PARTS)
    table = Table()
    print(
        f"Steunkaart benchmark ({'quick' if args.quick else 'full'}): {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, parts: {', '.join(parts)}"
    )
    table.begin()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="steunkaart-bench-") as folder:
        context = Context(chosen, table, Path(folder))
        asyncio.run(_run(parts, context))
    table.end()
    print(f"total {time.perf_counter() - began:.0f}s")
    return 1 if table.errors else 0


if __name__ == "__main__":
    sys.exit(main())
