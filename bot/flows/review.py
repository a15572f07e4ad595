"""The request checklist: four plain questions about a request the client wrote.

    concrete?          a day, a time, a number or a clear activity
    says why?          why it matters ("omdat", "want ik", "because", "it would help")
    room for no?       "als het niet lukt", "geen probleem", "no worries", "if you can't"
    something back?    "ik trakteer", "in ruil", "I'll cook", "in return"

Heuristics over Dutch and English words, no language guess needed: a client may mix
both. The lists are data; a phrase ending in "*" also matches longer words
("wandel*" matches "wandelen", "wandeling"), any other phrase only matches whole.
The result feeds a gentle tip per item, never a grade: a miss only means "no tip found".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CONCRETE: tuple[str, ...] = (
    # Dutch: days and moments
    "maandag*", "dinsdag*", "woensdag*", "donderdag*", "vrijdag*", "zaterdag*", "zondag*",
    "vandaag", "morgen*", "overmorgen", "vanavond", "vanmiddag", "weekend*", "volgende week",
    "deze week", "ochtend*", "middag*", "avond*", "uur", "uurtje", "half", "kwart",
    # Dutch: activities
    "koffie*", "thee", "wandel*", "boodschap*", "bellen", "opbellen", "bel je", "bel jij",
    "langs*", "bezoek*", "eten", "etentje", "koken", "lunch*", "film*", "sport*", "fiets*",
    "rijden", "brengen", "ophalen", "halen", "helpen met", "helpen bij", "post", "brief*",
    "papieren", "formulier*", "markt*", "winkel*", "dokter*", "huisarts*", "afspraak",
    "verhuiz*", "schoonma*", "stofzuig*", "tuin*", "bioscoop", "zwemmen", "spelletje*",
    # English: days and moments
    "monday*", "tuesday*", "wednesday*", "thursday*", "friday*", "saturday*", "sunday*",
    "today", "tomorrow", "tonight", "weekend*", "next week", "this week", "morning*",
    "afternoon*", "evening*", "o'clock", "hour*",
    # English: activities
    "coffee*", "tea", "walk*", "groceries", "grocery", "shopping", "call", "call me", "phone",
    "visit*", "come over", "dinner", "lunch*", "cook*", "movie*", "gym", "bike", "cycling",
    "drive", "lift", "ride", "pick up", "pick me up", "help with", "help me with", "mail",
    "letter*", "form", "forms", "paperwork", "market", "shop", "doctor*", "appointment*",
    "moving", "clean*", "garden*", "cinema", "swim*", "game*",
)  # fmt: skip

WHY: tuple[str, ...] = (
    # Dutch ("want" alone is also English "want": only count it before a Dutch clause)
    "omdat", "zodat", "want ik", "want het", "want dan", "want je", "want we", "want mijn",
    "want er", "want dat", "want de", "want ze", "want sinds", "dan kan ik", "dat helpt",
    "helpt me", "helpt mij", "zou helpen", "fijn", "belangrijk", "betekent", "ik mis",
    "ik voel me", "eenzaam", "heb ik nodig", "nodig", "lastig", "moeilijk", "gezellig",
    # English
    "because", "'cause", "cos", "since i", "as i", "so that", "so i can", "it would help",
    "that would help", "would really help", "it helps", "would mean", "means a lot",
    "i'd love", "i would love", "i'd like", "i would like", "would really like",
    "i'd really like", "would be nice", "would be great", "important", "i miss",
    "i feel", "lonely", "i need", "hard for me", "difficult", "nice",
)  # fmt: skip

ROOM_FOR_NO: tuple[str, ...] = (
    # Dutch
    "als het niet lukt", "als het niet uitkomt", "als het niet kan", "als je geen tijd",
    "als je geen zin", "als je het druk", "als je druk", "geen probleem", "geen punt",
    "geen druk", "geen verplichting", "je mag nee zeggen", "nee zeggen", "nee is ook",
    "zeg het gerust", "zeg maar gerust", "het hoeft niet", "hoeft niet", "is ook goed",
    "ook prima", "ook oké", "ook ok", "helemaal goed", "helemaal oké", "geen zorgen",
    "anders een andere keer", "een andere keer", "niet erg",
    # English
    "no problem", "no worries", "no pressure", "if you can't", "if you cannot",
    "if you can not", "if not", "if it doesn't", "if it does not", "if that doesn't",
    "if that does not", "if you're busy", "if you are busy", "that is fine", "that is ok",
    "that is okay", "it's fine", "it is fine",
    "feel free to say no", "say no", "it's okay if", "it's ok if", "it's fine if",
    "that's fine", "that's ok", "that's okay", "don't worry if", "totally fine",
    "no hard feelings", "another time", "don't have to", "do not have to",
)  # fmt: skip

GIVE_BACK: tuple[str, ...] = (
    # Dutch
    "ik trakteer", "trakteer", "ik kook", "kook ik", "in ruil", "ik help jou", "ik help je",
    "help ik jou", "help ik je", "ik doe iets terug", "iets terug", "terug doen",
    "ik betaal", "betaal ik", "ik bak", "bak ik", "ik breng", "breng ik", "neem ik",
    "is van mij", "op mijn kosten", "voor jou doen", "voor je doen", "kan ik jou helpen",
    "kan ik je helpen", "help ik jou ook", "ik help jou ook",
    # English
    "i'll buy", "i will buy", "in return", "i'll cook", "i will cook", "i can help you",
    "i'll help you", "i will help you", "i'll pay", "i will pay", "my treat", "i'll bring",
    "i will bring", "return the favour", "return the favor", "i owe you", "i'll make",
    "i will make", "on me", "i can do something for you", "can i help you",
)  # fmt: skip

CHECKS: dict[str, tuple[str, ...]] = {
    "concrete": CONCRETE,
    "why": WHY,
    "room_for_no": ROOM_FOR_NO,
    "give_back": GIVE_BACK,
}

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DIGIT = re.compile(r"\d")


def _pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    parts = []
    for phrase in phrases:
        prefix = phrase.endswith("*")
        body = r"\s+".join(re.escape(word) for word in phrase.rstrip("*").split())
        parts.append(rf"(?<!\w){body}" + ("" if prefix else r"(?!\w)"))
    return re.compile("|".join(parts))


_PATTERNS: dict[str, re.Pattern[str]] = {key: _pattern(words) for key, words in CHECKS.items()}


def _normal(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def review_request(text: str) -> dict[str, bool]:
    """Which of the four checklist items the request seems to meet."""
    plain = _normal(text)
    found = {key: bool(pattern.search(plain)) for key, pattern in _PATTERNS.items()}
    found["concrete"] = found["concrete"] or bool(_DIGIT.search(plain))
    return found
