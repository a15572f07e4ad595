"""The small vocabulary every flow is declared in.

A flow is a `transitions` table plus one `Step` per state. A step says what to ask
(`prompt`) and what an answer means (`handle`). `handle` never does I/O: it returns
an `Outcome` (a trigger for the state machine, effects to store, a new cursor) or a
`Reprompt` (a kind word, then the same question again).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.effects import Effect
from bot.model import Route
from bot.text import visible


@dataclass(frozen=True, slots=True)
class Answer:
    """What the client gave: a chosen option's value, or typed text."""

    kind: Literal["choice", "text"]
    value: str

    @property
    def is_choice(self) -> bool:
        return self.kind == "choice"


@dataclass(frozen=True, slots=True)
class Option:
    """A button. `label` is a key in the locale's labels file, or the literal text
    when `literal` is set (a contact's name: data, not a sentence)."""

    value: str
    label: str
    literal: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Prompt:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    picture: bool = False  # show the picture of the client's network with this question


@dataclass(frozen=True, slots=True)
class Outcome:
    trigger: str
    effects: tuple[Effect, ...] = ()
    cursor: Mapping[str, Any] | None = None  # None keeps the cursor as it is
    notice: Prompt | None = None  # said before the next question, e.g. "saved"


@dataclass(frozen=True, slots=True)
class Reprompt:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[Route, Answer], Outcome | Reprompt]
PromptFn = Callable[[Route], Prompt]


@dataclass(frozen=True, slots=True)
class Step:
    prompt: PromptFn
    handle: Handler
    block: int  # which of the six blocks of the route ("stap 2 van 6")


@dataclass(frozen=True, slots=True)
class Transition:
    trigger: str
    source: str
    dest: str
    conditions: tuple[Callable[[Route], bool], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "source": self.source,
            "dest": self.dest,
            "conditions": list(self.conditions),
        }


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    steps: Mapping[str, Step]
    transitions: Sequence[Transition]


def T(trigger: str, source: str, dest: str, *conditions: Callable[[Route], bool]) -> Transition:
    return Transition(trigger, source, dest, conditions)


# Shared answers ----------------------------------------------------------------------

CHOOSE_BUTTON = Reprompt("common/choose_button")
AGAIN = "again"  # in the cursor of a question "terug" went back to: replace, never add


def choose(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    """Options from (value, label key) pairs."""
    return tuple(Option(value, label) for value, label in pairs)


def clean_text(text: str) -> str:
    """One line of the client's words: invisible characters out (see bot.text), spaces
    folded, emoji intact."""
    return " ".join(visible(text).split())


def choice_only(
    table: Mapping[str, str | Callable[[Route], Outcome]],
) -> Handler:
    """A handler for a question answered by buttons only.

    `table` maps an option value to a trigger name, or to a function making the
    outcome. Typed text gets a kind request to use the buttons.
    """

    def handle(route: Route, answer: Answer) -> Outcome | Reprompt:
        target = table.get(answer.value) if answer.is_choice else None
        if target is None:
            return CHOOSE_BUTTON
        return Outcome(target) if isinstance(target, str) else target(route)

    return handle


def text_reprompt_if_bad(text: str, limit: int) -> Reprompt | None:
    if not text:
        return Reprompt("common/empty")
    if len(text) > limit:
        return Reprompt("common/too_long", {"limit": limit})
    return None
