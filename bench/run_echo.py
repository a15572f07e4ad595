"""The echo bot (bench/echo_bot.py) as a process, polling the server named by
TELEGRAM_API_BASE_URL with TELEGRAM_BOT_TOKEN, like `steunkaart run` does."""

from __future__ import annotations

import os

from telegram import Update

from bench.echo_bot import build_echo_app


def main() -> None:
    app = build_echo_app(os.environ["TELEGRAM_API_BASE_URL"], os.environ["TELEGRAM_BOT_TOKEN"])
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


if __name__ == "__main__":
    main()
