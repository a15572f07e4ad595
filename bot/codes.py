"""Single-use codes for registering a professional and linking a client.

Crockford's base32 alphabet (no I, L, O, U: nothing to misread) gives 5 bits a
character; ten characters carry 50 random bits, above the 40 required, and fit a
t.me deep link (`?start=CODE`). Only a hash is stored, so a copy of the database
holds no usable codes.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
BITS = LENGTH * 5
LOCK_AFTER = 5  # this many wrong codes from one chat within the window lock code entry
LOCK_WINDOW_MINUTES = 60
LINK_DAYS = 14
REGISTER_DAYS = 14
# A link code used before consent stays held for that chat this long (the intake takes
# minutes; a pause until the next day is common).
HOLD_HOURS = 48

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V", "-": None, " ": None})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a person typed, read kindly: case, spaces, dashes and look-alikes."""
    return typed.strip().upper().translate(_READ_AS)


def looks_like_code(typed: str) -> bool:
    code = normalise(typed)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
