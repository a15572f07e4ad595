"""Intake: what the bot is, consent, crisis numbers; nothing stored without consent."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.model import CONSENT_VERSION
from tests.support.chat import Chat, through_intake


def test_welcome_says_what_the_bot_is_and_is_not(chat: Chat) -> None:
    chat.start()
    assert chat.state == "intake.welcome"
    assert "computerprogramma" in chat.text
    assert "geen hulpdienst" in chat.text
    assert "Stap 1 van 6" in chat.text


def test_privacy_says_telegram_is_not_end_to_end_encrypted(chat: Chat) -> None:
    chat.start()
    chat.press("Verder")
    assert "niet volledig versleuteld" in chat.text


def test_language_can_be_switched_to_english_and_back(chat: Chat) -> None:
    chat.start()
    chat.press("English")
    assert "computer program" in chat.text
    chat.press("Nederlands")
    assert "computerprogramma" in chat.text


def test_no_consent_stores_nothing_and_says_goodbye_kindly(chat: Chat) -> None:
    chat.start()
    chat.press("Verder")
    chat.press("Ik snap het")
    chat.press("Nee, liever niet")
    assert "niets van je bewaard" in chat.text
    count = chat.engine.store.db.execute("SELECT count(*) FROM clients").fetchone()[0]
    assert count == 0
    chat.press("Toch beginnen")
    assert chat.state == "intake.welcome"


def test_consent_is_recorded_with_date_and_version(chat: Chat) -> None:
    chat.start()
    chat.press("Verder")
    chat.press("Ik snap het")
    chat.press("Ja, dat mag")
    profile = chat.route.profile
    assert profile.consent_at is not None
    assert profile.consent_version == CONSENT_VERSION


def test_gp_numbers_are_kept_and_shown_in_the_crisis_reply(chat: Chat) -> None:
    chat.start()
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Ja"):
        chat.press(label)
    chat.say("020 123 4567")
    chat.say("+31 20 765 4321")
    assert "020 123 4567" in chat.text
    chat.say("ik wil zelfmoord plegen")
    assert "020 123 4567" in chat.text
    assert "+31 20 765 4321" in chat.text
    assert chat.route.profile.alert_consent is True


@pytest.mark.parametrize("bad", ["Ans", "12", "", "<b>1</b>", "0" * 40, "😀😀😀"])
def test_a_phone_number_that_is_not_one_is_asked_again(chat: Chat, bad: str) -> None:
    chat.start()
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Nee"):
        chat.press(label)
    chat.say(bad)
    assert chat.state == "intake.gp"
    assert chat.route.profile.gp_phone == ""


def test_intake_finishes_on_the_network_map(chat: Chat) -> None:
    through_intake(chat)
    assert "Stap 2 van 6" in chat.text


def test_nothing_is_stored_before_consent_even_after_answers(tmp_path: Path) -> None:
    chat = Chat.open(tmp_path / "s.db")
    chat.start()
    chat.press("English")
    chat.press("Continue")
    chat.close()
    again = Chat.open(tmp_path / "s.db")
    assert again.engine.store.load("client-1", again.engine.settings) is None
    again.close()
