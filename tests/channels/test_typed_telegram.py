"""Typed answers at button questions in Telegram (issue 14): the real Application
against the Bot API server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import TelegramClient, running_bot

ANS = 1401


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def test_typed_words_press_buttons_and_a_near_miss_is_asked(
    server: BotApiServer, tmp_path: Path
) -> None:
    ans = TelegramClient(server, server.user(ANS, first_name="Ans"))
    async with running_bot(server, tmp_path / "s.db"):
        await ans.start()
        for typed in ("ok", "ik snap et", "ja dat mag", "nee", "sla over", "sla over", "verder"):
            await ans.say(typed)
        assert "Stap 2 van 6" in ans.last_text
        await ans.say("start")  # the button "Beginnen", not the /start command
        await ans.say("Mieke")
        await ans.say("buurmam")  # one letter off: asked, in one line
        assert ans.last_text == "Bedoel je Buren?"
        assert ans.labels == ["Ja", "Nee"]
        await ans.say("ja")
        assert "Mieke staat op je lijst" in ans.last_text
        await ans.say("klaar hoor")
        await ans.say("xyz")
        assert ans.last_text == "Dat begreep ik niet. Kies een knop, of typ het nummer."
        await ans.say("qqq")
        assert "Kies Hulp" in ans.last_text and "Hulp" in ans.labels
    assert server.unanswered_callbacks == []
