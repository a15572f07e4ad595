"""Crisis language in what clients type (DOMAIN.md, "Safety"), in Dutch and English.

`assess` gives the tier to respond with: the crisis reply, a check question, or nothing.
`detect_crisis` is the phrase layer on its own (known wordings, used by `assess`).
"""

from bot.safety.assess import Assessment, Tier, assess
from bot.safety.phrases import CrisisKind, CrisisSignal, detect_crisis, normalise

__all__ = [
    "Assessment",
    "CrisisKind",
    "CrisisSignal",
    "Tier",
    "assess",
    "detect_crisis",
    "normalise",
]
