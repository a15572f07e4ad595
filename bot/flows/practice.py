"""Practise asking (block 6): the person, the request, a check, a scripted role-play.

    intro -(sla over)-> overview.show
      `-> who -(iemand anders)-> who_new -> write
           `--------------------------------> write -> review -(opnieuw)-> write
                                                         `-(zo is het goed)-> rp_yes
    rp_yes -> rp_later -> rp_no -> after_no -> how -> when -> overview.show
        own words -> when_day / when_part -> when_ok (see bot/flows/when.py)

The role-play is scripted in the templates, never generated: the bot plays the
contact answering yes, maybe later, and no; the client practises a reply to each.
Every answer is saved at once (SavePlan with the whole updated plan). The moment is
kept as a preset key ("tomorrow") or, from own words, the confirmed moment
("at:2026-12-12T10:00").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.effects import SavePlan
from bot.flows import when
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
from bot.flows.goal import goal_context
from bot.flows.people import NewPerson, contact_id_of, contact_value, person, read_text
from bot.flows.review import review_request
from bot.model import ASK_CHANNELS, AskPlan, Route

INTRO = "practice.intro"
WHO = "practice.who"
WHO_NEW = "practice.who_new"
WRITE = "practice.write"
REVIEW = "practice.review"
RP_YES = "practice.rp_yes"
RP_LATER = "practice.rp_later"
RP_NO = "practice.rp_no"
AFTER_NO = "practice.after_no"
HOW = "practice.how"
WHEN = "practice.when"
WHEN_DAY = "practice.when_day"
WHEN_PART = "practice.when_part"
WHEN_OK = "practice.when_ok"

NEXT_FLOW = "overview.show"

TRANSITIONS = [
    T("begin", INTRO, WHO),
    T("skip", INTRO, NEXT_FLOW),
    T("chosen", WHO, WRITE),
    T("new", WHO, WHO_NEW),
    T("named", WHO_NEW, WRITE),
    T("written", WRITE, REVIEW),
    T("written", REVIEW, REVIEW),
    T("rewrite", REVIEW, WRITE),
    T("ok", REVIEW, RP_YES),
    T("replied", RP_YES, RP_LATER),
    T("replied", RP_LATER, RP_NO),
    T("replied", RP_NO, AFTER_NO),
    T("chosen", AFTER_NO, HOW),
    T("chosen", HOW, WHEN),
    T("chosen", WHEN, NEXT_FLOW),
    *(
        T(trigger, source, dest)
        for source in (WHEN, WHEN_DAY, WHEN_PART, WHEN_OK)
        for trigger, dest in (("read", WHEN_OK), ("day", WHEN_DAY), ("part", WHEN_PART))
    ),
    T("chosen", WHEN_OK, NEXT_FLOW),
    T("other", WHEN_OK, WHEN),
]

AFTER_NO_CHOICES: tuple[str, ...] = ("later", "someone_else", "next")
MOMENTS: tuple[str, ...] = ("today", "tomorrow", "weekend", "next_week", "unknown")


# Small helpers ------------------------------------------------------------------------------


def current(route: Route) -> AskPlan:
    return route.plan if route.plan is not None else AskPlan()


def save(route: Route, **changes: Any) -> SavePlan:
    """The whole plan with one answer changed: every answer is stored at once."""
    return SavePlan(replace(current(route), **changes))


NEW_PERSON = NewPerson(save)
take_new_person = NEW_PERSON.take
who_new_handle = NEW_PERSON.who_new


def plan_context(route: Route) -> dict[str, Any]:
    plan = current(route)
    return {
        **goal_context(route),
        "plan": plan,
        "asked": person(route, plan.contact_id, plan.new_person),
    }


def simple(template: str, *pairs: tuple[str, str]) -> PromptFn:
    """A prompt function: a template with the plan in its context, and buttons."""
    return lambda route: Prompt(template, plan_context(route), choose(*pairs))


# Steps --------------------------------------------------------------------------------------


def who_options(route: Route) -> tuple[Option, ...]:
    """The goal's person first, then the rest of the map, then someone else."""
    goal = route.goal
    first = goal.contact_id if goal is not None else None
    contacts = sorted(route.contacts, key=lambda c: c.id != first)
    people = [Option(contact_value(c.id), c.name, literal=True) for c in contacts]
    if goal is not None and goal.new_person and route.contact_named(goal.new_person) is None:
        people.insert(0, Option("goal_person", goal.new_person, literal=True))
    return (*people, Option("new", "practice.someone_else"))


