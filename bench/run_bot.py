"""`steunkaart run` with Telegram's overall limit of 30 messages a second lifted.

The benchmark runs this next to the bot as shipped to see what one process can do:
as shipped, AIORateLimiter holds every call that names a chat (sendMessage and the
editMessageText that confirms a pressed button) to 30 a second for the whole bot, so
that limit, not the code, sets the throughput. Everything else is the shipped bot:
the same `bot.__main__.main(["run"])`, the same environment variables.
"""

from __future__ import annotations

import sys
from typing import Any

from telegram.ext import AIORateLimiter

import bot.channels.telegram as telegram_channel
from bot.__main__ import main


def without_overall_limit(**options: Any) -> AIORateLimiter:
    return AIORateLimiter(**{**options, "overall_max_rate": 0, "group_max_rate": 0})


if __name__ == "__main__":
    if not hasattr(telegram_channel, "AIORateLimiter"):
        sys.exit("bot.channels.telegram no longer uses AIORateLimiter: update bench/run_bot.py")
    telegram_channel.AIORateLimiter = without_overall_limit  # type: ignore[misc,assignment]
    sys.exit(main(["run"]))
