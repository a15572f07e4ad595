"""The smallest useful bot: the performance floor for the benchmark.

It echoes every text message with a one-button inline keyboard; pressing the button answers
the callback query and edits the message (which also removes the keyboard).
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data="like")]])
PRESSED_SUFFIX = " ✓"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text, reply_markup=KEYBOARD)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    text = query.message.text if query.message and hasattr(query.message, "text") else ""
    await query.edit_message_text(f"{text or ''}{PRESSED_SUFFIX}")


def build_echo_app(
    base_url: str,
    token: str,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Echo bot talking to the Bot API server at ``base_url`` (its root, e.g.
    ``http://127.0.0.1:8081``; a trailing ``/bot`` is tolerated)."""
    root = base_url.rstrip("/").removesuffix("/bot")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .job_queue(None)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    return app
