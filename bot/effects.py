"""What an answer changes. Flows return effects; the store writes them.

Each effect names one change in the method's words. The engine writes all effects of
one answer and the new dialogue state in a single SQLite transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import AskPlan, Barrier, Goal, Profile


@dataclass(frozen=True, slots=True)
class SaveProfile:
    profile: Profile


@dataclass(frozen=True, slots=True)
class AddContact:
    name: str
    sector: str


@dataclass(frozen=True, slots=True)
class UpdateContact:
    contact_id: int
    name: str
    sector: str


@dataclass(frozen=True, slots=True)
class RemoveContact:
    contact_id: int


@dataclass(frozen=True, slots=True)
class SetRating:
    contact_id: int
    dimension: str
    value: int | None  # None: skipped ("weet ik niet")


@dataclass(frozen=True, slots=True)
class SetTies:
    contact_id: int
    others: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SaveGoal:
    goal: Goal


@dataclass(frozen=True, slots=True)
class SaveBarriers:
    barriers: tuple[Barrier, ...]


@dataclass(frozen=True, slots=True)
class SavePlan:
    plan: AskPlan


Effect = (
    SaveProfile
    | AddContact
    | UpdateContact
    | RemoveContact
    | SetRating
    | SetTies
    | SaveGoal
    | SaveBarriers
    | SavePlan
)


@dataclass(frozen=True, slots=True)
class GiveConsent:
    """Consent to store answers, stamped with the time and the consent text's version
    by the store, so the record shows what the client agreed to and when."""

    version: str


@dataclass(frozen=True, slots=True)
class ShareSummary:
    """The client saw the summary and chose to send it to their professional."""


@dataclass(frozen=True, slots=True)
class SaveCheckin:
    """A check-in answer. A non-empty outcome starts a new check-in; otherwise the
    fields given complete the latest one."""

    outcome: str
    went_well: str = ""
    next_step: str = ""
    again: bool = False  # answered again after "terug": replaces the latest outcome


Effect = Effect | GiveConsent | ShareSummary | SaveCheckin
