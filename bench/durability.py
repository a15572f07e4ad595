"""`python -m bench.durability`: the figures of "nothing lost, nothing left behind".

Real processes against real SQLite files on this machine (a Bot API server on
127.0.0.1, bots started with `python -m bot run`, admin commands as separate
processes), in a temporary folder removed afterwards:

- reminders lost and doubled when the bot is killed with SIGKILL during a burst of
  due reminders (default 1,000 reminders, 10 kills);
- the residue of an erase (by the client, and by `admin erase` from another process)
  made while the bot keeps running (hits of the erased words in the raw bytes of the
  database, -wal and -shm);
- admin commands (export, audit, list, add), each its own process, while the bot
  runs and stores what clients type (default 100, 10 at a time).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path

from tests.support.botapi import BotApiServer
from tests.support.durability import admin_during_chats, erase_residue, reminders_under_kills


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.durability", description=__doc__)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--admin", type=int, default=100, help="admin commands to run")
    parser.add_argument("--parallel", type=int, default=10, help="admin commands at a time")
    return parser


async def _main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="steunkaart-durability-") as folder:
        root = Path(folder)
        for name in ("kills", "admin"):
            (root / name).mkdir()
        async with BotApiServer() as server:
            kills = await reminders_under_kills(server, root / "kills", args.reminders, args.kills)
        print(
            f"reminders: {kills.reminders} due, {kills.kills} kills -9 -> "
            f"lost {kills.lost}, doubled {kills.doubled} ({kills.seconds:.0f} s)"
        )
        for how, by_admin in (("/wissen", False), ("admin erase", True)):
            folder = root / f"erase-{by_admin}"
            folder.mkdir()
            async with BotApiServer() as server:
                after, before = await erase_residue(server, folder, by_admin)
            print(
                f"{how} while the bot runs: {before} hits of the words before, "
                f"{sum(after.values())} after in db + -wal + -shm"
            )
        async with BotApiServer() as server:
            admin = await admin_during_chats(server, root / "admin", args.admin, args.parallel)
        print(
            f"admin commands during a running bot: {admin.tries} tries ({args.parallel} at a "
            f"time), {admin.failed} failed; {admin.messages} client messages, "
            f"{admin.unanswered} unanswered ({admin.seconds:.0f} s)"
        )


def main() -> None:
    # A killed bot drops its connections to the Bot API server on purpose: not news.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    asyncio.run(_main(_parser().parse_args()))


if __name__ == "__main__":
    main()
