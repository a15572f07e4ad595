"""Why doesn't it happen now? Barriers toggled on and off, saved at once (block 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.effects import SaveGoal
from bot.events import Command
from bot.model import BARRIERS, Barrier
from tests.flows.test_goal import full_goal, jump, mapped, store
from tests.support.chat import Chat

LABELS = {
    "give_back": "Ik kan niets terug doen",
    "busy": "Ze hebben het al druk",
    "show_problems": "Ik wil mijn problemen niet laten zien",
    "keep_free": "Ik wil de vriendschap vrij houden van zorg",
    "how_to_ask": "Ik weet niet hoe ik het moet vragen",
    "bad_experience": "Ik heb slechte ervaringen",
}


@pytest.fixture
def client(chat: Chat) -> Chat:
    mapped(chat, ("Ans", "vrienden"))
    store(chat, SaveGoal(full_goal(chat, confirmed=True)))
    jump(chat, "barriers.pick")
    return chat


def keys(chat: Chat) -> list[str]:
    return [barrier.key for barrier in chat.route.barriers]


def test_the_confirmed_goal_leads_here(chat: Chat) -> None:
    mapped(chat, ("Ans", "vrienden"))
    store(chat, SaveGoal(full_goal(chat)))
    jump(chat, "goal.confirm")
    chat.press("Ja, zo klopt het")
    assert chat.state == "barriers.pick"
    assert "Wat houdt je nu tegen?" in chat.text


def test_all_six_barriers_in_plain_words(client: Chat) -> None:
    assert [b.value for b in client.buttons][:6] == list(BARRIERS)
    assert client.labels[:6] == [LABELS[key] for key in BARRIERS]
    assert client.labels[6:9] == ["Iets anders", "Klaar", "Niets houdt me tegen"]


def test_toggling_on_and_off_is_saved_at_once_with_a_tick(client: Chat) -> None:
    client.press(LABELS["busy"])
    assert keys(client) == ["busy"]
    assert "✓ Ze hebben het al druk" in client.labels
    client.press(LABELS["give_back"])
    assert keys(client) == ["give_back", "busy"]  # always in the method's order
    client.press("✓ Ze hebben het al druk")
    assert keys(client) == ["give_back"]
    assert "Ze hebben het al druk" in client.labels
    assert client.state == "barriers.pick"


def test_something_else_in_own_words(client: Chat) -> None:
    client.press(LABELS["how_to_ask"])
    client.press("Iets anders")
    assert client.state == "barriers.other"
    client.say("Ik ben vaak te moe")
    assert client.state == "barriers.pick"
    assert client.route.barriers == [Barrier("how_to_ask"), Barrier("other", "Ik ben vaak te moe")]
    assert "✓ Iets anders" in client.labels
    assert '"Ik ben vaak te moe"' in client.text
    client.press("✓ Iets anders")
    assert "Ik ben vaak te moe" in client.text
    client.say("Ik schaam me")
    assert client.route.barriers[-1] == Barrier("other", "Ik schaam me")
    client.press("✓ Iets anders")
    client.press("Weghalen")
    assert keys(client) == ["how_to_ask"]


def test_typed_words_at_the_list_are_their_own_barrier(client: Chat) -> None:
    client.say("Ik durf het niet")
    assert client.state == "barriers.pick"
    assert client.route.barriers == [Barrier("other", "Ik durf het niet")]


def test_back_to_the_list_without_writing(client: Chat) -> None:
    client.press("Iets anders")
    client.press("Terug naar de lijst")
    assert client.state == "barriers.pick"
    assert keys(client) == []


def test_nothing_holds_me_back_clears_the_list(client: Chat) -> None:
    client.press(LABELS["busy"])
    client.press("Niets houdt me tegen")
    assert client.state == "barriers.reflect"
    assert keys(client) == []
    assert "Fijn dat niets je tegenhoudt" in client.text


def test_reflection_has_a_kind_word_per_barrier(client: Chat) -> None:
    for key in BARRIERS:
        client.press(LABELS[key])
    client.say("Ik ben moe")
    client.press("Klaar")
    assert client.state == "barriers.reflect"
    for phrase in (
        "niets terug kunt doen",
        "het vaak druk",
        "problemen niet laten zien",
        "vrij houden van zorg",
        "hoe je het moet vragen",
        "slechte ervaringen",
        '"Ik ben moe"',
        "Veel mensen vinden vragen moeilijk",
    ):
        assert phrase in client.text
    client.press("Verder")
    assert client.state == "practice.intro"


def test_back_from_the_reflection_keeps_the_choices(client: Chat) -> None:
    client.press(LABELS["keep_free"])
    client.press("Klaar")
    client.press("↩ Terug")
    assert client.state == "barriers.pick"
    assert "✓ Ik wil de vriendschap vrij houden van zorg" in client.labels


@pytest.mark.parametrize(
    ("text", "reply"),
    [("a" * 10_000, "Hooguit 500 tekens"), ("  ", "Ik zie geen tekst")],
)
def test_too_long_or_empty_own_words(client: Chat, text: str, reply: str) -> None:
    client.press("Iets anders")
    client.say(text)
    assert client.state == "barriers.other"
    assert reply in client.text
    assert keys(client) == []


def test_emoji_and_markup_are_kept_and_shown_escaped(client: Chat) -> None:
    client.say("<b>x</b> 😔")
    assert client.route.barriers == [Barrier("other", "<b>x</b> 😔")]
    assert "&lt;b&gt;x&lt;/b&gt; 😔" in client.text
    client.press("Klaar")
    assert "&lt;b&gt;x&lt;/b&gt;" in client.text
    assert "<b>x</b>" not in client.text


def test_resume_keeps_the_ticks(tmp_path: Path) -> None:
    path = tmp_path / "steunkaart.db"
    first = Chat.open(path)
    mapped(first, ("Ans", "vrienden"))
    jump(first, "barriers.pick")
    first.press(LABELS["bad_experience"])
    first.close()
    again = Chat.open(path)
    try:
        again.start()
        assert again.state == "barriers.pick"
        assert "✓ Ik heb slechte ervaringen" in again.labels
    finally:
        again.close()


@pytest.mark.parametrize("state", ["barriers.pick", "barriers.other", "barriers.reflect"])
def test_help_in_every_question(client: Chat, state: str) -> None:
    jump(client, state)
    client.command(Command.HELP)
    assert "Je kunt ook zelf iets typen" in client.text
    assert client.state == state


def test_english(chat_en: Chat) -> None:
    mapped(chat_en, ("Ans", "vrienden"))
    jump(chat_en, "barriers.pick")
    assert "What is holding you back now?" in chat_en.text
    chat_en.press("I don't know how to ask")
    assert "✓ I don't know how to ask" in chat_en.labels
    chat_en.press("Something else")
    chat_en.say("I feel ashamed")
    chat_en.press("Done")
    assert "You are not sure how to ask" in chat_en.text
    assert '"I feel ashamed"' in chat_en.text
    chat_en.press("Continue")
    assert chat_en.state == "practice.intro"
    assert "Step 6 of 6" in chat_en.text
