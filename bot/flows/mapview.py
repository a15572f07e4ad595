"""Look at the map together: plain findings, then ideas only when the client asks.

    summary -(radio)-> radio -(next)-> summary (again, short)
       |-(ideas)-> ideas -(next)-> summary
       `-(goal)--> goal.intro
    network.none -> ideas -(next, nobody on the list)-> goal.intro

Ideas are offered, never pushed: the summary asks permission first, and each idea
is phrased as an option the client may leave.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows.base import Flow, Option, Outcome, Prompt, Step, T, choice_only, choose
from bot.model import Route
from bot.summary.measures import compare, measure
from bot.summary.radio import by_kind, suggestions

SUMMARY = "mapview.summary"
RADIO = "mapview.radio"
IDEAS = "mapview.ideas"
GOAL = "goal.intro"

BLOCK = 4


def has_contacts(route: Route) -> bool:
    return bool(route.contacts)


TRANSITIONS = [
    T("radio", SUMMARY, RADIO),
    T("ideas", SUMMARY, IDEAS),
    T("goal", SUMMARY, GOAL),
    T("next", RADIO, SUMMARY, has_contacts),
    T("next", RADIO, GOAL),
    T("next", IDEAS, SUMMARY, has_contacts),
    T("next", IDEAS, GOAL),
]


# Summary ----------------------------------------------------------------------------------


def summary_options(route: Route) -> tuple[Option, ...]:
    pairs = [("ideas", "mapview.new_contacts"), ("goal", "mapview.to_goal")]
    if route.contacts:
        pairs.insert(0, ("radio", "mapview.my_contacts"))
    return choose(*pairs)


def summary_prompt(route: Route) -> Prompt:
    ties = route.ties or None  # no ties stored: "who knows whom" counts as unanswered
    again = bool(route.session.cursor.get("again"))
    previous = route.previous_contacts
    context = {
        "m": measure(route.contacts, ties),
        "again": again,
        "change": compare(previous, route.contacts) if previous else None,
        "trend": route.trend,
    }
    # The picture comes with the first look, not with "anything else to look at?".
    picture = not again and bool(route.contacts)
    return Prompt("mapview/summary", context, summary_options(route), picture=picture)


def leave(trigger: str) -> Callable[[Route], Outcome]:
    """Leave with an empty cursor: the next step starts clean."""

    def outcome(route: Route) -> Outcome:
        return Outcome(trigger, cursor={})

    return outcome


# Ideas about the contacts (RADIO) and about new contacts (the catalogue) -----------------


def radio_prompt(route: Route) -> Prompt:
    context = {"ideas": by_kind(suggestions(route.contacts))}
    return Prompt("mapview/radio", context, choose(("next", "common.continue")))


def resources(route: Route) -> list[dict[str, str]]:
    locale = route.locale
    return [
        {
            "name": resource.text("name", locale),
            "description": resource.text("description", locale),
            "contact": resource.contact,
        }
        for resource in route.settings.catalogue
    ]


def ideas_prompt(route: Route) -> Prompt:
    label = "common.continue" if route.contacts else "mapview.to_goal"
    context = {"resources": resources(route), "has_contacts": bool(route.contacts)}
    return Prompt("mapview/ideas", context, choose(("next", label)))


def back_to_summary(route: Route) -> Outcome:
    """Return to the map in short form ("again"), or go on to the goal with nobody listed."""
    return Outcome("next", cursor={"again": True} if route.contacts else {})


STEPS = {
    SUMMARY: Step(
        summary_prompt, choice_only({k: leave(k) for k in ("radio", "ideas", "goal")}), block=BLOCK
    ),
    RADIO: Step(radio_prompt, choice_only({"next": back_to_summary}), block=BLOCK),
    IDEAS: Step(ideas_prompt, choice_only({"next": back_to_summary}), block=BLOCK),
}

FLOW = Flow("mapview", STEPS, TRANSITIONS)
