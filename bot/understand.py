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
from collections import Counter
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
SHORT = 4  # in a word this short one typo changes much: asked, never pressed

_RUNS = re.compile(r"(.)\1{2,}")
_TIMES = re.compile(r"\b(\d+)\s+x\b")
_KEEP = frozenset("👍👌✅👎❌🤷?")
_POINTERS = frozenset(("nummer", "nr", "optie", "knop", "number", "option", "button"))


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
    squeezed = _TIMES.sub(r"\1x", squeezed)  # "1 x per week" -> "1x per week"
    return " ".join(words.SHORTHAND.get(t, t) for t in squeezed.split())


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
    "go_on": words.GO_ON,
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
        if intent == "go_on":
            return choice.key in words.GO_ON_KEYS
        return "skip" in key or any(_contains(label, p) for p in ("sla over", "skip"))

    # When no button says it, the nearest one that does: "nee" at "Ja / Sla over" skips.
    fallbacks = {
        "dont_know": ("dont_know", "skip"),
        "skip": ("skip", "dont_know"),
        "yes": ("yes", "go_on"),
        "no": ("no", "skip"),
        "go_on": ("go_on",),
    }
    for kind in fallbacks[intent]:
        found = [c for c in choices if says(c, kind)]
        if found:
            return found
    if intent == "no":
        return [c for c in choices if c.key in words.STOP_KEYS]
    return []


def _one(found: Iterable[Choice], rule: str) -> Match | None:
    values = {c.value for c in found}
    return Match(values.pop(), True, rule) if len(values) == 1 else None


_UNITS = frozenset(("mnd", "mnd.", "maand", "maanden", "m", "month", "months", "mths", "mo"))
_OUT_OF_TEN = re.compile(r"^(\d{1,2}) (?:10|van de 10|op 10|out of 10|uit 10)$")


def _number(text: str, choices: Sequence[Choice]) -> Match | None:
    """The n-th button; but a number that is in one button's text is that button
    ("3" at "Over 1 / 3 / 6 maanden" is "Over 3 maanden")."""
    scored = _OUT_OF_TEN.match(text)
    if scored:
        text = scored[1]  # "7/10" at the confidence question
    tokens = [t for t in text.split() if t not in _POINTERS and t not in ("de", "het", "the")]
    unit = len(tokens) == 2 and tokens[1] in _UNITS  # "6 mnd": only a button saying 6
    if len(tokens) != 1 and not unit:
        return None
    number = whole_number(tokens[0])
    if number is None:
        number = words.NUMBERS.get(tokens[0])
    if number is None:
        return None
    holders = [c for c in choices if str(number) in normal(c.label).split()]
    if len(holders) == 1:
        return Match(holders[0].value, True, "number in label")
    if unit or not 1 <= number <= len(choices):
        return None
    return Match(choices[number - 1].value, True, "number")


def _digits(text: str) -> str:
    """Number words as digits, for matching "drie maanden" to "Over 3 maanden"."""
    return " ".join(
        str(words.NUMBERS[t]) if t in words.NUMBERS and t != "een" else t for t in text.split()
    )


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
    """Every word of the answer in one button's text ("mijn contacten"), else every
    word that carries meaning ("ik denk werk")."""
    for tokens in (text.split(), [t for t in text.split() if t not in words.FILLER]):
        if not tokens:
            continue
        holders = [c for c in choices if all(t in _stems(c.label) for t in tokens)]
        if holders:
            return _one(holders, "part of label")
    return None