def who_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:
        return take_new_person(route, answer, "chosen")
    if answer.value == "new":
        return Outcome("new")
    if answer.value == "goal_person" and route.goal is not None and route.goal.new_person:
        return Outcome("chosen", (save(route, contact_id=None, new_person=route.goal.new_person),))
    contact = route.contact(contact_id_of(answer.value))
    if contact is None:
        return CHOOSE_BUTTON
    return Outcome("chosen", (save(route, contact_id=contact.id, new_person=""),))


def take_request(route: Route, answer: Answer) -> Outcome | Reprompt:
    """The request in the client's own words, with the checklist result beside it."""
    text = read_text(answer)
    if isinstance(text, Reprompt):
        return text
    return Outcome("written", (save(route, request=text, review=review_request(text)),))


def write_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice:
        if answer.value != "example":
            return CHOOSE_BUTTON
        return Reprompt("practice/example", plan_context(route))
    return take_request(route, answer)


def review_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:  # a better version typed straight away
        return take_request(route, answer)
    return choice_only({"ok": "ok", "rewrite": "rewrite"})(route, answer)


def reply_step(template: str, field: str) -> Step:
    """A role-play line from the contact; the client practises a reply (or skips)."""

    def handle(route: Route, answer: Answer) -> Outcome | Reprompt:
        if answer.is_choice:
            return Outcome("replied") if answer.value == "skip" else CHOOSE_BUTTON
        text = read_text(answer)
        if isinstance(text, Reprompt):
            return text
        return Outcome("replied", (save(route, **{field: text}),))

    return Step(simple(template, ("skip", "common.skip")), handle, block=6)


def store_choice(field: str, keys: tuple[str, ...], empty: str = "") -> Handler:
    """Buttons only: the chosen key is stored in `field` ("" for `empty`)."""

    def handle(route: Route, answer: Answer) -> Outcome | Reprompt:
        if not answer.is_choice or answer.value not in (*keys, empty):
            return CHOOSE_BUTTON
        value = "" if answer.value == empty else answer.value
        return Outcome("chosen", (save(route, **{field: value}),))

    return handle


def when_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice and answer.value in MOMENTS and answer.value != "unknown":
        return when.preset(route, answer.value)  # said back in words first
    if answer.is_choice:
        return store_choice("moment", MOMENTS)(route, answer)
    return when.read_typed(route, answer)  # own words: read, asked, then confirmed


def options_for(prefix: str, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((key, f"{prefix}.{key}") for key in keys)


STEPS = {
    INTRO: Step(
        simple("practice/intro", ("begin", "practice.begin"), ("skip", "common.skip")),
        choice_only({"begin": "begin", "skip": "skip"}),
        block=6,
    ),
    WHO: Step(
        lambda r: Prompt("practice/who", plan_context(r), who_options(r)), who_handle, block=6
    ),
    WHO_NEW: Step(simple("practice/who_new", ("skip", "common.skip")), who_new_handle, block=6),
    WRITE: Step(
        simple("practice/write", ("example", "practice.show_example")), write_handle, block=6
    ),
    REVIEW: Step(
        simple("practice/review", ("ok", "practice.review_ok"), ("rewrite", "practice.rewrite")),
        review_handle,
        block=6,
    ),
    RP_YES: reply_step("practice/rp_yes", "reply_yes"),
    RP_LATER: reply_step("practice/rp_later", "reply_later"),
    RP_NO: reply_step("practice/rp_no", "reply_no"),
    AFTER_NO: Step(
        simple("practice/after_no", *options_for("practice.after_no", AFTER_NO_CHOICES)),
        store_choice("after_no", AFTER_NO_CHOICES),
        block=6,
    ),
    HOW: Step(
        simple(
            "practice/how",
            *options_for("practice.channel", ASK_CHANNELS),
            ("dont_know", "common.dont_know"),
        ),
        store_choice("channel", ASK_CHANNELS, "dont_know"),
        block=6,
    ),
    WHEN: Step(
        simple("practice/when", *options_for("practice.moment", MOMENTS)), when_handle, block=6
    ),
    WHEN_DAY: Step(when.day_prompt, when.day_handle, block=6),
    WHEN_PART: Step(when.part_prompt, when.part_handle, block=6),
    WHEN_OK: Step(when.confirm_prompt, when.confirm_handle(save), block=6),
}

FLOW = Flow("practice", STEPS, TRANSITIONS)
