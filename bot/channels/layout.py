"""How buttons fit on a phone: short answers side by side, long ones on their own row.

Telegram gives every button in a row the same width, so whether buttons fit side by
side depends on the LONGEST label among them. A phone shows about 42 characters of
button text across (a little padding per button included). Consecutive short labels
are laid out together in rows as even as possible (1–10 becomes two rows of five,
"ja / nee" one row); a label too long to share a row keeps its own, and so does every
control button (back, pause, resume): they are not answers and should not look like one.
"""

from __future__ import annotations

from collections.abc import Sequence

ROW_CHARS = 42  # characters of button text across a phone screen, padding included
PADDING = 2  # characters' worth of room each button takes besides its label
MAX_COLUMNS = 5


def columns_for(longest: int) -> int:
    """How many buttons with labels of at most `longest` characters fit in one row."""
    return max(1, min(MAX_COLUMNS, ROW_CHARS // (longest + PADDING)))


def arrange(labels: Sequence[str], alone: Sequence[bool] = ()) -> list[list[int]]:
    """Rows of button indexes, in the given order. `alone[i]` keeps button i on its own row."""
    rows: list[list[int]] = []
    run: list[int] = []
    for index, label in enumerate(labels):
        own_row = index < len(alone) and alone[index]
        if own_row or columns_for(len(label)) == 1:
            rows.extend(_even_rows(run, labels))
            rows.append([index])
            run = []
            continue
        run.append(index)
    rows.extend(_even_rows(run, labels))
    return rows


def _even_rows(run: list[int], labels: Sequence[str]) -> list[list[int]]:
    """A run of short labels in rows of (nearly) equal length, longer rows first."""
    if not run:
        return []
    columns = columns_for(max(len(labels[i]) for i in run))
    count = -(-len(run) // columns)  # rows needed
    rows: list[list[int]] = []
    start = 0
    for row in range(count):
        size = -(-(len(run) - start) // (count - row))
        rows.append(run[start : start + size])
        start += size
    return rows