def _stem(word: str) -> str:
    """Plural and diminutive endings off: "berichtje", "berichtjes" -> "bericht"."""
    for ending in ("tjes", "tje", "jes", "je", "en", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _stems(label: str) -> set[str]:
    tokens = normal(label).split()
    return {*tokens, *(_stem(t) for t in tokens)}


def _content(text: str) -> str:
    return " ".join(t for t in text.split() if t not in words.FILLER)


def _meaning(text: str, choices: Sequence[Choice], whole_only: bool) -> Match | None:
    """Words that mean a button. `whole_only` (a question that also takes free text):
    only in an answer with at most one more word that carries meaning."""
    hits: list[tuple[int, Choice]] = []
    core = _content(text)
    for choice in choices:
        for phrase in _meanings(choice.key):
            inside = _contains(text, phrase)
            if whole_only:
                inside = phrase in (text, core) or (
                    inside and len(core.split()) <= len(phrase.split()) + 1
                )
            if inside:
                hits.append((len(phrase), choice))
    if not hits:
        return None
    longest = max(hits, key=lambda hit: hit[0])
    phrase = next(p for p in _meanings(longest[1].key) if len(p) == longest[0])
    others = {c.value for size, c in hits if c.value != longest[1].value}
    if others and not all(
        any(p in phrase for p in _meanings(c.key) if _contains(text, p))
        for c in choices
        if c.value in others
    ):
        # Two buttons: the one more words point to ("gaming friend online"), else none
        # ("FACT team", "vriend van mijn broer").
        counts = Counter(c.value for _, c in hits).most_common()
        if counts[0][1] > counts[1][1]:
            return Match(counts[0][0], True, "meaning, most words")
        return None
    return Match(longest[1].value, True, "meaning")


def _targets(choice: Choice) -> list[str]:
    targets = [normal(choice.label), *_meanings(choice.key)]
    return [t for t in targets if t]


def _closeness(text: str, choice: Choice, intents: dict[str, list[str]]) -> float:
    """How close the answer is to a button: as a whole, or one word of it to a word
    that means the button. Yes/no words count only as the whole answer ("weet k niet"
    holds "niet" but is no "nee")."""
    tokens = [t for t in text.split() if len(t) >= 4 and t not in words.FILLER]
    best = max((fuzz.ratio(text, t) for t in intents.get(choice.value, [])), default=0.0)
    for target in _targets(choice):
        best = max(best, fuzz.ratio(text, target))
        if " " not in target and len(target) >= 4:
            best = max(best, *(fuzz.ratio(t, target) for t in tokens), 0.0)
    return best


def _typo(text: str, choices: Sequence[Choice]) -> Match:
    intent = intent_of(text, whole_only=True)
    if (intent is not None and not _intent_choices(intent, choices)) or (
        text in _normal_set(words.DONE)
    ):
        # A word with a meaning of its own ("klaar", "verder") is no typo of a button
        # ("klaar" is not "leraar"): it gets the short reprompt instead.
        return NOTHING
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
    if best >= SURE and best - second >= MARGIN and len(text) > SHORT:
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
    core = _content(plain)
    exact = _one((c for c in choices if normal(c.label) in (plain, core)), "label")
    if exact:
        return exact
    number = _number(plain, choices)
    if number:
        return number
    said = _said(plain, choices, whole_only=True)
    if said:
        return said
    inside = _label_inside(plain, choices, free_text)
    if inside:
        return inside
    plural = _one((c for c in choices if _stem(normal(c.label)) == _stem(core)), "plural")
    if plural:
        return plural
    if free_text:
        return _meaning(plain, choices, whole_only=True) or NOTHING
    return (
        _part_of_label(_digits(plain), choices)
        or _meaning(plain, choices, whole_only=False)
        or _said(plain, choices, whole_only=False)
        or _typo(plain, choices)
    )


def _said(text: str, choices: Sequence[Choice], whole_only: bool) -> Match | None:
    intent = intent_of(text, whole_only=whole_only)
    if intent is None:
        return None
    return _one(_intent_choices(intent, choices), f"says {intent}")


def near_button(text: str, choices: Sequence[Choice]) -> Match:
    """Where own words are taken too: a typo of a button ("1 keer per weel", "brm" for
    Bram) is only ever asked, so own words that look like a button are never lost."""
    match = near_name(text, choices)
    if match.found:
        return match
    plain = normal(text)
    typo = _typo(plain, [c for c in choices if c.key])
    if typo.found and max(fuzz.ratio(plain, t) for t in _targets_of(typo, choices)) >= SURE:
        return Match(typo.value, False, "typo in own words, asked")
    return NOTHING


def _targets_of(match: Match, choices: Sequence[Choice]) -> list[str]:
    return [t for c in choices if c.value == match.value for t in _targets(c)] or [""]


def near_name(text: str, choices: Sequence[Choice]) -> Match:
    """A typo in a name on a button ("brm" for Bram), where names may also be typed."""
    plain = normal(text)
    if " " in plain or len(plain) < 3:
        return NOTHING
    scores = sorted(
        ((fuzz.ratio(plain, normal(c.label)), c.value) for c in choices if not c.key),
        reverse=True,
    )
    if not scores or scores[0][0] < MAYBE or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return NOTHING
    return Match(scores[0][1], False, "name typo, asked")


def is_button_text(text: str, labels: Iterable[str]) -> bool:
    """Whether `text` is, word for word, one of `labels` (e.g. any button of the route)."""
    plain = normal(text)
    return bool(plain) and any(normal(label) == plain for label in labels)
