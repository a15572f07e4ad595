"""Names are names (bot/names.py): what is stored as a person on the map."""

from __future__ import annotations

import pytest

from bot.names import Verdict, read_name


@pytest.mark.parametrize("typed", ["Ans", "Jan-Willem", "Fatima El Amrani", "Ans 👵", "Mo"])
def test_a_name_is_taken_as_typed(typed: str) -> None:
    reading = read_name(typed)
    assert (reading.verdict, reading.name) == (Verdict.NAME, typed)


@pytest.mark.parametrize(
    ("typed", "name", "sector"),
    [
        ("mieke mijn zus", "Mieke", "familie"),
        ("mijn zus mieke", "Mieke", "familie"),
        ("buurman kees", "Kees", "buren"),
        ("Kees van de kerk", "Kees", "clubs"),
        ("Ans, mijn buurvrouw", "Ans", "buren"),
        ("my sister Jane", "Jane", "familie"),
        ("Sam from work", "Sam", "werk_school"),
        ("mama", "Mama", "familie"),
    ],
)
def test_a_name_among_other_words_is_asked_with_its_life_area(
    typed: str, name: str, sector: str
) -> None:
    reading = read_name(typed)
    assert (reading.verdict, reading.name, reading.sector) == (Verdict.CONFIRM, name, sector)


@pytest.mark.parametrize(
    "typed",
    [
        "mijn broer maar die zie ik nooit",
        "weet ik niet",
        "ik heb geen vrienden",
        "idk",
        "ja",
        "nee",
        "I don't see him anymore",
    ],
)
def test_a_sentence_or_an_answer_word_is_no_name(typed: str) -> None:
    assert read_name(typed).verdict is Verdict.NOT_A_NAME


def test_a_sentence_about_a_relative_asks_for_their_name() -> None:
    assert read_name("mijn broer maar die zie ik nooit").relation == "broer"


@pytest.mark.parametrize("typed", ["niemand", "niemand meer", "nobody", "klaar", "done"])
def test_nobody_or_done_ends_the_list(typed: str) -> None:
    assert read_name(typed).verdict is Verdict.NOBODY


def test_a_long_name_gets_a_first_name_is_enough() -> None:
    assert read_name("Maria Magdalena van den Berg-Jansen").verdict is Verdict.TOO_LONG
