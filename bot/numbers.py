"""Reading a whole number from text that a person or a forged button may have sent."""

from __future__ import annotations


def whole_number(text: str) -> int | None:
    """ "12" -> 12; anything else (also "²" or "١", which str.isdigit() accepts but int()
    may not, or reads as another digit) -> None."""
    return int(text) if text.isascii() and text.isdigit() else None
