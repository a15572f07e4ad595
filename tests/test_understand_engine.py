"""Typed answers through the engine (issue 14): a question about a near miss, the short
reprompt and Hulp, commands that are buttons, names checked, words never stored as
what they are not. The figures of tests/data are checked on a sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.events import Event
from tests.support.chat import Chat, through_intake
from tests.support.understanding_figures import load_typed, typed_figures


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    chat = Chat.open(tmp_path / "s.db")
    through_intake(chat)
    return chat


def at_sector(chat: Chat, name: str = "Ans") -> None:
    chat.press("Beginnen")
    chat.say(name)
    assert chat.state == "network.sector"


def test_a_near_miss_is_asked_in_one_line_and_yes_presses_it(chat: Chat) -> None:
    at_sector(chat)
    chat.say("buurmam")
    assert chat.text == "Bedoel je Buren?"
    assert chat.route.contacts == []
    chat.say("ja")
    assert [(c.name, c.sector) for c in chat.route.contacts] == [("Ans", "buren")]


def test_a_clear_typo_presses_the_button(chat: Chat) -> None:
    at_sector(chat)
    chat.say("hulpverleing")
    assert [(c.name, c.sector) for c in chat.route.contacts] == [("Ans", "hulpverlening")]


def test_no_to_a_near_miss_shows_the_buttons_again(chat: Chat) -> None:
    at_sector(chat)
    chat.say("buurmam")
    assert chat.labels == ["Ja", "Nee"]
    chat.press("Nee")
    assert chat.text == "Kies een van de knoppen, of typ het nummer."
    assert "Buren" in chat.labels and chat.route.contacts == []


def test_a_miss_gets_a_short_reprompt_and_help_after_two(chat: Chat) -> None:
    at_sector(chat)
    chat.say("blabla")
    assert chat.text == "Dat begreep ik niet. Kies een knop, of typ het nummer."
    assert "Hulp" not in chat.labels and "Familie" in chat.labels
    chat.say("hmm")
    assert "Kies Hulp voor uitleg bij deze vraag." in chat.text
    chat.press("Hulp")
    assert "We maken een lijst van mensen" in chat.text


def test_a_command_word_that_is_a_button_on_screen_presses_the_button(tmp_path: Path) -> None:
    chat = Chat.open(tmp_path / "en.db", locale="en")
    through_intake(chat)
    chat.say("start")  # the button "Start" at the network question
    assert chat.state == "network.name"
    chat.say("/start")  # with a slash it stays the command: welcome back, same question
    assert chat.state == "network.name"
    assert chat.text.startswith("Good to see you again.")


def test_a_button_text_is_never_stored_as_free_text(chat: Chat) -> None:
    at_sector(chat)
    chat.press("Familie")
    chat.say("verder met steunkaart")  # the crisis message's button, typed at a name
    assert [c.name for c in chat.route.contacts] == ["Ans"]
    chat.say("klaar met de lijst")
    assert chat.state == "ratings.intro"


def test_a_name_among_words_is_asked_before_it_is_written_down(chat: Chat) -> None:
    chat.press("Beginnen")
    chat.say("mieke mijn zus")
    assert chat.text == "Zal ik Mieke opschrijven, bij Familie?"
    assert chat.labels[:2] == ["Ja", "Nee, zelf typen"]
    chat.say("ja")
    assert [(c.name, c.sector) for c in chat.route.contacts] == [("Mieke", "familie")]
    assert chat.state == "network.more"


def test_no_to_the_name_question_lets_the_client_type_it(chat: Chat) -> None:
    chat.press("Beginnen")
    chat.say("oom piet")
    assert chat.text == "Zal ik Piet opschrijven, bij Familie?"
    chat.press("Nee, zelf typen")
    assert chat.state == "network.name"
    chat.say("oom piet")
    chat.say("Oom Piet")  # typed at the question: the name exactly as typed
    assert "Waar ken je Oom Piet van?" in chat.text


def test_a_sentence_is_not_stored_as_a_name(chat: Chat) -> None:
    chat.press("Beginnen")
    chat.say("mijn broer maar die zie ik nooit")
    assert "Hoe heet je broer? Een voornaam of bijnaam is genoeg." in chat.text
    chat.say("Maria Magdalena van den Berg-Jansen")
    assert "Een voornaam of bijnaam is genoeg." in chat.text
    assert chat.route.contacts == [] and chat.state == "network.name"


def test_nobody_at_the_first_name_is_the_humane_path(chat: Chat) -> None:
    chat.press("Beginnen")
    chat.say("niemand")
    assert chat.state == "network.none"


def test_a_typo_of_a_name_button_is_asked_and_no_keeps_the_words(chat: Chat) -> None:
    at_sector(chat, "Bram")
    chat.press("Vrienden")
    from tests.flows.test_goal import jump

    jump(chat, "practice.who")
    chat.say("brm")
    assert chat.text == "Bedoel je Bram?"
    chat.say("nee")
    assert chat.route.plan is not None and chat.route.plan.new_person == "brm"


def test_a_stale_did_you_mean_press_is_refused(chat: Chat) -> None:
    at_sector(chat)
    chat.say("buurmam")
    old = chat.prompt
    chat.say("familie")
    chat.send(Event.chose("!mean:buren", old))
    assert [(c.name, c.sector) for c in chat.route.contacts] == [("Ans", "familie")]


def test_a_sample_of_the_typed_answers_file_is_understood() -> None:
    rows = load_typed()
    assert len(rows) >= 300
    figures = typed_figures(rows[::12])
    assert figures["right"] >= 0.97
    assert figures["stored_as_text"] == 0
