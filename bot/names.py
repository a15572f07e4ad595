"""Is a typed answer a name? For the people on the map (network flow).

Pure, no I/O. Crisis language and commands are handled by the engine before a step
sees the text. What is left is read word by word:

- "Ans", "Oom Piet": a name, stored as typed;
- "mieke mijn zus", "buurman kees": a name with words around it: asked first
  ("Zal ik Mieke opschrijven, bij Familie?"), never stored as typed;
- "mijn broer maar die zie ik nooit", "niemand", "weet ik niet": no name; a kind word;
- a name longer than ~30 characters: "een voornaam of bijnaam is genoeg".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from bot import vocabulary as words
from bot.understand import intent_of, normal

MAX_NAME = 30  # longer is a sentence or a full name: a first name or nickname is enough
MAX_WORDS = 3

AROUND = words.AROUND_NAME
SENTENCE = words.SENTENCE
NOBODY = words.NOBODY


class Verdict(StrEnum):
    NAME = "name"  # store as typed
    CONFIRM = "confirm"  # a name found among other words: ask before storing
    NOBODY = "nobody"  # "niemand": nobody (more) to add
    NOT_A_NAME = "not_a_name"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class NameReading:
    verdict: Verdict
    name: str = ""  # the name to store or to ask about
    sector: str = ""  # a life area the words gave ("zus" -> familie)
    relation: str = ""  # the word that gave it, for "Hoe heet je zus?"


@cache
def _relations() -> dict[str, str]:
    """Single words that mean a life area ("zus" -> familie), from the vocabulary."""
    found: dict[str, str] = {}
    for key, phrases in words.MEANINGS.items():
        if key.startswith("sector."):
            for phrase in phrases:
                if " " not in normal(phrase):
                    found.setdefault(normal(phrase), key.removeprefix("sector."))
    return found


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def read_name(text: str) -> NameReading:
    """What the typed answer to "who is important to you?" is."""
    plain = normal(text)
    if plain in {normal(n) for n in NOBODY | words.DONE}:
        return NameReading(Verdict.NOBODY)
    if not plain or intent_of(plain, whole_only=True) is not None:
        return NameReading(Verdict.NOT_A_NAME)
    tokens = text.split()
    relations = _relations()
    relation = next((t for t in tokens if normal(t) in relations), "")
    sector = relations.get(normal(relation), "")
    if any(normal(t) in SENTENCE for t in tokens):
        # "mijn broer maar die zie ik nooit": ask for the brother's name
        opening = [normal(t) for t in tokens[:2]]
        return NameReading(
            Verdict.NOT_A_NAME,
            relation=normal(relation) * (relation != "" and normal(relation) in opening),
        )
    wordy = [t for t in tokens if any(ch.isalnum() for ch in t)]  # emoji only adorn
    name_words = [t for t in wordy if normal(t) not in relations and normal(t) not in AROUND]
    if not name_words and relation:
        # "mama", "mijn buurman 👋": how many people name someone on their map; asked first
        kept = " ".join(t for t in tokens if normal(t) not in AROUND).strip(" ,.;:!?")
        return NameReading(Verdict.CONFIRM, _capital(kept), sector, normal(relation))
    if not name_words:
        return NameReading(Verdict.NOT_A_NAME)
    name = " ".join(name_words).strip(" ,.;:!?")
    if len(name) > MAX_NAME or len(name_words) > MAX_WORDS:
        return NameReading(Verdict.TOO_LONG)
    if len(name_words) == len(wordy):
        return NameReading(Verdict.NAME, text)  # as typed, emoji and all
    return NameReading(Verdict.CONFIRM, _capital(name), sector, normal(relation))
