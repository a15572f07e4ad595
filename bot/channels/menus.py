"""What Telegram shows of the bot outside the conversation: the command menus and the
descriptions.

- The client's menu per language (setMyCommands), built from `bot/commands.py`, so a
  command added there shows up in the order given there.
- The professional's own menu, set for their chat only (a chat scope wins over the
  language menus) once they registered, and taken away when the administrator
  deactivates or removes them. The administrator does that from another process, so
  the bot compares the professionals table with the menus it set (`pro_menus`) on a
  tick, and after a restart too.
- The description (the empty chat's "What can this bot do?") and the short
  description (the bot's profile): what the bot is, that it is no crisis service, and
  which organisation offers it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, ContextTypes

from bot.channels.delivery import with_retries
from bot.commands import MENU
from bot.engine import Engine
from bot.i18n import DEFAULT_LOCALE, LOCALES, Renderer
from bot.professional import MENU_PRO

log = logging.getLogger(__name__)

# Telegram's limits for the two descriptions.
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120


def commands(labels: Renderer, locale: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, labels.label(locale, f"menu.{name}")) for name in names]


def description(labels: Renderer, locale: str, kind: str, organisation: str) -> str:
    """Plain text (Telegram shows descriptions unformatted): rendered, then unescaped.
    An organisation name too long for Telegram's limit is left out rather than cutting
    off the words about crisis lines."""
    limit = DESCRIPTION_LIMIT if kind == "description" else SHORT_DESCRIPTION_LIMIT
    for name in (organisation, ""):
        text = html.unescape(labels.render(locale, f"bot/{kind}", {"organisation": name}))
        if len(text) <= limit:
            return text
    return text[:limit]


async def introduce(app: Application, engine: Engine, organisation: str) -> None:
    """At start-up: the client menus and the descriptions, per language; Dutch for
    everyone whose app is set to another language."""
    bot, labels = app.bot, engine.renderer
    for locale, names in MENU.items():
        menu = commands(labels, locale, names)
        await bot.set_my_commands(menu, language_code=locale)
        if locale == DEFAULT_LOCALE:
            await bot.set_my_commands(menu, scope=BotCommandScopeDefault())
    try:
        for locale in (*LOCALES, ""):
            words = locale or DEFAULT_LOCALE
            await bot.set_my_description(
                description(labels, words, "description", organisation), language_code=locale
            )
            await bot.set_my_short_description(
                description(labels, words, "short_description", organisation),
                language_code=locale,
            )
    except BadRequest:
        # The profile texts are worth having, not worth refusing to start over.
        log.warning("Telegram refused the bot's description; starting without it")


class ProfessionalMenus:
    """Keeps each professional's chat menu in step with the professionals table."""

    def __init__(self, engine: Engine, chat_of: Callable[[str], int | None]) -> None:
        self.engine = engine
        self.chat_of = chat_of  # the channel's chat for one of our ids

    async def sync(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        care = self.engine.store.care
        for chat in care.menus_to_remove():
            await self._remove(context, chat)
            care.menu_removed(chat)
        for chat, locale in care.menus_to_set():
            await self._set(context, chat, locale)
            care.menu_set(chat, locale)

    async def _set(self, context: ContextTypes.DEFAULT_TYPE, chat: str, locale: str) -> None:
        target = self.chat_of(chat)
        if target is None:
            return
        menu = commands(self.engine.renderer, locale, MENU_PRO.get(locale, MENU_PRO["nl"]))
        scope = BotCommandScopeChat(target)
        try:
            await with_retries(lambda: context.bot.set_my_commands(menu, scope=scope), "menu")
        except (BadRequest, Forbidden):
            log.info("could not set a professional's menu (chat gone or blocked)")

    async def _remove(self, context: ContextTypes.DEFAULT_TYPE, chat: str) -> None:
        target = self.chat_of(chat)
        if target is None:
            return
        scope = BotCommandScopeChat(target)
        try:
            await with_retries(lambda: context.bot.delete_my_commands(scope=scope), "menu")
        except (BadRequest, Forbidden):
            log.info("could not remove a professional's menu (chat gone or blocked)")
