"""Every text in both languages; escaping of what clients type."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import TEMPLATES, Renderer


def _templates(locale: str) -> set[str]:
    root = TEMPLATES / locale
    return {str(p.relative_to(root)) for p in root.rglob("*.j2")}


def test_every_template_exists_in_both_languages() -> None:
    assert _templates("nl") == _templates("en")


def test_every_button_label_exists_in_both_languages() -> None:
    renderer = Renderer()
    assert renderer.label_keys("nl") == renderer.label_keys("en")


def test_typed_markup_is_escaped() -> None:
    text = Renderer().render("nl", "network/sector", {"name": "<script>&"})
    assert "&lt;script&gt;&amp;" in text


def test_no_sentences_in_python() -> None:
    """A crude guard: no Dutch function words inside string literals in bot/."""
    import ast

    dutch = (" je ", " het ", " een ", " niet ", " wil ")
    found = []
    for path in Path("bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                padded = f" {node.value.lower()} "
                if any(word in padded for word in dutch) and not path.name == "safety.py":
                    found.append(f"{path}: {node.value[:40]!r}")
    assert found == []
