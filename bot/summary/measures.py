"""Network measures from contacts and ratings: the plain findings of "look at the map".

Pure functions over `Contact` lists, so the conversation, the professional's summary
and the picture all count the same way. A contact without a rating on a dimension is
simply not counted there ("weet ik niet" is an answer, not a low score).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.model import SECTORS, SUPPORT_DIMENSIONS, Contact, Tie

PROFESSIONAL_SECTOR = "hulpverlening"
TOP = 3  # "bijna altijd", "heel hecht", "wekelijks of vaker", "langer dan 5 jaar"


@dataclass(frozen=True, slots=True)
class Balance:
    """Who helps whom: the counts of the three reciprocity answers."""

    mostly_me: int = 0  # 1: "vooral ik de ander"
    mutual: int = 0  # 2: "wij elkaar, over en weer"
    mostly_them: int = 0  # 3: "vooral de ander mij"

    @property
    def answered(self) -> int:
        return self.mostly_me + self.mutual + self.mostly_them


@dataclass(frozen=True, slots=True)
class NetworkMeasures:
    size: int
    sectors: dict[str, int]  # only sectors in use, in the order of SECTORS
    variety: int
    professionals: int
    professional_share: float  # 0.0 when there is nobody
    always: dict[str, tuple[str, ...]]  # support dimension -> names rated 3
    balance: Balance
    frequent: tuple[str, ...]
    long_standing: tuple[str, ...]
    close: tuple[str, ...]
    density: float | None  # None: "who knows whom" not answered, or fewer than two people
    rated: int  # contacts with at least one rating


@dataclass(frozen=True, slots=True)
class ContactChange:
    name: str
    ratings: dict[str, tuple[int, int]]  # dimension -> (before, after)


@dataclass(frozen=True, slots=True)
class Comparison:
    added: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    changed: tuple[ContactChange, ...] = field(default_factory=tuple)


def sector_counts(contacts: Iterable[Contact]) -> dict[str, int]:
    counts = {sector: 0 for sector in SECTORS}
    for contact in contacts:
        counts[contact.sector] = counts.get(contact.sector, 0) + 1
    return {sector: n for sector, n in counts.items() if n}


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def names_with(contacts: Iterable[Contact], dimension: str, value: int = TOP) -> tuple[str, ...]:
    return tuple(c.name for c in contacts if c.rating(dimension) == value)


def balance(contacts: Iterable[Contact]) -> Balance:
    values = [c.rating("reciprocity") for c in contacts]
    return Balance(values.count(1), values.count(2), values.count(3))


def density(contacts: Sequence[Contact], ties: Iterable[Tie] | None) -> float | None:
    """Ties present / ties possible; pairs outside the list and doubles do not count."""
    n = len(contacts)
    if ties is None or n < 2:
        return None
    ids = {c.id for c in contacts}
    pairs = {frozenset((t.a, t.b)) for t in ties if t.a != t.b and {t.a, t.b} <= ids}
    return len(pairs) / (n * (n - 1) / 2)


def measure(contacts: Sequence[Contact], ties: Iterable[Tie] | None = None) -> NetworkMeasures:
    sectors = sector_counts(contacts)
    professionals = sectors.get(PROFESSIONAL_SECTOR, 0)
    return NetworkMeasures(
        size=len(contacts),
        sectors=sectors,
        variety=len(sectors),
        professionals=professionals,
        professional_share=share(professionals, len(contacts)),
        always={dim: names_with(contacts, dim) for dim in SUPPORT_DIMENSIONS},
        balance=balance(contacts),
        frequent=names_with(contacts, "frequency"),
        long_standing=names_with(contacts, "duration"),
        close=names_with(contacts, "closeness"),
        density=density(contacts, ties),
        rated=sum(1 for c in contacts if c.ratings),
    )


# Change since the previous map ----------------------------------------------------------


def _by_name(contacts: Iterable[Contact]) -> dict[str, Contact]:
    found: dict[str, Contact] = {}
    for contact in contacts:
        found.setdefault(contact.name.casefold(), contact)
    return found


def rating_changes(before: Contact, after: Contact) -> dict[str, tuple[int, int]]:
    """Dimensions answered on both maps with a different value."""
    return {
        dim: (old, new)
        for dim, old in before.ratings.items()
        if (new := after.ratings.get(dim)) is not None and new != old
    }


def compare(previous: Sequence[Contact], current: Sequence[Contact]) -> Comparison:
    """Who is new, who is gone (names matched without case), whose ratings moved."""
    old, new = _by_name(previous), _by_name(current)
    changed = (
        ContactChange(new[key].name, moves)
        for key in new
        if key in old and (moves := rating_changes(old[key], new[key]))
    )
    return Comparison(
        added=tuple(c.name for key, c in new.items() if key not in old),
        lost=tuple(c.name for key, c in old.items() if key not in new),
        changed=tuple(changed),
    )
