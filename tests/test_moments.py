"""Moments in own words (bot/moments.py): the tables in tests/data, and any text."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.moments import TIMEZONE, read_moment
from tests.support.understanding_figures import (
    MOMENT_NOW,
    MOMENTS_UNSEEN,
    describe,
    load_moments,
)

TABLE = load_moments()
UNSEEN = load_moments(MOMENTS_UNSEEN)


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 150


@pytest.mark.parametrize("row", TABLE + UNSEEN, ids=[r.text for r in TABLE + UNSEEN])
def test_every_phrasing_is_read_as_expected(row: object) -> None:
    assert describe(row.text) == row.expected  # type: ignore[attr-defined]


def test_parts_of_the_day_get_their_default_time() -> None:
    for text, clock in (("zaterdagochtend", 10), ("zaterdagmiddag", 14), ("zaterdagavond", 19)):
        assert read_moment(text, MOMENT_NOW).time_of_day == time(clock, 0)


def test_a_moment_gone_by_today_is_asked_again() -> None:
    evening = datetime(2026, 12, 9, 21, 0, tzinfo=TIMEZONE)
    reading = read_moment("vanavond", evening)
    assert reading.past and reading.day is None


@given(st.text(max_size=120))
def test_any_text_is_read_without_error_and_never_in_the_past(text: str) -> None:
    reading = read_moment(text, MOMENT_NOW)
    when = reading.when()
    assert when is None or when > MOMENT_NOW
