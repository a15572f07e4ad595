"""The method's own things, as plain data: a client's Route and what it holds.

Flows read a `Route` and answer with effects (see `bot/flows/base.py`); the store turns
rows into these objects and effects into rows. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.reminders import QuietHours

# The life areas (sectors) of the Social Network Map, in the order they are offered.
SECTORS: tuple[str, ...] = (
    "huishouden",
    "familie",
    "vrienden",
    "werk_school",
    "clubs",
    "buren",
    "hulpverlening",
    "online",
)

# The rating dimensions of the Social Network Map, each on a 1-3 scale.
DIMENSIONS: tuple[str, ...] = (
    "practical",
    "emotional",
    "advice",
    "closeness",
    "reciprocity",
    "frequency",
    "duration",
)
# "critical of you" is part of the paper instrument but can feel harsh: opt-in.
OPTIONAL_DIMENSIONS: tuple[str, ...] = ("critical",)
SUPPORT_DIMENSIONS: tuple[str, ...] = ("practical", "emotional", "advice")
SCALE: tuple[int, ...] = (1, 2, 3)

MAX_CONTACTS = 15
MAX_NAME_LENGTH = 40
MAX_TEXT_LENGTH = 500

GOAL_KINDS: tuple[str, ...] = ("contact", "together", "practical")
BARRIERS: tuple[str, ...] = (
    "give_back",
    "busy",
    "show_problems",
    "keep_free",
    "how_to_ask",
    "bad_experience",
)
ASK_CHANNELS: tuple[str, ...] = ("in_person", "message", "phone")
CONSENT_VERSION = "2026-11-1"


@dataclass(slots=True)
class Contact:
    id: int
    name: str
    sector: str
    position: int
    ratings: dict[str, int] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)  # answered "weet ik niet"

    def rating(self, dimension: str) -> int | None:
        return self.ratings.get(dimension)


@dataclass(slots=True)
class Tie:
    """Two contacts who know each other (the optional "who knows whom" question)."""

    a: int
    b: int


@dataclass(slots=True)
class Goal:
    kind: str | None = None
    contact_id: int | None = None
    new_person: str = ""
    activity: str = ""
    frequency: str = ""
    horizon_months: int = 3
    first_step: str = ""
    cue: str = ""
    confidence: int | None = None
    sentence: str = ""
    confirmed: bool = False


@dataclass(slots=True)
class Barrier:
    key: str
    text: str = ""


@dataclass(slots=True)
class AskPlan:
    contact_id: int | None = None
    new_person: str = ""
    request: str = ""
    review: dict[str, bool] = field(default_factory=dict)
    reply_yes: str = ""
    reply_later: str = ""
    reply_no: str = ""
    after_no: str = ""
    channel: str = ""
    moment: str = ""


@dataclass(slots=True)
class Profile:
    client_id: str
    locale: str = "nl"
    consent_at: datetime | None = None
    consent_version: str = ""
    alert_consent: bool | None = None
    gp_phone: str = ""
    hap_phone: str = ""

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


@dataclass(slots=True)
class Session:
    """Where the client is in the route: one row, the only home of dialogue state."""

    state: str
    cursor: dict[str, Any] = field(default_factory=dict)
    history: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    prompt: int = 0
    finished: bool = False
    last_ref: int = 0  # the newest channel message handled, to ignore redeliveries
    checking: int = 0  # the crisis check question is open: how many times it was asked


@dataclass(frozen=True, slots=True)
class Resource:
    """One entry of the organisation's catalogue of places to meet new people."""

    key: str
    kind: str
    name: dict[str, str]
    description: dict[str, str]
    contact: str = ""

    def text(self, field_name: str, locale: str) -> str:
        values: dict[str, str] = getattr(self, field_name)
        return values.get(locale) or values.get("nl") or next(iter(values.values()), "")


@dataclass(frozen=True, slots=True)
class Settings:
    """What an organisation can switch, as flows need it."""

    dimensions: tuple[str, ...] = DIMENSIONS
    max_contacts: int = MAX_CONTACTS
    catalogue: tuple[Resource, ...] = ()
    quiet: QuietHours = field(default_factory=QuietHours)  # said when a moment is confirmed


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One map in a client's history, counted the way the summary counts."""

    number: int
    created_at: str
    people: int
    areas: int  # life areas (sectors) in use
    weekly: int  # contact weekly or more
    always: int  # people who almost always support in at least one way


@dataclass(slots=True)
class Route:
    """Everything the dialogue needs to know about one client, loaded per event."""

    profile: Profile
    session: Session
    settings: Settings = field(default_factory=Settings)
    map_id: int | None = None
    contacts: list[Contact] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    goal: Goal | None = None
    barriers: list[Barrier] = field(default_factory=list)
    plan: AskPlan | None = None
    previous_contacts: list[Contact] = field(default_factory=list)  # the map before this one
    linked_to: str = ""  # the name of the linked professional, if any
    checkins: list[Any] = field(default_factory=list)  # latest first (store.agenda.Checkin)
    map_number: int = 0  # 1 for the first map, 2 after one new map, ...
    shared_goal: Goal | None = None  # the goal as it was in the last summary sent
    previous_ties: list[Tie] = field(default_factory=list)
    trend: list[MapPoint] = field(default_factory=list)  # every map, oldest first (2+ maps)
    erased: bool = False  # set when the client erased everything during this event

    @property
    def locale(self) -> str:
        return self.profile.locale

    def contact(self, contact_id: int | None) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def contact_named(self, name: str) -> Contact | None:
        wanted = name.casefold()
        return next((c for c in self.contacts if c.name.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class Professional:
    """A care professional who links clients and receives what they choose to share."""

    id: int
    name: str
    chat_id: str | None
    locale: str = "nl"
    active: bool = True


@dataclass(frozen=True, slots=True)
class Link:
    client_id: str
    professional_id: int
    label: str  # how the professional recognises the client (e.g. initials)
    linked_at: str
