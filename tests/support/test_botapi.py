"""Self-tests of the Bot API test server, driven by real python-telegram-bot clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    TimedOut,
)
from telegram.ext import AIORateLimiter, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bench.echo_bot import PRESSED_SUFFIX, build_echo_app
from tests.support.botapi import (
    NOT_MODIFIED,
    BotApiServer,
    parse_html,
    running_application,
    tiny_png,
)

CHAT = 1001


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with Bot(
        server.token, base_url=server.api_base_url, base_file_url=server.file_base_url
    ) as client:
        yield client


# -- a real Application against the server ----------------------------------------------------


async def test_text_echo_round_trip(server: BotApiServer) -> None:
    user = server.user(CHAT, "Ans")
    async with running_application(build_echo_app(server.url, server.token)):
        await user.send_text("hallo")
        [reply] = await user.wait_for_messages(1, timeout=3)
        await server.wait_until_updates_consumed(timeout=3)
    assert reply.text == "hallo"
    assert reply.buttons == [[("👍", "like")]]
    assert user.last_keyboard() == [[("👍", "like")]]
    assert [c.method for c in server.calls] == ["getMe", "deleteWebhook", "sendMessage"]
    assert server.calls_to("sendMessage")[0]["chat_id"] == CHAT
    assert server.unknown_methods == [] and server.errors == []
    assert server.updates_pending == 0


async def test_button_press_is_answered_and_edits_the_message(server: BotApiServer) -> None:
    user = server.user(CHAT)
    async with running_application(build_echo_app(server.url, server.token)):
        await user.send_text("kies")
        [msg] = await user.wait_for_messages(1, timeout=3)
        query_id = await user.press_button("👍")
        await user.wait_for_edit(msg.message_id, timeout=3)
    assert query_id in server.callback_answers
    assert server.unanswered_callbacks == []
    assert msg.text == "kies" + PRESSED_SUFFIX
    assert msg.history == ["kies"]
    assert msg.buttons == []  # editMessageText without reply_markup drops the keyboard
    assert user.last_keyboard() is None
    with pytest.raises(ValueError, match="no button"):
        await user.press(msg.message_id, "like")


async def test_429_then_success_through_aioratelimiter(
    server: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, constructing RetryAfter emits a PTBDeprecationWarning, which
    # filterwarnings=error turns into an exception that AIORateLimiter cannot retry.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    user = server.user(CHAT)
    server.fail_next("sendMessage", status=429, retry_after=1)
    app = build_echo_app(server.url, server.token, rate_limiter=AIORateLimiter(max_retries=2))
    async with running_application(app):
        await user.send_text("nog eens")
        [reply] = await user.wait_for_messages(1, timeout=4)
        await user.expect_no_messages(within=0.2)
    assert reply.text == "nog eens"
    assert server.message_count(CHAT) == 1
    assert len(server.calls_to("sendMessage")) == 2
    assert [(e.method, e.status) for e in server.errors] == [("sendMessage", 429)]


async def test_blocked_chat_raises_forbidden_in_the_bot(server: BotApiServer) -> None:
    user = server.user(CHAT)
    errors: list[object] = []

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app = build_echo_app(server.url, server.token)
    app.add_error_handler(on_error)
    server.block(CHAT)
    async with running_application(app):
        await user.send_text("hallo")
        await server.wait_for(lambda: bool(errors), timeout=3)
    assert isinstance(errors[0], Forbidden)
    assert str(errors[0]) == "Forbidden: bot was blocked by the user"
    assert server.message_count(CHAT) == 0


async def test_duplicate_update_is_delivered_twice(server: BotApiServer) -> None:
    user = server.user(CHAT)
    seen: list[int] = []

    async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)

    app = build_echo_app(server.url, server.token)
    app.add_handler(TypeHandler(Update, count), group=-1)
    server.duplicate_next_update()
    async with running_application(app):
        await user.send_text("een keer")
        await user.wait_for_messages(2, timeout=3)
        await server.wait_until_updates_consumed(timeout=3)
        await user.send_text("daarna")
        await user.wait_for_messages(1, timeout=3)
    assert seen[0] == seen[1] and seen[2] == seen[0] + 1
    assert server.message_count(CHAT) == 3


# -- single methods through a real Bot client -------------------------------------------------


async def test_send_photo_and_document_keep_bytes(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    png = tiny_png(120, 60)
    sent = await bot.send_photo(CHAT, png, caption="<b>Je kaart</b>", parse_mode="HTML")
    doc = await bot.send_document(CHAT, b"%PDF-1.4 kaart", filename="kaart.pdf")
    photo_msg, doc_msg = await user.wait_for_messages(2)
    assert photo_msg.photo == png and photo_msg.kind == "photo"
    assert photo_msg.caption == "<b>Je kaart</b>" and photo_msg.plain_text == "Je kaart"
    assert [(p.width, p.height) for p in sent.photo] == [(90, 45), (120, 60)]
    assert sent.caption == "Je kaart" and sent.caption_entities[0].type == "bold"
    assert doc_msg.document == b"%PDF-1.4 kaart" and doc_msg.filename == "kaart.pdf"
    assert doc.document is not None and doc.document.file_name == "kaart.pdf"
    # The uploaded photo can be fetched back through getFile and the file URL.
    file = await bot.get_file(sent.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == png
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CHAT, b"not an image")
    assert server.message_count(CHAT) == 2


async def test_user_media_can_be_downloaded(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    await user.send_document(b"hello", filename="a.txt", mime_type="text/plain")
    await user.send_voice(duration=2)
    await user.send_location()
    await user.send_sticker()
    await user.send_photo()
    updates = await bot.get_updates(timeout=0)
    messages = [u.message for u in updates]
    assert all(m is not None for m in messages)
    assert messages[0] is not None and messages[0].document is not None
    file = await messages[0].document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"hello"
    assert messages[1] is not None and messages[1].voice is not None
    assert messages[2] is not None and messages[2].location is not None
    assert messages[3] is not None and messages[3].sticker is not None
    assert messages[4] is not None and messages[4].photo


async def test_commands_are_stored_per_scope_and_language(server: BotApiServer, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("stop", "Stop")])
    await bot.set_my_commands([BotCommand("start", "Beginnen")], language_code="nl")
    private = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand("help", "Hulp")], scope=private, language_code="nl")
    assert server.my_commands() == [("start", "Begin"), ("stop", "Stop")]
    assert server.my_commands("nl") == [("start", "Beginnen")]
    assert server.my_commands("nl", scope={"type": "all_private_chats"}) == [("help", "Hulp")]
    nl = await bot.get_my_commands(language_code="nl")
    assert [(c.command, c.description) for c in nl] == [("start", "Beginnen")]
    await bot.delete_my_commands(language_code="nl")
    assert server.my_commands("nl") == []
    assert server.calls_to("setMyCommands")[1]["commands"] == [
        {"command": "start", "description": "Beginnen"}
    ]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "hoofdletter")])


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>vet", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
    ],
)
async def test_html_errors_are_bad_requests(
    server: BotApiServer, bot: Bot, html: str, error: str
) -> None:
    server.user(CHAT)
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, html, parse_mode="HTML")
    # PTB strips "Bad Request: " and applies str.capitalize(), lower-casing the rest.
    assert caught.value.message == f"can't parse entities: {error}".capitalize()
    assert server.errors[-1].description == f"Bad Request: can't parse entities: {error}"
    assert server.message_count(CHAT) == 0


async def test_valid_html_gives_entities(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    html = (
        '<b>Vet</b> <i>schuin</i> <a href="https://x.nl/?a=1&amp;b=2">link</a> '
        '<span class="tg-spoiler">geheim</span> <pre><code class="language-py">x</code></pre> '
        "<blockquote expandable>q</blockquote> 1 &lt; 2 &amp; 3 &gt; 2 &quot;ok&quot; & 🙂<u>u</u>"
    )
    sent = await bot.send_message(CHAT, html, parse_mode="HTML")
    assert sent.text == 'Vet schuin link geheim x q 1 < 2 & 3 > 2 "ok" & 🙂u'
    assert sent.text_html is not None
    types = [(e.type, e.offset, e.length) for e in sent.entities]
    assert types[:3] == [("bold", 0, 3), ("italic", 4, 6), ("text_link", 11, 4)]
    assert sent.entities[2].url == "https://x.nl/?a=1&b=2"
    assert sent.entities[4].type == "pre" and sent.entities[4].language == "py"
    assert sent.entities[5].type == "expandable_blockquote"
    assert sent.entities[-1].offset == len(sent.text.encode("utf-16-le")) // 2 - 1
    [msg] = await user.wait_for_messages(1)
    assert msg.text == html and msg.parse_mode == "HTML"
    assert parse_html("a &foo; b")[0] == "a &foo; b"


async def test_telegram_validation(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHAT, " ")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "x" * 4097)
    await bot.send_message(CHAT, "x" * 4096)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "knop", reply_markup=too_long)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(4242, "wie?")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("é" * 32, callback_data="é" * 32)]])
    sent = await bot.send_message(CHAT, "knop", reply_markup=keyboard, protect_content=True)
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text("knop", CHAT, sent.message_id, reply_markup=keyboard)
    assert server.errors[-1].description == NOT_MODIFIED
    assert "Message is not modified" in caught.value.message
    edited = await bot.edit_message_reply_markup(CHAT, sent.message_id)
    assert isinstance(edited, type(sent)) and edited.reply_markup is None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("nieuw", CHAT, 999)
    msgs = await user.wait_for_messages(2)
    assert msgs[1].protect_content and msgs[1].buttons == []
    assert server.message_count(CHAT) == 2


async def test_reply_keyboard_and_chat_action(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    await bot.send_chat_action(CHAT, "typing")
    markup = ReplyKeyboardMarkup([["Ja", "Nee"]], one_time_keyboard=True)
    sent = await bot.send_message(CHAT, "Klopt dat?", reply_markup=markup)
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    assert user.reply_keyboard == [["Ja", "Nee"]]
    assert user.chat_actions == ["typing"]


async def test_unknown_methods_are_404_and_recorded(server: BotApiServer, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate_chat", api_kwargs={"chat_id": CHAT})
    assert server.unknown_methods == ["frobnicateChat"]
    assert server.errors[-1].description == "Not Found: method not found"


async def test_get_updates_offsets_and_long_poll(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    assert await bot.get_updates(timeout=0) == ()
    await user.send_text("een")
    first = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == [u.update_id for u in again]  # not confirmed yet
    await user.send_text("twee")
    second = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0, limit=1)
    assert [u.message.text for u in second if u.message] == ["twee"]
    assert server.updates_pending == 1

    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(offset=second[-1].update_id + 1, timeout=3))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await user.send_text("drie")
    third = await poll
    assert loop.time() - started < 1.5
    assert [u.message.text for u in third if u.message] == ["drie"]
    await bot.get_updates(offset=third[-1].update_id + 1, timeout=0)
    assert server.updates_pending == 0
    assert server.get_updates_calls == 6


async def test_5xx_and_timeouts_do_not_deliver(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT)
    server.fail_next("sendMessage", status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(CHAT, "een")
    server.fail_next("*", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(CHAT, "twee")
    assert server.message_count(CHAT) == 0

    fast = Bot(
        server.token,
        base_url=server.api_base_url,
        request=HTTPXRequest(read_timeout=0.2),
    )
    async with fast:
        server.delay_next("sendMessage", 0.5, drop=True)
        with pytest.raises(TimedOut):
            await fast.send_message(CHAT, "kwijt")
        server.delay_next("sendMessage", 0.5)
        with pytest.raises(TimedOut):
            await fast.send_message(CHAT, "toch aangekomen")
    [late] = await user.wait_for_messages(1, timeout=2)
    assert late.text == "toch aangekomen"
    assert server.message_count(CHAT) == 1


async def test_user_edit_and_command_updates(server: BotApiServer, bot: Bot) -> None:
    user = server.user(CHAT, "Ans", username="ans")
    await user.send_command("start", payload="CODE123")
    mid = await user.send_text("typfot")
    await user.edit_text(mid, "typfout")
    updates = await bot.get_updates(timeout=0)
    start, _, edit = updates
    assert start.message is not None and start.message.text == "/start CODE123"
    assert start.message.entities[0].type == "bot_command"
    assert start.message.from_user is not None
    assert start.message.from_user.language_code == "nl"
    assert edit.edited_message is not None and edit.edited_message.text == "typfout"
    await bot.send_message("@ans", "via username")
    reply = await bot.send_message(CHAT, "antwoord", reply_parameters=ReplyParameters(mid))
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "typfout"
    assert [m.text for m in user.messages] == ["via username", "antwoord"]
    assert user.messages[1].reply_to_message_id == mid


async def test_second_poller_conflicts_and_wrong_token(server: BotApiServer, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=2))
    await asyncio.sleep(0.05)
    async with Bot(server.token, base_url=server.api_base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await poll
    with pytest.raises(InvalidToken):  # Bot.initialize() calls getMe
        async with Bot("999:WRONG", base_url=server.api_base_url):
            pass
    assert [e.status for e in server.errors] == [409, 401]


async def test_blocking_and_groups_arrive_as_my_chat_member(
    server: BotApiServer, bot: Bot
) -> None:
    user = server.user(CHAT, "Ans", language_code="en")
    user.block_bot()
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(CHAT, "hallo")
    user.unblock_bot()
    await bot.send_message(CHAT, "weer hier")
    group = user.add_bot_to_group(-77, "Familie")
    updates = await bot.get_updates(timeout=0)
    changes = [u.my_chat_member for u in updates]
    assert all(c is not None for c in changes)
    assert [(c.old_chat_member.status, c.new_chat_member.status) for c in changes] == [
        ("member", "kicked"),
        ("kicked", "member"),
        ("left", "member"),
    ]
    assert changes[2].chat.type == "group" and changes[2].from_user.language_code == "en"
    await bot.send_message(-77, "alleen privé")
    assert await bot.leave_chat(-77)
    assert server.left_chats == [-77]
    assert [m.plain_text for m in group.messages] == ["alleen privé"]
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-77, "nog eens")
    with pytest.raises(BadRequest, match="private chats"):
        await bot.leave_chat(CHAT)
