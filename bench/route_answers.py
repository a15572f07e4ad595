"""Every free-text answer the tests, transcripts and benchmark scripts type into the route.

They are ordinary answers written for other purposes (names, reasons, requests, moments),
so they measure how often an ordinary answer would get the crisis check question. Found by
reading the code (`ast`), not by running it: `.say("...")` calls and `("say", "...")` pairs.
Answers typed by crisis tests (files or test functions named after crisis or safety) are
left out: they are crisis language on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

from bot.safety.corpus import Message

ROOT: Final = Path(__file__).resolve().parents[1]
SOURCES: Final = ("tests", "bench")
SKIP: Final = ("safety", "crisis")
# Crisis language typed on purpose by tests that are about something else (the logs).
ON_PURPOSE: Final = ("ik wil niet meer leven",)


def _typed(node: ast.AST) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "say"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    if (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
        and node.elts[0].value == "say"  # type: ignore[union-attr]
    ):
        return node.elts[1].value  # type: ignore[union-attr,no-any-return]
    return None


def _answers(tree: ast.AST) -> list[str]:
    """Typed texts, except inside functions about crisis language."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            word in node.name for word in SKIP
        ):
            continue
        text = _typed(node)
        if text is not None:
            found.append(text)
        found.extend(_answers(node))
    return found


def route_answers() -> list[Message]:
    texts: dict[str, None] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if any(part in path.name for part in SKIP):
                continue
            for text in _answers(ast.parse(path.read_text(encoding="utf-8"))):
                if any(crisis in text for crisis in ON_PURPOSE):
                    continue
                if text.strip() and not text.startswith("/"):
                    texts.setdefault(text.strip(), None)
    return [Message("ordinary", "-", "nl", "route_answer", text) for text in texts]


if __name__ == "__main__":
    for message in route_answers():
        print(message.text)
