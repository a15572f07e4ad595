"""Telegram as its users know it (issue 16): descriptions, the app's language, "typing…",
no link previews, menus for clients and professionals, keyboards that fit a phone,
blocking and groups, old buttons, and the order of messages after consent.

Each test runs the real bot against the Bot API server on 127.0.0.1 and checks the
API calls it made (method and parameters)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.layout import arrange
from bot.channels.menus import description
from bot.commands import MENU
from bot.i18n import renderer
from bot.model import Session
from bot.professional import MENU_PRO
from bot.store.repository import Store
from tests.support.botapi import BotApiServer, BotMessage
from tests.support.telegram_bot import TelegramClient, running_bot, texts

ANS = 1001
SANNE = 900
NO_PREVIEW = {"is_disabled": True}


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "steunkaart.db"


def client(
    server: BotApiServer, chat_id: int = ANS, language: str | None = "nl"
) -> TelegramClient:
    return TelegramClient(server, server.user(chat_id, "Ans", language_code=language))


def admin(db: Path, *args: str) -> str:
    """`steunkaart admin …` as the administrator runs it: another process."""
    command = [sys.executable, "-m", "bot", "admin", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def add_professional(db: Path, name: str) -> str:
    return admin(db, "add-professional", name).split("): ")[1].split()[0]


async def intake(person: TelegramClient) -> None:
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Nee", "Sla over", "Sla over", "Verder"):
        await person.press(label)


def sent_to(server: BotApiServer, chat_id: int, method: str = "sendMessage") -> list[dict]:
    return [p for p in server.calls_to(method) if p.get("chat_id") == chat_id]


def rows(message: BotMessage) -> list[list[str]]:
    return [[label for label, _ in row] for row in message.buttons]


def chat_scope(chat_id: int) -> dict[str, object]:
    return {"type": "chat", "chat_id": chat_id}


# The bot's profile: descriptions ------------------------------------------------------------


async def test_descriptions_say_what_the_bot_is_and_who_offers_it(
    server: BotApiServer, db: Path
) -> None:
    async with running_bot(server, db, organisation="GGZ Noord & Co"):
        await server.wait_for(lambda: len(server.calls_to("setMyShortDescription")) >= 3, 5)
    descriptions = {p.get("language_code", ""): p for p in server.calls_to("setMyDescription")}
    shorts = {p.get("language_code", ""): p for p in server.calls_to("setMyShortDescription")}
    assert set(descriptions) == set(shorts) == {"nl", "en", ""}
    nl, en = descriptions["nl"]["description"], descriptions["en"]["description"]
    assert "geen hulpdienst" in nl and "113" in nl and "GGZ Noord & Co" in nl
    assert "not a crisis service" in en and "113" in en and "GGZ Noord & Co" in en
    assert descriptions[""]["description"] == nl  # anyone else: Dutch first
    for params in shorts.values():
        short = params["short_description"]
        assert len(short) <= 120 and "GGZ Noord & Co" in short and "&amp;" not in short
    assert all(len(p["description"]) <= 512 for p in descriptions.values())


def test_a_very_long_organisation_name_never_pushes_out_the_crisis_lines() -> None:
    long_name = "Stichting " + "Heel Lange Naam " * 10
    for locale in ("nl", "en"):
        short = description(renderer(), locale, "short_description", long_name)
        assert len(short) <= 120 and "113" in short and "Stichting" not in short
        full = description(renderer(), locale, "description", "GGZ Noord")
        assert "GGZ Noord" in full and "112" in full


# A new client's language ---------------------------------------------------------------------


async def test_a_new_client_starts_in_the_language_of_their_phone(
    server: BotApiServer, db: Path
) -> None:
    english = client(server, 1001, language="en-GB")
    german = client(server, 1002, language="de")
    dutch = client(server, 1003, language="nl")
    async with running_bot(server, db):
        assert "computer program" in texts(await english.start())
        assert english.labels[:2] == ["Continue", "Nederlands"]  # the choice stays
        assert "computerprogramma" in texts(await german.start())  # not ours: Dutch
        assert "computerprogramma" in texts(await dutch.start())
        await english.press("Nederlands")
        assert "computerprogramma" in english.last_text
        await english.press("Verder")
        assert "Wat bewaar ik?" in english.last_text  # the chosen language holds


# Typing… before the picture -------------------------------------------------------------------


async def test_typing_is_shown_before_the_map_picture(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        await intake(ans)
        await ans.press("Beginnen")
        await ans.say("Kees")
        await ans.press("Vrienden")
        assert sent_to(server, ANS, "sendChatAction") == []  # quick replies: no typing
        store = Store.open(db)
        with store.atomic():
            store.save_session(f"tg:{ANS}", Session("mapview.summary", prompt=500))
        store.close()
        await ans.start()
    methods = [c.method for c in server.calls if c.params.get("chat_id") == ANS]
    assert sent_to(server, ANS, "sendChatAction") == [{"chat_id": ANS, "action": "typing"}]
    typing = methods.index("sendChatAction")
    assert methods[typing + 1] == "sendPhoto"
    assert ans.user.chat_actions == ["typing"]


# Link previews ---------------------------------------------------------------------------------


async def test_no_link_previews_in_the_crisis_reply_and_the_code_message(
    server: BotApiServer, db: Path
) -> None:
    code = add_professional(db, "Sanne")
    sanne = TelegramClient(server, server.user(SANNE, "Sanne"))
    ans = client(server)
    async with running_bot(server, db):
        await sanne.start(code)
        reply = await sanne.say("/code AB", keyboard=False)
        assert "t.me/" in texts(reply)
        await ans.start()
        await ans.say("ik wil niet meer leven")
        assert "113.nl" in ans.last_text
    code_message = [p for p in sent_to(server, SANNE) if "t.me/" in p["text"]]
    crisis = [p for p in sent_to(server, ANS) if "113.nl" in p["text"]]
    assert code_message and code_message[0]["link_preview_options"] == NO_PREVIEW
    assert crisis and crisis[0]["link_preview_options"] == NO_PREVIEW
    # Generally: no message of the bot gets a preview, nor the confirming edits.
    assert all(p.get("link_preview_options") == NO_PREVIEW for p in server.calls_to("sendMessage"))


# Menus -------------------------------------------------------------------------------------------


async def test_the_client_menu_has_every_command_the_readme_lists(
    server: BotApiServer, db: Path
) -> None:
    async with running_bot(server, db):
        await server.wait_for(lambda: len(server.calls_to("setMyCommands")) >= 3, 5)
    nl = [name for name, _ in server.my_commands(language_code="nl")]
    en = [name for name, _ in server.my_commands(language_code="en")]
    default = [name for name, _ in server.my_commands()]
    assert nl == list(MENU["nl"]) == default  # in the order of bot/commands.py
    assert en == list(MENU["en"])
    assert {"ontkoppel", "herinneringen", "koppel", "mijngegevens", "wissen"} <= set(nl)
    assert {"unlink", "reminders", "link", "mydata", "erase"} <= set(en)


async def test_a_professional_gets_a_menu_of_their_own_until_deactivated(
    server: BotApiServer, db: Path
) -> None:
    code = add_professional(db, "Sanne")
    sanne = TelegramClient(server, server.user(SANNE, "Sanne"))
    scope = chat_scope(SANNE)
    async with running_bot(server, db):
        assert server.my_commands(scope=scope) == []
        await sanne.start(code)
        await server.wait_for(lambda: bool(server.my_commands(scope=scope)), 5)
        assert [name for name, _ in server.my_commands(scope=scope)] == list(MENU_PRO["nl"])
        admin(db, "deactivate-professional", "1")
        await server.wait_for(lambda: not server.my_commands(scope=scope), 5)
        [removed] = server.calls_to("deleteMyCommands")
        assert removed["scope"] == scope
        admin(db, "activate-professional", "1")
        await server.wait_for(lambda: bool(server.my_commands(scope=scope)), 5)
        admin(db, "remove-professional", "1")
        await server.wait_for(lambda: not server.my_commands(scope=scope), 5)
    pro_calls = [p for p in server.calls_to("setMyCommands") if p.get("scope") == scope]
    assert len(pro_calls) == 2  # at registration and after activation, not on every tick
    assert len(server.calls_to("deleteMyCommands")) == 2


async def test_a_professional_menu_is_set_after_a_restart_too(
    server: BotApiServer, db: Path
) -> None:
    code = add_professional(db, "Sanne")
    sanne = TelegramClient(server, server.user(SANNE, "Sanne"))
    async with running_bot(server, db, reminder_tick=0):  # no tick: nothing syncs menus
        await sanne.start(code)
    assert server.my_commands(scope=chat_scope(SANNE)) == []
    async with running_bot(server, db):
        await server.wait_for(lambda: bool(server.my_commands(scope=chat_scope(SANNE))), 5)


# Keyboards that fit a phone -------------------------------------------------------------------


def test_short_answers_side_by_side_and_long_labels_alone() -> None:
    labels = renderer()
    one_to_ten = [str(n) for n in range(1, 11)]
    assert arrange(one_to_ten) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert arrange(["Ja", "Nee"]) == [[0, 1]]
    practical = [labels.label("nl", f"ratings.scale.practical.{n}") for n in (1, 2, 3)]
    assert arrange([*practical, "Weet ik niet / sla over"]) == [[0, 1, 2], [3]]
    reciprocity = [labels.label("nl", f"ratings.scale.reciprocity.{n}") for n in (1, 2, 3)]
    assert arrange(reciprocity) == [[0], [1], [2]]  # "wij elkaar, over en weer": too long
    assert arrange(["Ja", "Nee", "↩ Terug"], alone=[False, False, True]) == [[0, 1], [2]]


async def test_keyboards_put_short_answers_in_one_row(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        for label in ("Verder", "Ik snap het"):
            await ans.press(label)
        consent = ans.user.last_message_with_keyboard()
        assert consent is not None
        assert rows(consent) == [["Ja, dat mag", "Nee, liever niet"], ["↩ Terug"]]
        await ans.press("Ja, dat mag")
        alert = ans.user.last_message_with_keyboard()
    assert alert is not None
    assert rows(alert) == [["Ja", "Nee", "Weet ik niet"], ["↩ Terug"]]
    sent = [p for p in sent_to(server, ANS) if "reply_markup" in p]
    assert sent[-1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Ja"
    assert len(sent[-1]["reply_markup"]["inline_keyboard"][0]) == 3


async def test_the_confidence_question_is_two_rows_of_five(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        await intake(ans)
        store = Store.open(db)
        with store.atomic():
            store.save_session(f"tg:{ANS}", Session("goal.confidence", prompt=500))
        store.close()
        await ans.start()
        question = ans.user.last_message_with_keyboard()
    assert question is not None
    keyboard = rows(question)
    assert keyboard[0] == ["1", "2", "3", "4", "5"]
    assert keyboard[1] == ["6", "7", "8", "9", "10"]


# Blocking, unblocking, groups ------------------------------------------------------------------


def active(db: Path, chat_id: int = ANS) -> int:
    store = Store.open(db)
    try:
        row = store.db.execute("SELECT active FROM clients WHERE id = ?", (f"tg:{chat_id}",))
        return row.fetchone()[0]
    finally:
        store.close()


async def test_blocking_and_unblocking_mark_the_client_at_once(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        await intake(ans)
        calls = len(server.calls)
        ans.user.block_bot()
        await server.wait_for(lambda: active(db) == 0, 5)
        ans.user.unblock_bot()
        await server.wait_for(lambda: active(db) == 1, 5)
        assert server.calls[calls:] == []  # learnt from Telegram, not from a failed send


async def test_added_to_a_group_it_says_so_once_and_leaves(server: BotApiServer, db: Path) -> None:
    ans = client(server, language="en")
    async with running_bot(server, db):
        group = ans.user.add_bot_to_group(-5001, "Familie")
        await server.wait_for(lambda: server.left_chats == [-5001], 5)
    [notice] = sent_to(server, -5001)
    assert "only works in a private chat" in notice["text"]
    assert "@steunkaart_test_bot" in notice["text"]
    assert [m.plain_text for m in group.messages] == [notice["text"]]
    assert server.calls_to("leaveChat") == [{"chat_id": -5001}]
    assert ans.user.messages == []


# Old buttons and the order of messages ------------------------------------------------------


async def test_an_old_button_is_answered_and_the_current_question_comes_again(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        old = ans.user.last_message_with_keyboard()
        assert old is not None
        data = old.button_data("English")
        await ans.press("Verder")
        first_copy = ans.user.last_message_with_keyboard()
        assert first_copy is not None
        query = await ans.user.press(old.message_id, data, strict=False)
        reply = await ans.settle()
        assert "Die vraag is al voorbij" in (reply[0].plain_text or "")
        assert "Wat bewaar ik?" in (reply[-1].plain_text or "")  # the question, last
        assert rows(reply[-1])[0] == ["Ik snap het"]
        assert query in server.callback_answers
        # The same question under the same number: the copy above still counts (a press
        # on it may have crossed the new one).
        assert reply[-1].buttons == first_copy.buttons
        await ans.press_on(first_copy, "Ik snap het")
        assert "Mag ik je antwoorden bewaren?" in ans.last_text  # in Dutch, one step on


async def test_after_consent_the_linked_notice_comes_before_the_question(
    server: BotApiServer, db: Path
) -> None:
    code = add_professional(db, "Sanne")
    sanne = TelegramClient(server, server.user(SANNE, "Sanne"))
    ans = client(server)
    async with running_bot(server, db):
        await sanne.start(code)
        reply = await sanne.say("/code AB", keyboard=False)
        link = texts(reply).split("?start=")[1].split()[0]
        await ans.start(link)
        for label in ("Verder", "Ik snap het"):
            await ans.press(label)
        after = await ans.press("Ja, dat mag")
    words = [m.plain_text or "" for m in after]
    assert "Je bent nu gekoppeld aan Sanne" in words[0]
    assert after[-1].buttons and "Je bent nu gekoppeld" not in words[-1]
    assert [m.message_id for m in after] == sorted(m.message_id for m in after)
