"""Why doesn't it happen now? The barriers, often a reluctance to ask (block 5).

    pick --(toggle a barrier: saved at once, ✓ shown)--> pick
      |--(iets anders, or typed words)--> other --> pick
      |--(klaar)------------------> reflect --> practice.intro
      `--(niets houdt me tegen)---> reflect

Each toggle stores the whole list (SaveBarriers), in the order of BARRIERS with the
client's own barrier ("other") last. The reflection says a short, normalising word
per chosen barrier; the words live in the template.
"""

from __future__ import annotations

from typing import Any

from bot.effects import SaveBarriers
from bot.flows.base import (
    CHOOSE_BUTTON,
    Answer,
    Flow,
    Option,
    Outcome,
    Prompt,
    Reprompt,
    Step,
    T,
    choice_only,
    choose,
    clean_text,
    text_reprompt_if_bad,
)
from bot.model import BARRIERS, MAX_TEXT_LENGTH, Barrier, Route

PICK = "barriers.pick"
OTHER = "barriers.other"
REFLECT = "barriers.reflect"

OTHER_KEY = "other"

TRANSITIONS = [
    T("toggled", PICK, PICK),
    T("other", PICK, OTHER),
    T("done", PICK, REFLECT),
    T("saved", OTHER, PICK),
    T("next", REFLECT, "practice.intro"),
]


# Small helpers ------------------------------------------------------------------------------


def chosen(route: Route) -> set[str]:
    return {barrier.key for barrier in route.barriers}


def other_text(route: Route) -> str:
    return next((b.text for b in route.barriers if b.key == OTHER_KEY), "")


def save(keys: set[str], other: str) -> SaveBarriers:
    """The whole list, in a stable order, with the client's own words last."""
    barriers = [Barrier(key) for key in BARRIERS if key in keys]
    if other:
        barriers.append(Barrier(OTHER_KEY, other))
    return SaveBarriers(tuple(barriers))


def barriers_context(route: Route) -> dict[str, Any]:
    keys = chosen(route)
    return {"chosen": [key for key in BARRIERS if key in keys], "other": other_text(route)}


# Steps --------------------------------------------------------------------------------------


def pick_prompt(route: Route) -> Prompt:
    keys = chosen(route)
    toggles = tuple(
        Option(key, f"barriers.{'on' if key in keys else 'off'}.{key}") for key in BARRIERS
    )
    other = "barriers.on.other" if other_text(route) else "barriers.off.other"
    extra = (
        Option(OTHER_KEY, other),
        Option("done", "common.done"),
        Option("nothing", "barriers.nothing"),
    )
    return Prompt("barriers/pick", barriers_context(route), toggles + extra)


def pick_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:  # typed words: their own barrier
        return take_other(route, answer, "toggled")
    keys = chosen(route)
    if answer.value in BARRIERS:
        return Outcome("toggled", (save(keys ^ {answer.value}, other_text(route)),))
    if answer.value == "nothing":
        return Outcome("done", (SaveBarriers(()),))
    if answer.value in (OTHER_KEY, "done"):
        return Outcome(answer.value)
    return CHOOSE_BUTTON


def take_other(route: Route, answer: Answer, trigger: str) -> Outcome | Reprompt:
    text = clean_text(answer.value)
    problem = text_reprompt_if_bad(text, MAX_TEXT_LENGTH)
    if problem:
        return problem
    return Outcome(trigger, (save(chosen(route), text),))


def other_prompt(route: Route) -> Prompt:
    pairs = [("keep", "barriers.back_to_list")]
    if other_text(route):
        pairs.insert(0, ("remove", "barriers.remove_other"))
    return Prompt("barriers/other", barriers_context(route), choose(*pairs))


def other_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:
        return take_other(route, answer, "saved")
    if answer.value == "keep":
        return Outcome("saved")
    if answer.value == "remove":
        return Outcome("saved", (save(chosen(route), ""),))
    return CHOOSE_BUTTON


STEPS = {
    PICK: Step(pick_prompt, pick_handle, block=5),
    OTHER: Step(other_prompt, other_handle, block=5),
    REFLECT: Step(
        lambda r: Prompt(
            "barriers/reflect", barriers_context(r), choose(("next", "common.continue"))
        ),
        choice_only({"next": "next"}),
        block=5,
    ),
}

FLOW = Flow("barriers", STEPS, TRANSITIONS)
