"""The closing overview: what was agreed, shown kindly also when parts were skipped.

The goal, barrier and practice flows are written elsewhere; these tests store their
results directly and put the session on the overview, so they test only this flow.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.effects import Effect, SaveBarriers, SaveGoal, SavePlan
from bot.flows import overview
from bot.i18n import LOCALES, renderer
from bot.model import AskPlan, Barrier, Contact, Goal, Profile, Route, Session
from tests.support.chat import Chat, add_contacts, through_intake

BAD_INPUT = ["hallo", "x" * 10_000, "🙂🌧", "<b>x</b>", "", "   "]
GOAL = "Over drie maanden twee keer per week bezoek van een bekende."


def store(chat: Chat, *effects: Effect) -> None:
    with chat.engine.store.atomic():
        for effect in effects:
            chat.engine.store.apply(effect, chat.route)


def jump_to_overview(chat: Chat) -> None:
    """Put the session on overview.show, as the practice flow will, and come back."""
    route = chat.route
    route.session.state, route.session.cursor = "overview.show", {}
    with chat.engine.store.atomic():
        chat.engine.store.save_session(chat.client_id, route.session)
    chat.start()
    assert chat.state == "overview.show"


@pytest.fixture
def listed(chat: Chat) -> Chat:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"), ("<b>Bram</b>", "vrienden"))
    return chat


def labels(chat: Chat) -> list[str]:
    return [b.label for b in chat.buttons if not b.value.startswith("!")]


def test_everything_agreed_in_one_message(listed: Chat) -> None:
    ans = listed.route.contact_named("Ans")
    assert ans is not None
    plan = AskPlan(
        ans.id, request="Wil je <i>zaterdag</i> mee?", channel="phone", moment="text:dinsdag"
    )
    barriers = (Barrier("busy"), Barrier("other", "Ik schaam me"))
    store(listed, SaveGoal(Goal(sentence=GOAL)), SaveBarriers(barriers), SavePlan(plan))
    jump_to_overview(listed)
    text = listed.text
    for line in (
        "Ik bewaar je antwoorden.",
        "Ik geef je hulpverlener geen seintje.",
        "Er staan 2 mensen op je lijst.",
        GOAL,
        "• De ander heeft het al druk.",
        "• Ik schaam me",
        "Wie: Ans",
        "Je vraag: Wil je &lt;i&gt;zaterdag&lt;/i&gt; mee?",
        "Hoe: door te bellen",
        "Wanneer: dinsdag",
    ):
        assert line in text
    assert labels(listed) == ["Klaar"]


def test_a_new_person_in_the_plan(listed: Chat) -> None:
    store(listed, SavePlan(AskPlan(new_person="<b>buddy</b>", request="Koffie?", channel="x")))
    jump_to_overview(listed)
    assert "Wie: &lt;b&gt;buddy&lt;/b&gt;" in listed.text
    assert "Hoe:" not in listed.text


def test_skipped_parts_are_mentioned_kindly(chat: Chat) -> None:
    through_intake(chat)
    jump_to_overview(chat)
    assert "Er staat nog niemand op je lijst." in chat.text
    assert "Je hebt nog geen doel gekozen." in chat.text
    assert "Je hebt nog geen plan gemaakt." in chat.text
    assert "moeilijk maakt" not in chat.text


def test_an_empty_goal_and_plan_count_as_skipped(listed: Chat) -> None:
    store(listed, SaveGoal(Goal()), SavePlan(AskPlan()), SaveBarriers(()))
    jump_to_overview(listed)
    assert "Je hebt nog geen doel gekozen." in listed.text
    assert "Je hebt nog geen plan gemaakt." in listed.text


def test_goodbye_then_look_again_or_change_the_list(listed: Chat) -> None:
    jump_to_overview(listed)
    listed.press("Klaar")
    assert listed.state == "overview.done"
    assert "Tot de volgende keer" in listed.text
    assert "/start" in listed.text
    assert labels(listed) == ["Overzicht nog eens bekijken", "Mijn lijst aanpassen"]
    listed.press("Overzicht nog eens bekijken")
    assert listed.state == "overview.show"
    listed.press("Klaar")
    listed.press("Mijn lijst aanpassen")
    assert listed.state == "network.list"
    assert listed.route.session.cursor == {}


@pytest.mark.parametrize("typed", BAD_INPUT)
@pytest.mark.parametrize("done", [False, True])
def test_bad_input_is_asked_again(listed: Chat, done: bool, typed: str) -> None:
    jump_to_overview(listed)
    if done:
        listed.press("Klaar")
    state = listed.state
    listed.say(typed)
    assert "Dat begreep ik niet" in listed.text
    assert listed.state == state


@pytest.fixture
def english(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat.open(tmp_path / "en.db", locale="en")
    yield chat
    chat.close()


def test_the_english_overview(english: Chat) -> None:
    english.start()
    for value in ("next", "next", "yes", "yes", "skip", "skip", "next"):
        english.press(value)
    add_contacts(english, ("Ans", "familie"))
    store(english, SaveBarriers((Barrier("how_to_ask"),)), SavePlan(AskPlan(channel="message")))
    jump_to_overview(english)
    assert "There is 1 person on your list." in english.text
    assert "so I cannot let anyone know" in english.text  # not linked: no promise
    assert "• I don't know how to ask." in english.text
    english.press("Done")
    assert "See you next time!" in english.text
    assert labels(english) == ["See the overview again", "Change my list"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("state", list(overview.STEPS))
def test_every_prompt_renders(locale: str, state: str) -> None:
    route = Route(Profile("c", locale, gp_phone="0101234567"), Session(state), map_id=1)
    route.contacts = [Contact(1, "Ans", "familie", 1)]
    route.goal = Goal(sentence=GOAL)
    route.barriers = [Barrier(key) for key in ("give_back", "keep_free", "bad_experience")]
    route.plan = AskPlan(1, request="Koffie?", channel="in_person", moment="tomorrow")
    prompt = overview.STEPS[state].prompt(route)
    render = renderer()
    for option in prompt.options:
        assert option.label in render.label_keys(locale)
    context = {**prompt.context, "block": 6, "blocks": 6}
    assert render.render(locale, prompt.template, context).strip()


@pytest.mark.parametrize("locale", LOCALES)
def test_help_renders(locale: str) -> None:
    assert renderer().render(locale, "help/overview", {}).strip()
