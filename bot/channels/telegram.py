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
import signal
import threading
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

# Opt in to PTB 23's timedelta periods now (PTB 22 warns on every retry_after read).
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import build_engine
from bot.channels import menus
from bot.channels.delivery import stop_retrying, with_retries
from bot.channels.layout import arrange
from bot.channels.membership import Membership
from bot.config import Config
from bot.engine import Engine
from bot.events import Event, Reply
from bot.numbers import whole_number
from bot.say import BACK, PAUSE, RESUME

log = logging.getLogger(__name__)

SEPARATOR = "|"  # callback data is "<prompt>|<value>"
PRIVATE = filters.ChatType.PRIVATE
# A link in our texts (113.nl, a t.me code link) is for tapping: a preview card would
# push the words away, so no message of ours gets one.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Not answers but ways on or out (back, pause, resume, skip, done): each keeps a row of
# its own, so "Iets anders | Klaar" never reads as two answers of one kind.
CONTROLS = frozenset({BACK, PAUSE, RESUME, "skip", "done"})


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
    """Short answers side by side, long ones and the way back on rows of their own."""
    if not reply.buttons:
        return None
    buttons = [
        InlineKeyboardButton(b.label, callback_data=callback_data(reply.prompt, b.value))
        for b in reply.buttons
    ]
    labels = [b.label for b in reply.buttons]
    alone = [b.value in CONTROLS for b in reply.buttons]
    return InlineKeyboardMarkup([[buttons[i] for i in row] for row in arrange(labels, alone)])


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
        membership = Membership(self.engine, client_id)
        app.add_handler(ChatMemberHandler(membership.on_change, ChatMemberHandler.MY_CHAT_MEMBER))
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
        await self.handle(context, message.chat_id, _in_language(event, update))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        # A caption is read for crisis language too ("ik wil dood" under a photo).
        words = message.caption or ""
        event = Event.unsupported(_kind_of(message), message.message_id, words)
        await self.handle(context, message.chat_id, _in_language(event, update))

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        words = message.text or message.caption or ""  # an edit into crisis language counts
        event = _in_language(Event.unsupported("edited", words=words), update)
        await self.handle(context, message.chat_id, event)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message
        try:
            if not isinstance(message, Message):
                return  # too old for Telegram to show us: nothing to answer to
            event = _in_language(parse_callback(query.data), update)
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
                # Nobody to send it to (e.g. a professional not registered yet).
                self._report(reply, "no-chat")
                continue
            try:
                sent = await self._send_one(context, target, reply)
            except Forbidden:
                self._report(reply, "blocked")
                self.engine.mark_unreachable(client_id(target))
                log.info("a chat blocked the bot; marked unreachable")
                if target == chat_id:
                    return
                continue
            except Exception as error:
                self._report(reply, type(error).__name__)
                raise
            self._report(reply, None, sent)

    def _report(self, reply: Reply, failure: str | None, sent: tuple[int, ...] = ()) -> None:
        """Tell the engine whether an alert, notice or summary arrived (and as which
        messages): only Telegram's answer makes it delivered."""
        if not reply.receipt:
            return
        if failure is None:
            self.engine.delivered(reply.receipt, sent)
        else:
            self.engine.undelivered(reply.receipt, failure)

    async def deliver_notices(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send what the administrator's command line left for the bot (deactivation,
        handover, missed alerts)."""
        for reply in self.engine.due_notices():
            await self._deliver_notice(context, reply)

    async def _deliver_notice(self, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
        chat = chat_of(reply.to or "")
        if chat is None:
            self._report(reply, "no-chat")
            return
        async with self._locks[chat]:
            await self.send(context, chat, [replace(reply, to=None)])

    async def _send_one(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply
    ) -> tuple[int, ...]:
        """Send one reply; the ids of the messages it became."""
        bot = context.bot
        if reply.edit is not None:
            # An alert repeated in the same episode: its count changes, no new alert.
            try:
                await with_retries(
                    lambda: bot.edit_message_text(
                        reply.text,
                        chat_id=chat_id,
                        message_id=reply.edit,
                        parse_mode=ParseMode.HTML,
                    ),
                    "edit",
                )
            except BadRequest:
                log.info("an alert's count could not be updated (message gone)")
            return ()
        sent: list[Message] = []
        for message_id in reply.delete:
            # Summaries of a client who erased everything. Telegram lets a bot delete
            # its messages for 48 hours; older ones the professional was asked to delete.
            try:
                await with_retries(lambda m=message_id: bot.delete_message(chat_id, m), "delete")
            except BadRequest:
                log.info("a summary message could not be deleted (too old or gone)")
        image = reply.image
        if image is None and reply.picture is not None:
            # Drawing takes a moment: show "typing…" so the chat does not look stuck.
            await with_retries(lambda: bot.send_chat_action(chat_id, ChatAction.TYPING), "action")
            image = await asyncio.to_thread(reply.picture)  # drawing must not stall the loop
        if image is not None:
            photo = await with_retries(
                lambda: bot.send_photo(
                    chat_id,
                    image.content,
                    filename=image.filename,
                    caption=reply.caption or None,
                    protect_content=reply.protect,
                ),
                "photo",
            )
            sent.append(photo)
        parts = split_text(reply.text)
        for number, part in enumerate(parts, start=1):
            markup = keyboard(reply) if number == len(parts) else None
            message = await with_retries(
                lambda p=part, m=markup: bot.send_message(
                    chat_id,
                    p,
                    parse_mode=ParseMode.HTML,
                    reply_markup=m,
                    protect_content=reply.protect,
                    link_preview_options=NO_PREVIEW,
                ),
                "message",
            )
            sent.append(message)
        if reply.document is not None:
            doc = reply.document
            await with_retries(
                lambda: bot.send_document(
                    chat_id, doc.content, filename=doc.filename, protect_content=reply.protect
                ),
                "document",
            )
        return tuple(m.message_id for m in sent)

    async def _confirm(self, query: CallbackQuery, message: Message, current: bool) -> None:
        """Show what was chosen under the question and take the keyboard away."""
        label = _pressed_label(message, query.data)
        try:
            if current and label and message.text is not None:
                text = f"{message.text_html}\n\n✓ <i>{html.escape(label)}</i>"
                await with_retries(
                    lambda: query.edit_message_text(
                        text, ParseMode.HTML, link_preview_options=NO_PREVIEW
                    ),
                    "edit",
                )
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


def _in_language(event: Event, update: Update) -> Event:
    """The event with the language the person's Telegram app is set to."""
    user = update.effective_user
    code = user.language_code if user is not None else None
    return replace(event, language=code) if code else event


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


