"""When to ask, in own words (bot/flows/when.py): read, asked, confirmed in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from bot.moments import TIMEZONE
from tests.flows.test_goal import jump
from tests.support.chat import Chat, through_intake

NOW = datetime(2026, 12, 9, 9, 30, tzinfo=TIMEZONE)  # a Wednesday morning


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    with time_machine.travel(NOW, tick=False):
        chat = Chat.open(tmp_path / "s.db")
        through_intake(chat)
        jump(chat, "practice.when")
        yield chat
        chat.close()


def ask_due(chat: Chat) -> datetime:
    ask = next(r for r in chat.engine.store.agenda.pending(chat.client_id) if r.kind == "ask")
    return ask.due_at.astimezone(TIMEZONE)


def test_own_words_are_confirmed_in_words_then_stored(chat: Chat) -> None:
    chat.say("zaterdagochtend")
    assert chat.text == "Ik stuur je zaterdag 12 december om 10:00 een herinnering. Goed zo?"
    assert chat.labels == ["Ja", "Ander moment", "↩ Terug"]
    assert chat.route.plan is None  # nothing stored before the client said yes
    chat.say("ja")
    assert chat.route.plan is not None
    assert chat.route.plan.moment == "at:2026-12-12T10:00"
    assert ask_due(chat) == datetime(2026, 12, 12, 10, 0, tzinfo=TIMEZONE)
    assert chat.state == "overview.show"


def test_another_moment_goes_back_to_the_question(chat: Chat) -> None:
    chat.say("morgenavond")
    chat.press("Ander moment")
    assert chat.state == "practice.when"
    chat.say("vrijdag 16u30")
    assert "vrijdag 11 december om 16:30" in chat.text


def test_a_moment_in_quiet_hours_is_moved_and_said_so(chat: Chat) -> None:
    chat.say("zaterdag 23:00")
    assert "Tussen 22:00 en 08:00 stuur ik geen berichten." in chat.text
    assert "Ik stuur je zondag 13 december om 08:00 een herinnering." in chat.text
    chat.press("Ja")
    assert ask_due(chat) == datetime(2026, 12, 13, 8, 0, tzinfo=TIMEZONE)


def test_without_a_day_the_day_is_asked_with_buttons_then_confirmed(chat: Chat) -> None:
    chat.say("na het eten")
    assert chat.state == "practice.when_day"
    assert chat.labels[:3] == ["Vandaag", "Morgen", "Overmorgen"]
    assert "Zaterdag" in chat.labels
    chat.press("Morgen")
    assert "Ik stuur je morgen om 19:00 een herinnering. Goed zo?" in chat.text


def test_unreadable_words_ask_the_day_then_the_part_of_the_day(chat: Chat) -> None:
    chat.say("als ik moed heb")
    assert "Dat kon ik niet goed lezen." in chat.text
    chat.press("Zaterdag")
    assert chat.state == "practice.when_part"
    assert chat.labels[:3] == ["Ochtend (10:00)", "Middag (14:00)", "Avond (19:00)"]
    chat.press("Middag (14:00)")
    assert "zaterdag 12 december om 14:00" in chat.text


def test_a_day_without_a_time_asks_the_part_of_the_day(chat: Chat) -> None:
    chat.say("woensdag na de koffie")  # "na de koffie" is no time: asked, not guessed
    assert chat.state == "practice.when_part"
    chat.say("om half 11")
    assert "woensdag 16 december om 10:30" in chat.text


def test_a_moment_gone_by_is_said_and_the_day_asked(chat: Chat) -> None:
    chat.say("vandaag om 9 uur")
    assert "Dat moment is al voorbij." in chat.text
    chat.press("Morgen")
    assert "morgen om 09:00" in chat.text


def test_a_button_is_said_back_in_words_too(chat: Chat) -> None:
    chat.press("Dit weekend")
    assert "Ik stuur je zaterdag 12 december om 10:00 een herinnering. Goed zo?" in chat.text
    chat.press("Ja")
    assert chat.route.plan is not None and chat.route.plan.moment == "weekend"


def test_english(tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        chat = Chat.open(tmp_path / "en.db", locale="en")
        through_intake(chat)
        jump(chat, "practice.when")
        chat.say("next tuesday 7pm")
        assert (
            chat.text
            == "I will send you a reminder on Tuesday 15 December at 19:00. Is that right?"
        )
        chat.close()
