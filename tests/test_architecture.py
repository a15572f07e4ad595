"""Imports flow one way (ARCHITECTURE.md): flows know no Telegram and no SQL,
the store knows no Telegram and no templates, channels know no SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RULES = {
    "bot/flows": {"telegram", "sqlite_utils", "sqlite3", "jinja2", "bot.store", "bot.engine"},
    "bot/store": {"telegram", "jinja2", "bot.engine", "bot.channels"},
    "bot/channels": {"sqlite_utils", "sqlite3", "bot.store"},
    "bot/summary": {"telegram", "sqlite_utils", "sqlite3"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("folder", sorted(RULES))
def test_imports_flow_one_way(folder: str) -> None:
    forbidden = RULES[folder]
    bad = []
    for path in Path(folder).rglob("*.py"):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path} imports {name}")
    assert bad == []
