"""RADIO ideas from ratings: one kind per contact, conservative, at most two per kind."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model import DIMENSIONS, OPTIONAL_DIMENSIONS, SECTORS, Contact
from bot.summary.radio import KINDS, PER_KIND, Suggestion, by_kind, kind_of, suggestions


def person(cid: int, name: str = "X", sector: str = "vrienden", **ratings: int) -> Contact:
    return Contact(cid, name, sector, cid, dict(ratings))


@pytest.mark.parametrize(
    ("ratings", "sector", "kind"),
    [
        ({"closeness": 3, "frequency": 1}, "vrienden", "reanimeren"),
        ({"closeness": 2, "frequency": 1}, "familie", "reanimeren"),
        ({"practical": 2, "closeness": 2, "frequency": 2}, "buren", "activeren"),
        ({"advice": 3, "closeness": 2, "frequency": 3}, "werk_school", "activeren"),
        ({"emotional": 2}, "vrienden", "activeren"),  # rated "soms"
        ({"critical": 3, "practical": 3, "closeness": 3}, "familie", "deblokkeren"),
        ({"reciprocity": 1, "closeness": 1}, "vrienden", "deblokkeren"),
        ({"closeness": 1, "frequency": 2}, "clubs", "intensiveren"),
        ({"closeness": 1, "frequency": 3}, "werk_school", "intensiveren"),
        ({"emotional": 3, "closeness": 3, "frequency": 3}, "huishouden", "onderhouden"),
        ({"practical": 3, "closeness": 3, "frequency": 2}, "familie", "onderhouden"),
    ],
)
def test_one_idea_per_rating_pattern(ratings: dict[str, int], sector: str, kind: str) -> None:
    assert kind_of(person(1, sector=sector, **ratings)) == kind


@pytest.mark.parametrize(
    ("ratings", "sector"),
    [
        ({}, "vrienden"),  # nothing rated: no idea
        ({"practical": 1, "emotional": 1, "advice": 1, "closeness": 2, "frequency": 3}, "buren"),
        # A care worker who mostly helps you and is not close: normal, not strained.
        ({"reciprocity": 3, "closeness": 1}, "hulpverlening"),
        ({"reciprocity": 1, "closeness": 1}, "hulpverlening"),
        ({"closeness": 1, "frequency": 3}, "hulpverlening"),
        ({"critical": 2, "closeness": 2, "frequency": 2}, "familie"),
    ],
)
def test_no_idea_without_a_clear_pattern(ratings: dict[str, int], sector: str) -> None:
    assert kind_of(person(1, sector=sector, **ratings)) is None


def test_a_strained_tie_is_never_someone_to_ask() -> None:
    critical = person(1, "Kees", critical=3, practical=3, advice=3, closeness=2)
    assert suggestions([critical]) == [Suggestion("deblokkeren", 1, "Kees")]


def test_order_is_radio_order_then_list_order_and_at_most_two_per_kind() -> None:
    contacts = [
        person(5, "Eva", closeness=3, emotional=3),  # onderhouden
        person(1, "Ans", closeness=3, frequency=1),  # reanimeren
        person(2, "Bram", closeness=2, frequency=1),  # reanimeren
        person(3, "Cor", closeness=3, frequency=1),  # reanimeren, third: left out
        person(4, "Dirk", practical=2),  # activeren
    ]
    assert suggestions(contacts) == [
        Suggestion("reanimeren", 1, "Ans"),
        Suggestion("reanimeren", 2, "Bram"),
        Suggestion("activeren", 4, "Dirk"),
        Suggestion("onderhouden", 5, "Eva"),
    ]
    assert by_kind(suggestions(contacts)) == {
        "reanimeren": ["Ans", "Bram"],
        "activeren": ["Dirk"],
        "onderhouden": ["Eva"],
    }


def test_nobody_gives_no_ideas() -> None:
    assert suggestions([]) == []
    assert by_kind([]) == {}


ratings = st.dictionaries(
    st.sampled_from(DIMENSIONS + OPTIONAL_DIMENSIONS), st.sampled_from((1, 2, 3))
)
contact_lists = st.lists(
    st.builds(
        lambda n, sector, r: Contact(n, f"P{n}", sector, n, r),
        st.integers(1, 500),
        st.sampled_from(SECTORS),
        ratings,
    ),
    max_size=15,
    unique_by=lambda c: c.id,
)


@given(contact_lists)
def test_ideas_are_few_unique_and_deterministic(contacts: list[Contact]) -> None:
    found = suggestions(contacts)
    assert found == suggestions(list(reversed(contacts)))
    assert len({s.contact_id for s in found}) == len(found)
    for kind in KINDS:
        assert sum(1 for s in found if s.kind == kind) <= PER_KIND
    assert [s.kind for s in found] == sorted((s.kind for s in found), key=KINDS.index)
