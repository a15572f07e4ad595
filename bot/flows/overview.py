"""The closing overview: everything agreed in one message, then a warm goodbye.

    show -(done, linked)-> share -(send / not now)-> done
      `--(done)------------------------------------> done -(show)-> show
                                                        `-(list)-> network.list

When the client is linked to a professional, they first see the summary exactly as it
would be sent (text and picture) and choose to send it or not.

Goal, barriers and plan may be missing (the client skipped them): the template says
so kindly instead of failing.
"""

from __future__ import annotations

from bot.effects import ShareSummary
from bot.flows.base import Flow, Outcome, Prompt, Step, T, choice_only, choose
from bot.flows.people import person
from bot.model import Route
from bot.summary.report import summary_context

SHOW = "overview.show"
SHARE = "overview.share"
DONE = "overview.done"
LIST = "network.list"

BLOCK = 6


def linked(route: Route) -> bool:
    return bool(route.linked_to)


TRANSITIONS = [
    T("done", SHOW, SHARE, linked),
    T("done", SHOW, DONE),
    T("send", SHARE, DONE),
    T("keep", SHARE, DONE),
    T("show", DONE, SHOW),
    T("list", DONE, LIST),
]


def plan_person(route: Route) -> str:
    """Who the client plans to ask: a contact's name, or the new person they named."""
    plan = route.plan
    return person(route, plan.contact_id, plan.new_person) if plan else ""


def goal_person(route: Route) -> str:
    goal = route.goal
    return person(route, goal.contact_id, goal.new_person) if goal else ""


def show_prompt(route: Route) -> Prompt:
    context = {
        "profile": route.profile,
        "linked_to": route.linked_to,
        "persons": len(route.contacts),
        "goal": route.goal,
        "barriers": route.barriers,
        "plan": route.plan,
        "person": plan_person(route),
        "goal_person": goal_person(route),
    }
    return Prompt("overview/show", context, choose(("done", "common.done")))


def share_prompt(route: Route) -> Prompt:
    context = {**summary_context(route), "name": route.linked_to, "client_label": ""}
    options = choose(("send", "overview.send"), ("keep", "overview.keep"))
    return Prompt("overview/share", context, options, picture=True)


def done_prompt(route: Route) -> Prompt:
    options = choose(("show", "overview.show_again"), ("list", "overview.edit_list"))
    return Prompt("overview/done", {}, options)


STEPS = {
    SHOW: Step(show_prompt, choice_only({"done": "done"}), block=BLOCK),
    SHARE: Step(
        share_prompt,
        choice_only({"send": lambda r: Outcome("send", (ShareSummary(),)), "keep": "keep"}),
        block=BLOCK,
    ),
    DONE: Step(
        done_prompt,
        choice_only({"show": "show", "list": lambda r: Outcome("list", cursor={})}),
        block=BLOCK,
    ),
}

FLOW = Flow("overview", STEPS, TRANSITIONS)
