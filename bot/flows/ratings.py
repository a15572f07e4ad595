"""Rate each contact: one 1-3 question per message, then who knows whom (optional).

    intro -(start)-> rate -(next)-> rate ... -(finished)-> review
      |-(review: all answered)-----------------------------> review
      `-(skip)-> mapview.summary
    review -(pick)-> pick -(pick)-> rate (that person only) -(finished)-> review
    review -(done)-> ties_offer (two or more people), else mapview.summary
    ties_offer -(yes)-> ties -(toggle)-> ties -(next)-> ties ... -(finished)-> mapview.summary
         `-(skip)-> mapview.summary

The cursor holds the exact question ({"contact": id, "dim": index}), so a restart
lands on it and "terug" goes back one question with the earlier answer shown.
With nobody on the list (reached only by going back) every step offers to go on
to the ideas for new contacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.effects import SetRating, SetTies
from bot.flows.base import (
    CHOOSE_BUTTON,
    Answer,
    Flow,
    Handler,
    Option,
    Outcome,
    Prompt,
    PromptFn,
    Reprompt,
    Step,
    T,
    choice_only,
    choose,
)
from bot.model import Contact, Route
from bot.numbers import whole_number

INTRO = "ratings.intro"
RATE = "ratings.rate"
REVIEW = "ratings.review"
PICK = "ratings.pick"
TIES_OFFER = "ratings.ties_offer"
TIES = "ratings.ties"
MAP = "mapview.summary"
IDEAS = "mapview.ideas"

BLOCK = 3
ANSWERS = ("1", "2", "3", "skip")


def has_contacts(route: Route) -> bool:
    return bool(route.contacts)


def two_or_more(route: Route) -> bool:
    return len(route.contacts) >= 2


TRANSITIONS = [
    T("start", INTRO, RATE),
    T("review", INTRO, REVIEW),
    T("skip", INTRO, MAP),
    T("next", RATE, RATE),
    T("finished", RATE, REVIEW),
    T("done", REVIEW, TIES_OFFER, two_or_more),
    T("done", REVIEW, MAP, has_contacts),
    T("done", REVIEW, IDEAS),
    T("pick", REVIEW, PICK),
    T("pick", PICK, RATE),
    T("yes", TIES_OFFER, TIES),
    T("skip", TIES_OFFER, MAP),
    T("toggle", TIES, TIES),
    T("next", TIES, TIES),
    T("finished", TIES, MAP),
    *(T("nobody", state, IDEAS) for state in (INTRO, RATE, REVIEW, PICK, TIES_OFFER, TIES)),
]


# Where we are -----------------------------------------------------------------------------


def dimensions(route: Route) -> tuple[str, ...]:
    return route.settings.dimensions


def answered(contact: Contact, dimension: str) -> bool:
    return dimension in contact.ratings or dimension in contact.skipped


def first_open(route: Route) -> dict[str, Any] | None:
    """The first question without an answer, to go on where the client left off."""
    for contact in route.contacts:
        for index, dimension in enumerate(dimensions(route)):
            if not answered(contact, dimension):
                return {"contact": contact.id, "dim": index}
    return None


def position(route: Route) -> tuple[Contact, int]:
    """The contact and question index in the cursor, made safe against stale cursors."""
    cursor = route.session.cursor
    contact = route.contact(cursor.get("contact")) or route.contacts[0]
    index = cursor.get("dim", 0)
    index = index if isinstance(index, int) else 0
    return contact, max(0, min(index, len(dimensions(route)) - 1))


def after(contacts: Sequence[Contact], contact: Contact) -> list[Contact]:
    """The contacts later in the list than `contact`."""
    return [c for c in contacts if c.position > contact.position]


def next_question(route: Route, contact: Contact, index: int) -> dict[str, Any] | None:
    only = bool(route.session.cursor.get("only"))
    extra = {"only": True} if only else {}
    if index + 1 < len(dimensions(route)):
        return {"contact": contact.id, "dim": index + 1, **extra}
    following = after(route.contacts, contact)
    if only or not following:
        return None
    return {"contact": following[0].id, "dim": 0}


def contact_id(value: str, prefix: str) -> int | None:
    rest = value.removeprefix(prefix)
    return whole_number(rest) if value.startswith(prefix) else None


# Intro ------------------------------------------------------------------------------------


def intro_prompt(route: Route) -> Prompt:
    open_question = first_open(route)
    started = any(c.ratings or c.skipped for c in route.contacts)
    start = "ratings.begin"
    if open_question is None:
        start = "ratings.see_answers"
    elif started:
        start = "ratings.go_on"
    context = {
        "persons": len(route.contacts),
        "questions": len(dimensions(route)),
        "all_done": open_question is None,
    }
    return Prompt("ratings/intro", context, choose(("start", start), ("skip", "ratings.skip_all")))


def begin(route: Route) -> Outcome:
    open_question = first_open(route)
    if open_question is None:
        return Outcome("review", cursor={})
    return Outcome("start", cursor=open_question)


# One question -----------------------------------------------------------------------------


def rate_prompt(route: Route) -> Prompt:
    contact, index = position(route)
    dimension = dimensions(route)[index]
    context = {
        "contact": contact,
        "dimension": dimension,
        "person": route.contacts.index(contact) + 1,
        "persons": len(route.contacts),
        "question": index + 1,
        "questions": len(dimensions(route)),
        "current": contact.rating(dimension),
        "skipped": dimension in contact.skipped,
    }
    scale = tuple(Option(v, f"ratings.scale.{dimension}.{v}") for v in ANSWERS[:3])
    return Prompt("ratings/rate", context, (*scale, Option("skip", "ratings.dont_know")))


def rate_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice or answer.value not in ANSWERS:
        return CHOOSE_BUTTON
    contact, index = position(route)
    value = None if answer.value == "skip" else int(answer.value)
    effect = SetRating(contact.id, dimensions(route)[index], value)
    following = next_question(route, contact, index)
    if following is None:
        return Outcome("finished", (effect,), cursor={})
    return Outcome("next", (effect,), cursor=following)


# Review and changing one person -------------------------------------------------------------


def review_prompt(route: Route) -> Prompt:
    context = {"contacts": route.contacts, "dimensions": dimensions(route)}
    options = choose(("done", "common.done"), ("pick", "ratings.redo"))
    return Prompt("ratings/review", context, options)


def pick_prompt(route: Route) -> Prompt:
    people = tuple(Option(f"c{c.id}", c.name, literal=True) for c in route.contacts)
    return Prompt("ratings/pick", {}, people)


def pick_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    chosen = route.contact(contact_id(answer.value, "c")) if answer.is_choice else None
    if chosen is None:
        return CHOOSE_BUTTON
    return Outcome("pick", cursor={"contact": chosen.id, "dim": 0, "only": True})


# Who knows whom ---------------------------------------------------------------------------


def tied(route: Route, contact: Contact) -> set[int]:
    return {t.b if t.a == contact.id else t.a for t in route.ties if contact.id in (t.a, t.b)}


def ties_cursor(route: Route, contact: Contact) -> dict[str, Any]:
    later = {c.id for c in after(route.contacts, contact)}
    return {"contact": contact.id, "chosen": sorted(tied(route, contact) & later)}


def begin_ties(route: Route) -> Outcome:
    return Outcome("yes", cursor=ties_cursor(route, route.contacts[0]))


def ties_state(route: Route) -> tuple[Contact, list[Contact], set[int]]:
    """The contact asked about, the later contacts offered, and those ticked so far."""
    cursor = route.session.cursor
    contact = route.contact(cursor.get("contact")) or route.contacts[0]
    later = after(route.contacts, contact)
    chosen = {i for i in cursor.get("chosen", []) if isinstance(i, int)}
    return contact, later, chosen & {c.id for c in later}


def tie_option(contact: Contact, ticked: bool) -> Option:
    key = "ratings.tie_on" if ticked else "ratings.tie_off"
    return Option(f"t{contact.id}", key, params={"name": contact.name})


def ties_prompt(route: Route) -> Prompt:
    contact, later, chosen = ties_state(route)
    people = tuple(tie_option(c, c.id in chosen) for c in later)
    context = {
        "contact": contact,
        "others": later,
        "chosen": [c for c in later if c.id in chosen],
        "person": route.contacts.index(contact) + 1,
        "persons": len(route.contacts) - 1,
    }
    extra = choose(("none", "ratings.tie_none"), ("done", "common.done"))
    return Prompt("ratings/ties", context, (*people, *extra))


def ties_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:
        return CHOOSE_BUTTON
    contact, later, chosen = ties_state(route)
    if answer.value in ("none", "done"):
        keep = chosen if answer.value == "done" else set()
        return save_ties(route, contact, keep)
    other = contact_id(answer.value, "t")
    if other not in {c.id for c in later}:
        return CHOOSE_BUTTON
    toggled = chosen ^ {other}
    return Outcome("toggle", cursor={"contact": contact.id, "chosen": sorted(toggled)})


def save_ties(route: Route, contact: Contact, chosen: set[int]) -> Outcome:
    """SetTies replaces all ties of a contact: keep those with earlier contacts."""
    earlier = tied(route, contact) - {c.id for c in after(route.contacts, contact)}
    effect = SetTies(contact.id, tuple(sorted(earlier | chosen)))
    following = after(route.contacts, contact)
    if len(following) < 2:
        return Outcome("finished", (effect,), cursor={})
    return Outcome("next", (effect,), cursor=ties_cursor(route, following[0]))


# Steps ------------------------------------------------------------------------------------


def nobody_prompt(route: Route) -> Prompt:
    return Prompt("ratings/nobody", {}, choose(("next", "common.continue")))


def guarded(prompt: PromptFn, handle: Handler) -> Step:
    """A step that needs someone on the list; with nobody, it leads to new contacts."""

    def guarded_prompt(route: Route) -> Prompt:
        return prompt(route) if route.contacts else nobody_prompt(route)

    def guarded_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
        if route.contacts:
            return handle(route, answer)
        return choice_only({"next": "nobody"})(route, answer)

    return Step(guarded_prompt, guarded_handle, block=BLOCK)


STEPS = {
    INTRO: guarded(intro_prompt, choice_only({"start": begin, "skip": "skip"})),
    RATE: guarded(rate_prompt, rate_handle),
    REVIEW: guarded(
        review_prompt, choice_only({"done": lambda r: Outcome("done", cursor={}), "pick": "pick"})
    ),
    PICK: guarded(pick_prompt, pick_handle),
    TIES_OFFER: guarded(
        lambda r: Prompt(
            "ratings/ties_offer",
            {"persons": len(r.contacts)},
            choose(("yes", "common.yes"), ("skip", "common.skip")),
        ),
        choice_only({"yes": begin_ties, "skip": lambda r: Outcome("skip", cursor={})}),
    ),
    TIES: guarded(ties_prompt, ties_handle),
}

FLOW = Flow("ratings", STEPS, TRANSITIONS)
