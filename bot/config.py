"""Settings from the environment (or a `.env` file beside where you start), as one
typed object. Every variable is documented in the README."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from dotenv import load_dotenv

from bot.catalogue import DEFAULT_CATALOGUE, load_catalogue
from bot.model import DIMENSIONS, OPTIONAL_DIMENSIONS, Settings
from bot.reminders import QuietHours

TRUE = {"1", "true", "yes", "ja", "on"}


def parse_quiet_hours(text: str) -> QuietHours:
    """ "22:00-08:00" (Europe/Amsterdam); "off" or an empty value: no quiet hours."""
    if text.strip().casefold() in ("", "off", "uit"):
        return QuietHours(time(0, 0), time(0, 0))
    start, _, end = text.partition("-")
    return QuietHours(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))


@dataclass(frozen=True, slots=True)
class Config:
    db_path: Path
    locale: str
    token: str
    api_base_url: str
    webhook_url: str
    webhook_listen: str
    webhook_port: int
    webhook_secret: str
    rate_critical: bool
    catalogue_path: Path
    bot_username: str
    quiet_hours: QuietHours
    organisation: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        if env is None:
            load_dotenv(Path.cwd() / ".env")
            env = dict(os.environ)
        return cls(
            db_path=Path(env.get("STEUNKAART_DB", "steunkaart.db")),
            locale=env.get("STEUNKAART_LANG", "nl"),
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip(),
            webhook_url=env.get("STEUNKAART_WEBHOOK_URL", "").strip(),
            webhook_listen=env.get("STEUNKAART_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=int(env.get("STEUNKAART_WEBHOOK_PORT", "8443")),
            # A fresh secret per start when none is set: Telegram gets it with setWebhook.
            webhook_secret=env.get("STEUNKAART_WEBHOOK_SECRET") or secrets.token_urlsafe(32),
            rate_critical=env.get("STEUNKAART_RATE_CRITICAL", "").casefold() in TRUE,
            catalogue_path=Path(env.get("STEUNKAART_RESOURCES", str(DEFAULT_CATALOGUE))),
            bot_username=env.get("STEUNKAART_BOT_USERNAME", "").lstrip("@"),
            quiet_hours=parse_quiet_hours(env.get("STEUNKAART_QUIET_HOURS", "22:00-08:00")),
            organisation=" ".join(env.get("STEUNKAART_ORGANISATION", "").split()),
        )

    def settings(self) -> Settings:
        dimensions = DIMENSIONS + (OPTIONAL_DIMENSIONS if self.rate_critical else ())
        return Settings(
            dimensions=dimensions,
            catalogue=load_catalogue(self.catalogue_path),
            quiet=self.quiet_hours,
        )
