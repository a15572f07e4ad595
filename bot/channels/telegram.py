"""The route in Telegram: python-telegram-bot updates -> Events, Replies -> API calls.

One client's updates are handled one after the other (a lock per chat); different
clients concurrently. The engine has stored each answer before anything is sent.
A chosen button is confirmed by editing its message, which also removes the
keyboard, so an old question cannot be answered twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

# Opt in to PTB 23's timedelta periods now (PTB 22 warns on every retry_after read).
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import (
    BotCommand,
    BotCommandScopeDefault,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import build_engine
from bot.channels.delivery import with_retries
from bot.commands import MENU
from bot.config import Config
from bot.engine import Engine
from bot.events import Event, Reply
from bot.i18n import renderer
from bot.numbers import whole_number

log = logging.getLogger(__name__)

SEPARATOR = "|"  # callback data is "<prompt>|<value>"
PRIVATE = filters.ChatType.PRIVATE


def client_id(chat_id: int) -> str:
    return f"tg:{chat_id}"


def chat_of(client: str) -> int | None:
    """The Telegram chat of one of our client ids ("tg:123"), None for other channels."""
    prefix, _, number = client.partition(":")
    value = whole_number(number.removeprefix("-"))
    if prefix != "tg" or value is None:
        return None
    return -value if number.startswith("-") else value


def callback_data(prompt: int | None, value: str) -> str:
    return f"{prompt if prompt is not None else ''}{SEPARATOR}{value}"


def parse_callback(data: str | None) -> Event:
    prompt, _, value = (data or "").partition(SEPARATOR)
    number = whole_number(prompt)
    return Event.chose(value, -1 if number is None else number)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.label, callback_data=callback_data(reply.prompt, b.value))]
        for b in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Long texts in parts at line breaks (our replies are short; typed text can be long).

    A line longer than the limit is cut, never inside an HTML entity such as "&amp;".
    """
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = ""
        while len(line) > limit:
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        current = f"{current}\n{line}" if current else line
    return [*parts, current] if current or not parts else parts


def _safe_cut(line: str, limit: int) -> int:
    amp = line.rfind("&", max(0, limit - 10), limit)
    return amp if amp > 0 and ";" not in line[amp:limit] else limit


