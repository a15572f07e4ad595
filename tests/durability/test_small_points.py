"""The smaller points of "nothing lost, nothing left behind": the client's own data
can be saved, typed text is cleaned like names, the terminal does not crash on odd
input, every export is audited."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.botapi import BotApiServer
from tests.support.chat import Chat, through_intake
from tests.support.durability import ROOT
from tests.support.telegram_bot import TelegramClient, running_bot

FAMILY = "👩\u200d👩\u200d👧"


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def test_the_clients_own_data_document_may_be_saved_and_forwarded(
    server: BotApiServer, tmp_path: Path
) -> None:
    ans = TelegramClient(server, server.user(1001, "Ans"))
    async with running_bot(server, tmp_path / "steunkaart.db"):
        await ans.start()
        for label in ("Verder", "Ik snap het", "Ja, dat mag", "Nee", "Sla over", "Sla over"):
            await ans.press(label)
        await ans.say("/mijngegevens")
    [document] = [m for m in ans.user.messages if m.filename == "steunkaart.json"]
    assert not document.protect_content


def test_typed_text_loses_controls_and_bidi_overrides_but_keeps_emoji(chat: Chat) -> None:
    through_intake(chat)
    chat.press("Beginnen")
    chat.say(f"Mieke\u202e {FAMILY}\x07\u2066")
    chat.press("Familie")
    [contact] = chat.route.contacts
    assert contact.name == f"Mieke {FAMILY}"
    stored = chat.engine.store.db.execute("SELECT value FROM answers").fetchall()
    typed = [value for (value,) in stored if "Mieke" in value]
    assert typed == [f"Mieke {FAMILY} "]  # the answer log holds the cleaned text too


def terminal(db: Path, stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "STEUNKAART_DB": str(db), "TELEGRAM_BOT_TOKEN": ""}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, env=env, cwd=ROOT
    )


def test_the_terminal_takes_invalid_utf8_and_a_line_of_thousands_of_digits(
    tmp_path: Path,
) -> None:
    lines = b"\xff\xfe niet-utf8\n" + b"9" * 4301 + b"\n" + b"1\n"
    result = terminal(tmp_path / "steunkaart.db", lines, "chat")
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert b"Hoi! Ik ben Steunkaart" in result.stdout


def test_the_terminal_export_is_audited(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    chat.close()
    db = tmp_path / "steunkaart.db"
    assert terminal(db, b"", "export", "--client", "client-1").returncode == 0
    audit = terminal(db, b"", "admin", "audit").stdout.decode()
    assert "terminal\texport\tclient-1" in audit
