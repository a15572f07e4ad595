"""Typed text at a button question (bot/understand.py): pure, on real button texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import renderer
from bot.model import SECTORS
from bot.understand import Choice, near_button, normal, understand


def choices(*pairs: tuple[str, str], locale: str = "nl") -> list[Choice]:
    return [Choice(value, renderer().label(locale, key), key) for value, key in pairs]


SECTOR_NL = choices(*((key, f"sector.{key}") for key in SECTORS))
SECTOR_EN = choices(*((key, f"sector.{key}") for key in SECTORS), locale="en")
CONSENT = choices(("yes", "intake.consent_yes"), ("no", "intake.consent_no"))
SUPPORT = choices(
    ("1", "ratings.scale.practical.1"),
    ("2", "ratings.scale.practical.2"),
    ("3", "ratings.scale.practical.3"),
    ("skip", "ratings.dont_know"),
)
FREQUENCY = choices(
    *((k, f"goal.frequency.{k}") for k in ("1_month", "2_month", "1_week", "2_week"))
)
HORIZON = choices(("1", "goal.horizon.m1"), ("3", "goal.horizon.m3"), ("6", "goal.horizon.m6"))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("familie", "familie"),  # the button's text
        ("FAMILIE!", "familie"),
        ("2", "familie"),  # its number
        ("twee", "familie"),
        ("de tweede", "familie"),
        ("werk", "werk_school"),  # a clear part of the text
        ("kerk", "clubs"),
        ("mijn zus", "familie"),  # words that mean the button
        ("buurman", "buren"),
        ("psychiater", "hulpverlening"),
        ("FACT", "hulpverlening"),
        ("dagbesteding", "werk_school"),
        ("moskee", "clubs"),
        ("huisgenoot", "huishouden"),
        ("famlie", "familie"),  # a typo, clearly closest to one button
        ("hulpverleing", "hulpverlening"),
    ],
)
def test_typed_words_press_the_button_they_mean(typed: str, meant: str) -> None:
    match = understand(typed, SECTOR_NL)
    assert (match.value, match.sure) == (meant, True)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("my sister", "familie"),
        ("neighbour", "buren"),
        ("church", "clubs"),
        ("nurse", "hulpverlening"),
    ],
)
def test_english_words_press_the_button_they_mean(typed: str, meant: str) -> None:
    assert understand(typed, SECTOR_EN).value == meant


@pytest.mark.parametrize("typed", ["ja", "jawel", "ja dat mag", "yes", "ok", "prima", "jaaaa"])
def test_yes_words_press_the_yes_button(typed: str) -> None:
    assert understand(typed, CONSENT).value == "yes"


@pytest.mark.parametrize("typed", ["nee", "no", "liever niet", "nee dank je", "nope"])
def test_no_words_press_the_no_button(typed: str) -> None:
    assert understand(typed, CONSENT).value == "no"


@pytest.mark.parametrize("typed", ["weet ik niet", "idk", "sla over", "skip", "geen idee"])
def test_dont_know_and_skip_press_the_dont_know_button(typed: str) -> None:
    assert understand(typed, SUPPORT).value == "skip"


def test_a_number_in_one_button_text_is_that_button_not_the_position() -> None:
    assert understand("3", HORIZON).value == "3"  # "Over 3 maanden", not the third button
    assert understand("drie maanden", HORIZON).value == "3"
    assert understand("6 mnd", HORIZON).value == "6"


def test_a_short_typo_is_asked_never_pressed() -> None:
    match = understand("buurmam", SECTOR_NL)
    assert (match.value, match.sure) == ("buren", False)


def test_nothing_meant_is_nothing() -> None:
    for typed in ("xyz", "", "   ", "🙂🌧", "x" * 500):
        assert not understand(typed, SECTOR_NL).found


def test_where_own_words_are_taken_only_a_clear_press_counts() -> None:
    more = choices(
        ("add", "network.add_more"), ("list", "network.show_list"), ("done", "network.done_adding")
    )
    assert understand("klaar hoor", more, free_text=True).value == "done"
    assert understand("nog iemand", more, free_text=True).value == "add"
    assert not understand("Ans", more, free_text=True).found
    assert not understand("klaas", more, free_text=True).found


def test_a_typo_of_a_name_or_a_button_where_own_words_count_is_only_asked() -> None:
    people = [Choice("c1", "Ans"), Choice("c2", "Bram"), *choices(("new", "goal.someone_new"))]
    assert (near_button("brm", people).value, near_button("brm", people).sure) == ("c2", False)
    assert not near_button("Anna", people).found
    assert near_button("1x per weel", FREQUENCY).value == "1_week"


def _typos(label: str) -> st.SearchStrategy[str]:
    """One letter dropped, doubled or swapped for another: what a thumb does."""
    text = normal(label)
    index = st.integers(0, max(len(text) - 1, 0))
    letter = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
    return st.one_of(
        index.map(lambda i: text[:i] + text[i + 1 :]),
        index.map(lambda i: text[:i] + text[i] + text[i:]),
        st.tuples(index, letter).map(lambda p: text[: p[0]] + p[1] + text[p[0] + 1 :]),
    )


CLOSE_PAIRS = [FREQUENCY, SUPPORT, CONSENT, HORIZON, SECTOR_NL]


@given(st.data())
def test_a_typo_never_presses_the_wrong_one_of_two_close_buttons(data: st.DataObject) -> None:
    buttons = data.draw(st.sampled_from(CLOSE_PAIRS))
    meant = data.draw(st.sampled_from(buttons))
    typed = data.draw(_typos(meant.label))
    match = understand(typed, buttons)
    if match.found and match.sure and match.value != meant.value:
        # Only when the typo made the text of another button (or of a word meaning it).
        other = next(c for c in buttons if c.value == match.value)
        assert typed == normal(other.label) or match.rule not in ("typo", "typo, asked")


@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text: str) -> None:
    understand(text, SECTOR_NL)
    understand(text, CONSENT, free_text=True)
