"""A read-only disk and a full disk, made real with a small tmpfs (needs the right to
mount, as root in a container; skipped elsewhere)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.model import CONSENT_VERSION, Profile, Session, Settings
from bot.store.repository import Store
from tests.support.botapi import BotApiServer
from tests.support.chat import Chat, add_contacts, through_intake
from tests.support.durability import ROOT, start_bot, stop_bot
from tests.support.telegram_bot import TelegramClient

TRY_AGAIN = "Dat lukte even niet. Probeer het zo nog eens."


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


def steunkaart(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEUNKAART_DB": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_reading_commands_work_on_a_read_only_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "8m") as disk:
        db = disk / "steunkaart.db"
        chat = Chat.open(db)
        through_intake(chat)
        add_contacts(chat, ("Ans", "familie"))
        chat.close()
        assert _mount("-o", "remount,ro", str(disk))
        export = steunkaart(db, "export", "--client", "client-1")
        assert export.returncode == 0, export.stderr
        assert '"name": "Ans"' in export.stdout
        assert "read-only" in export.stderr  # it says the export could not be audited
        audit = steunkaart(db, "admin", "audit")
        assert audit.returncode == 0, audit.stderr
        listed = steunkaart(db, "admin", "professionals")
        assert listed.returncode == 0, listed.stderr
        assert "Traceback" not in export.stderr + audit.stderr + listed.stderr


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


async def add_name(person: TelegramClient, name: str, acknowledged: list[str]) -> bool:
    """Type a name and choose its sector; True when the bot said it is on the list."""
    replies = await person.say(name)
    if any(TRY_AGAIN in (m.plain_text or "") for m in replies):
        return False
    if "Familie" not in person.labels:
        return False
    replies = await person.press("Familie")
    if any(f"{name} staat op je lijst" in (m.plain_text or "") for m in replies):
        acknowledged.append(name)
        return True
    return False


async def test_a_full_disk_asks_to_try_again_and_the_bot_goes_on_once_space_is_back(
    server: BotApiServer, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        db = disk / "steunkaart.db"
        chat_id = 4242
        store = Store.open(db)
        with store.atomic():
            client = f"tg:{chat_id}"
            store.create_client(
                Profile(client, consent_at=datetime.now(UTC), consent_version=CONSENT_VERSION)
            )
            store.new_map(client)
            store.save_session(client, Session("network.name"))
        store.close()
        person = TelegramClient(server, server.user(chat_id, "Ans"))
        acknowledged: list[str] = []
        bot = await start_bot(server, db, tmp_path / "bot.log")
        try:
            assert await add_name(person, "Eerst", acknowledged)
            filler = fill(disk)
            refused = 0
            for n in range(40):  # until the disk is full for the bot too
                if not await add_name(person, f"Vol{n}", acknowledged):
                    refused += 1
                    break
            assert refused == 1 and TRY_AGAIN in person.last_text
            filler.unlink()
            assert await add_name(person, "Daarna", acknowledged)  # no restart needed
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            bot = await start_bot(server, db, tmp_path / "bot.log")
            assert await add_name(person, "NaHerstart", acknowledged)
        finally:
            await stop_bot(bot)
        store = Store.open(db)
        route = store.load(f"tg:{chat_id}", Settings())
        store.close()
        assert route is not None
        assert [c.name for c in route.contacts] == acknowledged


def test_a_start_on_a_full_disk_says_so_plainly(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        fill(disk)
        result = steunkaart(disk / "steunkaart.db", "admin", "audit")
        assert result.returncode == 1
        assert "full" in result.stderr and "Traceback" not in result.stderr
