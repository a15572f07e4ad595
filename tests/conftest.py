from __future__ import annotations

import os

# python-telegram-bot 22 warns when its time periods are read as numbers; opting in to
# the timedelta behaviour of PTB 23 keeps warnings-as-errors meaningful.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat.open(tmp_path / "steunkaart.db")
    yield chat
    chat.close()


@pytest.fixture
def chat_en(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat.open(tmp_path / "steunkaart.db", locale="en")
    yield chat
    chat.close()