async def introduce(app: Application) -> None:
    """At start-up: menus and descriptions, and the bot's @name for deep links."""
    engine = app.bot_data["engine"]
    if not engine.desk.bot_username:
        engine.desk.bot_username = app.bot.username  # for deep links in link codes
    await menus.introduce(app, engine, app.bot_data.get("organisation", ""))


def quiet_loggers() -> None:
    """httpx logs every request URL, which holds the bot token; transitions logs a line
    per step. Neither belongs in the logs."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)
    # A line for every run of the reminder and menu ticks says nothing.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


# Seconds between looks at the reminders table: an indexed query, so a short tick is
# cheap, and a reminder goes out within a second of its moment.
REMINDER_TICK = 1.0


def build_application(
    engine: Engine,
    token: str,
    api_base_url: str = "",
    reminder_tick: float = REMINDER_TICK,
    organisation: str = "",
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
        .post_init(introduce)
    )
    if api_base_url:
        root = api_base_url.rstrip("/")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    app = builder.build()
    app.bot_data["engine"] = engine
    app.bot_data["organisation"] = organisation
    channel = TelegramChannel(engine)
    channel.register(app)
    if app.job_queue is not None and reminder_tick > 0:
        # Due reminders are read from SQLite, so this survives restarts: at start-up the
        # first run sends what fell due while the bot was down, and what a killed run
        # had leased but not confirmed.
        app.job_queue.run_repeating(
            channel.deliver_due, interval=reminder_tick, first=0.5, name="reminders"
        )
        app.job_queue.run_repeating(
            channel.deliver_notices, interval=reminder_tick, first=0.5, name="notices"
        )
        # Professionals are registered here but (de)activated by `steunkaart admin` in
        # another process: their menus follow the table on the same tick.
        pro_menus = menus.ProfessionalMenus(engine, chat_of)
        app.job_queue.run_repeating(
            pro_menus.sync, interval=reminder_tick, first=0.3, name="menus"
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


# Asked to stop (SIGTERM from systemd or docker, Ctrl-C), the bot stops in order: the
# updater, the updates already fetched and the running jobs, then the HTTP client. When
# the Bot API does not answer, every send waits out its time-out first (15 s for three
# queued updates, measured), so the stop gets a deadline: nothing is retried from the
# signal on, and whatever still runs after STOP_DEADLINE is cut off. Every answer is
# stored before anything is sent, so that loses no more than a kill: a message on its way.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
STOP_DEADLINE = 3.5


def _stop_now() -> None:
    log.warning("stopping took longer than %.1f s; exiting now", STOP_DEADLINE)
    logging.shutdown()
    os._exit(0)


def _on_stop_signal() -> None:
    stop_retrying()
    timer = threading.Timer(STOP_DEADLINE, _stop_now)
    timer.daemon = True
    timer.start()
    raise SystemExit  # as python-telegram-bot's own handler: run_* then stops in order


def stop_on_signals(loop: asyncio.AbstractEventLoop) -> None:
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, _on_stop_signal)


def run_bot(config: Config) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    engine = build_engine(config)
    app = build_application(
        engine, config.token, config.api_base_url, organisation=config.organisation
    )
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # the loop run_polling/run_webhook will use
    stop_on_signals(loop)
    try:
        if config.webhook_url:
            app.run_webhook(
                **webhook_settings(config), allowed_updates=Update.ALL_TYPES, stop_signals=None
            )
        else:
            # Updates sent while we were down are kept by Telegram for a day: take them.
            app.run_polling(
                allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, stop_signals=None
            )
    finally:
        engine.store.close()
    return 0
