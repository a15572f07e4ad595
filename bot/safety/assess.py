"""Two tiers, as a careful person responds: clear crisis language, or words to ask about.

- CRISIS: the crisis reply at once (113, 112, the GP), the route stops, the professional is
  alerted when the client agreed.
- ASK: one warm, direct check question ("Denk je erover om jezelf iets aan te doen, of om
  er niet meer te zijn?"), as 113 advises: asking does not put the idea in someone's head.
- NONE: an ordinary answer.

Two layers decide. The phrase patterns (`phrases.py`) know wordings people wrote down; the
trained model (`model.py`) generalises to wordings nobody wrote down. A message is scored
whole and sentence by sentence, so a crisis hidden in an ordinary answer ("Mieke. Maar ik
ben er binnenkort toch niet meer") is not averaged away by the ordinary part.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.safety.features import sentences, tokens
from bot.safety.model import CrisisModel, default_model
from bot.safety.phrases import CrisisKind, detect_crisis, normalise

WINDOW: Final = 12  # words per window in a long sentence
MAX_WINDOWS: Final = 200  # a 10,000-character message stays well under a millisecond each
PHRASE_SEVERITY: Final = 0.5  # a known wording is the crisis reply unless the model reads
# it as a look-alike ("vroeger sneed ik mezelf")


class Tier(StrEnum):
    NONE = "none"
    ASK = "ask"
    CRISIS = "crisis"


@dataclass(frozen=True, slots=True)
class Assessment:
    tier: Tier
    kind: CrisisKind | None = None  # for CRISIS and ASK: the most likely kind
    score: float = 0.0  # the highest topic x severity over the message's parts
    phrase: bool = False  # a known crisis wording matched


NOTHING: Final = Assessment(Tier.NONE)


def _parts(words: list[str]) -> Iterator[list[str]]:
    """The whole message, each sentence, and overlapping windows of long sentences."""
    yield words
    split = list(sentences(words))
    if len(split) == 1 and len(split[0]) <= WINDOW:
        return
    for sentence in split:
        yield sentence
        for start in range(WINDOW // 2, len(sentence) - WINDOW // 2, WINDOW // 2):
            yield sentence[start : start + WINDOW]


@dataclass(frozen=True, slots=True)
class Evidence:
    parts: tuple[tuple[float, float], ...]  # (topic, severity) of the whole and each part
    kind: CrisisKind
    phrase: bool  # a known crisis wording matched


def evidence(text: str, model: CrisisModel) -> Evidence:
    """What the two layers see in the message, part by part."""
    words = tokens(text, model.lexicon)
    # The patterns see the text as typed and, when a typo was undone, as corrected too
    # ("ik wil sterfen").
    signal = detect_crisis(text)
    if signal is None and words != normalise(text).split():
        signal = detect_crisis(" ".join(words))
    parts, kind, strongest = [], CrisisKind.SUICIDE, -1.0
    for count, part in enumerate(_parts(words)):
        if count >= MAX_WINDOWS:
            break
        scores = model.scores(part)
        parts.append((scores.topic, scores.severity))
        if scores.topic * scores.severity > strongest:
            strongest, kind = scores.topic * scores.severity, CrisisKind(scores.kind)
    if signal is not None:
        kind = signal.kind
    return Evidence(tuple(parts), kind, signal is not None)


def decide(found: Evidence, ask_at: float, crisis_at: float, ask_floor: float = 0.0) -> Tier:
    """Clear crisis language: a part about harm that reads as crisis, not as a look-alike,
    or a known wording the model also reads as crisis. About harm and not plainly a
    look-alike ("ik ben zo moe" is heavy, not harm): ask."""
    about_harm = [
        severity for topic, severity in found.parts if topic >= ask_at and severity >= ask_floor
    ]
    whole_severity = found.parts[0][1] if found.parts else 0.0
    if any(severity >= crisis_at for severity in about_harm) or (
        found.phrase and whole_severity >= PHRASE_SEVERITY
    ):
        return Tier.CRISIS
    if about_harm or found.phrase:
        return Tier.ASK
    return Tier.NONE


def assess(text: str, model: CrisisModel | None = None) -> Assessment:
    """How to respond to `text`. Pure; never raises on a str."""
    if not text or not text.strip():
        return NOTHING
    model = model or default_model()
    found = evidence(text, model)
    tier = decide(found, model.ask_at, model.crisis_at, model.ask_floor)
    score = max((topic * severity for topic, severity in found.parts), default=0.0)
    return Assessment(tier, found.kind if tier is not Tier.NONE else None, score, found.phrase)
