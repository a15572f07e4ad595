"""Who a goal or a request is about: a contact on the map, or someone new.

Shared by the goal and the practice flows, which store the person in different objects
(`Goal`, `AskPlan`) through their own `save` function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.effects import Effect
from bot.flows.base import (
    CHOOSE_BUTTON,
    Answer,
    Outcome,
    Reprompt,
    clean_text,
    text_reprompt_if_bad,
)
from bot.model import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, Route
from bot.numbers import whole_number


def contact_value(contact_id: int) -> str:
    return f"c{contact_id}"


def contact_id_of(value: str) -> int | None:
    return whole_number(value[1:]) if value[:1] == "c" else None


def person(route: Route, contact_id: int | None, new_person: str) -> str:
    """The name to show: a contact on the map, else the new person, else nothing."""
    contact = route.contact(contact_id)
    return contact.name if contact is not None else new_person


def read_text(answer: Answer, limit: int = MAX_TEXT_LENGTH) -> str | Reprompt:
    """The client's typed words, cleaned; or a kind word when empty or too long."""
    text = clean_text(answer.value)
    return text_reprompt_if_bad(text, limit) or text


@dataclass(frozen=True, slots=True)
class NewPerson:
    """Handlers for naming someone who is not on the map. `save(route, **changes)`
    returns the effect that stores the changed goal or plan."""

    save: Callable[..., Effect]

    def take(self, route: Route, answer: Answer, trigger: str = "chosen") -> Outcome | Reprompt:
        name = read_text(answer, MAX_NAME_LENGTH)
        if isinstance(name, Reprompt):
            return name
        return Outcome(trigger, (self.save(route, contact_id=None, new_person=name),))

    def who_new(self, route: Route, answer: Answer) -> Outcome | Reprompt:
        """The "someone new" question: a name, or skip."""
        if answer.is_choice:
            if answer.value != "skip":
                return CHOOSE_BUTTON
            return Outcome("named", (self.save(route, contact_id=None, new_person=""),))
        return self.take(route, answer, "named")
