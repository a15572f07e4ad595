"""What the crisis model sees of a message: words, word pairs, lemmas and letter groups.

Pure Python, shared by training (`bot.safety.train`) and the running bot, so the two can
never see a message differently. Typos are undone before anything else: a word the model
does not know that lies one or two keystrokes from a crisis word ("mezlef", "sterfen",
"zelfmord") counts as that word, unless it is a real word of its own ("sterren" is stars).
Which words are real comes from the model file (`Lexicon`), made at training time from
simplemma's dictionaries, so the bot needs no dictionary at run time.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from bot.safety.phrases import normalise

# Crisis words a typo is mapped back to. Dutch and English, as `normalise` writes them
# (lower case, no accents, no apostrophes). Training adds the model's strongest words.
SEED_LEXICON: Final[tuple[str, ...]] = (
    # Dutch
    "zelfmoord", "zelfdoding", "suicide", "suicidaal", "dood", "doodgaan", "sterven",
    "overlijden", "leven", "levensmoe", "mezelf", "mijzelf", "snijden", "snij", "sneed",
    "gesneden", "krassen", "kras", "gekrast", "branden", "verbranden", "ophangen",
    "verhangen", "springen", "spring", "gesprongen", "verdrinken", "pillen", "tabletten",
    "medicijnen", "slaappillen", "overdosis", "ingenomen", "geslikt", "touw", "trein",
    "spoor", "brug", "flat", "afscheid", "afscheidsbrief", "vaarwel", "einde", "eindigen",
    "beeindigen", "opgeven", "verdwijnen", "niemand", "missen", "last", "zinloos",
    "hopeloos", "uitzichtloos", "wanhopig", "vermoorden", "doodmaken", "slaan", "mes",
    "bloed", "littekens", "wonden", "pijn", "aandoen", "vergiftigen", "gevaar", "bedreigt",
    "slapen", "wakker", "ertussenuit", "eruit", "stappen",
    # English
    "suicidal", "kill", "killing", "myself", "die", "dying", "dead", "death", "cutting",
    "cut", "burning", "overdose", "pills", "hanging", "hang", "rope", "jump", "jumping",
    "bridge", "goodbye", "farewell", "burden", "hopeless", "worthless", "pointless",
    "ending", "disappear", "anymore", "alive", "wrists", "scars", "blade", "razor",
    "relapse", "relapsed", "selfharm", "harm", "hurt", "hurting", "threatening", "knife",
)  # fmt: skip

MIN_TYPO_LENGTH: Final = 4
CHAR_NGRAMS: Final = (3, 4, 5)
CACHE_LIMIT: Final = 50_000


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The words typos are mapped to, the real words that look like them, and lemmas."""

    crisis_words: tuple[str, ...] = SEED_LEXICON
    known: frozenset[str] = frozenset()  # real words, never "corrected"
    lemmas: dict[str, str] = field(default_factory=dict)  # form -> lemma, crisis verbs only
    _fixed: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def fix(self, token: str) -> str:
        """The crisis word `token` is a typo of, or `token` itself (remembered: clients
        use the same few thousand words again and again)."""
        fixed = self._fixed.get(token)
        if fixed is None:
            if len(self._fixed) > CACHE_LIMIT:
                self._fixed.clear()
            fixed = self._fixed[token] = self._fix(token)
        return fixed

    def _fix(self, token: str) -> str:
        if len(token) < MIN_TYPO_LENGTH or token in self.known or not token.isalpha():
            return token
        limit = 1 if len(token) < 7 else 2
        found = extractOne(token, self.crisis_words, scorer=OSA.distance, score_cutoff=limit)
        if found is None:
            return token
        word = found[0]
        # A typo keeps the first letter and about the length; this keeps "dier" from "die".
        if word[0] != token[0] or abs(len(word) - len(token)) > limit:
            return token
        return word


def tokens(text: str, lexicon: Lexicon) -> list[str]:
    """The message's words after normalising and undoing typos; "." marks a sentence end."""
    return [lexicon.fix(token) for token in normalise(text).split()]


def sentences(words: list[str]) -> Iterator[list[str]]:
    """The words of each sentence (split at "."), empty sentences left out."""
    current: list[str] = []
    for word in words:
        if word == ".":
            if current:
                yield current
            current = []
        else:
            current.append(word)
    if current:
        yield current


@lru_cache(maxsize=CACHE_LIMIT)
def _letter_groups(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(
        "c:" + padded[start : start + size]
        for size in CHAR_NGRAMS
        for start in range(len(padded) - size + 1)
    )


def counts(words: Iterable[str], lexicon: Lexicon) -> dict[str, int]:
    """How often each feature occurs: words ("w:"), word pairs ("b:"), lemmas of crisis
    verbs ("l:") and letter groups inside words ("c:")."""
    names: list[str] = []
    previous = "<s>"
    for word in words:
        if word == ".":
            previous = "<s>"
            continue
        names.append("w:" + word)
        names.append("b:" + previous + "_" + word)
        lemma = lexicon.lemmas.get(word)
        if lemma is not None and lemma != word:
            names.append("l:" + lemma)
        names.extend(_letter_groups(word))
        previous = word
    if previous != "<s>":
        names.append("b:" + previous + "_</s>")
    return Counter(names)


def vectorise(found: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    """tf-idf with log counts, features outside the vocabulary left out; the word block
    and the letter block each of unit length, so long words do not drown the words."""
    vector: dict[str, float] = {}
    norms = {"c": 0.0, "w": 0.0}
    for name, count in found.items():
        weight = idf.get(name)
        if weight is None:
            continue
        value = (1.0 + math.log(count)) * weight
        vector[name] = value
        norms["c" if name[0] == "c" else "w"] += value * value
    for block, total in norms.items():
        norms[block] = math.sqrt(total) or 1.0
    return {name: value / norms["c" if name[0] == "c" else "w"] for name, value in vector.items()}