class TelegramChannel:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._delivering = False
        self._resumed = False

    def register(self, app: Application) -> None:
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.EDITED, self.on_edited))
        app.add_handler(
            MessageHandler(PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT, self.on_text)
        )
        app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.MESSAGE, self.on_other))
        app.add_error_handler(self.on_error)

    # Updates -> events ----------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        ref = message.message_id
        event = _start_event(message.text, ref) or Event.typed(message.text, ref)
        await self.handle(context, message.chat_id, event)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        event = Event.unsupported(_kind_of(message), message.message_id)
        await self.handle(context, message.chat_id, event)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        await self.handle(context, message.chat_id, Event.unsupported("edited"))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message
        try:
            if not isinstance(message, Message):
                return  # too old for Telegram to show us: nothing to answer to
            event = parse_callback(query.data)
            chat_id = message.chat_id
            async with self._locks[chat_id]:
                current = self.engine.current_prompt(client_id(chat_id))
                replies = self.engine.handle(client_id(chat_id), event)
                await self._confirm(query, message, current == event.prompt)
                await self.send(context, chat_id, replies)
        finally:
            await _answer(query)

    async def handle(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, event: Event) -> None:
        async with self._locks[chat_id]:
            replies = self.engine.handle(client_id(chat_id), event)
            await self.send(context, chat_id, replies)

    async def deliver_due(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send every reminder that is due, at least once: each is leased, sent, and
        marked sent only after Telegram accepted it, one after the other, so a crash
        can send at most the one in flight twice and loses none. The first run after a
        start takes over what a killed run had leased."""
        if self._delivering:
            return  # the previous tick is still sending a burst
        self._delivering = True
        try:
            if not self._resumed:
                self.engine.resume_reminders()
                self._resumed = True
            while replies := self.engine.due_reminders(datetime.now(UTC)):
                for reply in replies:
                    await self._deliver_reminder(context, reply)
        finally:
            self._delivering = False

    async def _deliver_reminder(self, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
        chat = chat_of(reply.to or "")
        reminder = reply.reminder
        if chat is None or reminder is None:
            return
        async with self._locks[chat]:
            try:
                await self._send_one(context, chat, replace(reply, to=None))
            except Forbidden:
                self.engine.mark_unreachable(client_id(chat))
                self.engine.reminder_failed(reminder)  # unreachable: dropped at the next look
                return
            except TelegramError as error:
                again = self.engine.reminder_failed(reminder)
                log.warning("reminder not sent (%s); retry: %s", type(error).__name__, again)
                return
            self.engine.reminder_sent(reminder)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An update that could not be stored (the database stayed locked, the disk is
        full): tell the person to send it again, so it is not lost without a word."""
        # Never log the update itself: it holds what the client typed.
        error = context.error
        log.error("update failed: %s", type(error).__name__, exc_info=error)
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None or chat.type != "private":
            return
        reply = self.engine.try_again(client_id(chat.id), error)
        if reply is not None:
            with contextlib.suppress(TelegramError):
                await with_retries(lambda: context.bot.send_message(chat.id, reply.text), "retry")

    # Replies -> API calls -------------------------------------------------------------------

    async def send(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, replies: list[Reply]
    ) -> None:
        for reply in replies:
            target = chat_id if reply.to is None else chat_of(reply.to)
            if target is None:
                continue  # nobody to send it to (e.g. a professional not registered yet)
            try:
                await self._send_one(context, target, reply)
            except Forbidden:
                self.engine.mark_unreachable(client_id(target))
                log.info("a chat blocked the bot; marked unreachable")
                if target == chat_id:
                    return

    async def _send_one(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply
    ) -> None:
        bot = context.bot
        image = reply.image
        if image is None and reply.picture is not None:
            image = await asyncio.to_thread(reply.picture)  # drawing must not stall the loop
        if image is not None:
            await with_retries(
                lambda: bot.send_photo(
                    chat_id, image.content, filename=image.filename, protect_content=reply.protect
                ),
                "photo",
            )
        parts = split_text(reply.text)
        for number, part in enumerate(parts, start=1):
            markup = keyboard(reply) if number == len(parts) else None
            await with_retries(
                lambda p=part, m=markup: bot.send_message(
                    chat_id,
                    p,
                    parse_mode=ParseMode.HTML,
                    reply_markup=m,
                    protect_content=reply.protect,
                ),
                "message",
            )
        if reply.document is not None:
            doc = reply.document
            await with_retries(
                lambda: bot.send_document(
                    chat_id, doc.content, filename=doc.filename, protect_content=reply.protect
                ),
                "document",
            )

    async def _confirm(self, query: CallbackQuery, message: Message, current: bool) -> None:
        """Show what was chosen under the question and take the keyboard away."""
        label = _pressed_label(message, query.data)
        try:
            if current and label and message.text is not None:
                text = f"{message.text_html}\n\n✓ <i>{html.escape(label)}</i>"
                await with_retries(lambda: query.edit_message_text(text, ParseMode.HTML), "edit")
            elif message.reply_markup is not None:
                await with_retries(lambda: query.edit_message_reply_markup(None), "edit")
        except BadRequest:
            pass  # too old to edit, or already edited: the new question follows anyway


async def _answer(query: CallbackQuery) -> None:
    with contextlib.suppress(BadRequest):  # the query expired (older than Telegram keeps)
        await with_retries(query.answer, "answer")


def _pressed_label(message: Message, data: str | None) -> str | None:
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def _start_event(text: str, ref: int) -> Event | None:
    """ "/start PAYLOAD" from a deep link carries a code (linking to a professional)."""
    head, _, payload = text.strip().partition(" ")
    if head.split("@", 1)[0].casefold() != "/start":
        return None
    return Event.start(payload.strip(), ref)


def _kind_of(message: Message) -> str:
    for kind in ("sticker", "photo", "voice", "audio", "video", "document", "location", "contact"):
        if getattr(message, kind, None):
            return kind
    return "other"


# Application ------------------------------------------------------------------------------


async def set_commands(app: Application) -> None:
    """The command menu in the client's language (Dutch for everyone else)."""
    engine = app.bot_data.get("engine")
    if isinstance(engine, Engine) and not engine.desk.bot_username:
        engine.desk.bot_username = app.bot.username  # for deep links in link codes
    labels = renderer()
    for locale, names in MENU.items():
        commands = [BotCommand(name, labels.label(locale, f"menu.{name}")) for name in names]
        await app.bot.set_my_commands(commands, language_code=locale)
        if locale == "nl":
            await app.bot.set_my_commands(commands, scope=BotCommandScopeDefault())


def quiet_loggers() -> None:
    """httpx logs every request URL, which holds the bot token; transitions logs a line
    per step. Neither belongs in the logs."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)


# Seconds between looks at the reminders table: an indexed query, so a short tick is
# cheap, and a reminder goes out within a second of its moment.
REMINDER_TICK = 1.0


def build_application(
    engine: Engine, token: str, api_base_url: str = "", reminder_tick: float = REMINDER_TICK
) -> Application:
    quiet_loggers()
    builder = (
        ApplicationBuilder()
        .token(token)
        .concurrent_updates(True)
        .rate_limiter(AIORateLimiter(max_retries=3))
        # A small pool is plenty under Telegram's ~30 messages/s; httpcore's pool costs
        # grow with its size (most of the bot's CPU at 256, measured with py-spy).
        .connection_pool_size(16)
        .pool_timeout(30.0)
        .post_init(set_commands)
    )
    if api_base_url:
        root = api_base_url.rstrip("/")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    app = builder.build()
    app.bot_data["engine"] = engine
    channel = TelegramChannel(engine)
    channel.register(app)
    if app.job_queue is not None and reminder_tick > 0:
        # Due reminders are read from SQLite, so this survives restarts: at start-up the
        # first run sends what fell due while the bot was down, and what a killed run
        # had leased but not confirmed.
        app.job_queue.run_repeating(
            channel.deliver_due, interval=reminder_tick, first=0.5, name="reminders"
        )
    return app


WEBHOOK_PATH = "telegram"


def webhook_settings(config: Config) -> dict[str, object]:
    """Where the webhook listens, and the secret Telegram must send along, so nobody
    else can post updates to it."""
    return {
        "listen": config.webhook_listen,
        "port": config.webhook_port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": config.webhook_url,
        "secret_token": config.webhook_secret,
    }


def run_bot(config: Config) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    engine = build_engine(config)
    app = build_application(engine, config.token, config.api_base_url)
    try:
        if config.webhook_url:
            app.run_webhook(**webhook_settings(config), allowed_updates=Update.ALL_TYPES)
        else:
            # Updates sent while we were down are kept by Telegram for a day: take them.
            app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    finally:
        engine.store.close()
    return 0
