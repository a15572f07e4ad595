"""What a person typed, without what they cannot see.

Control characters and the bidirectional overrides and isolates (which can make a
stored text read differently from what it holds, "Trojan Source") are taken out of
every typed text, so names and free-text answers are cleaned alike. Joiners,
variation selectors and emoji tag characters stay: they are part of emoji such as
👩‍👩‍👧 or 🏴󠁧󠁢󠁳󠁣󠁴󠁿.
"""

from __future__ import annotations

import unicodedata

# Format characters (category Cf) that belong to emoji or to scripts that need them.
KEPT_FORMAT = frozenset("\u200c\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))


def visible(text: str) -> str:
    """Line breaks stay; other control characters become a space; invisible format
    characters (bidi controls, zero-width spaces, soft hyphens) go."""
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n":
            out.append(char)
        elif category == "Cc" or char in "\u2028\u2029":
            out.append(" ")
        elif category == "Cf" and char not in KEPT_FORMAT:
            continue
        elif category in ("Cs", "Co", "Cn") and not ("\ue000" <= char <= "\uf8ff"):
            continue  # lone surrogates and unassigned code points
        else:
            out.append(char)
    return "".join(out)
