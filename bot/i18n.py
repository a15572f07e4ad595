"""Every word a client reads comes from `templates/<locale>/`: jinja2 for messages,
`labels/*.toml` for the short texts on buttons.

Output is the HTML subset Telegram reads, so autoescape is always on: whatever a
client typed (a name with "<b>" in it) is shown literally and never breaks a message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined

LOCALES: tuple[str, ...] = ("nl", "en")
DEFAULT_LOCALE = "nl"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


# Every moment a person reads is in the organisation's time zone, never UTC.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def first_locale(language: str, default: str = DEFAULT_LOCALE) -> str:
    """The locale a new person starts in: their app's language when we speak it
    ("en-GB" -> "en"), else the organisation's default. They can still switch."""
    primary = language.replace("_", "-").split("-", 1)[0].casefold()
    return primary if primary in LOCALES else default


def _long_date(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


def _said_moment(value: str, locale: str) -> str:
    """A confirmed moment ("at:2026-12-12T10:00") as "zaterdag 12 december, 10:00"."""
    at = datetime.fromisoformat(value.removeprefix("at:"))
    return f"{format_date(at.date(), 'EEEE d MMMM', locale=locale)}, {at:%H:%M}"


def _moment(value: datetime | str) -> datetime:
    """A stored moment (ISO text or datetime, UTC when it has no zone)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _short_date(value: datetime | str, locale: str, time: bool = False) -> str:
    """ "ma 30 nov" (or "ma 30 nov 14:00") in local time: short enough for a phone."""
    pattern = "EEE d MMM HH:mm" if time else "EEE d MMM"
    text = format_datetime(_moment(value), pattern, tzinfo=LOCAL_ZONE, locale=locale)
    return text.replace(".", "")


class Renderer:
    def __init__(self, root: Path = TEMPLATES) -> None:
        self.root = root
        self._envs = {locale: self._environment(locale) for locale in LOCALES}
        self._labels = {locale: self._load_labels(locale) for locale in LOCALES}

    def _environment(self, locale: str) -> Environment:
        env = Environment(
            loader=FileSystemLoader(self.root / locale),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        env.filters["longdate"] = lambda value: _long_date(value, locale)
        env.filters["dayname"] = lambda value: format_date(value, "EEEE d MMMM", locale=locale)
        env.filters["atmoment"] = lambda value: _said_moment(value, locale)
        env.filters["day"] = lambda value: _short_date(value, locale)
        env.filters["moment"] = lambda value: _short_date(value, locale, time=True)
        env.globals["label"] = lambda key, **params: self.label(locale, key, **params)
        return env

    def _load_labels(self, locale: str) -> dict[str, str]:
        """Button texts: every `labels/*.toml` of the locale, one file per flow."""
        labels: dict[str, str] = {}
        for path in sorted((self.root / locale / "labels").glob("*.toml")):
            with path.open("rb") as handle:
                labels.update(_flatten(tomllib.load(handle)))
        return labels

    def render(self, locale: str, template: str, context: Mapping[str, Any] | None = None) -> str:
        env = self._envs[locale if locale in self._envs else DEFAULT_LOCALE]
        text = env.get_template(f"{template}.j2").render(**(context or {}))
        return _tidy(text)

    def label(self, locale: str, key: str, **params: Any) -> str:
        labels = self._labels.get(locale) or self._labels[DEFAULT_LOCALE]
        text = labels.get(key) or self._labels[DEFAULT_LOCALE][key]
        # Plain text: buttons are not parsed as HTML, and templates escape on insert.
        return text.format(**params) if params else text

    def has_template(self, locale: str, template: str) -> bool:
        return (self.root / locale / f"{template}.j2").is_file()

    def label_keys(self, locale: str) -> set[str]:
        return set(self._labels[locale])


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


def _tidy(text: str) -> str:
    """Trim each line and allow at most one empty line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy)


@cache
def renderer() -> Renderer:
    return Renderer()
