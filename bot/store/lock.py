"""One bot per database file: a lock file beside it, held while the bot runs.

Two bots on one file would both poll Telegram and both send the same reminders. The
lock is an advisory `flock` on `<db>.lock`: the kernel drops it when the process ends,
however it ends (kill -9 included), so a crash never leaves a stale lock behind.
Admin commands do not take it; a restore checks that nobody holds it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the database's bot lock."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def bot_lock(db_path: Path) -> Iterator[None]:
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(str(db_path)) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def bot_running(db_path: Path) -> bool:
    """Whether a bot holds the lock now (for commands that must not run beside one)."""
    try:
        with bot_lock(db_path):
            return False
    except AlreadyRunning:
        return True


@contextmanager
def setup_lock(db_path: Path) -> Iterator[None]:
    """Held while a process sets the database up (WAL, migrations, their backup): two
    processes starting on a new or older file take turns instead of one failing half-way
    ("database is locked" inside a migration). Blocks; a few milliseconds when there is
    nothing to do."""
    path = db_path.with_name(db_path.name + ".setup-lock")
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
