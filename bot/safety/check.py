"""Reading a typed answer to the check question ("Denk je erover om jezelf iets aan te doen,
of om er niet meer te zijn?"): yes, no, not sure, or not readable.

Doubt counts as yes: "misschien", "soms", "een beetje" and "weet ik niet" all get the crisis
reply, as 113 advises. Only a plain no ("nee", "nee hoor", "nope", "zeker niet") is a no.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from bot.safety.phrases import normalise


class CheckReply(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


_UNSURE: Final = re.compile(
    r"\b(?:weet (?:ik )?(?:het |t )?(?:niet|nie|ni)|weetniet|wt nie|geen idee|misschien|mss"
    r"|twijfel\w*|soms|af en toe|een beetje|beetje|best wel|een soort van|kweenie|kwenie"
    r"|idk|dunno|dont know|not sure|unsure|maybe|perhaps|sometimes|kind of|kinda|sort of"
    r"|a bit|a little)\b"
)
_YES: Final = re.compile(
    r"^(?:ja+|jaa+|jawel|jep|jup|ja hoor|jazeker|yes+|yeah|yea|yep|yup|ye|klopt|inderdaad"
    r"|wel|eigenlijk wel|ik denk het wel|i do|i am|true|correct)\b"
)
_NO: Final = re.compile(
    r"^(?:nee+|neen|nope|nah|no+|nein|niet|nooit|never|zeker niet|helemaal niet|absoluut niet"
    r"|echt niet|not at all|definitely not|of course not|natuurlijk niet|nee hoor)\b"
)


def read_check_reply(text: str) -> CheckReply | None:
    """What a typed answer to the check question says, or None when it says none of these."""
    words = normalise(text).replace(" . ", " ").strip(" .")
    if not words:
        return None
    if _UNSURE.search(words):
        return CheckReply.UNSURE
    if _YES.search(words):
        return CheckReply.YES
    if _NO.search(words):
        return CheckReply.NO
    return None
