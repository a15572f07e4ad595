"""Every text in both languages; escaping of what clients type."""

from __future__ import annotations

import ast
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


# Modules that hold words to RECOGNISE in what clients type (crisis language, the
# request checklist), never words to show them.
RECOGNISERS = {
    "phrases.py",
    "check.py",
    "features.py",
    "review.py",
    "vocabulary.py",
    "understand.py",
    "moments.py",
    "names.py",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def test_no_sentences_in_python() -> None:
    """A crude guard: no Dutch function words in string literals that are not docstrings."""
    dutch = (" je ", " het ", " een ", " niet ", " wil ")
    found = []
    for path in Path("bot").rglob("*.py"):
        if path.name in RECOGNISERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and any(word in f" {node.value.lower()} " for word in dutch)
            ):
                found.append(f"{path}: {node.value[:40]!r}")
    assert found == []


def test_a_new_person_starts_in_their_apps_language_when_we_speak_it() -> None:
    from bot.i18n import first_locale

    assert first_locale("en-GB") == "en"
    assert first_locale("en") == "en"
    assert first_locale("NL") == "nl"
    assert first_locale("de") == "nl"  # not ours: the organisation's default
    assert first_locale("", default="en") == "en"
    assert first_locale("pt_BR", default="nl") == "nl"
