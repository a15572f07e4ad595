"""Map the network: 0 to 15 contacts, names and sectors, list, rename, remove."""

from __future__ import annotations

import pytest

from bot.model import SECTORS
from tests.support.chat import Chat, add_contacts, through_intake


@pytest.fixture
def mapping(chat: Chat) -> Chat:
    through_intake(chat)
    return chat


def names(chat: Chat) -> list[tuple[str, str]]:
    return [(c.name, c.sector) for c in chat.route.contacts]


def test_a_contact_gets_a_name_and_a_sector(mapping: Chat) -> None:
    mapping.press("Beginnen")
    mapping.say("Ans")
    assert mapping.state == "network.sector"
    assert "Waar ken je Ans van?" in mapping.text
    mapping.press("Familie")
    assert names(mapping) == [("Ans", "familie")]
    assert "Je hebt nu 1 persoon" in mapping.text


def test_all_eight_sectors_are_offered(mapping: Chat) -> None:
    mapping.press("Beginnen")
    mapping.say("Ans")
    assert [b.value for b in mapping.buttons if not b.value.startswith("!")] == list(SECTORS)


def test_a_name_can_be_typed_straight_after_the_previous(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans", "familie"))
    mapping.say("Bram")
    mapping.press("Vrienden")
    assert names(mapping) == [("Ans", "familie"), ("Bram", "vrienden")]


def test_the_sixteenth_contact_is_refused_kindly(mapping: Chat) -> None:
    people = [(f"Persoon {n}", SECTORS[n % 8]) for n in range(15)]
    add_contacts(mapping, *people)
    assert len(mapping.route.contacts) == 15
    assert "Nog iemand" not in mapping.labels
    mapping.say("Zestien")
    assert "Je lijst is vol" in mapping.text
    assert len(mapping.route.contacts) == 15


def test_a_name_typed_twice_is_asked_about(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans", "familie"))
    mapping.say("ans")
    assert mapping.state == "network.duplicate"
    mapping.press("Nee, dezelfde")
    assert names(mapping) == [("Ans", "familie")]
    mapping.say("Ans")
    mapping.press("Ja, iemand anders")
    assert "Ans B" in mapping.text
    mapping.say("Ans B")
    mapping.press("Buren")
    assert names(mapping) == [("Ans", "familie"), ("Ans B", "buren")]


def test_list_rename_change_sector_and_remove(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans", "familie"), ("Bram", "vrienden"))
    mapping.press("Bekijk lijst")
    assert "1. Ans (Familie)" in mapping.text
    mapping.press("Ans")
    mapping.press("Naam")
    mapping.say("Anna")
    mapping.press("Anna")
    mapping.press("Waar ik ze van ken")
    mapping.press("Buren")
    mapping.press("Bram")
    mapping.press("Weghalen")
    mapping.press("Ja, weghalen")
    assert names(mapping) == [("Anna", "buren")]
    assert mapping.state == "network.list"


def test_rename_to_an_existing_name_is_refused(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans", "familie"), ("Bram", "vrienden"))
    mapping.press("Bekijk lijst")
    mapping.press("Bram")
    mapping.press("Naam")
    mapping.say("ANS")
    assert "staat al op je lijst" in mapping.text
    assert names(mapping) == [("Ans", "familie"), ("Bram", "vrienden")]


def test_zero_contacts_leads_on_without_ratings(mapping: Chat) -> None:
    mapping.press("Ik heb (bijna) niemand")
    assert mapping.state == "network.none"
    assert "helemaal oké" in mapping.text
    mapping.press("Verder")
    assert mapping.state == "mapview.ideas"


def test_removing_everyone_then_done_takes_the_humane_path(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans", "familie"))
    mapping.press("Bekijk lijst")
    mapping.press("Ans")
    mapping.press("Weghalen")
    mapping.press("Ja, weghalen")
    mapping.press("Klaar")
    assert mapping.state == "network.none"


def test_done_with_contacts_goes_to_rating(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans", "familie"))
    mapping.press("Klaar met de lijst")
    assert mapping.state == "ratings.intro"


def test_markup_in_a_name_is_stored_as_typed_and_shown_escaped(mapping: Chat) -> None:
    add_contacts(mapping, ("<b>Kees</b> & co", "vrienden"))
    assert names(mapping) == [("<b>Kees</b> & co", "vrienden")]
    assert "&lt;b&gt;Kees&lt;/b&gt; &amp; co staat op je lijst" in mapping.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "geen tekst"),
        ("   ", "geen tekst"),
        ("x" * 10_000, "wat lang"),
        ("a" * 41, "wat lang"),
    ],
)
def test_bad_names_are_asked_again(mapping: Chat, typed: str, message: str) -> None:
    mapping.press("Beginnen")
    mapping.say(typed)
    assert message in mapping.text
    assert mapping.state == "network.name"
    assert mapping.route.contacts == []


def test_emoji_and_control_characters_in_names(mapping: Chat) -> None:
    add_contacts(mapping, ("Ans 👵", "familie"), ("Jo\x00\x1bey", "vrienden"))
    assert names(mapping) == [("Ans 👵", "familie"), ("Jo ey", "vrienden")]


def test_text_where_a_sector_button_is_expected(mapping: Chat) -> None:
    mapping.press("Beginnen")
    mapping.say("Ans")
    mapping.say("van vroeger")
    assert "Dat begreep ik niet" in mapping.text
    assert mapping.state == "network.sector"
    mapping.say("familie")  # typing a button's text counts as pressing it
    assert names(mapping) == [("Ans", "familie")]
