"""The README documents every command a person can use."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.__main__ import _parser
from bot.commands import MENU, WORDS
from bot.professional import WORDS as PRO_WORDS

README = Path(__file__).resolve().parent.parent / "README.md"


def _subcommands(parser: argparse.ArgumentParser) -> list[list[str]]:
    found: list[list[str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append([name])
                found.extend([name, *rest] for rest in _subcommands(sub))
    return found


def test_every_cli_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [
        " ".join(c) for c in _subcommands(_parser()) if f"steunkaart {' '.join(c)}" not in text
    ]
    assert missing == []


def test_every_client_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    names = set(WORDS) - {"stoppen"} | {n for names in MENU.values() for n in names}
    assert sorted(n for n in names if f"/{n}" not in text) == []


def test_professional_commands_are_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    assert "/code" in text and "/clienten" in text
    assert set(PRO_WORDS) >= {"code", "clienten"}


def test_the_flow_diagrams_are_current() -> None:
    from bot.diagrams import document

    current = (README.parent / "docs" / "FLOWS.md").read_text(encoding="utf-8")
    assert current == document() + "\n", "run: python -m bot.diagrams > docs/FLOWS.md"
