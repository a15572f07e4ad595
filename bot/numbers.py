"""Reading a whole number from text that a person or a forged button may have sent."""

from __future__ import annotations

# More digits than any count, id or choice of ours; int() refuses above 4,300 anyway.
MAX_DIGITS = 30


def whole_number(text: str) -> int | None:
    """ "12" -> 12; anything else (also "²" or "١", which str.isdigit() accepts but int()
    may not, or reads as another digit, and a line of thousands of digits) -> None."""
    if len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
