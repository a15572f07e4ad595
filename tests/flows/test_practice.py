"""Practise asking (block 6): the person, the request and its checklist, a scripted
role-play (yes, maybe later, no), how and when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.effects import SaveGoal, SavePlan
from bot.events import Command
from bot.model import AskPlan, Goal, Route
from bot.moments import TIMEZONE
from tests.flows.test_goal import cid, full_goal, jump, mapped, store
from tests.support.chat import Chat

GOOD = (
    "Hoi Bram, heb je zaterdag tijd voor koffie? Dat zou ik fijn vinden. "
    "Als het niet lukt, is dat ook goed. Ik trakteer."
)


@pytest.fixture
def client(chat: Chat) -> Chat:
    """Ans and Bram on the map; the goal is about Bram; a plan to ask Bram exists."""
    mapped(chat, ("Ans", "vrienden"), ("Bram", "familie"))
    store(
        chat,
        SaveGoal(full_goal(chat, contact_id=cid(chat, "Bram"), confirmed=True)),
        SavePlan(AskPlan(contact_id=cid(chat, "Bram"), request="Kun je helpen?")),
    )
    jump(chat, "practice.intro")
    return chat


def plan(chat: Chat) -> AskPlan:
    assert chat.route.plan is not None
    return chat.route.plan


def test_the_barriers_lead_here_and_it_can_be_skipped(chat: Chat) -> None:
    mapped(chat, ("Ans", "vrienden"))
    jump(chat, "barriers.reflect")
    chat.press("Verder")
    assert chat.state == "practice.intro"
    assert "Stap 6 van 6" in chat.text
    assert "Het is maar oefenen" in chat.text
    chat.press("Sla over")
    assert chat.state == "overview.show"


def test_a_whole_practice_every_answer_stored_at_once(client: Chat) -> None:
    client.press("Beginnen")
    assert client.labels[:3] == ["Bram", "Ans", "Iemand anders"]  # the goal's person first
    client.press("Bram")
    assert "Schrijf je vraag aan Bram in je eigen woorden." in client.text
    client.say(GOOD)
    assert plan(client).request == GOOD
    assert plan(client).review == dict.fromkeys(
        ("concrete", "why", "room_for_no", "give_back"), True
    )
    assert client.text.count("✓") == 4
    client.press("Zo is het goed")
    assert 'Bram:</b> "Ja hoor, dat is goed!"' in client.text
    client.say("Fijn, tot zaterdag!")
    assert plan(client).reply_yes == "Fijn, tot zaterdag!"
    assert "Misschien later. Nu komt het niet goed uit." in client.text
    client.say("Wanneer komt het beter uit?")
    assert plan(client).reply_later == "Wanneer komt het beter uit?"
    assert "Nee, dat lukt me niet." in client.text
    client.say("Jammer. Dan vraag ik het een andere keer.")
    assert plan(client).reply_no == "Jammer. Dan vraag ik het een andere keer."
    assert "Een nee is geen mislukking" in client.text
    client.press("Iemand anders vragen")
    assert plan(client).after_no == "someone_else"
    client.press("Door te bellen")
    assert plan(client).channel == "phone"
    client.press("Morgen")
    assert "Ik stuur je morgen om 19:00 een herinnering. Goed zo?" in client.text
    assert plan(client).moment == ""  # not before the client said yes
    client.press("Ja")
    assert plan(client).moment == "tomorrow"
    assert client.state == "overview.show"


# One step at a time ----------------------------------------------------------------------------

Check = Callable[[Route], bool]
ROWS: list[tuple[str, str, str, str, Check]] = [
    ("practice.intro", "press", "Beginnen", "practice.who", lambda r: True),
    ("practice.intro", "say", "ja", "practice.who", lambda r: True),
    ("practice.intro", "say", "hallo", "practice.intro", lambda r: True),
    ("practice.who", "press", "Ans", "practice.write", lambda r: r.plan.contact_id is not None),
    ("practice.who", "press", "Iemand anders", "practice.who_new", lambda r: True),
    ("practice.who", "say", "Kees", "practice.write", lambda r: r.plan.new_person == "Kees"),
    ("practice.who_new", "say", "de buurvrouw", "practice.write", lambda r: not r.plan.contact_id),
    ("practice.who_new", "press", "Sla over", "practice.write", lambda r: not r.plan.new_person),
    ("practice.write", "say", GOOD, "practice.review", lambda r: r.plan.review["give_back"]),
    ("practice.write", "press", "Laat een voorbeeld zien", "practice.write", lambda r: True),
    ("practice.review", "press", "Zo is het goed", "practice.rp_yes", lambda r: True),
    ("practice.review", "press", "Opnieuw schrijven", "practice.write", lambda r: True),
    ("practice.review", "say", GOOD, "practice.review", lambda r: r.plan.request == GOOD),
    ("practice.rp_yes", "say", "Top!", "practice.rp_later", lambda r: r.plan.reply_yes == "Top!"),
    ("practice.rp_yes", "press", "Sla over", "practice.rp_later", lambda r: not r.plan.reply_yes),
    ("practice.rp_later", "say", "Oké", "practice.rp_no", lambda r: r.plan.reply_later == "Oké"),
    (
        "practice.rp_no",
        "say",
        "Jammer",
        "practice.after_no",
        lambda r: r.plan.reply_no == "Jammer",
    ),
    ("practice.rp_no", "press", "Sla over", "practice.after_no", lambda r: True),
    (
        "practice.after_no",
        "press",
        "Later nog eens vragen",
        "practice.how",
        lambda r: r.plan.after_no == "later",
    ),
    ("practice.after_no", "press", "Verder", "practice.how", lambda r: r.plan.after_no == "next"),
    ("practice.after_no", "say", "weet niet", "practice.after_no", lambda r: not r.plan.after_no),
    (
        "practice.how",
        "press",
        "Als we elkaar zien",
        "practice.when",
        lambda r: r.plan.channel == "in_person",
    ),
    ("practice.how", "press", "Weet ik niet", "practice.when", lambda r: r.plan.channel == ""),
    ("practice.how", "say", "brief", "practice.how", lambda r: r.plan.channel == ""),
    (
        "practice.when",
        "press",
        "Dit weekend",
        "practice.when_ok",  # said back in words first
        lambda r: r.session.cursor == {"preset": "weekend"},
    ),
    (
        "practice.when",
        "press",
        "Weet ik nog niet",
        "overview.show",
        lambda r: r.plan.moment == "unknown",
    ),
    (
        "practice.when",
        "say",
        "zondag na het eten",
        "practice.when_ok",  # confirmed in words first (tests/flows/test_when.py)
        lambda r: r.session.cursor["at"].endswith("T19:00"),
    ),
]


@pytest.mark.parametrize(
    ("state", "action", "text", "dest", "check"),
    ROWS,
    ids=[f"{row[0]}-{row[1]}-{row[2][:20]}" for row in ROWS],
)
def test_transitions(
    client: Chat, state: str, action: str, text: str, dest: str, check: Check
) -> None:
    jump(client, state)
    getattr(client, action)(text)
    assert client.state == dest
    assert check(client.route)


# Choosing the person ---------------------------------------------------------------------------


def test_without_contacts_or_new_person_only_someone_else(chat: Chat) -> None:
    mapped(chat)
    jump(chat, "practice.who")
    assert chat.labels == ["Iemand anders", "↩ Terug"]
    chat.press("Iemand anders")
    chat.say("mijn buurvrouw")
    assert "Schrijf je vraag aan mijn buurvrouw" in chat.text


def test_the_goals_new_person_is_offered_first(chat: Chat) -> None:
    mapped(chat)
    store(chat, SaveGoal(Goal(kind="together", activity="walk", new_person="een maatje")))
    jump(chat, "practice.who")
    assert chat.labels == ["een maatje", "Iemand anders", "↩ Terug"]
    chat.press("een maatje")
    assert plan(chat).new_person == "een maatje"
    assert plan(chat).contact_id is None


# The checklist ----------------------------------------------------------------------------------


def test_a_bare_request_gets_four_gentle_tips(client: Chat) -> None:
    jump(client, "practice.write")
    client.say("Kun je me helpen?")
    assert plan(client).review == dict.fromkeys(
        ("concrete", "why", "room_for_no", "give_back"), False
    )
    assert client.text.count("Tip:") == 4
    assert "✓" not in client.text


def test_some_ticks_and_some_tips(client: Chat) -> None:
    jump(client, "practice.write")
    client.say("Kom je morgen koffie drinken? Geen probleem als het niet kan.")
    assert "✓ Je vraag is duidelijk" in client.text
    assert "✓ Je laat ruimte om nee te zeggen" in client.text
    assert "Tip: zeg waarom het fijn is" in client.text
    assert "Tip: je kunt iets terug aanbieden" in client.text


def test_write_again_shows_the_last_version(client: Chat) -> None:
    jump(client, "practice.write")
    client.say("Help je me?")
    client.press("Opnieuw schrijven")
    assert 'Je vorige versie: "Help je me?"' in client.text
    client.say(GOOD)
    assert plan(client).request == GOOD


def test_an_example_only_when_asked(client: Chat) -> None:
    jump(client, "practice.write")
    assert "Ik trakteer!" not in client.text
    client.press("Laat een voorbeeld zien")
    assert "Ik trakteer!" in client.text
    assert client.state == "practice.write"


# Free text, long text, emoji, markup, nothing ------------------------------------------------


@pytest.mark.parametrize("state", ["practice.write", "practice.rp_yes", "practice.when"])
def test_ten_thousand_characters_are_refused_kindly(client: Chat, state: str) -> None:
    jump(client, state)
    client.say("a" * 10_000)
    assert client.state == state
    assert "Hooguit 500 tekens" in client.text
    assert plan(client) == AskPlan(contact_id=cid(client, "Bram"), request="Kun je helpen?")


def test_empty_text_is_asked_again(client: Chat) -> None:
    jump(client, "practice.rp_no")
    client.say("\t \n")
    assert client.state == "practice.rp_no"
    assert "Ik zie geen tekst" in client.text


def test_emoji_and_markup(client: Chat) -> None:
    jump(client, "practice.write")
    client.say("<b>x</b> kom je koffie drinken? 🙂")
    assert plan(client).request == "<b>x</b> kom je koffie drinken? 🙂"
    assert "&lt;b&gt;x&lt;/b&gt; kom je koffie drinken? 🙂" in client.text
    assert "<b>x</b>" not in client.text
    jump(client, "practice.who")
    client.say("<i>Kees</i>")
    assert "aan &lt;i&gt;Kees&lt;/i&gt; in je eigen woorden" in client.text


def test_back_and_change_an_answer(client: Chat) -> None:
    jump(client, "practice.rp_yes")
    client.say("Fijn!")
    client.press("↩ Terug")
    assert client.state == "practice.rp_yes"
    client.say("Wat fijn, dank je!")
    assert plan(client).reply_yes == "Wat fijn, dank je!"


# Resume and locales -----------------------------------------------------------------------------


def test_resume_lands_on_the_same_question_with_answers_kept(tmp_path: Path) -> None:
    path = tmp_path / "steunkaart.db"
    first = Chat.open(path)
    mapped(first, ("Bram", "familie"))
    jump(first, "practice.intro")
    first.press("Beginnen")
    first.press("Bram")
    first.say(GOOD)
    first.press("Zo is het goed")
    first.say("Super!")
    first.close()
    again = Chat.open(path)
    try:
        again.start()
        assert again.state == "practice.rp_later"
        assert "Misschien later" in again.text
        assert plan(again).request == GOOD
        assert plan(again).reply_yes == "Super!"
    finally:
        again.close()


def test_english(chat_en: Chat) -> None:
    mapped(chat_en, ("Bram", "familie"))
    jump(chat_en, "practice.intro")
    assert "Step 6 of 6" in chat_en.text
    chat_en.press("Start")
    chat_en.press("Bram")
    assert "Write your question to Bram in your own words." in chat_en.text
    chat_en.say("Can you help me with the groceries on Friday? It would help me a lot.")
    assert "✓ Your question is clear" in chat_en.text
    assert "Tip: leave room for a no" in chat_en.text
    chat_en.press("It's fine like this")
    assert 'Bram:</b> "Yes, sure, that\'s fine!"' in chat_en.text
    chat_en.press("Skip")
    chat_en.press("Skip")
    assert "No, I can't do that." in chat_en.text
    chat_en.say("OK, maybe another time.")
    chat_en.press("Ask again later")
    chat_en.press("With a message")
    chat_en.say("after work")
    assert "On which day" in chat_en.text  # a part of the day, but no day: asked
    chat_en.press("Tomorrow")
    tomorrow = datetime.now(TIMEZONE).date() + timedelta(days=1)
    assert "I will send you a reminder tomorrow at 19:00. Is that right?" in chat_en.text
    chat_en.press("Yes")
    assert chat_en.state == "overview.show"
    assert chat_en.route.plan == AskPlan(
        contact_id=cid(chat_en, "Bram"),
        request="Can you help me with the groceries on Friday? It would help me a lot.",
        review={"concrete": True, "why": True, "room_for_no": False, "give_back": False},
        reply_no="OK, maybe another time.",
        after_no="later",
        channel="message",
        moment=f"at:{tomorrow.isoformat()}T19:00",
    )


STATES = [
    "practice.intro",
    "practice.who",
    "practice.who_new",
    "practice.write",
    "practice.review",
    "practice.rp_yes",
    "practice.rp_later",
    "practice.rp_no",
    "practice.after_no",
    "practice.how",
    "practice.when",
]


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("state", STATES)
def test_every_question_renders_in_both_locales(tmp_path: Path, locale: str, state: str) -> None:
    chat = Chat.open(tmp_path / "s.db", locale=locale)
    try:
        mapped(chat)
        jump(chat, state)  # no goal, no plan, nobody on the map
        assert chat.text.strip()
        chat.command(Command.HELP)
        assert "/" in chat.text
        assert chat.state == state
    finally:
        chat.close()
