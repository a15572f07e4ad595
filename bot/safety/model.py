"""The trained crisis model: a linear classifier over `features`, loaded from one file.

The file (`crisis_model.json.gz`, next to this module) is written by `python -m
bot.safety.train` from the corpus in `data/crisis/train/`. It holds plain numbers, not a
pickled scikit-learn object: loading it needs no scikit-learn, costs a few tens of
milliseconds and cannot run code.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from bot.safety.features import Lexicon, counts, vectorise

MODEL_FILE: Final = Path(__file__).with_name("crisis_model.json.gz")
ORDINARY: Final = "ordinary"
LOOKALIKE: Final = "lookalike"
KINDS: Final = ("suicide", "self_harm", "danger")
CLASSES: Final = (ORDINARY, LOOKALIKE, *KINDS)


@dataclass(frozen=True, slots=True)
class Scores:
    """What the model makes of some words, as probabilities.

    `topic`: the words are about death, harm or danger at all (crisis or look-alike), as
    opposed to an ordinary answer. `severity`: given that, how likely it is crisis
    language rather than a look-alike ("de film ging over zelfmoord").
    """

    topic: float
    severity: float
    kind: str  # the most likely crisis kind, even when both are low


@dataclass(frozen=True, slots=True)
class CrisisModel:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    idf: dict[str, float]
    lexicon: Lexicon
    ask_at: float  # topic at or above: at least the check question
    crisis_at: float  # severity at or above, too: the crisis reply
    ask_floor: float  # severity below this is a look-alike: not asked
    meta: dict[str, Any]

    def scores(self, words: list[str]) -> Scores:
        vector = vectorise(counts(words, self.lexicon), self.idf)
        # Five classes, summed by hand: this loop is most of the time per message.
        l0, l1, l2, l3, l4 = self.intercepts
        weights = self.weights
        for name, value in vector.items():
            row = weights.get(name)
            if row is not None:
                l0 += row[0] * value
                l1 += row[1] * value
                l2 += row[2] * value
                l3 += row[3] * value
                l4 += row[4] * value
        top = max(l0, l1, l2, l3, l4)
        exps = [math.exp(logit - top) for logit in (l0, l1, l2, l3, l4)]
        total = sum(exps)
        probabilities = dict(zip(self.classes, (e / total for e in exps), strict=True))
        crisis = sum(probabilities[kind] for kind in KINDS)
        lookalike = probabilities[LOOKALIKE]
        kind = max(KINDS, key=probabilities.__getitem__)
        return Scores(1.0 - probabilities[ORDINARY], crisis / (crisis + lookalike), kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "intercepts": list(self.intercepts),
            "weights": {name: list(row) for name, row in self.weights.items()},
            "idf": self.idf,
            "lexicon": {
                "crisis_words": list(self.lexicon.crisis_words),
                "known": sorted(self.lexicon.known),
                "lemmas": self.lexicon.lemmas,
            },
            "thresholds": {
                "ask": self.ask_at,
                "crisis": self.crisis_at,
                "ask_floor": self.ask_floor,
            },
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CrisisModel:
        if tuple(data["classes"]) != CLASSES:
            raise ValueError(f"a model for {data['classes']}, expected {CLASSES}: retrain")
        lexicon = data["lexicon"]
        return cls(
            classes=tuple(data["classes"]),
            intercepts=tuple(data["intercepts"]),
            weights={name: tuple(row) for name, row in data["weights"].items()},
            idf=data["idf"],
            lexicon=Lexicon(
                tuple(lexicon["crisis_words"]), frozenset(lexicon["known"]), lexicon["lemmas"]
            ),
            ask_at=data["thresholds"]["ask"],
            crisis_at=data["thresholds"]["crisis"],
            ask_floor=data["thresholds"].get("ask_floor", 0.0),
            meta=data["meta"],
        )

    def save(self, path: Path = MODEL_FILE) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=0)
        # mtime=0: the same model gives the same bytes, so git shows only real changes.
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as file:
            file.write(text.encode("utf-8"))


def load_model(path: Path = MODEL_FILE) -> CrisisModel:
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return CrisisModel.from_json(json.load(file))


@cache
def default_model() -> CrisisModel:
    """The shipped model, loaded once per process (the bot loads it at start-up)."""
    return load_model()
