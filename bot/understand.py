"""Typed text at a button question: which button did the client mean?

Pure functions, no I/O. The engine asks `understand()` before anything else a typed
answer could be (after commands and the crisis check). Rules, surest first:

1. the button's text, as typed (case, accents and punctuation do not matter);
2. its number ("3", "drie", "three", "de tweede");
3. a yes / no / "weet ik niet" / "sla over" answer, pressing the button that says so;
4. a button's text inside the answer ("ja dat mag wel" -> "Ja, dat mag");
5. a clear part of one button's text ("werk" -> "Werk, school of dagbesteding");
6. a word that means a button (`bot/vocabulary.py`: "mijn zus" -> Familie);
7. small typos (rapidfuzz): sure only when one button is clearly closest; when two are
   close, or the match is loose, it is a question ("Bedoel je Buren?"), never a guess.

At a question that also takes free text (a name, a reason, a request) only the
whole-answer rules apply, so "Ans" stays a name and "klaar" still presses "Klaar".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from bot import vocabulary as words
from bot.numbers import whole_number

SURE = 86  # a typo this close to one button, and clearly closer than the rest: pressed
MAYBE = 72  # this close: asked ("Bedoel je ...?")
MARGIN = 10  # how much closer than the next button a sure match must be
MAX_LENGTH = 120  # longer answers are no button press

_RUNS = re.compile(r"(.)\1{2,}")
_KEEP = frozenset("👍👌✅👎❌🤷?")
_POINTERS = frozenset(("nummer", "nr", "optie", "knop", "number", "option", "button", "no"))


@dataclass(frozen=True, slots=True)
class Choice:
    """A button as the client sees it: its value, its text and its label key
    ("" for a literal label such as a contact's name)."""

    value: str
    label: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """The button meant (`value`), whether we are sure, and the rule that found it."""

    value: str | None
    sure: bool = True
    rule: str = ""

    @property
    def found(self) -> bool:
        return self.value is not None


NOTHING = Match(None, False, "none")


def normal(text: str) -> str:
    """Lower case, no accents, punctuation to spaces, apostrophes dropped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    out: list[str] = []
    for ch in text:
        if unicodedata.combining(ch) or ch in "'’`":
            continue
        if ch.isalnum() or ch in _KEEP:
            out.append(ch)
        else:
            out.append(" ")
    squeezed = _RUNS.sub(r"\1\1", "".join(out))  # "jaaaa", "neeee": long vowels of a tired thumb
    return " ".join(squeezed.split())


@cache
def _normal_set(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(normal(p) for p in phrases if normal(p))


@cache
def _meanings(key: str) -> tuple[str, ...]:
    """The words that mean the button with this label key (toggle parts ignored)."""
    plain = ".".join(part for part in key.split(".") if part not in ("on", "off"))
    return tuple(normal(w) for w in words.MEANINGS.get(plain, ()) if normal(w))


def _contains(text: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {text} "


INTENTS: dict[str, frozenset[str]] = {
    "yes": words.YES,
    "no": words.NO,
    "dont_know": words.DONT_KNOW,
    "skip": words.SKIP,
}


def intent_of(text: str, whole_only: bool = False) -> str | None:
    """yes / no / dont_know / skip, for an answer made of such words only."""
    for name, phrases in INTENTS.items():
        if text in _normal_set(phrases):
            return name
    if whole_only:
        return None
    found: set[str] = set()
    for token in text.split():
        kinds = {n for n, p in INTENTS.items() if token in _normal_set(p)}
        if not kinds and token not in words.FILLER and token != "echt":
            return None
        found |= kinds
    return found.pop() if len(found) == 1 else None


def _intent_choices(intent: str, choices: Sequence[Choice]) -> list[Choice]:
    def says(choice: Choice, intent: str) -> bool:
        label = normal(choice.label)
        first = label.split(" ", 1)[0] if label else ""
        key = choice.key.rsplit(".", 1)[-1]
        if intent == "yes":
            return first in ("ja", "yes")
        if intent == "no":
            return first in ("nee", "no")
        if intent == "dont_know":
            return key in ("dont_know", "not_sure_yet", "unknown") or any(
                _contains(label, p) for p in ("weet ik", "dont know", "not sure")
            )
        return key == "skip" or any(_contains(label, p) for p in ("sla over", "skip"))

    found = [c for c in choices if says(c, intent)]
    if not found and intent in ("dont_know", "skip"):
        other = "skip" if intent == "dont_know" else "dont_know"
        found = [c for c in choices if says(c, other)]
    if not found and intent == "yes":
        found = [c for c in choices if c.key in words.GO_ON_KEYS]
    return found


def _one(found: Iterable[Choice], rule: str) -> Match | None:
    values = {c.value for c in found}
    return Match(values.pop(), True, rule) if len(values) == 1 else None


def _number(text: str, choices: Sequence[Choice]) -> Match | None:
    tokens = [t for t in text.split() if t not in _POINTERS and t not in ("de", "het", "the")]
    if len(tokens) != 1:
        return None
    number = whole_number(tokens[0])
    if number is None:
        number = words.NUMBERS.get(tokens[0])
    if number is None or not 1 <= number <= len(choices):
        return None
    return Match(choices[number - 1].value, True, "number")


def _label_inside(text: str, choices: Sequence[Choice], free_text: bool) -> Match | None:
    inside = [(len(normal(c.label)), c) for c in choices if _contains(text, normal(c.label))]
    if not inside:
        return None
    longest = max(size for size, _ in inside)
    best = [c for size, c in inside if size == longest]
    if free_text and len(text.split()) > len(normal(best[0].label).split()) + 2:
        return None  # a sentence that happens to hold a button's word is free text
    return _one(best, "label inside")


def _part_of_label(text: str, choices: Sequence[Choice]) -> Match | None:
    content = [t for t in text.split() if t not in words.FILLER]
    if not content:
        return None
    holders = [c for c in choices if all(t in normal(c.label).split() for t in content)]
    return _one(holders, "part of label")


def _meaning(text: str, choices: Sequence[Choice], whole_only: bool) -> Match | None:
    hits: list[tuple[int, Choice]] = []
    for choice in choices:
        for phrase in _meanings(choice.key):
            if (text == phrase) if whole_only else _contains(text, phrase):
                hits.append((len(phrase), choice))
    if not hits:
        return None
    longest = max(size for size, _ in hits)
    return _one((c for size, c in hits if size == longest), "meaning")


def _targets(choice: Choice) -> list[str]:
    targets = [normal(choice.label), *_meanings(choice.key)]
    return [t for t in targets if t]


def _closeness(text: str, choice: Choice, intents: dict[str, list[str]]) -> float:
    tokens = [t for t in text.split() if len(t) >= 4 and t not in words.FILLER]
    best = 0.0
    for target in [*_targets(choice), *intents.get(choice.value, [])]:
        best = max(best, fuzz.ratio(text, target))
        if " " not in target and len(target) >= 4:
            best = max(best, *(fuzz.ratio(t, target) for t in tokens), 0.0)
    return best


def _typo(text: str, choices: Sequence[Choice]) -> Match:
    intents: dict[str, list[str]] = {}
    for name, phrases in INTENTS.items():
        for choice in _intent_choices(name, choices):
            intents.setdefault(choice.value, []).extend(
                p for p in _normal_set(phrases) if len(p) >= 3
            )
    scores: dict[str, float] = {}
    for choice in choices:
        score = _closeness(text, choice, intents)
        scores[choice.value] = max(scores.get(choice.value, 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked:
        return NOTHING
    value, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= SURE and best - second >= MARGIN:
        return Match(value, True, "typo")
    if best >= MAYBE and best > second:
        return Match(value, False, "typo, asked")
    return NOTHING


def understand(text: str, choices: Sequence[Choice], free_text: bool = False) -> Match:
    """The button `text` means, if any. `free_text`: the question also takes typed
    words, so only an answer that is clearly a button press counts."""
    plain = normal(text)
    if not plain or len(plain) > MAX_LENGTH or not choices:
        return NOTHING
    exact = _one((c for c in choices if normal(c.label) == plain), "label")
    if exact:
        return exact
    number = _number(plain, choices)
    if number:
        return number
    intent = intent_of(plain, whole_only=free_text)
    if intent is not None:
        pressed = _one(_intent_choices(intent, choices), f"says {intent}")
        if pressed:
            return pressed
    inside = _label_inside(plain, choices, free_text)
    if inside:
        return inside
    if free_text:
        return _meaning(plain, choices, whole_only=True) or NOTHING
    return (
        _part_of_label(plain, choices)
        or _meaning(plain, choices, whole_only=False)
        or _typo(plain, choices)
    )


def is_button_text(text: str, labels: Iterable[str]) -> bool:
    """Whether `text` is, word for word, one of `labels` (e.g. any button of the route)."""
    plain = normal(text)
    return bool(plain) and any(normal(label) == plain for label in labels)
