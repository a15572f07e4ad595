"""Backups that hold everything, restores that cannot mix old and new, and a database
version check before any migration.

A copy of the live file alone misses what is still in the `-wal` file, and a restore
beside a stale `-wal` corrupts the result; so a backup goes through SQLite's online
backup API (a consistent snapshot, while the bot runs), and a restore removes the
`-wal`/`-shm` of the file it replaces while it holds the bot lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.store.lock import AlreadyRunning, bot_lock
from bot.store.schema import migrate, migrations


class BackupError(RuntimeError):
    """A backup or restore that would not be sound; the message says why, for people."""


class NewerDatabase(BackupError):
    """The database was written by a newer version of Steunkaart."""


def sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _integrity(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def backup(db: Database, target: Path) -> Path:
    """A consistent copy of the open database at `target` (mode 600), checked."""
    target = target.expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    for path in (part, *sidecars(part)):
        path.unlink(missing_ok=True)
    os.close(os.open(part, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    copy = sqlite3.connect(part)
    try:
        db.conn.backup(copy)
        # One self-contained file: no -wal beside the backup.
        copy.execute("PRAGMA journal_mode = DELETE")
        result = _integrity(copy)
    finally:
        copy.close()
    if result != "ok":
        part.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {result}")
    os.replace(part, target)
    target.chmod(0o600)
    return target


def check_version(db: Database, where: str) -> None:
    """Refuse a database that recorded migrations this code does not know."""
    # sqlite-utils keeps the registered migrations in a private list; the names are
    # ours (bot/store/schema.py), so reading them is safe.
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise NewerDatabase(
            f"{where} was made by a newer version of Steunkaart (it has {unknown[-1]}). "
            "Update Steunkaart before using it; nothing was changed."
        )


def upgrade(db: Database, path: Path | None) -> Path | None:
    """Apply pending migrations; an existing database is backed up first. Returns the
    backup, if one was made."""
    check_version(db, str(path or "the database"))
    pending = migrations.pending(db)
    made: Path | None = None
    if pending and path is not None and migrations.applied(db):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        made = backup(db, path.with_name(f"{path.name}.before-{pending[0].name}-{stamp}"))
    migrate(db)
    return made


def restore(source: Path, target: Path) -> None:
    """Put a backup in place of the database. Refused while a bot runs on it."""
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    checked = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        result = _integrity(checked)
        check_version(Database(checked), str(source))
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a Steunkaart database: {error}") from None
    finally:
        checked.close()
    if result != "ok":
        raise BackupError(f"{source} failed its integrity check: {result}")
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(bot_lock(target))
        except AlreadyRunning:
            raise BackupError(
                f"a bot is running on {target}: stop it first, then restore"
            ) from None
        part = target.with_name(target.name + ".restore")
        source_db = Database(sqlite3.connect(f"file:{source}?mode=ro", uri=True))
        try:
            backup(source_db, part)
        finally:
            source_db.close()
        for stale in sidecars(target):
            stale.unlink(missing_ok=True)  # a stale -wal over the restored file corrupts it
        os.replace(part, target)
        target.chmod(0o600)
