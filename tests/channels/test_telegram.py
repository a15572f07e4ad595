"""The route in Telegram: the real python-telegram-bot Application against the Bot API
server on 127.0.0.1 (tests/support/botapi.py). No mocks of our own code."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.console import event_for
from bot.channels.telegram import build_application, callback_data, parse_callback, split_text
from bot.commands import parse_command
from bot.events import Button, EventKind
from bot.model import Settings
from bot.store.repository import Store
from tests.support.botapi import BotApiServer
from tests.support.route import REQUEST, Person, answer, resolve
from tests.support.telegram_bot import (
    TelegramClient,
    button_values,
    press_value,
    running_bot,
    texts,
)

ANS = 1001


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "steunkaart.db"


def client(server: BotApiServer, chat_id: int = ANS, name: str = "Ans") -> TelegramClient:
    return TelegramClient(server, server.user(chat_id, first_name=name))


async def through_intake(person: TelegramClient) -> None:
    await person.start()
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Nee", "Sla over", "Sla over"):
        await person.press(label)
    await person.press("Verder")
    assert "Stap 2 van 6" in person.last_text


# Pure parts of the channel --------------------------------------------------------------


def test_callback_data_round_trip_and_forgeries() -> None:
    event = parse_callback(callback_data(12, "c34"))
    assert (event.kind, event.text, event.prompt) == (EventKind.CHOICE, "c34", 12)
    assert parse_callback("garbage").prompt == -1
    assert parse_callback(None).text == ""
    assert len(callback_data(10**9, "x" * 40).encode()) <= 64


def test_split_text_keeps_every_character_within_telegram_limits() -> None:
    text = "\n".join(["a" * 3000, "b" * 3000, "c" * 9000])
    parts = split_text(text)
    assert all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


# End to end -------------------------------------------------------------------------------


async def test_commands_menu_is_registered_in_both_languages(
    server: BotApiServer, db: Path
) -> None:
    async with running_bot(server, db):
        await server.wait_for(lambda: len(server.calls_to("setMyCommands")) >= 3, 5)
    nl = [c[0] for c in server.my_commands(language_code="nl")]
    en = [c[0] for c in server.my_commands(language_code="en")]
    assert {"start", "hulp", "pauze", "terug", "stop"} <= set(nl)
    assert {"start", "help", "pause", "back", "stop"} <= set(en)
    assert nl[0] == "nood" and en[0] == "urgent"  # the crisis lines first, one tap away


async def test_intake_and_map_through_telegram(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        welcome = await ans.start()
        assert "computerprogramma" in texts(welcome)
        assert "Verder" in ans.labels
        await through_intake(ans)
        await ans.press("Beginnen")
        await ans.say("<b>Bram</b> & co")
        assert "Waar ken je <b>Bram</b> & co van?" in ans.last_text
        await ans.press("Vrienden")
        assert "<b>Bram</b> & co staat op je lijst" in ans.last_text
    assert server.unanswered_callbacks == []
    assert server.unknown_methods == []


async def test_a_pressed_button_is_confirmed_and_its_keyboard_removed(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        question = ans.user.last_message_with_keyboard()
        assert question is not None
        await ans.press("Verder")
        edited = ans.user.message(question.message_id)
        assert edited.buttons == []
        assert "✓ Verder" in (edited.plain_text or "")
        assert "computerprogramma" in (edited.plain_text or "")


async def test_a_press_on_a_stale_keyboard_is_refused_kindly(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        old = ans.user.last_message_with_keyboard()
        assert old is not None
        data = old.button_data("English")
        await ans.press("Verder")
        await ans.user.press(old.message_id, data, strict=False)
        reply = await ans.settle(keyboard=False)
        assert "Die vraag is al voorbij" in texts(reply)
        await ans.say("/start")
        assert "Wat bewaar ik?" in ans.last_text  # still Dutch, still the privacy step
    assert server.unanswered_callbacks == []


async def test_resume_after_the_bot_process_restarts(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        await ans.say("Ans")
    async with running_bot(server, db):
        await ans.start()
        assert "verder waar je was" in ans.last_text or "Waar ken je Ans van?" in ans.last_text
        assert "Waar ken je Ans van?" in texts(ans.user.messages[-2:])
        await ans.press("Familie")
        assert "Ans staat op je lijst" in ans.last_text


async def test_updates_sent_while_the_bot_was_down_are_answered(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
    await ans.user.send_text("/hulp")
    async with running_bot(server, db):
        reply = await ans.settle()
        assert "Ik leg eerst uit" in texts(reply)


@pytest.mark.parametrize(
    "send",
    ["send_sticker", "send_photo", "send_voice", "send_document", "send_location"],
)
async def test_non_text_messages_get_a_kind_answer(
    server: BotApiServer, db: Path, send: str
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        await getattr(ans.user, send)()
        reply = await ans.settle()
        assert "alleen tekst lezen" in texts(reply)
        assert "Verder" in ans.labels  # the step is asked again


async def test_an_edited_message_is_not_taken_as_an_answer(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        sent = await ans.user.send_text("Ans")
        await ans.settle()
        await ans.user.edit_text(sent, "Bram")
        reply = await ans.settle()
        assert "aangepast" in texts(reply)


async def test_a_very_long_text_is_answered_kindly(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        await ans.say("x" * 4096)
        assert "wat lang" in texts(ans.user.messages[-2:])


async def test_two_rapid_updates_from_one_client_are_handled_in_order(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        await ans.user.send_text("Ans")
        await ans.user.send_text("Familie")
        await server.wait_for(lambda: "Ans staat op je lijst" in ans.last_text, 5)
        await ans.user.send_text("Bram")
        await ans.user.send_text("Vrienden")
        await server.wait_for(lambda: "Bram staat op je lijst" in ans.last_text, 5)
        await ans.press("Bekijk lijst")
        assert "1. Ans (Familie)\n2. Bram (Vrienden)" in ans.last_text


async def test_different_clients_are_served_concurrently(server: BotApiServer, db: Path) -> None:
    people = [client(server, 2000 + n, f"P{n}") for n in range(5)]
    async with running_bot(server, db):
        await asyncio.gather(*(through_intake(person) for person in people))
        await asyncio.gather(*(p.press("Beginnen") for p in people))
        await asyncio.gather(*(p.say(f"Kennis {p.user.first_name}") for p in people))
        for person in people:
            assert f"Waar ken je Kennis {person.user.first_name} van?" in person.last_text


async def test_429_and_500_are_retried_and_nothing_is_sent_twice(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        server.fail_next("sendMessage", 429, retry_after=1)
        await ans.press("Verder")
        assert "Wat bewaar ik?" in ans.last_text
        server.fail_next("sendMessage", 500)
        server.fail_next("sendMessage", 502)
        await ans.press("Ik snap het")
        assert "Mag ik je antwoorden bewaren?" in ans.last_text
    sent = [m.plain_text or "" for m in ans.user.messages]
    assert sum("Wat bewaar ik?" in t for t in sent) == 1
    assert sum("Mag ik je antwoorden bewaren?" in t for t in sent) == 1


async def test_a_dropped_connection_is_retried(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        server.delay_next("sendMessage", 0.2, drop=True)
        await ans.press("Verder")
        assert "Wat bewaar ik?" in ans.last_text
    sent = [m.plain_text or "" for m in ans.user.messages]
    assert sum("Wat bewaar ik?" in t for t in sent) == 1


async def test_a_client_who_blocked_the_bot_is_marked_inactive(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db) as app:
        await through_intake(ans)
        server.block(ANS)
        await ans.user.send_text("/hulp")
        await server.wait_for(lambda: any(e.status == 403 for e in server.errors), 5)
        await asyncio.sleep(0.1)
        store = app.bot_data.get("store")
        del store
    from bot.store.repository import Store

    store = Store.open(db)
    active = store.db.execute("SELECT active FROM clients").fetchone()[0]
    store.close()
    assert active == 0
    assert len([e for e in server.errors if e.status == 403]) == 1  # not retried forever


def test_split_text_never_cuts_an_html_entity() -> None:
    text = "x" * 4090 + "&amp;" * 10
    parts = split_text(text)
    assert all(len(p) <= 4096 for p in parts)
    assert not parts[0].endswith("&am") and parts[1].startswith("&amp;")


async def test_a_duplicate_update_is_handled_once(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        server.duplicate_next_update()
        await ans.say("Ans")
        await ans.press("Familie")
        await ans.user.expect_no_messages(0.2)
    sent = [m.plain_text or "" for m in ans.user.messages]
    assert sum("Waar ken je Ans van?" in t for t in sent) == 1


async def test_a_read_time_out_is_not_resent(server: BotApiServer, db: Path) -> None:
    """The message may have arrived although the bot saw a time-out: never send twice."""
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        server.delay_next("sendMessage", 6.0)  # longer than PTB's 5 s read time-out
        await ans.user.press_button("Verder")
        await server.wait_for(lambda: "Wat bewaar ik?" in ans.last_text, 10)
        await asyncio.sleep(0.3)
    sent = [m.plain_text or "" for m in ans.user.messages]
    assert sum("Wat bewaar ik?" in t for t in sent) == 1


async def test_nothing_a_client_typed_reaches_the_logs(
    server: BotApiServer, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        server.fail_next("sendMessage", 500)  # an error path logs too
        await ans.say("Geheimenaam Xq7")
        await ans.say("ik wil niet meer leven, Xq7")
    assert "Xq7" not in caplog.text
    assert server.token not in caplog.text


@given(data=st.text(max_size=80))
def test_any_callback_data_parses_without_error(data: str) -> None:
    event = parse_callback(data)
    assert event.kind is EventKind.CHOICE


@given(text=st.text(max_size=200))
def test_any_text_parses_as_a_command_or_not(text: str) -> None:
    command, argument, looks = parse_command(text)
    assert command is None or looks
    assert isinstance(argument, str)


@given(line=st.text(max_size=100), count=st.integers(0, 12))
def test_any_terminal_line_becomes_an_event(line: str, count: int) -> None:
    buttons = tuple(Button(f"b{n}", f"v{n}") for n in range(count))
    event = event_for(line, buttons, 3)
    assert event.kind in (EventKind.TEXT, EventKind.CHOICE)


@pytest.mark.parametrize("people", [[("Ans", "familie"), ("<b>Bram</b>", "vrienden")], []])
async def test_the_whole_route_as_a_telegram_user(
    server: BotApiServer, db: Path, people: list[tuple[str, str]]
) -> None:
    ans = client(server)
    person = Person(contacts=list(people))
    sectors = iter(sector for _, sector in people)
    observer = Store.open(db)
    async with running_bot(server, db):
        await through_intake(ans)  # before consent the state lives in memory only
        for _ in range(300):
            route = observer.load(f"tg:{ANS}", Settings())
            state = route.session.state if route else "intake.welcome"
            if state == "overview.done":
                break
            values = [v for v in button_values(ans) if not v.startswith("!")]
            added = len(route.contacts) if route else 0
            kind, value = resolve(answer(state, person, added, lambda: next(sectors)), values)
            await (press_value(ans, value) if kind == "press" else ans.say(value))
        else:
            raise AssertionError("the route did not end")
    final = observer.load(f"tg:{ANS}", Settings())
    observer.close()
    assert final is not None and final.plan is not None and final.plan.request == REQUEST
    assert [c.name for c in final.contacts] == [name for name, _ in people]
    assert server.unanswered_callbacks == []
    assert not [e for e in server.errors if e.status == 400]  # every message valid HTML


async def test_webhook_mode_takes_updates_with_the_secret_only(
    server: BotApiServer, db: Path, tmp_path: Path
) -> None:
    import socket

    import aiohttp

    from bot.channels.telegram import webhook_settings
    from bot.config import Config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "STEUNKAART_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "STEUNKAART_WEBHOOK_PORT": str(port),
        "STEUNKAART_DB": str(db),
    }
    settings = webhook_settings(Config.from_env(env))
    store = Store.open(db)
    from bot.engine import Engine
    from bot.i18n import renderer

    app = build_application(Engine(store, renderer()), server.token, server.url)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(**settings)  # type: ignore[arg-type]
    try:
        assert (
            server.webhook is not None and server.webhook["url"] == env["STEUNKAART_WEBHOOK_URL"]
        )
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": ANS, "type": "private", "first_name": "Ans"},
                "from": {"id": ANS, "is_bot": False, "first_name": "Ans"},
                "text": "/start",
            },
        }
        server.user(ANS, first_name="Ans")
        async with aiohttp.ClientSession() as http:
            refused = await http.post(env["STEUNKAART_WEBHOOK_URL"], json=update)
            assert refused.status == 403
            header = {"X-Telegram-Bot-Api-Secret-Token": str(settings["secret_token"])}
            accepted = await http.post(env["STEUNKAART_WEBHOOK_URL"], json=update, headers=header)
            assert accepted.status == 200
        await server.wait_for(lambda: server.message_count(ANS) >= 1, 5)
        assert "computerprogramma" in (server.users[ANS].messages[0].plain_text or "")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        store.close()


@pytest.mark.parametrize("data", ["²|next", "١٢|next", "-|x", "|", "12"])
def test_odd_digits_in_callback_data_are_refused_not_crashing(data: str) -> None:
    assert parse_callback(data).prompt in (-1, 12) or parse_callback(data).prompt is None


async def test_crisis_language_in_a_caption_gets_the_crisis_reply(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        await ans.user.send_photo(caption="ik wil niet meer leven")
        reply = await ans.settle()
        assert "113" in texts(reply) and "alleen tekst lezen" not in texts(reply)


async def test_a_message_edited_into_crisis_language_gets_the_crisis_reply(
    server: BotApiServer, db: Path
) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        sent = await ans.user.send_text("Ans")
        await ans.settle()
        await ans.user.edit_text(sent, "ik wil niet meer leven")
        reply = await ans.settle()
        assert "113" in texts(reply)


async def test_nood_gives_the_crisis_lines_in_telegram(server: BotApiServer, db: Path) -> None:
    ans = client(server)
    async with running_bot(server, db):
        await ans.start()
        await ans.say("/nood")
        assert "113" in texts(ans.user.messages[-1:])


async def test_the_check_question_in_telegram(server: BotApiServer, db: Path) -> None:
    from bot.safety import Tier, assess

    possible = next(
        t
        for t in ("de film ging over zelfmoord", "vroeger sneed ik mezelf")
        if assess(t).tier is Tier.ASK
    )
    ans = client(server)
    async with running_bot(server, db):
        await through_intake(ans)
        await ans.press("Beginnen")
        await ans.say(possible)
        assert ans.labels == ["Ja", "Nee", "Weet ik niet"]
        reply = await ans.press("Nee")
        assert "113" in texts(reply) and "voornaam" in texts(reply)
