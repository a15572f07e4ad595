"""The request checklist: concrete, says why, room for no, something back (nl and en)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.flows.review import CHECKS, review_request

ALL = {"concrete": True, "why": True, "room_for_no": True, "give_back": True}
NONE = {"concrete": False, "why": False, "room_for_no": False, "give_back": False}


@pytest.mark.parametrize(
    "text",
    [
        "Hoi Ans, heb je zaterdag tijd om samen koffie te drinken? Dat zou ik fijn vinden. "
        "Als het niet lukt, is dat ook goed. Ik trakteer!",
        "Kun je dinsdag met me naar de winkel? Want ik vind het eng alleen. Zeg het gerust "
        "als je geen tijd hebt. In ruil kook ik voor je.",
        "Hi Ans, could you help me with my groceries on Tuesday? It would help me a lot. "
        "No worries if you cannot. I will cook dinner for you in return.",
        "Do you have time for a coffee together on Saturday? I would really like that. "
        "If it does not work out, that is fine too. My treat!",
    ],
)
def test_a_full_request_meets_all_four(text: str) -> None:
    assert review_request(text) == ALL


@pytest.mark.parametrize(
    "text",
    ["Kun je me helpen?", "Wil je iets voor me doen", "Can you help me?", "I want help", ""],
)
def test_a_bare_request_meets_none(text: str) -> None:
    assert review_request(text) == NONE


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("Kom je morgen langs?", "concrete"),
        ("Kun je om 3 uur komen?", "concrete"),
        ("Wil je met me wandelen?", "concrete"),
        ("Could you come over tomorrow?", "concrete"),
        ("Can we go for a walk?", "concrete"),
        ("Wil je helpen, omdat het me niet lukt?", "why"),
        ("Wil je komen, want ik mis je.", "why"),
        ("Could you help, because I am stuck?", "why"),
        ("It would help me if you came.", "why"),
        ("Je mag nee zeggen.", "room_for_no"),
        ("Geen probleem als het niet kan.", "room_for_no"),
        ("No problem if you can't.", "room_for_no"),
        ("If you can’t, that’s okay.", "room_for_no"),  # curly quotes from a phone keyboard
        ("Ik trakteer op taart.", "give_back"),
        ("Dan help ik jou ook, in ruil.", "give_back"),
        ("I'll buy you lunch.", "give_back"),
        ("I’ll cook for you in return.", "give_back"),
    ],
)
def test_each_check_on_its_own(text: str, check: str) -> None:
    result = review_request(text)
    assert result[check], result
    assert sum(result.values()) >= 1


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("I want you to come", "why"),  # English "want" is a wish, not Dutch "want" (because)
        ("Dat is belangrijk voor me", "concrete"),  # "bel..." is not "bellen"
        ("Kun je mijn team helpen?", "concrete"),  # "team" is not "tea"
        ("Wil ik je iets vragen", "give_back"),
    ],
)
def test_words_that_only_look_like_a_match(text: str, check: str) -> None:
    assert not review_request(text)[check]


def test_case_and_spacing_do_not_matter() -> None:
    assert review_request("ALS HET NIET   LUKT")["room_for_no"]
    assert review_request("als het\nniet lukt")["room_for_no"]


@given(st.text(max_size=600))
def test_never_raises_and_always_answers_all_four(text: str) -> None:
    result = review_request(text)
    assert set(result) == set(CHECKS)
    assert all(isinstance(value, bool) for value in result.values())
