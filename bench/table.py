"""The one table the benchmark prints: a header per part, then target, measured, verdict."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTHS = (44, 15, 20)


@dataclass(frozen=True, slots=True)
class Line:
    what: str
    target: str
    measured: str
    ok: bool | None  # None: a figure without a target (shown as "info")

    @property
    def verdict(self) -> str:
        return "info" if self.ok is None else ("OK" if self.ok else "MISSED")


@dataclass
class Table:
    lines: list[Line] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def begin(self) -> None:
        what, target, measured = WIDTHS
        print(f"{'measure':<{what}} {'target':<{target}} {'measured':<{measured}} verdict")
        print("-" * (sum(WIDTHS) + 10))

    def part(self, name: str, about: str) -> None:
        print(f"\n== {name}: {about}", flush=True)

    def note(self, text: str) -> None:
        print(f"   ({text})", flush=True)

    def add(self, line: Line) -> None:
        self.lines.append(line)
        what, target, measured = WIDTHS
        print(
            f"{line.what:<{what}} {line.target:<{target}} {line.measured:<{measured}} "
            f"{line.verdict}",
            flush=True,
        )

    def error(self, part: str, message: str) -> None:
        self.errors.append(part)
        print(f"{part} FAILED: {message}", flush=True)

    def end(self) -> None:
        missed = [line.what for line in self.lines if line.ok is False]
        print("-" * (sum(WIDTHS) + 10))
        print(
            f"{sum(line.ok is True for line in self.lines)} OK, {len(missed)} MISSED, "
            f"{len(self.errors)} part(s) failed"
            + (f": {', '.join(self.errors)}" if self.errors else ""),
            flush=True,
        )


def progress(text: str) -> None:
    print(f"  .. {text}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share 0-1); nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def mb(size: int | None) -> str:
    return "n/a" if size is None else f"{size / 2**20:,.0f} MB"
