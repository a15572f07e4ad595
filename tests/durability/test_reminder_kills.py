"""Reminders at least once: the real bot process killed with SIGKILL while a burst of
due reminders goes out, and started again each time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.botapi import BotApiServer
from tests.support.durability import reminders_under_kills


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def test_kills_during_a_reminder_burst_lose_none_and_double_at_most_one_per_kill(
    server: BotApiServer, tmp_path: Path
) -> None:
    figures = await reminders_under_kills(server, tmp_path, reminders=300, kills=3)
    assert figures.kills >= 1  # the burst was interrupted (three times on an idle machine)
    assert figures.lost == 0
    assert figures.doubled <= figures.kills
