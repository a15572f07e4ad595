"""Backup and restore with real processes on real files; the version check."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.store.backup import NewerDatabase
from bot.store.repository import Store
from bot.store.schema import migrations
from tests.support.botapi import BotApiServer
from tests.support.durability import (
    ERASED_WORDS,
    FIRST_CHAT,
    ROOT,
    start_bot,
    stop_bot,
    write_a_route,
)


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


LATER_CHANGE_THEN_KILLED = """
import os, signal, sys
from bot.store.repository import Store
store = Store.open(sys.argv[1])
with store.atomic():
    store.db.execute("DELETE FROM contacts")
os.kill(os.getpid(), signal.SIGKILL)
"""


def admin(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEUNKAART_DB": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "admin", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


def names_in(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM contacts ORDER BY id")]
    finally:
        conn.close()


async def test_backup_while_the_bot_runs_then_restore_over_a_stale_wal(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    saved = tmp_path / "backups" / "nightly.db"
    someone = server.user(FIRST_CHAT + 1, "Iemand")
    bot = await start_bot(server, db)
    try:
        await someone.send_command("/start")
        await someone.wait_for_messages(1, timeout=20)
        write_a_route(db, f"tg:{FIRST_CHAT}")  # still in the -wal the bot keeps open
        made = admin(db, "backup", str(saved))
        assert made.returncode == 0, made.stderr
        assert saved.stat().st_mode & 0o777 == 0o600
        assert names_in(saved) == list(ERASED_WORDS[:3])
        assert not Path(f"{saved}-wal").exists()  # one self-contained file

        refused = admin(db, "restore", str(saved))
        assert refused.returncode == 1 and "stop it first" in refused.stderr
    finally:
        # Killed: its -wal stays behind, stale for the backup about to replace the file.
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    # A later change, and a process killed before it could fold its -wal back.
    subprocess.run(
        [sys.executable, "-c", LATER_CHANGE_THEN_KILLED, str(db)], cwd=ROOT, check=False
    )
    assert Path(f"{db}-wal").stat().st_size > 0

    restored = admin(db, "restore", str(saved))
    assert restored.returncode == 0, restored.stderr
    assert names_in(db) == list(ERASED_WORDS[:3])
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    bot = await start_bot(server, db)
    await stop_bot(bot)


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    result = admin(tmp_path / "steunkaart.db", "restore", str(junk))
    assert result.returncode == 1 and "not a Steunkaart database" in result.stderr


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "steunkaart.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('steunkaart', 'm999_from_the_future', '2027-01-01')"
    )
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(NewerDatabase):
        Store.open(db)
    result = admin(db, "audit")
    assert result.returncode == 1 and "newer version of Steunkaart" in result.stderr
    assert db.read_bytes() == before


def test_a_migration_is_preceded_by_a_backup_of_the_old_database(tmp_path: Path) -> None:
    db = tmp_path / "steunkaart.db"
    old = Database(db)
    migrations.apply(old, stop_before="m006_i12_reminder_lease")
    old.execute("INSERT INTO clients (id, created_at) VALUES ('tg:1', '2026-01-01')")
    old.conn.commit()
    old.close()
    Store.open(db).close()
    [made] = tmp_path.glob("steunkaart.db.before-m006_i12_reminder_lease-*")
    assert made.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT id FROM clients").fetchall() == [("tg:1",)]
    columns = [row[1] for row in conn.execute("PRAGMA table_info(reminders)")]
    assert "lease_until" not in columns  # the database as it was before
    conn.close()
