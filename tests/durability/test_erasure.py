"""Erasure without residue, on the real bot process and its real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.botapi import BotApiServer
from tests.support.durability import erase_residue


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


@pytest.mark.parametrize("by_admin", [False, True], ids=["wissen", "admin-erase"])
async def test_erase_while_the_bot_runs_leaves_no_word_in_db_wal_or_shm(
    server: BotApiServer, tmp_path: Path, by_admin: bool
) -> None:
    after, before = await erase_residue(server, tmp_path, by_admin)
    assert before > 0  # the search finds the words while they are stored
    assert after == dict.fromkeys(after, 0)


def test_the_terminal_keeps_its_files_owner_only_and_an_erase_removes_them(
    tmp_path: Path,
) -> None:
    db = tmp_path / "steunkaart.db"
    env = {**os.environ, "STEUNKAART_DB": str(db), "TELEGRAM_BOT_TOKEN": ""}
    steps = "\n".join(["1", "1", "1", "1", "/mijngegevens", "/wissen", "1"]) + "\n"
    run = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=steps,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert "steunkaart.json" in run.stdout
    assert not (tmp_path / "steunkaart.json").exists()  # not in the current folder
    assert not (tmp_path / "steunkaart.db-files" / "local").exists()  # erased with the rest
    assert "gewist" in run.stdout
