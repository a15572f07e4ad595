"""Three kinds of users end to end: an administrator (CLI), a professional and two
clients in Telegram, against the loopback Bot API server."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.model import Session
from bot.store.repository import Store
from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import TelegramClient, running_bot, texts


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


def add_professional(db: Path, name: str) -> str:
    """The administrator's command line, as the administrator runs it."""
    command = [sys.executable, "-m", "bot", "admin", "--db", str(db), "add-professional", name]
    printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return printed.split("): ")[1].split()[0]


async def intake(person: TelegramClient) -> None:
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Nee", "Sla over", "Sla over", "Verder"):
        await person.press(label)


async def test_register_link_share_and_access(server: BotApiServer, tmp_path: Path) -> None:
    db = tmp_path / "steunkaart.db"
    code = add_professional(db, "Sanne")
    sanne = TelegramClient(server, server.user(900, "Sanne"))
    ans = TelegramClient(server, server.user(1001, "Ans"))
    bram = TelegramClient(server, server.user(1002, "Bram"))
    async with running_bot(server, db):
        assert "Welkom, Sanne" in texts(await sanne.start(code))
        reply = await sanne.say("/code AB", keyboard=False)
        link = texts(reply).split("?start=")[1].split()[0]
        await ans.start(link)
        assert "Na de kennismaking koppel ik je aan Sanne" in texts(ans.user.messages)
        await intake(ans)
        await server.wait_for(lambda: "AB is nu aan je gekoppeld" in sanne.last_text, 5)
        # A second client cannot reuse the code.
        await bram.start(link)
        assert "Deze code werkt niet" in texts(bram.user.messages)
        # Ans finishes a session with a small map.
        await ans.press("Beginnen")
        await ans.say("<i>Kees</i>")
        await ans.press("Vrienden")
        store = Store.open(db)
        with store.atomic():
            store.save_session("tg:1001", Session("overview.show", prompt=1000))
        store.close()
        await ans.start()
        await ans.press("Klaar")
        shown = ans.user.messages[-2:]
        assert any(m.kind == "photo" for m in shown)
        await ans.press("Ja, stuur het")
        await server.wait_for(lambda: any(m.kind == "photo" for m in sanne.user.messages), 5)
    summary = [m for m in sanne.user.messages if "Samenvatting Steunkaart" in (m.plain_text or "")]
    photo = [m for m in sanne.user.messages if m.kind == "photo"]
    assert summary and summary[0].protect_content
    assert "<i>Kees</i>" in (summary[0].plain_text or "")  # shown literally, HTML intact
    assert photo and photo[0].protect_content
    image = Image.open(io.BytesIO(photo[0].photo or b""))
    assert image.format == "PNG" and image.size[0] >= 400
    assert server.unanswered_callbacks == []
