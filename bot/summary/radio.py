"""RADIO directions from the ratings: ideas the client may take or leave.

reanimeren (revive: close but rare), activeren (ask someone who could help),
deblokkeren (a strained tie), intensiveren (deepen a contact at the edge),
onderhouden (keep what works). Each contact gets at most one idea, chosen by
`PRIORITY`; a strained tie is never suggested as someone to ask. The rules are kept
conservative: an unanswered dimension never triggers an idea.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.model import SUPPORT_DIMENSIONS, Contact

KINDS: tuple[str, ...] = (
    "reanimeren",
    "activeren",
    "deblokkeren",
    "intensiveren",
    "onderhouden",
)
PER_KIND = 2
PROFESSIONAL_SECTOR = "hulpverlening"


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str
    contact_id: int
    contact_name: str


def _is(contact: Contact, dimension: str, *values: int) -> bool:
    return contact.rating(dimension) in values


def strained(contact: Contact) -> bool:
    """Very critical, or the client gives much and feels far away (not care workers)."""
    one_sided = _is(contact, "reciprocity", 1) and _is(contact, "closeness", 1)
    return _is(contact, "critical", 3) or (one_sided and contact.sector != PROFESSIONAL_SECTOR)


def fading(contact: Contact) -> bool:
    return _is(contact, "closeness", 2, 3) and _is(contact, "frequency", 1)


def working(contact: Contact) -> bool:
    supports = any(_is(contact, dim, 3) for dim in SUPPORT_DIMENSIONS)
    return supports and _is(contact, "closeness", 3)


def at_the_edge(contact: Contact) -> bool:
    edge = _is(contact, "closeness", 1) and _is(contact, "frequency", 2, 3)
    return edge and contact.sector != PROFESSIONAL_SECTOR


def could_help(contact: Contact) -> bool:
    able = _is(contact, "practical", 2, 3) or _is(contact, "advice", 2, 3)
    return able or any(_is(contact, dim, 2) for dim in SUPPORT_DIMENSIONS)


# First match wins, so each contact is named once and a strained tie is never "asked".
PRIORITY: tuple[tuple[str, Callable[[Contact], bool]], ...] = (
    ("deblokkeren", strained),
    ("reanimeren", fading),
    ("onderhouden", working),
    ("intensiveren", at_the_edge),
    ("activeren", could_help),
)


def kind_of(contact: Contact) -> str | None:
    return next((kind for kind, rule in PRIORITY if rule(contact)), None)


def suggestions(contacts: Sequence[Contact]) -> list[Suggestion]:
    """At most `PER_KIND` ideas per kind, in RADIO order, contacts in list order."""
    ordered = sorted(contacts, key=lambda c: (c.position, c.id))
    found: dict[str, list[Suggestion]] = {kind: [] for kind in KINDS}
    for contact in ordered:
        kind = kind_of(contact)
        if kind is not None and len(found[kind]) < PER_KIND:
            found[kind].append(Suggestion(kind, contact.id, contact.name))
    return [s for kind in KINDS for s in found[kind]]


def by_kind(found: Sequence[Suggestion]) -> dict[str, list[str]]:
    """Names per kind, only the kinds that have any: what a template needs."""
    names: dict[str, list[str]] = {}
    for suggestion in found:
        names.setdefault(suggestion.kind, []).append(suggestion.contact_name)
    return names
