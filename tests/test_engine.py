"""The engine's promises in every step: commands, crisis, stale buttons, resume."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.events import Command, Event
from tests.support.chat import Chat, add_contacts, through_intake


def test_help_explains_the_step_and_asks_again(chat: Chat) -> None:
    through_intake(chat)
    chat.press("Beginnen")
    chat.say("hulp")
    assert "lijst van mensen" in chat.text
    assert chat.state == "network.name"
    assert chat.replies[-1].buttons == () or chat.replies[-1].prompt is not None


def test_pause_then_start_resumes_at_the_same_step(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    chat.say("/pauze")
    assert "pauze" in chat.text
    chat.start()
    assert "verder waar je was" in chat.text
    assert chat.state == "network.more"


def test_back_returns_to_the_previous_question_and_allows_a_new_answer(chat: Chat) -> None:
    through_intake(chat)
    chat.press("Beginnen")
    chat.say("Ans")
    chat.press("Familie")
    chat.command(Command.BACK)
    assert chat.state == "network.sector"
    assert "Waar ken je Ans van?" in chat.text


def test_back_button_is_offered_once_there_is_a_previous_question(chat: Chat) -> None:
    chat.start()
    assert "↩ Terug" not in chat.labels
    chat.press("Verder")
    assert "↩ Terug" in chat.labels
    chat.press("↩ Terug")
    assert chat.state == "intake.welcome"


def test_back_on_the_first_question_says_so(chat: Chat) -> None:
    chat.start()
    chat.say("terug")
    assert "Verder terug kan niet" in chat.text


def test_stop_keeps_everything_and_tells_how_to_erase(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    chat.say("/stop")
    assert "/wissen" in chat.text
    assert len(chat.route.contacts) == 1


def test_unknown_command_gets_a_kind_answer_and_the_question_again(chat: Chat) -> None:
    through_intake(chat)
    chat.press("Beginnen")
    chat.say("/foo")
    assert "commando ken ik niet" in chat.text
    assert chat.state == "network.name"
    assert chat.route.contacts == []


def test_crisis_language_in_any_step_gets_the_crisis_reply(chat: Chat) -> None:
    through_intake(chat)
    chat.press("Beginnen")
    chat.say("ik wil niet meer leven")
    assert "113" in chat.text and "0800-0113" in chat.text and "112" in chat.text
    assert chat.replies[0].keep
    assert chat.route.contacts == []  # not taken as a contact's name
    chat.press("Verder met Steunkaart")
    assert chat.state == "network.name"


def test_crisis_is_logged_without_its_words(chat: Chat) -> None:
    through_intake(chat)
    chat.say("I want to kill myself")
    rows = chat.engine.store.db.execute("SELECT kind, state FROM happenings").fetchall()
    assert ("crisis", "network.intro") in rows
    dump = "\n".join(r[0] for r in chat.engine.store.db.execute("SELECT value FROM answers"))
    assert "kill" not in dump


def test_a_press_on_an_old_keyboard_is_refused_kindly(chat: Chat) -> None:
    through_intake(chat)
    old_prompt = chat.prompt
    chat.press("Beginnen")
    current = chat.prompt
    chat.send(Event.chose("nobody", old_prompt))
    assert "Die vraag is al voorbij" in chat.replies[0].text
    assert chat.state == "network.name"
    # The question that counts comes again, last, under the same number: both its
    # copies work (a press on the first may already be on its way).
    assert "Wat is de voornaam" in chat.replies[-1].text
    assert chat.replies[-1].prompt == current
    chat.send(Event.chose("nobody", old_prompt))  # once more: still the same number
    assert chat.replies[-1].prompt == current
    chat.say("Ans")
    assert chat.state == "network.sector"


def test_forged_choice_values_are_refused(chat: Chat) -> None:
    through_intake(chat)
    chat.send(Event.chose("c99999", chat.prompt))
    assert "Kies een van de knoppen" in chat.text
    assert chat.state == "network.intro"


def test_unsupported_messages_get_a_kind_answer(chat: Chat) -> None:
    through_intake(chat)
    chat.send(Event.unsupported("sticker"))
    assert "alleen tekst lezen" in chat.text
    assert chat.state == "network.intro"


def test_a_new_process_resumes_at_the_exact_step_with_all_answers(tmp_path: Path) -> None:
    first = Chat.open(tmp_path / "s.db")
    through_intake(first)
    add_contacts(first, ("Ans", "familie"), ("Bram", "vrienden"))
    first.press("Bekijk lijst")
    first.press("Bram")
    first.close()
    second = Chat.open(tmp_path / "s.db")
    second.start()
    assert second.state == "network.edit"
    assert "Wat wil je veranderen aan Bram?" in second.text
    assert [c.name for c in second.route.contacts] == ["Ans", "Bram"]
    second.press("Weghalen")
    assert second.state == "network.remove"
    second.close()


def test_each_answer_is_logged_with_its_step(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    rows = chat.engine.store.db.execute("SELECT state, kind, value FROM answers").fetchall()
    assert ("network.name", "text", "Ans") in rows
    assert ("network.sector", "choice", "familie") in rows


def test_english_client_reads_english(chat_en: Chat) -> None:
    through_intake(chat_en)
    assert "Step 2 of 6" in chat_en.text
    chat_en.say("/help")
    assert "We make a list" in chat_en.text


def test_mydata_sends_a_readable_summary_and_a_json_document(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    chat.say("/mijngegevens")
    first = chat.replies[0]
    assert "Ans" in first.text
    assert first.document is not None
    assert b'"name": "Ans"' in first.document.content
    assert chat.state == "network.more"


def test_erase_asks_first_and_then_removes_everything(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    chat.say("/wissen")
    chat.press("Nee, bewaren")
    assert len(chat.route.contacts) == 1
    chat.say("/wissen")
    chat.press("Ja, wis alles")
    assert "gewist" in chat.text
    assert chat.engine.store.load("client-1", chat.engine.settings) is None
    chat.start()
    assert chat.state == "intake.welcome"


def test_a_redelivered_message_is_not_answered_twice(chat: Chat) -> None:
    through_intake(chat)
    chat.press("Beginnen")
    chat.send(Event.typed("Ans", ref=41))
    chat.press("Familie")
    assert chat.engine.handle("client-1", Event.typed("Ans", ref=41)) == []
    assert [c.name for c in chat.route.contacts] == ["Ans"]
    assert chat.state == "network.more"


def test_a_changed_consent_text_asks_again_before_anything_else(chat: Chat) -> None:
    through_intake(chat)
    chat.engine.store.db.execute("UPDATE clients SET consent_version = 'old'")
    chat.say("Ans")
    assert "Er is iets veranderd" in chat.text
    assert chat.route.contacts == []
    chat.press("Ja, dat mag")
    from bot.model import CONSENT_VERSION

    assert chat.route.profile.consent_version == CONSENT_VERSION
    assert chat.state == "network.intro"


def test_withdrawing_consent_after_a_change_erases_after_confirmation(chat: Chat) -> None:
    through_intake(chat)
    chat.engine.store.db.execute("UPDATE clients SET consent_version = 'old'")
    chat.start()
    chat.press("Nee, wis alles")
    chat.press("Ja, wis alles")
    assert chat.engine.store.load("client-1", chat.engine.settings) is None


def test_a_new_client_starts_in_the_language_their_app_reports(tmp_path: Path) -> None:
    chat = Chat.open(tmp_path / "en.db", client_id="tg:77")
    try:
        chat.send(replace(Event.start(), language="en-US"))
        assert "computer program" in chat.text
        assert "Nederlands" in chat.labels  # the choice stays
        chat.send(replace(Event.start(), language="nl"))  # known now: the language holds
        assert "computer program" in chat.text
    finally:
        chat.close()
