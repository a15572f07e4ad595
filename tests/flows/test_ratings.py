"""Rate each contact: one question a message, change by going back, who knows whom."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.events import Command
from bot.flows import ratings
from bot.flows.base import Answer, Prompt
from bot.i18n import LOCALES, renderer
from bot.model import (
    DIMENSIONS,
    OPTIONAL_DIMENSIONS,
    Contact,
    Profile,
    Route,
    Session,
    Settings,
    Tie,
)
from tests.support.chat import Chat, add_contacts, through_intake

# The answers of the Social Network Map, word for word as in DOMAIN.md.
SCALES = {
    "practical": ["bijna nooit", "soms", "bijna altijd"],
    "emotional": ["bijna nooit", "soms", "bijna altijd"],
    "advice": ["bijna nooit", "soms", "bijna altijd"],
    "closeness": ["niet zo hecht", "redelijk hecht", "heel hecht"],
    "reciprocity": ["vooral ik de ander", "wij elkaar, over en weer", "vooral de ander mij"],
    "frequency": ["minder dan maandelijks", "maandelijks", "wekelijks of vaker"],
    "duration": ["korter dan 1 jaar", "1–5 jaar", "langer dan 5 jaar"],
    "critical": ["bijna nooit", "soms", "bijna altijd"],
}
SKIP = "Weet ik niet / sla over"
BAD_INPUT = ["hallo", "x" * 10_000, "🙂🌧", "<b>x</b>", "", "   "]


def to_ratings(chat: Chat, *people: tuple[str, str]) -> Chat:
    through_intake(chat)
    add_contacts(chat, *people)
    chat.press("Klaar met de lijst")
    assert chat.state == "ratings.intro", chat.state
    return chat


@pytest.fixture
def two(chat: Chat) -> Chat:
    return to_ratings(chat, ("Ans", "familie"), ("Bram", "vrienden"))


@pytest.fixture
def three(chat: Chat) -> Chat:
    return to_ratings(chat, ("Ans", "familie"), ("Bram", "vrienden"), ("Cor", "buren"))


def rate(chat: Chat, *values: str) -> None:
    for value in values:
        chat.press(value)


def answers(chat: Chat) -> dict[str, dict[str, int]]:
    return {c.name: dict(c.ratings) for c in chat.route.contacts}


def scale_labels(chat: Chat) -> list[str]:
    return [b.label for b in chat.buttons if not b.value.startswith("!")]


def cursor(chat: Chat) -> dict[str, object]:
    return chat.route.session.cursor


# Intro ------------------------------------------------------------------------------------


def test_intro_explains_and_offers_to_skip(two: Chat) -> None:
    assert "Stap 3 van 6" in two.text
    assert "7 korte vragen" in two.text
    assert two.labels[:2] == ["Beginnen", "Sla het beoordelen over"]


def test_skipping_all_goes_to_the_map_without_ratings(two: Chat) -> None:
    two.press("Sla het beoordelen over")
    assert two.state == "mapview.summary"
    assert answers(two) == {"Ans": {}, "Bram": {}}


# One question a message ---------------------------------------------------------------------


def test_first_question_shows_where_we_are(two: Chat) -> None:
    two.press("Beginnen")
    assert two.state == "ratings.rate"
    assert "Persoon 1 van 2 · vraag 1 van 7" in two.text
    assert "<b>Ans</b>" in two.text
    assert "praktische dingen" in two.text
    assert scale_labels(two) == [*SCALES["practical"], SKIP]


@pytest.mark.parametrize(("index", "dimension"), list(enumerate(DIMENSIONS)))
def test_each_question_offers_its_own_scale(two: Chat, index: int, dimension: str) -> None:
    two.press("Beginnen")
    rate(two, *["2"] * index)
    assert cursor(two) == {"contact": two.route.contacts[0].id, "dim": index}
    assert f"vraag {index + 1} van 7" in two.text
    assert scale_labels(two) == [*SCALES[dimension], SKIP]
    assert [b.value for b in two.buttons][:4] == ["1", "2", "3", "skip"]


def test_all_answers_are_stored_then_reviewed(two: Chat) -> None:
    two.press("Beginnen")
    rate(two, "3", "3", "1", "3", "2", "3", "3")  # Ans
    assert "Persoon 2 van 2 · vraag 1 van 7" in two.text
    rate(two, "1", "2", "skip", "1", "1", "2", "skip")  # Bram
    assert two.state == "ratings.review"
    assert answers(two) == {
        "Ans": dict(zip(DIMENSIONS, (3, 3, 1, 3, 2, 3, 3), strict=True)),
        "Bram": {"practical": 1, "emotional": 2, "closeness": 1, "reciprocity": 1, "frequency": 2},
    }
    bram = two.route.contact_named("Bram")
    assert bram is not None and bram.skipped == {"advice", "duration"}
    assert "<b>Ans</b>: helpt bijna altijd, luistert bijna altijd" in two.text
    assert "<b>Bram</b>: helpt bijna nooit, luistert soms, niet zo hecht" in two.text


def test_a_typed_answer_counts_as_its_button(two: Chat) -> None:
    two.press("Beginnen")
    two.say("Bijna altijd")
    assert answers(two)["Ans"] == {"practical": 3}


def test_going_back_shows_the_earlier_answer_and_lets_it_change(two: Chat) -> None:
    two.press("Beginnen")
    rate(two, "3", "2")
    two.press("!back")
    assert cursor(two)["dim"] == 1
    assert "Eerder koos je: <b>soms</b>" in two.text
    two.press("!back")
    assert "Eerder koos je: <b>bijna altijd</b>" in two.text
    two.press("1")
    assert answers(two)["Ans"] == {"practical": 1, "emotional": 2}
    assert cursor(two)["dim"] == 1


def test_going_back_to_a_skipped_question_says_so(two: Chat) -> None:
    two.press("Beginnen")
    two.press("skip")
    two.press("!back")
    assert "Eerder sloeg je deze vraag over" in two.text
    two.press("2")
    ans = two.route.contact_named("Ans")
    assert ans is not None and ans.ratings == {"practical": 2} and not ans.skipped


def test_rating_one_person_again_from_the_review(two: Chat) -> None:
    two.press("Beginnen")
    rate(two, *["2"] * 14)
    two.press("Iemand opnieuw beoordelen")
    assert two.state == "ratings.pick"
    assert scale_labels(two) == ["Ans", "Bram"]
    two.press("Bram")
    assert "Persoon 2 van 2 · vraag 1 van 7" in two.text
    rate(two, *["3"] * 7)
    assert two.state == "ratings.review"
    assert set(answers(two)["Bram"].values()) == {3}
    assert set(answers(two)["Ans"].values()) == {2}


def test_intro_goes_on_at_the_first_open_question(two: Chat) -> None:
    two.press("Beginnen")
    rate(two, "2", "2", "2")
    two.press("!back")
    two.press("!back")
    two.press("!back")
    two.press("!back")
    assert two.state == "ratings.intro"
    assert "Verder waar ik was" in two.labels
    two.press("Verder waar ik was")
    assert cursor(two) == {"contact": two.route.contacts[0].id, "dim": 3}


def test_with_everything_answered_the_intro_offers_the_review(two: Chat) -> None:
    two.press("Beginnen")
    rate(two, *["skip"] * 14)
    for _ in range(15):
        two.press("!back")
    assert two.state == "ratings.intro"
    assert "Je hebt alle vragen al beantwoord" in two.text
    two.press("Bekijk mijn antwoorden")
    assert two.state == "ratings.review"
    assert "<b>Ans</b>: nog geen antwoorden" in two.text


# The optional "critical" dimension ----------------------------------------------------------


def test_critical_is_asked_only_when_configured(tmp_path: Path) -> None:
    settings = Settings(dimensions=DIMENSIONS + OPTIONAL_DIMENSIONS)
    chat = Chat.open(tmp_path / "critical.db", settings=settings)
    try:
        to_ratings(chat, ("Ans", "familie"))
        assert "8 korte vragen" in chat.text
        chat.press("Beginnen")
        rate(chat, *["2"] * 7)
        assert "vraag 8 van 8" in chat.text
        assert "kritisch op jou" in chat.text
        assert scale_labels(chat) == [*SCALES["critical"], SKIP]
        chat.press("3")
        assert chat.state == "ratings.review"
        assert answers(chat)["Ans"]["critical"] == 3
        assert "bijna altijd kritisch" in chat.text
    finally:
        chat.close()


def test_critical_is_not_asked_by_default(two: Chat) -> None:
    two.press("Beginnen")
    rate(two, *["2"] * 7)
    assert "Persoon 2 van 2 · vraag 1 van 7" in two.text
    assert "critical" not in answers(two)["Ans"]


# Resume after a restart -----------------------------------------------------------------------


def test_a_restart_lands_on_the_same_question_with_answers_kept(tmp_path: Path) -> None:
    path = tmp_path / "resume.db"
    first = Chat.open(path)
    to_ratings(first, ("Ans", "familie"), ("Bram", "vrienden"))
    first.press("Beginnen")
    rate(first, *["3"] * 9)
    first.close()

    again = Chat.open(path)
    try:
        again.start()
        assert again.state == "ratings.rate"
        assert "Fijn dat je er weer bent" in again.text
        assert "Persoon 2 van 2 · vraag 3 van 7" in again.text
        assert answers(again)["Ans"] == dict.fromkeys(DIMENSIONS, 3)
        assert answers(again)["Bram"] == {"practical": 3, "emotional": 3}
        again.press("1")
        assert answers(again)["Bram"]["advice"] == 1
    finally:
        again.close()


# Who knows whom -----------------------------------------------------------------------------


def finish_rating(chat: Chat, people: int) -> None:
    chat.press("Beginnen")
    rate(chat, *["2"] * (7 * people))
    chat.press("Klaar")


def test_ties_are_asked_per_person_and_kept(three: Chat) -> None:
    finish_rating(three, 3)
    assert three.state == "ratings.ties_offer"
    assert "Wil je aangeven wie elkaar kennen?" in three.text
    three.press("Ja")
    assert "Wie van deze mensen kent <b>Ans</b>?" in three.text
    assert scale_labels(three) == ["Bram", "Cor", "Niemand van hen", "Klaar"]
    three.press("Bram")
    assert scale_labels(three)[:2] == ["✓ Bram", "Cor"]
    three.press("Cor")
    three.press("✓ Cor")  # tapped twice: off again
    assert scale_labels(three)[:2] == ["✓ Bram", "Cor"]
    three.press("Klaar")
    assert "Wie van deze mensen kent <b>Bram</b>?" in three.text
    assert scale_labels(three) == ["Cor", "Niemand van hen", "Klaar"]
    three.press("Niemand van hen")
    assert three.state == "mapview.summary"
    ids = {c.name: c.id for c in three.route.contacts}
    # Bram's answer ("nobody later") must not erase the tie Ans-Bram given before.
    assert {(t.a, t.b) for t in three.route.ties} == {tuple(sorted((ids["Ans"], ids["Bram"])))}


def test_ties_asked_again_show_earlier_choices(three: Chat) -> None:
    finish_rating(three, 3)
    three.press("Ja")
    three.press("Cor")
    three.press("Klaar")
    three.press("!back")
    three.press("!back")
    three.press("!back")
    assert three.state == "ratings.ties_offer"
    three.press("Ja")
    assert scale_labels(three)[:2] == ["Bram", "✓ Cor"]


def test_ties_can_be_skipped(three: Chat) -> None:
    finish_rating(three, 3)
    three.press("Sla over")
    assert three.state == "mapview.summary"
    assert three.route.ties == []


def test_with_one_person_there_is_no_ties_question(chat: Chat) -> None:
    to_ratings(chat, ("Ans", "familie"))
    finish_rating(chat, 1)
    assert chat.state == "mapview.summary"


# Bad input and markup -----------------------------------------------------------------------


def reach(chat: Chat, state: str) -> None:
    """From ratings.intro with three people, to `state`."""
    steps = {
        "ratings.intro": [],
        "ratings.rate": ["Beginnen", "2"],
        "ratings.review": ["Beginnen", *["2"] * 21],
        "ratings.pick": ["Beginnen", *["2"] * 21, "Iemand opnieuw beoordelen"],
        "ratings.ties_offer": ["Beginnen", *["2"] * 21, "Klaar"],
        "ratings.ties": ["Beginnen", *["2"] * 21, "Klaar", "Ja", "Bram"],
    }
    rate(chat, *steps[state])
    assert chat.state == state


@pytest.mark.parametrize("typed", BAD_INPUT)
@pytest.mark.parametrize(
    "state",
    [
        "ratings.intro",
        "ratings.rate",
        "ratings.review",
        "ratings.pick",
        "ratings.ties_offer",
        "ratings.ties",
    ],
)
def test_bad_input_is_asked_again_and_changes_nothing(three: Chat, state: str, typed: str) -> None:
    reach(three, state)
    before = three.route
    three.say(typed)
    after = three.route
    assert "Dat begreep ik niet" in three.text
    assert after.session.state == state
    assert after.session.cursor == before.session.cursor
    assert after.contacts == before.contacts
    assert after.ties == before.ties


def test_a_name_with_markup_is_shown_escaped(chat: Chat) -> None:
    to_ratings(chat, ("<b>Kees</b> & co", "vrienden"), ("Ans", "familie"))
    chat.press("Beginnen")
    assert "<b>&lt;b&gt;Kees&lt;/b&gt; &amp; co</b>" in chat.text
    assert "<b>Kees</b> &" not in chat.text
    rate(chat, *["2"] * 14)
    assert "&lt;b&gt;Kees&lt;/b&gt; &amp; co</b>: helpt soms" in chat.text
    chat.press("Iemand opnieuw beoordelen")
    assert scale_labels(chat)[0] == "<b>Kees</b> & co"  # buttons are plain text
    chat.press("!back")
    chat.press("Klaar")
    chat.press("Ja")
    assert "kent <b>&lt;b&gt;Kees&lt;/b&gt; &amp; co</b>?" in chat.text


# English ------------------------------------------------------------------------------------


def test_the_english_route(chat_en: Chat) -> None:
    chat_en.start()
    for value in ("next", "next", "yes", "no", "skip", "skip", "next"):
        chat_en.press(value)
    add_contacts(chat_en, ("Ans", "familie"), ("Bram", "vrienden"))
    chat_en.press("done")
    assert "Step 3 of 6" in chat_en.text
    chat_en.press("Start")
    assert "Person 1 of 2 · question 1 of 7" in chat_en.text
    assert scale_labels(chat_en) == [
        "almost never",
        "sometimes",
        "almost always",
        "Don't know / skip",
    ]
    rate(chat_en, *["3"] * 3)
    assert scale_labels(chat_en)[:3] == ["not so close", "fairly close", "very close"]
    rate(chat_en, *["3"] * 11)
    assert "<b>Ans</b>: almost always helps" in chat_en.text
    chat_en.press("Done")
    chat_en.press("Yes")
    assert "Which of these people know <b>Ans</b>?" in chat_en.text
    assert scale_labels(chat_en) == ["Bram", "None of them", "Done"]


# Every prompt renders, in every locale, also with nobody left on the list ----------------------


def sample_route(locale: str, contacts: list[Contact], state: str, cursor: dict) -> Route:
    settings = Settings(dimensions=DIMENSIONS + OPTIONAL_DIMENSIONS)
    route = Route(Profile("c", locale), Session(state, cursor), settings, 1, contacts)
    route.ties = [Tie(1, 2)]
    return route


def people() -> list[Contact]:
    return [
        Contact(1, "<i>Ans</i>", "familie", 1, dict.fromkeys(DIMENSIONS, 3), {"critical"}),
        Contact(2, "Bram", "vrienden", 2, {"practical": 1}),
        Contact(3, "Cor", "buren", 3),
    ]


def rendered(route: Route, prompt: Prompt) -> str:
    render = renderer()
    for option in prompt.options:
        if not option.literal:
            assert option.label in render.label_keys(route.locale), option.label
            render.label(route.locale, option.label, **option.params)
    return render.render(
        route.locale, prompt.template, {**prompt.context, "block": 3, "blocks": 6}
    )


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("state", list(ratings.STEPS))
@pytest.mark.parametrize(
    "cursor",
    [{}, {"contact": 1, "dim": 7, "chosen": [2, 3]}, {"contact": 99, "dim": "x", "chosen": ["x"]}],
)
def test_every_prompt_renders(locale: str, state: str, cursor: dict) -> None:
    route = sample_route(locale, people(), state, cursor)
    assert rendered(route, ratings.STEPS[state].prompt(route)).strip()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("state", list(ratings.STEPS))
def test_with_nobody_on_the_list_every_step_leads_to_new_contacts(locale: str, state: str) -> None:
    route = sample_route(locale, [], state, {"contact": 1, "dim": 0})
    step = ratings.STEPS[state]
    prompt = step.prompt(route)
    assert prompt.template == "ratings/nobody"
    assert rendered(route, prompt)
    outcome = step.handle(route, Answer("choice", "next"))
    assert getattr(outcome, "trigger", None) == "nobody"
    assert any(
        t.trigger == "nobody" and t.source == state and t.dest == "mapview.ideas"
        for t in ratings.TRANSITIONS
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_help_renders(locale: str) -> None:
    assert renderer().render(locale, "help/ratings", {}).strip()


def test_help_keeps_the_question(two: Chat) -> None:
    two.press("Beginnen")
    two.press("2")
    two.command(Command.HELP)
    assert "Weet ik niet / sla over" in two.text
    assert "vraag 2 van 7" in two.text
    assert two.state == "ratings.rate"
