from __future__ import annotations

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
