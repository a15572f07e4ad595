"""What Telegram tells us about the bot's own place in a chat (`my_chat_member`).

- In a private chat: the person blocked the bot (status "kicked") or unblocked it
  ("member"). We mark the client unreachable or reachable at once, instead of finding
  out when a reminder fails.
- In a group: Steunkaart is a private conversation about one person's network, never
  for a group. Added to one, the bot says so once, in the language of whoever added
  it, and leaves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.delivery import with_retries
from bot.engine import Engine
from bot.i18n import first_locale

log = logging.getLogger(__name__)

PRESENT = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.RESTRICTED})


class Membership:
    def __init__(self, engine: Engine, client_id: Callable[[int], str]) -> None:
        self.engine = engine
        self.client_id = client_id

    async def on_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None:
            return
        chat, before, now = change.chat, change.old_chat_member, change.new_chat_member
        if chat.type == ChatType.PRIVATE:
            if now.status == ChatMember.BANNED:
                self.engine.mark_unreachable(self.client_id(chat.id))
                log.info("a client blocked the bot; marked unreachable")
            elif now.status == ChatMember.MEMBER:
                self.engine.mark_reachable(self.client_id(chat.id))
            return
        if now.status in PRESENT and before.status not in PRESENT:
            await self._decline_group(context, chat.id, change.from_user.language_code or "")

    async def _decline_group(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, language: str
    ) -> None:
        locale = first_locale(language, self.engine.default_locale)
        bot = context.bot
        text = self.engine.renderer.render(locale, "common/private_only", {"bot": bot.username})
        try:
            await with_retries(lambda: bot.send_message(chat_id, text), "group notice")
        except TelegramError:
            log.info("could not tell a group that Steunkaart is for private chats")
        try:
            await with_retries(lambda: bot.leave_chat(chat_id), "leave group")
        except TelegramError:
            log.info("could not leave a group")
