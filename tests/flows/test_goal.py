"""One concrete goal (block 5): kind, person, what, how often, by when, a first step,
an if-then plan, confidence, and the goal as one sentence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.effects import SaveBarriers, SaveGoal, SavePlan
from bot.events import Command
from bot.model import Goal, Route
from tests.support.chat import Chat, add_contacts, through_intake

# Helpers shared with test_barriers.py and test_practice.py --------------------------------------

CONTINUE = ("next", "continue", "done", "skip", "dont_know", "start", "yes", "no", "unsure")


def walk_to(chat: Chat, state: str, limit: int = 150) -> None:
    """Press on through the blocks in between until `state`: continue-like buttons first,
    and per question a button not tried before, so a menu cannot keep us in a loop."""
    tried: dict[str, set[str]] = {}
    for _ in range(limit):
        if chat.state == state:
            return
        values = [b.value for b in chat.buttons if not b.value.startswith("!")]
        seen = tried.setdefault(chat.state, set())
        fresh = [v for v in values if v not in seen] or values
        preferred = [v for v in CONTINUE if v in fresh] or fresh
        if preferred:
            seen.add(preferred[0])
            chat.press(preferred[0])
        else:
            chat.say("x")
    assert chat.state == state, f"did not reach {state}, stuck at {chat.state}"


def mapped(chat: Chat, *people: tuple[str, str]) -> Chat:
    """Through intake, with these contacts on the map (none is fine)."""
    through_intake(chat)
    if people:
        add_contacts(chat, *people)
    return chat


def store(chat: Chat, *effects: SaveGoal | SaveBarriers | SavePlan) -> None:
    with chat.engine.store.atomic():
        route = chat.route
        for effect in effects:
            chat.engine.store.apply(effect, route)


def jump(chat: Chat, state: str, cursor: dict[str, Any] | None = None) -> None:
    """Put the client straight in `state` (as after a pause), then ask its question."""
    session = chat.route.session
    session.state, session.cursor = state, dict(cursor or {})
    with chat.engine.store.atomic():
        chat.engine.store.save_session(chat.client_id, session)
    chat.start()
    assert chat.state == state, chat.state


def cid(chat: Chat, name: str) -> int:
    contact = chat.route.contact_named(name)
    assert contact is not None, name
    return contact.id


def full_goal(chat: Chat, **changes: Any) -> Goal:
    goal = Goal(
        kind="contact",
        contact_id=cid(chat, "Ans"),
        activity="visit",
        frequency="2_week",
        horizon_months=3,
        first_step="Ans een berichtje sturen",
        cue="tuesday",
        confidence=8,
    )
    return replace(goal, **changes)


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def client(chat: Chat) -> Chat:
    """Two contacts on the map, a goal already half filled, standing at goal.intro."""
    mapped(chat, ("Ans", "vrienden"), ("Bram", "familie"))
    store(chat, SaveGoal(full_goal(chat)))
    jump(chat, "goal.intro")
    return chat


def goal(chat: Chat) -> Goal:
    assert chat.route.goal is not None
    return chat.route.goal


# The whole block ------------------------------------------------------------------------------


def test_the_route_reaches_the_goal_after_the_map(chat: Chat) -> None:
    mapped(chat, ("Ans", "vrienden"))
    chat.press("done")
    walk_to(chat, "goal.intro")
    assert "Stap 5 van 6" in chat.text
    assert "twee keer per week bezoek thuis krijgen van een bekende" in chat.text


def test_a_whole_goal_every_answer_stored_at_once(chat: Chat) -> None:
    mapped(chat, ("Ans", "vrienden"), ("Bram", "familie"))
    jump(chat, "goal.intro")
    chat.press("Verder")
    chat.press("Contact")
    assert goal(chat).kind == "contact"
    assert chat.labels[:2] == ["Ans", "Bram"]
    chat.press("Ans")
    assert goal(chat).contact_id == cid(chat, "Ans")
    assert "Wat wil je precies doen met Ans?" in chat.text
    assert chat.labels[:3] == ["Bellen", "Bezoek thuis", "Berichtjes"]
    chat.press("Bezoek thuis")
    assert goal(chat).activity == "visit"
    chat.press("2x per week")
    assert goal(chat).frequency == "2_week"
    assert "3 maanden" in chat.text
    chat.press("Over 3 maanden")
    assert goal(chat).horizon_months == 3
    chat.say("Ans een berichtje sturen")
    assert goal(chat).first_step == "Ans een berichtje sturen"
    chat.press("Dinsdag")
    assert goal(chat).cue == "tuesday"
    assert "Als het dinsdag is, dan doe ik dit: Ans een berichtje sturen." in chat.text
    chat.press("8")
    assert chat.state == "goal.confirm"
    assert (
        "Over drie maanden wil ik minstens twee keer per week bezoek thuis krijgen van Ans."
        in chat.text
    )
    assert not goal(chat).confirmed
    chat.press("Ja, zo klopt het")
    assert chat.state == "barriers.pick"
    assert goal(chat) == full_goal(chat, confirmed=True)


# One step at a time: (state, cursor, action, text, next state, check on the stored route) -----

Check = Callable[[Route], bool]
ROWS: list[tuple[str, dict[str, Any], str, str, str, Check]] = [
    ("goal.intro", {}, "press", "Verder", "goal.kind", lambda r: True),
    (
        "goal.kind",
        {},
        "press",
        "Samen dingen doen",
        "goal.who",
        lambda r: r.goal.kind == "together",
    ),
    ("goal.kind", {}, "press", "Weet ik niet", "goal.kind", lambda r: r.goal.kind == "contact"),
    ("goal.kind", {}, "say", "iets", "goal.kind", lambda r: r.goal.kind == "contact"),
    ("goal.who", {}, "press", "Bram", "goal.activity", lambda r: r.goal.new_person == ""),
    ("goal.who", {}, "press", "Iemand nieuw", "goal.who_new", lambda r: True),
    (
        "goal.who",
        {},
        "press",
        "Weet ik nog niet",
        "goal.activity",
        lambda r: not r.goal.contact_id,
    ),
    ("goal.who", {}, "say", "Kees", "goal.activity", lambda r: r.goal.new_person == "Kees"),
    ("goal.who", {}, "say", "bram", "goal.activity", lambda r: not r.goal.new_person),
    ("goal.who_new", {}, "say", "een maatje", "goal.activity", lambda r: not r.goal.contact_id),
    ("goal.who_new", {}, "press", "Sla over", "goal.activity", lambda r: not r.goal.contact_id),
    (
        "goal.activity",
        {},
        "press",
        "Bellen",
        "goal.frequency",
        lambda r: r.goal.activity == "call",
    ),
    (
        "goal.activity",
        {},
        "say",
        "samen naar de markt",
        "goal.frequency",
        lambda r: r.goal.activity == "text:samen naar de markt",
    ),
    ("goal.frequency", {}, "press", "Vaker", "goal.horizon", lambda r: r.goal.frequency == "more"),
    (
        "goal.frequency",
        {},
        "say",
        "elke dag",
        "goal.horizon",
        lambda r: r.goal.frequency == "text:elke dag",
    ),
    ("goal.horizon", {}, "press", "Over 6 maanden", "goal.first_step", lambda r: True),
    ("goal.horizon", {}, "say", "snel", "goal.horizon", lambda r: r.goal.horizon_months == 3),
    ("goal.first_step", {}, "say", "Bellen", "goal.cue", lambda r: r.goal.first_step == "Bellen"),
    ("goal.first_step", {}, "press", "Weet ik niet", "goal.first_step", lambda r: True),
    (
        "goal.first_step",
        {"smaller": True},
        "say",
        "Nummer zoeken",
        "goal.confidence",
        lambda r: True,
    ),
    ("goal.cue", {}, "press", "Zondag", "goal.confidence", lambda r: r.goal.cue == "sunday"),
    (
        "goal.cue",
        {},
        "say",
        "na het eten",
        "goal.confidence",
        lambda r: r.goal.cue == "text:na het eten",
    ),
    ("goal.cue", {}, "press", "Sla over", "goal.confidence", lambda r: r.goal.cue == ""),
    ("goal.confidence", {}, "press", "9", "goal.confirm", lambda r: r.goal.confidence == 9),
    ("goal.confidence", {}, "say", "7", "goal.confirm", lambda r: r.goal.confidence == 7),
    ("goal.confidence", {}, "press", "6", "goal.smaller", lambda r: r.goal.confidence == 6),
    ("goal.confidence", {}, "press", "1", "goal.smaller", lambda r: r.goal.confidence == 1),
    ("goal.confidence", {}, "say", "heel zeker", "goal.confidence", lambda r: True),
    ("goal.smaller", {}, "press", "Ja, kleiner", "goal.first_step", lambda r: True),
    ("goal.smaller", {}, "press", "Nee, zo is het goed", "goal.confirm", lambda r: True),
    ("goal.confirm", {}, "press", "Ja, zo klopt het", "barriers.pick", lambda r: r.goal.confirmed),
    ("goal.confirm", {}, "press", "Ik zeg het liever zelf", "goal.own_words", lambda r: True),
    ("goal.confirm", {}, "press", "Iets veranderen", "goal.kind", lambda r: not r.goal.confirmed),
    ("goal.confirm", {}, "say", "ja hoor", "barriers.pick", lambda r: r.goal.confirmed),
    ("goal.own_words", {}, "say", "Ans komt vaker", "barriers.pick", lambda r: r.goal.confirmed),
    (
        "goal.own_words",
        {},
        "press",
        "Laat maar, zo is het goed",
        "barriers.pick",
        lambda r: r.goal.confirmed and r.goal.sentence == "",
    ),
]


@pytest.mark.parametrize(
    ("state", "cursor", "action", "text", "dest", "check"),
    ROWS,
    ids=[f"{row[0]}-{row[2]}-{row[3][:20]}" for row in ROWS],
)
def test_transitions(
    client: Chat,
    state: str,
    cursor: dict[str, Any],
    action: str,
    text: str,
    dest: str,
    check: Check,
) -> None:
    jump(client, state, cursor)
    getattr(client, action)(text)
    assert client.state == dest
    assert check(client.route)


def test_dont_know_gives_examples_then_asks_again(client: Chat) -> None:
    jump(client, "goal.kind")
    client.press("Weet ik niet")
    assert "Hier zijn een paar voorbeelden" in client.text
    assert "Waar gaat je doel over?" in client.text
    assert "Contact" in client.labels


def test_activities_follow_the_kind(client: Chat) -> None:
    jump(client, "goal.kind")
    client.press("Praktische hulp")
    client.press("Bram")
    assert "Waar wil je hulp bij van Bram?" in client.text
    assert client.labels[:3] == ["Boodschappen", "Post en papieren", "Vervoer"]
    client.press("Post en papieren")
    client.press("1x per maand")
    client.press("Over 1 maand")
    client.say("De brieven sorteren")
    client.say("na het ontbijt")
    assert "Mijn moment: na het ontbijt. Dan doe ik dit: De brieven sorteren." in client.text
    client.press("10")
    assert (
        "Over een maand wil ik minstens één keer per maand hulp van Bram krijgen bij "
        "post en papieren." in client.text
    )


def test_a_new_person_is_named_in_the_sentence(client: Chat) -> None:
    jump(client, "goal.who")
    client.press("Iemand nieuw")
    client.say("een maatje")
    client.say("samen naar de markt")
    client.say("elke zaterdag")
    client.press("Over 3 maanden")
    client.say("het maatjesproject bellen")
    client.press("Sla over")
    client.press("7")
    assert (
        "Over drie maanden wil ik elke zaterdag dit doen met een maatje: samen naar de markt."
        in client.text
    )
    assert "Dit doe ik eerst: het maatjesproject bellen." in client.text


def test_without_contacts_only_someone_new_or_not_yet(chat: Chat) -> None:
    mapped(chat)
    jump(chat, "goal.who")
    assert chat.labels == ["Iemand nieuw", "Weet ik nog niet", "↩ Terug"]
    assert "maatje" in chat.text


def test_low_confidence_makes_the_step_smaller(client: Chat) -> None:
    jump(client, "goal.confidence")
    client.press("4")
    assert client.state == "goal.smaller"
    assert "Zullen we de stap kleiner maken?" in client.text
    client.press("Ja, kleiner")
    assert "We maken de stap kleiner." in client.text
    assert '"Ans een berichtje sturen"' in client.text
    client.say("Het nummer van Ans opzoeken")
    assert client.state == "goal.confidence"
    assert "Als het dinsdag is, dan doe ik dit: Het nummer van Ans opzoeken." in client.text
    client.press("8")
    assert client.state == "goal.confirm"
    assert goal(client).first_step == "Het nummer van Ans opzoeken"
    assert goal(client).confidence == 8


def test_own_words_are_stored_and_win(client: Chat) -> None:
    jump(client, "goal.confirm")
    client.press("Ik zeg het liever zelf")
    assert "Over drie maanden wil ik" in client.text  # the bot's sentence as a start
    client.say("Ik wil dat Ans vaker bij mij op de koffie komt.")
    assert goal(client).sentence == "Ik wil dat Ans vaker bij mij op de koffie komt."
    assert goal(client).confirmed
    jump(client, "goal.confirm")
    assert "<b>Ik wil dat Ans vaker bij mij op de koffie komt.</b>" in client.text
    client.press("Iets veranderen")
    assert goal(client).sentence == ""
    assert goal(client).kind == "contact"


def test_back_and_change_an_answer(client: Chat) -> None:
    client.press("Verder")
    client.press("Contact")
    client.press("Ans")
    client.press("Bezoek thuis")
    assert client.state == "goal.frequency"
    client.press("↩ Terug")
    assert client.state == "goal.activity"
    client.press("Bellen")
    assert client.state == "goal.frequency"
    assert goal(client).activity == "call"


# Free text, long text, emoji, markup, nothing ------------------------------------------------


def test_ten_thousand_characters_are_refused_kindly(client: Chat) -> None:
    jump(client, "goal.first_step")
    client.say("a" * 10_000)
    assert client.state == "goal.first_step"
    assert "Hooguit 500 tekens" in client.text
    assert goal(client).first_step == "Ans een berichtje sturen"


def test_empty_text_is_asked_again(client: Chat) -> None:
    jump(client, "goal.first_step")
    client.say("   \n ")
    assert client.state == "goal.first_step"
    assert "Ik zie geen tekst" in client.text


def test_emoji_are_kept(client: Chat) -> None:
    jump(client, "goal.first_step")
    client.say("Ans een appje sturen 😊")
    assert goal(client).first_step == "Ans een appje sturen 😊"


def test_markup_is_shown_as_typed(client: Chat) -> None:
    jump(client, "goal.who")
    client.say("<b>x</b>")
    assert goal(client).new_person == "<b>x</b>"
    assert "met &lt;b&gt;x&lt;/b&gt;?" in client.text
    assert "<b>x</b>" not in client.text


def test_a_long_new_name_is_refused(client: Chat) -> None:
    jump(client, "goal.who_new")
    client.say("een heel erg lange beschrijving van een persoon die ik nog niet ken")
    assert client.state == "goal.who_new"
    assert "Hooguit 40 tekens" in client.text


# Resume --------------------------------------------------------------------------------------


def test_resume_lands_on_the_same_question_with_answers_kept(tmp_path: Path) -> None:
    path = tmp_path / "steunkaart.db"
    first = Chat.open(path)
    mapped(first, ("Ans", "vrienden"))
    jump(first, "goal.intro")
    first.press("Verder")
    first.press("Contact")
    first.press("Ans")
    first.press("Bezoek thuis")
    first.close()
    again = Chat.open(path)
    try:
        again.start()
        assert again.state == "goal.frequency"
        assert "Hoe vaak wil je dat?" in again.text
        assert goal(again).activity == "visit"
        assert goal(again).contact_id == cid(again, "Ans")
    finally:
        again.close()


# Both locales -----------------------------------------------------------------------------------


def test_english_goal(chat_en: Chat) -> None:
    mapped(chat_en, ("Ans", "vrienden"))
    jump(chat_en, "goal.intro")
    assert "Step 5 of 6" in chat_en.text
    chat_en.press("Continue")
    chat_en.press("Doing things together")
    chat_en.press("Ans")
    chat_en.press("Having coffee")
    chat_en.press("Once a week")
    chat_en.press("In 6 months")
    chat_en.say("send Ans a message")
    chat_en.press("Friday")
    assert "When it is Friday, I will do this: send Ans a message." in chat_en.text
    chat_en.press("3")
    assert "Shall we make the step smaller?" in chat_en.text
    chat_en.press("No, it's fine like this")
    assert "In six months I want to have coffee with Ans at least once a week." in chat_en.text
    chat_en.press("Yes, that's right")
    assert chat_en.state == "barriers.pick"


STATES = [
    "goal.intro",
    "goal.kind",
    "goal.who",
    "goal.who_new",
    "goal.activity",
    "goal.frequency",
    "goal.horizon",
    "goal.first_step",
    "goal.cue",
    "goal.confidence",
    "goal.smaller",
    "goal.confirm",
    "goal.own_words",
]


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("state", STATES)
def test_every_question_renders_in_both_locales(tmp_path: Path, locale: str, state: str) -> None:
    chat = Chat.open(tmp_path / "s.db", locale=locale)
    try:
        mapped(chat, ("Ans", "vrienden"))
        for changes in ({}, {"activity": "text:<i>eigen</i>", "cue": "text:na", "kind": None}):
            store(chat, SaveGoal(full_goal(chat, **changes)))
            jump(chat, state)
            assert chat.text.strip()
            assert "<i>eigen</i>" not in chat.text
        chat.command(Command.HELP)
        assert "/" in chat.text
    finally:
        chat.close()
