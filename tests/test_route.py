"""The whole route as transcripts through the engine: nl and en, with no contacts and
with fifteen; every answer stored at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.model import DIMENSIONS, SECTORS
from tests.support.chat import Chat
from tests.support.route import REQUEST, Person, walk

FIFTEEN = [(f"Persoon{n}", SECTORS[n % len(SECTORS)]) for n in range(15)]


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("people", [[], [("Ans", "familie"), ("Bram", "vrienden")], FIFTEEN])
def test_the_whole_route(tmp_path: Path, locale: str, people: list[tuple[str, str]]) -> None:
    chat = Chat.open(tmp_path / "s.db", locale=locale)
    chat.start()
    visited = walk(chat, Person(contacts=list(people)))
    route = chat.route
    assert [(c.name, c.sector) for c in route.contacts] == people
    for contact in route.contacts:
        assert contact.ratings == dict.fromkeys(DIMENSIONS, 3)
    assert route.profile.gp_phone == "020 123 4567"
    assert route.goal is not None and route.goal.confirmed
    assert route.goal.horizon_months == 3 and route.goal.frequency == "2_week"
    assert [b.key for b in route.barriers] == ["busy"]
    assert route.plan is not None and route.plan.request == REQUEST
    assert route.plan.moment == "tomorrow" and route.plan.channel == "message"
    blocks = {
        n
        for n in range(1, 7)
        if f"{'Stap' if locale == 'nl' else 'Step'} {n} " in "\n".join(chat.log)
    }
    assert blocks == {1, 2, 3, 4, 5, 6} if people else {1, 2, 4, 5, 6} <= blocks
    if not people:
        assert "ratings.rate" not in visited  # the humane path skips the ratings
    chat.close()
