"""Wiring: one place that builds the engine from configuration."""

from __future__ import annotations

from bot.config import Config
from bot.engine import Engine
from bot.i18n import renderer
from bot.store.repository import Store


def build_engine(config: Config, store: Store | None = None) -> Engine:
    store = store or Store.open(config.db_path, config.quiet_hours)
    return Engine(
        store,
        renderer(),
        config.settings(),
        default_locale=config.locale,
        bot_username=config.bot_username,
    )
