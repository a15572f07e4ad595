"""Network measures: hand-counted maps, edge cases, and properties for any map."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model import DIMENSIONS, SECTORS, Contact, Tie
from bot.summary.measures import (
    Balance,
    ContactChange,
    compare,
    density,
    measure,
)


def person(cid: int, name: str, sector: str, **ratings: int) -> Contact:
    return Contact(cid, name, sector, cid, dict(ratings))


ANS = person(1, "Ans", "familie", practical=3, emotional=3, closeness=3, reciprocity=2,
             frequency=3, duration=3)  # fmt: skip
BRAM = person(2, "Bram", "vrienden", practical=1, emotional=3, advice=3, closeness=2,
              reciprocity=1, frequency=2, duration=3)  # fmt: skip
KIM = person(3, "Kim", "hulpverlening", advice=3, closeness=1, reciprocity=3, frequency=3,
             duration=1)  # fmt: skip
OMA = person(4, "Oma", "familie")  # on the list, nothing rated

MAP = [ANS, BRAM, KIM, OMA]


def test_a_hand_counted_map() -> None:
    m = measure(MAP, [Tie(1, 2), Tie(1, 4)])
    assert m.size == 4
    assert m.sectors == {"familie": 2, "vrienden": 1, "hulpverlening": 1}
    assert list(m.sectors) == ["familie", "vrienden", "hulpverlening"]  # order of SECTORS
    assert m.variety == 3
    assert m.professionals == 1
    assert m.professional_share == pytest.approx(0.25)
    assert m.always == {
        "practical": ("Ans",),
        "emotional": ("Ans", "Bram"),
        "advice": ("Bram", "Kim"),
    }
    assert m.balance == Balance(mostly_me=1, mutual=1, mostly_them=1)
    assert m.frequent == ("Ans", "Kim")
    assert m.long_standing == ("Ans", "Bram")
    assert m.close == ("Ans",)
    assert m.density == pytest.approx(2 / 6)
    assert m.rated == 3


def test_nobody_on_the_list() -> None:
    m = measure([], [])
    assert (m.size, m.variety, m.professionals, m.rated) == (0, 0, 0, 0)
    assert m.professional_share == 0.0
    assert m.sectors == {}
    assert m.always == {"practical": (), "emotional": (), "advice": ()}
    assert m.balance == Balance(0, 0, 0)
    assert m.density is None


def test_unrated_contacts_count_in_size_not_in_support() -> None:
    m = measure([OMA, person(5, "Jo", "buren")])
    assert m.size == 2
    assert m.rated == 0
    assert m.always["practical"] == ()
    assert m.balance.answered == 0
    assert m.frequent == m.long_standing == m.close == ()


@pytest.mark.parametrize(
    ("contacts", "ties", "expected"),
    [
        (MAP, None, None),  # question not answered
        ([ANS], [], None),  # one person: no pairs possible
        ([ANS, BRAM], [], 0.0),
        ([ANS, BRAM], [Tie(1, 2)], 1.0),
        ([ANS, BRAM], [Tie(1, 2), Tie(2, 1), Tie(1, 1)], 1.0),  # doubles and self-ties
        ([ANS, BRAM, KIM], [Tie(1, 2), Tie(2, 99)], 1 / 3),  # a tie off the list
    ],
)
def test_density(contacts: list[Contact], ties: list[Tie] | None, expected: float | None) -> None:
    assert density(contacts, ties) == (None if expected is None else pytest.approx(expected))


def test_compare_finds_added_lost_and_changed() -> None:
    before = [ANS, BRAM, person(9, "Piet", "buren")]
    after = [
        person(11, "ans", "familie", practical=2, emotional=3, closeness=3, advice=1),
        person(
            12,
            "Bram",
            "vrienden",
            practical=1,
            emotional=3,
            advice=3,
            closeness=2,
            reciprocity=1,
            frequency=2,
            duration=3,
        ),
        person(13, "Lotte", "clubs"),
    ]
    result = compare(before, after)
    assert result.added == ("Lotte",)
    assert result.lost == ("Piet",)
    # advice was not answered before: a new answer, not a change
    assert result.changed == (ContactChange("ans", {"practical": (3, 2)}),)


def test_compare_with_nothing_before() -> None:
    result = compare([], MAP)
    assert result.added == ("Ans", "Bram", "Kim", "Oma")
    assert result.lost == result.changed == ()


# Properties -----------------------------------------------------------------------------

ratings = st.dictionaries(st.sampled_from(DIMENSIONS), st.sampled_from((1, 2, 3)))


@st.composite
def maps(draw: st.DrawFn) -> list[Contact]:
    size = draw(st.integers(0, 15))
    return [
        Contact(n + 1, f"P{n}", draw(st.sampled_from(SECTORS)), n + 1, draw(ratings))
        for n in range(size)
    ]


@st.composite
def maps_with_ties(draw: st.DrawFn) -> tuple[list[Contact], list[Tie]]:
    contacts = draw(maps())
    ids = st.integers(1, max(1, len(contacts)))
    return contacts, draw(st.lists(st.builds(Tie, ids, ids), max_size=40))


@given(maps_with_ties())
def test_measures_stay_in_range(case: tuple[list[Contact], list[Tie]]) -> None:
    contacts, ties = case
    m = measure(contacts, ties)
    assert sum(m.sectors.values()) == m.size == len(contacts)
    assert 0.0 <= m.professional_share <= 1.0
    assert m.balance.answered <= m.size
    assert 0 <= m.rated <= m.size
    assert m.variety == len(m.sectors) <= len(SECTORS)
    assert m.density is None or 0.0 <= m.density <= 1.0
    assert all(len(names) <= m.size for names in m.always.values())


@given(maps())
def test_a_map_compared_with_itself_has_no_change(contacts: list[Contact]) -> None:
    result = compare(contacts, contacts)
    assert result.added == result.lost == result.changed == ()
