"""The `steunkaart` command: run the bot, chat in the terminal, export, administer."""

from __future__ import annotations

import argparse
import errno
import io
import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from bot import admin
from bot.app import build_engine
from bot.channels.console import Console
from bot.config import Config
from bot.i18n import LOCALES
from bot.store.alerts import undelivered_line
from bot.store.backup import BackupError
from bot.store.export import export_client
from bot.store.lock import AlreadyRunning, bot_lock
from bot.store.repository import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="steunkaart", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the Telegram bot, or the terminal route")
    run.add_argument("--db", type=Path, help="SQLite file (default: STEUNKAART_DB)")

    chat = commands.add_parser("chat", help="the client route in this terminal")
    chat.add_argument("--db", type=Path, help="SQLite file (default: STEUNKAART_DB)")
    chat.add_argument("--client", default="local", help="client id (default: local)")
    chat.add_argument("--lang", choices=LOCALES, help="language of a new client")

    export = commands.add_parser("export", help="print everything stored about a client")
    export.add_argument("--client", required=True)
    export.add_argument("--db", type=Path)
    admin.add_parser(commands)
    return parser


def _config(args: argparse.Namespace) -> Config:
    config = Config.from_env()
    if getattr(args, "db", None):
        config = replace(config, db_path=args.db)
    if getattr(args, "lang", None):
        config = replace(config, locale=args.lang)
    return config


def typed_lines() -> Iterator[str]:
    """Lines typed at a prompt, until Ctrl-D."""
    while True:
        try:
            yield input("› ")
        except EOFError:
            return


def chat(config: Config, client_id: str) -> int:
    engine = build_engine(config)
    # Bytes that are not UTF-8 (a pasted file, another terminal encoding) become "?"
    # marks rather than end the session.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")
    interactive = sys.stdin.isatty()
    console = Console(engine, client_id, sys.stdout, echo=not interactive)
    try:
        console.run(typed_lines() if interactive else sys.stdin)
    except KeyboardInterrupt:
        pass
    finally:
        engine.store.close()
    return 0


def run(config: Config) -> int:
    store = Store.open(config.db_path)
    try:
        line = undelivered_line(store.alerts)
    finally:
        store.close()
    if line:
        # For the administrator who starts the bot: a crisis alert reached nobody.
        print(line, file=sys.stderr)
    if not config.token:
        # For whoever starts the program (stderr), not part of the conversation.
        print(
            f"No TELEGRAM_BOT_TOKEN: the route runs here, stored in {config.db_path}.",
            file=sys.stderr,
        )
        return chat(config, "local")
    from bot.channels.telegram import run_bot  # Telegram only loads when it is used

    try:
        with bot_lock(config.db_path):
            return run_bot(config)
    except AlreadyRunning:
        print(
            f"Another Steunkaart bot is already running on {config.db_path}. "
            "Stop that one first; one database serves one bot.",
            file=sys.stderr,
        )
        return 1


def export(config: Config, client_id: str) -> int:
    """Everything about one client as JSON; audited like every export."""
    store = Store.open_for_reading(config.db_path)
    try:
        with store.atomic():
            data = export_client(store, client_id)
            audited = data is not None and store.audit_reading("terminal", "export", client_id)
    finally:
        store.close()
    if data is None:
        print(f"No client {client_id!r} in {config.db_path}", file=sys.stderr)
        return 1
    if not audited:
        print(UNAUDITED, file=sys.stderr)
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


UNAUDITED = "Note: the database is read-only, so this export is not in its audit log."


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = _config(args)
    try:
        return _command(args, config)
    except BackupError as error:  # a newer database, or an old one on a read-only disk
        print(error, file=sys.stderr)
        return 1
    except (sqlite3.OperationalError, OSError) as error:
        full = getattr(error, "errno", None) == errno.ENOSPC or "disk is full" in str(error)
        if not full:
            raise
        print(
            f"The disk holding {config.db_path} is full. Nothing that was confirmed is lost; "
            "free some space and start again.",
            file=sys.stderr,
        )
        return 1


def _command(args: argparse.Namespace, config: Config) -> int:
    if args.command == "chat":
        return chat(config, args.client)
    if args.command == "export":
        return export(config, args.client)
    if args.command == "admin":
        return admin.run(args, config)
    return run(config)


if __name__ == "__main__":
    sys.exit(main())
