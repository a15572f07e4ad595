"""What goes into a summary for the professional, and the words for the map picture.

Pure: the context is built from the client's route; the template
`professional/summary.j2` turns it into text, `mapimage` into a picture.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.flows.people import person
from bot.model import SECTORS, Goal, Route
from bot.summary.measures import compare, measure

if TYPE_CHECKING:  # matplotlib loads only when a picture is drawn (~40 MB, 0.5 s)
    from bot.summary.mapimage import MapLabels


class Labels(Protocol):
    def label(self, locale: str, key: str, **params: Any) -> str: ...


# What makes a goal "changed" between two summaries (the sentence follows from them).
GOAL_FIELDS = ("kind", "contact_id", "new_person", "activity", "frequency", "horizon_months")


def summary_context(route: Route) -> dict[str, Any]:
    plan, goal = route.plan, route.goal
    change = compare(route.previous_contacts, route.contacts) if route.previous_contacts else None
    before = route.shared_goal
    return {
        "date": datetime.now(UTC),
        "map_number": route.map_number,
        "previous_goal": before if before and goal and goal_changed(before, goal) else None,
        "previous_confidence": before.confidence if before and goal else None,
        "previous_goal_person": person(route, before.contact_id, before.new_person)
        if before
        else "",
        "measures": measure(route.contacts, route.ties or None),
        "contacts": route.contacts,
        "goal": route.goal,
        "goal_person": person(route, goal.contact_id, goal.new_person) if goal else "",
        "barriers": route.barriers,
        "plan": plan,
        "person": person(route, plan.contact_id, plan.new_person) if plan else "",
        "change": change,
        "checkins": route.checkins,
        "trend": route.trend,
        "block": 6,
        "blocks": 6,
    }


def goal_changed(before: Goal, now: Goal) -> bool:
    return any(getattr(before, name) != getattr(now, name) for name in GOAL_FIELDS) or (
        bool(before.sentence or now.sentence) and before.sentence != now.sentence
    )


def map_labels(labels: Labels, locale: str) -> MapLabels:
    from bot.summary.mapimage import MapLabels

    return MapLabels(
        me=labels.label(locale, "map.me"),
        sectors={key: labels.label(locale, f"sector.{key}") for key in SECTORS},
        legend_practical=labels.label(locale, "map.practical"),
        legend_emotional=labels.label(locale, "map.emotional"),
        legend_advice=labels.label(locale, "map.advice"),
        legend_mixed=labels.label(locale, "map.mixed"),
        legend_unrated=labels.label(locale, "map.unrated"),
        title=labels.label(locale, "map.title"),
    )
