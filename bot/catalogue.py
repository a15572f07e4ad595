"""The organisation's catalogue of places to meet people, kept in a TOML file it edits.

Each entry needs a key, a kind from `KINDS`, and a name and description in Dutch
(English optional). `problems()` lists what is wrong in words an administrator reads.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from bot.i18n import TEMPLATES
from bot.model import Resource

DEFAULT_CATALOGUE = TEMPLATES / "resources.toml"

KINDS: tuple[str, ...] = (
    "maatjesproject",
    "lotgenotengroep",
    "sociale_vaardigheid",
    "inloop",
    "dagbesteding",
    "online",
    "recovery_college",
    "sport",
    "buurthuis",
    "vrijwilligerswerk",
)


class CatalogueError(ValueError):
    pass


def problems(data: dict[str, Any]) -> list[str]:
    found: list[str] = []
    entries = data.get("resource")
    if not isinstance(entries, list) or not entries:
        return ["the file has no [[resource]] entries"]
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"resource {number} ({entry.get('key', '?')})"
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            found.append(f"{where}: 'key' is missing")
        elif key in seen:
            found.append(f"{where}: key '{key}' is used twice")
        seen.add(str(key))
        if entry.get("kind") not in KINDS:
            found.append(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        for field in ("name", "description"):
            value = entry.get(field)
            if not isinstance(value, dict) or not value.get("nl"):
                found.append(f"{where}: '{field}' needs at least a Dutch text (nl)")
    return found


def parse_catalogue(text: str) -> tuple[Resource, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"not valid TOML: {error}") from error
    found = problems(data)
    if found:
        raise CatalogueError("; ".join(found))
    return tuple(
        Resource(
            key=entry["key"],
            kind=entry["kind"],
            name=dict(entry["name"]),
            description=dict(entry["description"]),
            contact=str(entry.get("contact", "")),
        )
        for entry in data["resource"]
    )


def load_catalogue(path: Path) -> tuple[Resource, ...]:
    return parse_catalogue(path.read_text(encoding="utf-8"))
