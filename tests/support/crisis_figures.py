"""Measured recall and false-alarm rate of `bot.safety.detect_crisis` on the crisis corpus.

Run `python -m tests.support.crisis_figures` to print the figures for the README.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bot.safety import CrisisKind, detect_crisis

CORPUS: Path = Path(__file__).resolve().parent.parent / "data" / "crisis_corpus.tsv"
HEADER: tuple[str, str, str] = ("expected", "lang", "text")
NONE = "none"


@dataclass(frozen=True, slots=True)
class CorpusRow:
    expected: str  # a CrisisKind value, or "none"
    lang: str  # "nl" or "en"
    text: str

    @property
    def is_crisis(self) -> bool:
        return self.expected != NONE

    @property
    def kind(self) -> CrisisKind | None:
        return CrisisKind(self.expected) if self.is_crisis else None


def load_corpus(path: Path = CORPUS) -> list[CorpusRow]:
    """The rows of the corpus file (UTF-8, tab-separated, with a header)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = tuple(next(reader))
        if header != HEADER:
            raise ValueError(f"{path}: header {header!r}, expected {HEADER!r}")
        return [CorpusRow(*row) for row in reader if row]


def corpus_figures(rows: list[CorpusRow] | None = None) -> tuple[float, float, int, int]:
    """(recall, false-alarm rate, number of crisis rows, number of look-alike rows).

    Recall: share of crisis rows detected as some crisis. False-alarm rate: share of
    look-alike rows detected as a crisis."""
    rows = load_corpus() if rows is None else rows
    positives = [row for row in rows if row.is_crisis]
    negatives = [row for row in rows if not row.is_crisis]
    hits = sum(detect_crisis(row.text) is not None for row in positives)
    alarms = sum(detect_crisis(row.text) is not None for row in negatives)
    return hits / len(positives), alarms / len(negatives), len(positives), len(negatives)


def kind_agreement(rows: list[CorpusRow] | None = None) -> float:
    """Share of detected crisis rows whose kind is the expected one."""
    rows = load_corpus() if rows is None else rows
    signals = [(row, detect_crisis(row.text)) for row in rows if row.is_crisis]
    detected = [(row, signal) for row, signal in signals if signal is not None]
    return sum(signal.kind == row.kind for row, signal in detected) / len(detected)


def main() -> None:
    recall, false_alarms, positives, negatives = corpus_figures()
    print(f"crisis corpus: {positives} crisis rows, {negatives} look-alike rows")
    print(f"recall:           {recall:.1%}")
    print(f"false-alarm rate: {false_alarms:.1%}")
    print(f"kind agreement:   {kind_agreement():.1%}")


if __name__ == "__main__":
    main()
