"""The two crisis tiers in the route (issue: crisis recognition that holds up).

Clear crisis language gets the crisis reply at once; possible crisis language gets one
check question (Ja / Nee / Weet ik niet), pressed or typed. Nothing of such a message is
stored as a name or a reason. /nood works in every step, also before consent. The real
engine, the real model, a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.effects import SaveGoal
from bot.events import Event
from bot.safety import Tier, assess
from bot.store.export import export_client
from tests.flows.test_goal import full_goal, jump, mapped, store
from tests.support.chat import Chat, through_intake
from tests.test_professional import PRO, link_code, register

CLEAR = "ik wil niet meer leven"
# Wordings that need a check question rather than the crisis reply. Which of them the
# model puts in the middle tier may shift when it is retrained; the tests take the first.
POSSIBLE = (
    "ik kan niet meer",
    "ik zie het niet meer zitten",
    "ik wil gewoon dat alles stopt",
    "vroeger sneed ik mezelf",
    "de film ging over zelfmoord",
)


@pytest.fixture(scope="module")
def possible() -> str:
    asked = [text for text in POSSIBLE if assess(text).tier is Tier.ASK]
    assert asked, "no wording in POSSIBLE gets the check question any more"
    return asked[0]


def templates(chat: Chat) -> list[str]:
    return [reply.template for reply in chat.replies]


def at_name_question(chat: Chat) -> None:
    through_intake(chat)
    chat.press("start")
    assert chat.state == "network.name"


# --- Clear crisis language -------------------------------------------------------------
def test_clear_crisis_gets_the_crisis_reply_and_nothing_is_stored(chat: Chat) -> None:
    at_name_question(chat)
    chat.say(CLEAR)
    assert templates(chat) == ["safety/crisis"]
    assert "113" in chat.text and "112" in chat.text
    assert chat.route.contacts == []
    chat.press("Verder met Steunkaart")
    assert chat.state == "network.name"  # resumable: the same question again


def test_crisis_inside_an_ordinary_answer_is_not_taken_as_a_name(chat: Chat) -> None:
    at_name_question(chat)
    chat.say("Mieke. maar ik wil eigenlijk niet meer leven")
    assert "safety/crisis" in templates(chat)
    assert chat.route.contacts == []


def test_the_crisis_reply_comes_before_consent_too(chat: Chat) -> None:
    chat.start()
    chat.say(CLEAR)
    assert templates(chat) == ["safety/crisis"]
    assert not chat.route_exists  # before consent nothing is written


# --- The check question ----------------------------------------------------------------
def test_possible_crisis_gets_one_check_question_and_nothing_is_stored(
    chat: Chat, possible: str
) -> None:
    at_name_question(chat)
    chat.say(possible)
    assert templates(chat) == ["safety/check"]
    assert chat.labels == ["Ja", "Nee", "Weet ik niet"]
    assert chat.route.contacts == []
    exported = export_client(chat.engine.store, chat.client_id)
    assert exported is not None
    happenings = exported["history"]["happenings"]
    assert [h["kind"] for h in happenings][-1] == "crisis-check"
    assert possible not in str(export_client(chat.engine.store, chat.client_id))


@pytest.mark.parametrize("answer", ["Ja", "Weet ik niet"])
def test_yes_or_not_sure_pressed_gives_the_crisis_reply(
    chat: Chat, possible: str, answer: str
) -> None:
    at_name_question(chat)
    chat.say(possible)
    chat.press(answer)
    assert templates(chat) == ["safety/crisis"]


def test_no_pressed_thanks_names_113_and_asks_the_same_question_again(
    chat: Chat, possible: str
) -> None:
    at_name_question(chat)
    chat.say(possible)
    chat.press("Nee")
    assert templates(chat)[0] == "safety/check_no"
    assert "113" in chat.text
    assert chat.state == "network.name"
    chat.say("Mieke")  # the route goes on as before
    assert chat.state == "network.sector"


@pytest.mark.parametrize(
    ("typed", "template"),
    [
        ("nee hoor", "safety/check_no"),
        ("Nee, zo bedoelde ik het niet", "safety/check_no"),
        ("nope", "safety/check_no"),
        ("ja eigenlijk wel", "safety/crisis"),
        ("jawel", "safety/crisis"),
        ("weet ik niet", "safety/crisis"),
        ("misschien soms", "safety/crisis"),
        ("idk", "safety/crisis"),
    ],
)
def test_the_check_question_can_be_answered_by_typing(
    chat: Chat, possible: str, typed: str, template: str
) -> None:
    at_name_question(chat)
    chat.say(possible)
    chat.say(typed)
    assert templates(chat)[0] == template
    assert chat.route.contacts == []  # the typed answer is never a name either


def test_an_unclear_answer_is_asked_once_more_then_the_lines_are_given(
    chat: Chat, possible: str
) -> None:
    at_name_question(chat)
    chat.say(possible)
    chat.say("hoezo?")
    assert templates(chat) == ["safety/check_again"]
    chat.say("wat bedoel je")
    assert templates(chat) == ["safety/crisis"]
    assert "niet zeker of ik je goed begrijp" in chat.text


def test_the_open_check_question_survives_a_restart(tmp_path: Path, possible: str) -> None:
    first = Chat.open(tmp_path / "s.db")
    at_name_question(first)
    first.say(possible)
    first.close()
    again = Chat.open(tmp_path / "s.db")
    again.say("ja")
    assert templates(again) == ["safety/crisis"]
    again.close()


def test_a_yes_on_an_older_check_question_is_never_too_late(chat: Chat, possible: str) -> None:
    at_name_question(chat)
    chat.say(possible)
    old_prompt = chat.prompt
    chat.say("/hulp")
    chat.send(Event.chose("!chk:yes", old_prompt))
    assert templates(chat) == ["safety/crisis"]


def test_a_button_or_command_closes_the_check_question(chat: Chat, possible: str) -> None:
    at_name_question(chat)
    chat.say(possible)
    chat.say("/hulp")
    chat.say("Mieke")  # now an answer to the route's question again
    assert chat.state == "network.sector"


def test_the_check_question_in_english(chat_en: Chat) -> None:
    chat_en.start()
    wordings = (
        "i cant do this anymore",
        "i used to cut myself",
        "the movie was about suicide",
        "my friend talks about suicide a lot",
    )
    asked = [t for t in wordings if assess(t).tier is Tier.ASK]
    assert asked, "no English wording gets the check question any more"
    chat_en.say(asked[0])
    assert templates(chat_en) == ["safety/check"]
    assert chat_en.labels == ["Yes", "No", "I don't know"]
    chat_en.say("no")
    assert templates(chat_en)[0] == "safety/check_no"


# --- Free text in other steps ----------------------------------------------------------
def test_a_crisis_as_the_reason_at_barriers_is_not_stored(chat: Chat) -> None:
    mapped(chat, ("Ans", "vrienden"))
    store(chat, SaveGoal(full_goal(chat, confirmed=True)))
    jump(chat, "barriers.pick")
    chat.press("Iets anders")
    chat.say("ik ga er een eind aan maken, niemand gaat me missen")
    assert "safety/crisis" in templates(chat)
    assert chat.route.barriers == []
    assert "missen" not in str(export_client(chat.engine.store, chat.client_id))


# --- /nood -----------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["/nood", "nood", "/urgent", "NOOD"])
def test_nood_gives_the_crisis_reply_before_consent(chat: Chat, typed: str) -> None:
    chat.start()
    chat.say(typed)
    assert templates(chat) == ["safety/crisis"]
    assert "113" in chat.text and "Goed dat je het laat weten" in chat.text


def test_nood_works_in_every_kind_of_step(chat: Chat, possible: str) -> None:
    at_name_question(chat)
    chat.say("/nood")
    assert templates(chat) == ["safety/crisis"]
    chat.press("Verder met Steunkaart")
    chat.say(possible)  # while the check question is open
    chat.say("/nood")
    assert templates(chat) == ["safety/crisis"]


def test_help_names_the_crisis_lines(chat: Chat) -> None:
    at_name_question(chat)
    chat.say("/hulp")
    assert "/nood" in chat.text and "113" in chat.text


# --- The alert, and telling the client -------------------------------------------------
def linked_with_alerts(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.start()
    for value in ("next", "next", "yes", "yes", "skip", "skip", "next"):
        chat.press(value)
    chat.say(f"/koppel {code}")


def test_the_client_is_told_the_alert_went_out(chat: Chat) -> None:
    linked_with_alerts(chat)
    chat.say(CLEAR)
    alert = [r for r in chat.replies if r.to == PRO]
    assert alert and CLEAR not in alert[0].text
    crisis = next(r for r in chat.replies if r.template == "safety/crisis")
    name = chat.engine.store.care.professionals()[0].name
    assert f"Ik heb {name} een seintje gegeven" in crisis.text


def test_no_alert_is_promised_or_logged_as_sent_when_the_professional_is_inactive(
    chat: Chat,
) -> None:
    linked_with_alerts(chat)
    professional = chat.engine.store.care.professionals()[0]
    chat.engine.store.care.set_professional_active(professional.id, False)
    chat.say(CLEAR)
    assert not [r for r in chat.replies if r.to]
    assert "seintje" not in chat.text
    kinds = [row[2] for row in chat.engine.store.care.audit_log()]
    assert "crisis-alert-undeliverable" in kinds and "crisis-alert" not in kinds


def test_a_no_after_the_crisis_reply_is_heard_and_the_numbers_stay(chat: Chat) -> None:
    at_name_question(chat)
    chat.say(CLEAR)
    crisis = chat.replies[0]
    chat.say("nee zo bedoelde ik het niet")
    assert templates(chat)[0] == "safety/check_no"
    assert chat.state == "network.name" and chat.route.contacts == []
    assert crisis.keep  # the channel never edits the crisis reply away


def test_a_yes_after_the_crisis_reply_is_not_taken_as_a_button(chat: Chat) -> None:
    chat.start()
    chat.say(CLEAR)
    chat.say("ja")
    assert templates(chat) == ["safety/crisis"]
    assert not chat.route_exists  # "ja" did not press "Ja, dat mag" at the consent
