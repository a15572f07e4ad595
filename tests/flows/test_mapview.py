"""Look at the map together: findings in words, RADIO ideas, new places, the zero path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.catalogue import DEFAULT_CATALOGUE, load_catalogue
from bot.flows import mapview
from bot.i18n import LOCALES, renderer
from bot.model import DIMENSIONS, Contact, Profile, Route, Session, Settings
from tests.support.chat import Chat, add_contacts, through_intake

BAD_INPUT = ["hallo", "x" * 10_000, "🙂🌧", "<b>x</b>", "", "   "]
BUTTONS = ["Ideeën over mijn contacten", "Ideeën voor nieuwe contacten", "Verder naar mijn doel"]

# practical, emotional, advice, closeness, reciprocity, frequency, duration
ANS = ("3", "3", "1", "3", "2", "1", "3")  # close but rare: reanimeren
BRAM = ("2", "2", "2", "2", "1", "2", "2")  # could help: activeren
KIM = ("1", "1", "3", "1", "3", "3", "1")  # a care worker


@pytest.fixture
def catalogue_chat(tmp_path: Path) -> Iterator[Chat]:
    settings = Settings(catalogue=load_catalogue(DEFAULT_CATALOGUE))
    chat = Chat.open(tmp_path / "catalogue.db", settings=settings)
    yield chat
    chat.close()


def to_map(chat: Chat, people: list[tuple[str, str, tuple[str, ...]]]) -> Chat:
    """Intake, the people, their ratings, no ties: lands on mapview.summary."""
    through_intake(chat)
    add_contacts(chat, *[(name, sector) for name, sector, _ in people])
    chat.press("done")
    chat.press("start")
    for _, _, answers in people:
        for value in answers:
            chat.press(value)
    chat.press("done")
    if chat.state == "ratings.ties_offer":
        chat.press("skip")
    assert chat.state == "mapview.summary", chat.state
    return chat


@pytest.fixture
def mapped(chat: Chat) -> Chat:
    people = [("Ans", "familie", ANS), ("Bram", "vrienden", BRAM), ("Kim", "hulpverlening", KIM)]
    return to_map(chat, people)


def labels(chat: Chat) -> list[str]:
    return [b.label for b in chat.buttons if not b.value.startswith("!")]


def test_the_map_in_words(mapped: Chat) -> None:
    text = mapped.text
    for line in (
        "Stap 4 van 6",
        "Er staan 3 mensen op je lijst.",
        "Ze komen uit 3 delen van je leven.",
        "1 van hen is hulpverlener.",
        "Helpt je bijna altijd met dingen: Ans.",
        "Luistert bijna altijd naar je: Ans.",
        "Geeft bijna altijd advies: Kim.",
        "Jij helpt vooral de ander: bij 1 persoon.",
        "Jullie helpen elkaar: bij 1 persoon.",
        "De ander helpt vooral jou: bij 1 persoon.",
        "Elke week contact: Kim.",
        "Langer dan 5 jaar bekend: Ans.",
        "Mag ik je een paar ideeën geven?",
    ):
        assert line in text
    assert labels(mapped) == BUTTONS


def test_radio_ideas_name_the_contacts_then_return(mapped: Chat) -> None:
    mapped.press("Ideeën over mijn contacten")
    assert mapped.state == "mapview.radio"
    assert "Je voelt je verbonden met Ans." in mapped.text
    assert "Bram en Kim kunnen je soms helpen." in mapped.text
    assert "Jij kiest" in mapped.text
    assert labels(mapped) == ["Verder"]
    mapped.press("Verder")
    assert mapped.state == "mapview.summary"
    assert "Wil je nog iets anders bekijken?" in mapped.text
    assert "Er staan 3 mensen" not in mapped.text
    assert labels(mapped) == BUTTONS


def test_no_ideas_is_said_kindly(chat: Chat) -> None:
    to_map(chat, [("Ans", "familie", ("skip",) * 7)])
    assert "Je hebt de vragen over steun overgeslagen" in chat.text
    chat.press("Ideeën over mijn contacten")
    assert "Ik heb nu geen ideeën over je contacten." in chat.text


def test_skipping_the_ratings_still_gives_a_map(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"), ("Bram", "familie"))
    chat.press("done")
    chat.press("Sla het beoordelen over")
    assert "Er staan 2 mensen op je lijst." in chat.text
    assert "Ze komen uit 1 deel van je leven: familie." in chat.text
    assert "Er staan geen hulpverleners op je lijst." in chat.text


def test_ideas_come_from_the_catalogue(catalogue_chat: Chat) -> None:
    to_map(catalogue_chat, [("Ans", "familie", ANS)])
    catalogue_chat.press("Ideeën voor nieuwe contacten")
    assert catalogue_chat.state == "mapview.ideas"
    assert "<b>Maatjesproject</b>" in catalogue_chat.text
    assert "Vraag je hulpverlener of het wijkteam." in catalogue_chat.text
    assert "Jij kiest zelf" in catalogue_chat.text
    catalogue_chat.press("Verder")
    assert catalogue_chat.state == "mapview.summary"


def test_without_a_catalogue_the_care_worker_is_suggested(mapped: Chat) -> None:
    mapped.press("Ideeën voor nieuwe contacten")
    assert "Vraag je hulpverlener naar plekken bij jou in de buurt." in mapped.text


def test_on_to_the_goal(mapped: Chat) -> None:
    mapped.press("Verder naar mijn doel")
    assert mapped.state == "goal.intro"
    assert mapped.route.session.cursor == {}


def test_zero_contacts_goes_to_new_places_then_the_goal(catalogue_chat: Chat) -> None:
    through_intake(catalogue_chat)
    catalogue_chat.press("Ik heb (bijna) niemand")
    catalogue_chat.press("Verder")
    assert catalogue_chat.state == "mapview.ideas"
    text = catalogue_chat.text
    assert "Stap 4 van 6" in text
    assert "<b>Maatjesproject</b>" in text
    assert "beoordel" not in text and "vragen" not in text
    assert labels(catalogue_chat) == ["Verder naar mijn doel"]
    catalogue_chat.press("Verder naar mijn doel")
    assert catalogue_chat.state == "goal.intro"


def test_names_with_markup_are_escaped(chat: Chat) -> None:
    to_map(chat, [("<i>Ans</i>", "familie", ANS)])
    assert "Helpt je bijna altijd met dingen: &lt;i&gt;Ans&lt;/i&gt;." in chat.text
    chat.press("Ideeën over mijn contacten")
    assert "verbonden met &lt;i&gt;Ans&lt;/i&gt;." in chat.text
    assert "<i>Ans</i>" not in chat.text


@pytest.mark.parametrize("typed", BAD_INPUT)
@pytest.mark.parametrize(
    "button", [None, "Ideeën over mijn contacten", "Ideeën voor nieuwe contacten"]
)
def test_bad_input_is_asked_again(mapped: Chat, button: str | None, typed: str) -> None:
    if button:
        mapped.press(button)
    before = mapped.route.session
    mapped.say(typed)
    assert "Dat begreep ik niet" in mapped.text
    assert mapped.route.session.state == before.state
    assert mapped.route.session.cursor == before.cursor


def test_the_english_map(tmp_path: Path) -> None:
    settings = Settings(catalogue=load_catalogue(DEFAULT_CATALOGUE))
    chat = Chat.open(tmp_path / "en.db", locale="en", settings=settings)
    try:
        to_map(chat, [("Ans", "familie", ANS), ("Bram", "vrienden", BRAM)])
        assert "There are 2 people on your list." in chat.text
        assert "May I give you a few ideas?" in chat.text
        chat.press("Ideas about my contacts")
        assert "You feel close to Ans." in chat.text
        chat.press("Continue")
        chat.press("Ideas for new contacts")
        assert "<b>Buddy project</b>" in chat.text
        chat.press("Continue")
        chat.press("On to my goal")
        assert chat.state == "goal.intro"
    finally:
        chat.close()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("state", list(mapview.STEPS))
@pytest.mark.parametrize("nobody", [False, True])
@pytest.mark.parametrize("again", [False, True])
def test_every_prompt_renders(locale: str, state: str, nobody: bool, again: bool) -> None:
    contacts = [] if nobody else [Contact(1, "Ans", "buren", 1, dict.fromkeys(DIMENSIONS, 3))]
    settings = Settings(catalogue=load_catalogue(DEFAULT_CATALOGUE))
    route = Route(Profile("c", locale), Session(state, {"again": again}), settings, 1, contacts)
    prompt = mapview.STEPS[state].prompt(route)
    render = renderer()
    for option in prompt.options:
        assert option.label in render.label_keys(locale)
    context = {**prompt.context, "block": 4, "blocks": 6}
    assert render.render(locale, prompt.template, context).strip()


@pytest.mark.parametrize("locale", LOCALES)
def test_help_renders(locale: str) -> None:
    assert renderer().render(locale, "help/mapview", {}).strip()
