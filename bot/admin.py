"""`steunkaart admin ...`: what the organisation's administrator does from a terminal.

Professionals (add with a single-use registration code, list, deactivate with a
handover to a colleague, reactivate, remove),
data requests (export, erase), research exports (egor CSV, GraphML), the resource
catalogue check, removing inactive clients, reading the audit log, backup and restore.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import codes, handover
from bot.catalogue import CatalogueError, load_catalogue
from bot.config import Config
from bot.engine_privacy import erasure_notices
from bot.store.alerts import DELETE_KEY
from bot.store.backup import BackupError, backup, restore
from bot.store.export import export_client
from bot.store.repository import Store


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    admin = commands.add_parser("admin", help="administration: professionals, data, exports")
    admin.add_argument("--db", type=Path, help="SQLite file (default: STEUNKAART_DB)")
    sub = admin.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add-professional", help="add a professional; prints a registration code")
    add.add_argument("name")
    add.add_argument("--lang", choices=("nl", "en"), default="nl")
    sub.add_parser("professionals", help="list professionals")
    for action in ("deactivate", "activate", "remove"):
        one = sub.add_parser(f"{action}-professional", help=f"{action} a professional")
        one.add_argument("id", type=int)
        if action == "deactivate":
            one.add_argument("--to", type=int, help="hand their clients over to this professional")
    export = sub.add_parser("export", help="export one client (JSON) or all maps (egor, graphml)")
    export.add_argument("--client", action="append", help="client id (repeatable)")
    export.add_argument("--format", choices=("json", "egor", "graphml"), default="json")
    export.add_argument("--out", type=Path, help="folder for egor/graphml files")
    export.add_argument(
        "--with-names",
        action="store_true",
        help="egor/graphml: keep contacts' first names and exact times (stays inside)",
    )
    erase = sub.add_parser("erase", help="erase everything about a client")
    erase.add_argument("--client", required=True)
    resources = sub.add_parser("resources", help="check the resource catalogue file")
    resources.add_argument("--file", type=Path, help="default: STEUNKAART_RESOURCES")
    purge = sub.add_parser("purge-inactive", help="erase clients inactive for N days")
    purge.add_argument("--days", type=int, required=True)
    sub.add_parser("audit", help="print the audit log")
    check = sub.add_parser(
        "crisis-check", help="how the bot responds to messages, one per line: crisis/ask/none"
    )
    check.add_argument("file", nargs="?", default="-", help="a text file, or - for stdin")
    check.add_argument(
        "--labelled", action="store_true", help="JSON or CSV with text and label: print figures"
    )
    save = sub.add_parser(
        "backup", help="a checked copy of the database (also while the bot runs)"
    )
    save.add_argument("path", type=Path)
    back = sub.add_parser("restore", help="put a backup in place (stop the bot first)")
    back.add_argument("path", type=Path)


def run(args: argparse.Namespace, config: Config) -> int:
    if args.action == "resources":
        return _resources(args.file or config.catalogue_path)
    if args.action == "crisis-check":
        from bot.safety import verdicts  # no database needed

        return verdicts.run(args.file, args.labelled)
    db_path = args.db or config.db_path
    try:
        if args.action == "restore":
            restore(args.path, db_path)
            print(f"restored {args.path} to {db_path}")
            return 0
        reading = args.action in READING or (args.action == "export" and args.format == "json")
        store = Store.open_for_reading(db_path) if reading else Store.open(db_path)
        try:
            if args.action == "backup":
                # Outside a write transaction: the running bot goes on meanwhile.
                print(f"backup written to {backup(store.db, args.path)}")
                return 0
            with store.atomic():
                return ACTIONS[args.action](store, args, config)
        finally:
            store.close()
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1


def _add(store: Store, args: argparse.Namespace, config: Config) -> int:
    professional, code = store.care.add_professional(args.name)
    store.db.execute(
        "UPDATE professionals SET locale = ? WHERE id = ?", (args.lang, professional.id)
    )
    print(f"professional {professional.id}: {professional.name}")
    print(f"registration code (single use, {codes.REGISTER_DAYS} days): {code}")
    if config.bot_username:
        print(f"deep link: {codes.deep_link(config.bot_username, code)}")
    else:
        print(f"in Telegram: /start {code}   (set STEUNKAART_BOT_USERNAME for a deep link)")
    return 0


def _list(store: Store, args: argparse.Namespace, config: Config) -> int:
    for p in store.care.professionals():
        state = "active" if p.active else "inactive"
        registered = "registered" if p.chat_id else "not registered"
        clients = len(store.care.clients_of(p.id))
        print(f"{p.id}\t{p.name}\t{state}\t{registered}\t{clients} clients")
    return 0


def _deactivate(store: Store, args: argparse.Namespace, config: Config) -> int:
    try:
        done = handover.deactivate(store, args.id, args.to)
    except handover.HandoverError as error:
        print(error, file=sys.stderr)
        return 1
    count = len(done.labels)
    if done.colleague is not None:
        print(f"{count} clients handed over to {done.colleague.id}: {done.colleague.name}")
    else:
        print(f"{count} clients unlinked; they are told that alerts go nowhere until they link")
    print("the running bot sends the messages")
    return 0


def _activate(store: Store, args: argparse.Namespace, config: Config) -> int:
    try:
        missed = handover.reactivate(store, args.id)
    except handover.HandoverError as error:
        print(error, file=sys.stderr)
        return 1
    if missed:
        print(f"{missed} crisis alerts did not reach them while away; they are told")
    print("done")
    return 0


def _remove(store: Store, args: argparse.Namespace, config: Config) -> int:
    return _found(store.care.remove_professional(args.id), args.id)


def _found(ok: bool, professional_id: int) -> int:
    if not ok:
        print(f"no professional {professional_id}", file=sys.stderr)
        return 1
    print("done")
    return 0


def _export(store: Store, args: argparse.Namespace, config: Config) -> int:
    if args.format == "json":
        if not args.client or len(args.client) != 1:
            print("--client ID is needed for a JSON export", file=sys.stderr)
            return 2
        data = export_client(store, args.client[0])
        if data is None:
            print(f"no client {args.client[0]!r}", file=sys.stderr)
            return 1
        if not store.audit_reading("admin", "export", args.client[0]):
            print(UNAUDITED, file=sys.stderr)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from bot.store.research import export_egor, export_graphml

    out = args.out or Path(f"steunkaart-{args.format}")
    writer = export_egor if args.format == "egor" else export_graphml
    paths = writer(store, out, args.client, args.with_names)
    names = " with-names" if args.with_names else ""
    action = f"export-{args.format}{names}"
    store.care.audit("admin", action, ",".join(args.client or ["all"]))
    for path in paths:
        print(path)
    return 0


def _erase(store: Store, args: argparse.Namespace, config: Config) -> int:
    if store.load_profile(args.client) is None:
        print(f"no client {args.client!r}", file=sys.stderr)
        return 1
    # The professional's chat is told, and recent summaries there deleted, by the
    # running bot: this process has no Telegram connection (see Outbox).
    told = erasure_notices(store, args.client, datetime.now(UTC))
    store.erase(args.client, "admin")
    for say in told:
        if say.to:
            context = {**say.context, DELETE_KEY: list(say.delete)}
            store.outbox.put(say.to, say.template, context, say.locale or "nl")
    print("erased")
    return 0


def _purge(store: Store, args: argparse.Namespace, config: Config) -> int:
    before = (datetime.now(UTC) - timedelta(days=args.days)).isoformat(timespec="seconds")
    rows = store.db.execute(
        "SELECT id FROM clients WHERE coalesce(last_seen_at, created_at) < ?", (before,)
    ).fetchall()
    for (client_id,) in rows:
        store.erase(client_id, "admin", "erase-inactive")
    print(f"erased {len(rows)} clients inactive for more than {args.days} days")
    return 0


def _audit(store: Store, args: argparse.Namespace, config: Config) -> int:
    missed = store.alerts.not_delivered()
    if missed:
        # First what needs the administrator: a crisis alert that reached nobody.
        print(f"CRISIS ALERTS NOT DELIVERED: {len(missed)}")
        for alert in missed:
            who = f"professional:{alert.professional_id}" if alert.professional_id else "nobody"
            why = alert.reason or "not confirmed by Telegram"
            print(f"{alert.at}\t{alert.client_id}\t{who}\t{why}\t{alert.count}x")
        print()
        store.alerts.mark_seen(missed)
    failed = store.outbox.failed()
    if failed:
        print(f"MESSAGES NOT DELIVERED: {len(failed)}")
        for notice_id, chat, template in failed:
            print(f"notice:{notice_id}\t{chat}\t{template}")
        print()
    for row in store.care.audit_log():
        print("\t".join(row))
    return 0


def _resources(path: Path) -> int:
    try:
        catalogue = load_catalogue(path)
    except (CatalogueError, OSError) as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    print(f"{path}: {len(catalogue)} resources, all fine")
    return 0


# Actions that only read: they work on a read-only disk too.
READING = {"professionals", "audit"}
UNAUDITED = "Note: the database is read-only, so this export is not in its audit log."

ACTIONS = {
    "add-professional": _add,
    "professionals": _list,
    "deactivate-professional": _deactivate,
    "activate-professional": _activate,
    "remove-professional": _remove,
    "export": _export,
    "erase": _erase,
    "purge-inactive": _purge,
    "audit": _audit,
}
