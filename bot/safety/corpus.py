"""The crisis corpus: messages with what they are, read from tab-separated files.

`data/crisis/train/` and `data/crisis/seen/` are what the model learns from; `seen/` was
written as an evaluation set, but its misses were read while the model was built, so it
can no longer give honest figures and became training data. `data/crisis/test/` was
written separately (other writers, other sittings, no access to the rest), is never
trained on and its single messages were not read while building: it gives the figures.
See `data/crisis/README.md` for who wrote what.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.safety.assess import Tier

DATA: Final = Path(__file__).resolve().parents[2] / "data" / "crisis"
TRAIN: Final = DATA / "train"
SEEN: Final = DATA / "seen"
TEST: Final = DATA / "test"
HEADER: Final = ("label", "kind", "lang", "category", "text")
LABELS: Final = ("crisis", "lookalike", "ordinary")
# What each label's figure counts (the README's three safety figures): a crisis message
# caught (the crisis reply or the check question), a look-alike given the crisis reply,
# an ordinary answer given the check question (or worse).
COUNTS: Final[dict[str, Callable[[Tier], bool]]] = {
    "crisis": lambda tier: tier is not Tier.NONE,
    "lookalike": lambda tier: tier is Tier.CRISIS,
    "ordinary": lambda tier: tier is not Tier.NONE,
}


def figure(label: str, tiers: Iterable[Tier]) -> tuple[int, int]:
    """How many of `tiers` count in the label's figure, of how many."""
    found = list(tiers)
    return sum(COUNTS[label](tier) for tier in found), len(found)


@dataclass(frozen=True, slots=True)
class Message:
    label: str  # crisis, lookalike or ordinary
    kind: str  # suicide, self_harm or danger for crisis; "-" otherwise
    lang: str
    category: str
    text: str

    @property
    def is_crisis(self) -> bool:
        return self.label == "crisis"

    @property
    def target(self) -> str:
        """The class the model learns: the crisis kind, or "none"."""
        return self.kind if self.is_crisis else "none"


class CorpusError(ValueError):
    """A corpus line that cannot be read; says which file and line."""


def read(path: Path) -> Iterator[Message]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = tuple(next(reader, ()))
        if header != HEADER:
            raise CorpusError(f"{path}: header {header!r}, expected {HEADER!r}")
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != len(HEADER) or row[0] not in LABELS or not row[4].strip():
                raise CorpusError(f"{path}:{number}: cannot read {row!r}")
            yield Message(*(cell.strip() for cell in row))


def load(folder: Path) -> list[Message]:
    """Every message in the folder's .tsv files, in file order, without exact repeats."""
    return unique(message for path in sorted(folder.glob("*.tsv")) for message in read(path))


def unique(messages: Iterable[Message]) -> list[Message]:
    """The messages in order, each text once (the first label given wins)."""
    seen: set[str] = set()
    kept = []
    for message in messages:
        if message.text not in seen:
            seen.add(message.text)
            kept.append(message)
    return kept


def without(messages: Iterable[Message], texts: set[str]) -> list[Message]:
    """The messages whose text is not in `texts` (keeps evaluation and training apart)."""
    return [message for message in messages if message.text not in texts]
