"""One concrete goal: personal, not general (block 5).

    intro -> kind -> who -> activity -> frequency -> horizon -> first_step -> cue -> confidence
              |      `-(iemand nieuw)-> who_new --^
              `-(weet ik niet: examples, then the same question)
    confidence -(7 or more)-> confirm -(ja)-> barriers.pick
               `-(below 7)--> smaller -(nee)-> confirm
                                      `-(ja)--> first_step -(a smaller step)-> confidence
    confirm -(eigen woorden)-> own_words -> barriers.pick
    confirm -(iets veranderen)-> kind

Every answer is saved at once (SaveGoal with the whole updated goal), so a pause
loses nothing. Typed answers are kept with the prefix "text:" where buttons have
keys (activity, frequency, cue): "visit" is a button, "text:samen naar de markt"
the client's own words. The goal as one sentence is rendered by the template
`goal/_sentence.j2` from these fields; `Goal.sentence` holds the client's own
words when they chose to say it themselves, and then those words win.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.effects import SaveGoal
from bot.flows.base import (
    CHOOSE_BUTTON,
    Answer,
    Flow,
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
from bot.flows.people import NewPerson, contact_id_of, contact_value, person, read_text
from bot.model import GOAL_KINDS, Goal, Route
from bot.numbers import whole_number
from bot.understand import intent_of, normal

INTRO = "goal.intro"
KIND = "goal.kind"
WHO = "goal.who"
WHO_NEW = "goal.who_new"
ACTIVITY = "goal.activity"
FREQUENCY = "goal.frequency"
HORIZON = "goal.horizon"
FIRST_STEP = "goal.first_step"
CUE = "goal.cue"
CONFIDENCE = "goal.confidence"
SMALLER = "goal.smaller"
CONFIRM = "goal.confirm"
OWN_WORDS = "goal.own_words"

NEXT_FLOW = "barriers.pick"


def unsure(route: Route) -> bool:
    """Below 7 out of 10 the step is probably too big: offer to make it smaller."""
    goal = route.goal
    return goal is not None and goal.confidence is not None and goal.confidence < SURE_ENOUGH


TRANSITIONS = [
    T("next", INTRO, KIND),
    T("chosen", KIND, WHO),
    T("chosen", WHO, ACTIVITY),
    T("new", WHO, WHO_NEW),
    T("named", WHO_NEW, ACTIVITY),
    T("chosen", ACTIVITY, FREQUENCY),
    T("chosen", FREQUENCY, HORIZON),
    T("chosen", HORIZON, FIRST_STEP),
    T("stepped", FIRST_STEP, CUE),
    T("retry", FIRST_STEP, CONFIDENCE),
    T("chosen", CUE, CONFIDENCE),
    T("rated", CONFIDENCE, SMALLER, unsure),
    T("rated", CONFIDENCE, CONFIRM),
    T("smaller", SMALLER, FIRST_STEP),
    T("keep", SMALLER, CONFIRM),
    T("agree", CONFIRM, NEXT_FLOW),
    T("own", CONFIRM, OWN_WORDS),
    T("change", CONFIRM, KIND),
    T("saved", OWN_WORDS, NEXT_FLOW),
]

# The answers a button can give, as data -----------------------------------------------------

OWN = "text:"  # prefix of the client's own words where buttons have keys
ACTIVITIES: dict[str, tuple[str, ...]] = {
    "contact": ("call", "visit", "messages"),
    "together": ("walk", "coffee", "sport"),
    "practical": ("groceries", "post", "transport"),
}
FREQUENCIES: tuple[str, ...] = ("1_month", "2_month", "1_week", "2_week", "more")
HORIZONS: tuple[int, ...] = (1, 3, 6)
DEFAULT_HORIZON = 3
DAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
CONFIDENCE_SCALE: tuple[int, ...] = tuple(range(1, 11))
SURE_ENOUGH = 7


# Small helpers --------------------------------------------------------------------------------


def current(route: Route) -> Goal:
    return route.goal if route.goal is not None else Goal()


def save(route: Route, **changes: Any) -> SaveGoal:
    """The whole goal with one answer changed: every answer is stored at once."""
    return SaveGoal(replace(current(route), **changes))


NEW_PERSON = NewPerson(save)
take_new_person = NEW_PERSON.take
who_new_handle = NEW_PERSON.who_new


def goal_context(route: Route) -> dict[str, Any]:
    """The goal, the name of its person, and whether that person is on the map."""
    goal = current(route)
    return {
        "goal": goal,
        "who": person(route, goal.contact_id, goal.new_person),
        "known": route.contact(goal.contact_id) is not None,
    }


def keyed_or_typed(
    answer: Answer, keys: tuple[str, ...], field: str, route: Route
) -> Outcome | Reprompt:
    """A question with buttons that also takes the client's own words."""
    if answer.is_choice:
        if answer.value not in keys:
            return CHOOSE_BUTTON
        return Outcome("chosen", (save(route, **{field: answer.value}),))
    if intent_of(normal(answer.value), whole_only=True) in ("yes", "no"):
        return CHOOSE_BUTTON  # a bare "ja" answers something else: never what, how often or when
    text = read_text(answer)
    if isinstance(text, Reprompt):
        return text
    return Outcome("chosen", (save(route, **{field: OWN + text}),))


# Steps ------------------------------------------------------------------------------------


def kind_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice and answer.value == "dont_know":
        return Reprompt("goal/kind_examples")
    if not answer.is_choice or answer.value not in GOAL_KINDS:
        return CHOOSE_BUTTON
    return Outcome("chosen", (save(route, kind=answer.value),))


def who_prompt(route: Route) -> Prompt:
    people = tuple(Option(contact_value(c.id), c.name, literal=True) for c in route.contacts)
    extra = choose(("new", "goal.someone_new"), ("unsure", "goal.not_sure_yet"))
    return Prompt("goal/who", {**goal_context(route), "count": len(people)}, people + extra)


def who_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:  # a name not on the map: someone new
        return take_new_person(route, answer)
    if answer.value == "new":
        return Outcome("new")
    if answer.value == "unsure":
        return Outcome("chosen", (save(route, contact_id=None, new_person=""),))
    contact = route.contact(contact_id_of(answer.value))
    if contact is None:
        return CHOOSE_BUTTON
    return Outcome("chosen", (save(route, contact_id=contact.id, new_person=""),))


def activity_keys(route: Route) -> tuple[str, ...]:
    return ACTIVITIES.get(current(route).kind or "", ACTIVITIES["contact"])


def activity_prompt(route: Route) -> Prompt:
    options = tuple(Option(key, f"goal.activity.{key}") for key in activity_keys(route))
    return Prompt("goal/activity", goal_context(route), options)


def activity_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    return keyed_or_typed(answer, activity_keys(route), "activity", route)


def frequency_prompt(route: Route) -> Prompt:
    options = tuple(Option(key, f"goal.frequency.{key}") for key in FREQUENCIES)
    return Prompt("goal/frequency", goal_context(route), options)


def frequency_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    return keyed_or_typed(answer, FREQUENCIES, "frequency", route)


def horizon_prompt(route: Route) -> Prompt:
    options = tuple(Option(str(n), f"goal.horizon.m{n}") for n in HORIZONS)
    context = {**goal_context(route), "default": DEFAULT_HORIZON}
    return Prompt("goal/horizon", context, (*options, Option("dont_know", "common.dont_know")))


def horizon_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice:
        return CHOOSE_BUTTON
    if answer.value == "dont_know":
        return Outcome("chosen", (save(route, horizon_months=DEFAULT_HORIZON),))
    months = whole_number(answer.value)
    if months not in HORIZONS:
        return CHOOSE_BUTTON
    return Outcome("chosen", (save(route, horizon_months=months),))


def making_smaller(route: Route) -> bool:
    return bool(route.session.cursor.get("smaller"))


def first_step_prompt(route: Route) -> Prompt:
    context = {**goal_context(route), "smaller": making_smaller(route)}
    return Prompt("goal/first_step", context, choose(("ideas", "common.dont_know")))


def first_step_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice:
        if answer.value != "ideas":
            return CHOOSE_BUTTON
        return Reprompt("goal/first_step_ideas", goal_context(route))
    text = read_text(answer)
    if isinstance(text, Reprompt):
        return text
    trigger = "retry" if making_smaller(route) else "stepped"
    return Outcome(trigger, (save(route, first_step=text),), cursor={})


def cue_prompt(route: Route) -> Prompt:
    days = tuple(Option(day, f"goal.day.{day}") for day in DAYS)
    return Prompt("goal/cue", goal_context(route), (*days, Option("skip", "common.skip")))


def cue_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice and answer.value == "skip":
        return Outcome("chosen", (save(route, cue=""),))
    return keyed_or_typed(answer, DAYS, "cue", route)


def confidence_prompt(route: Route) -> Prompt:
    options = tuple(Option(str(n), str(n), literal=True) for n in CONFIDENCE_SCALE)
    return Prompt("goal/confidence", goal_context(route), options)


def confidence_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    score = whole_number(answer.value) if answer.is_choice else None
    if score not in CONFIDENCE_SCALE:
        return CHOOSE_BUTTON
    return Outcome("rated", (save(route, confidence=score),))


def confirm(route: Route) -> Outcome:
    return Outcome("agree", (save(route, confirmed=True),))


def change(route: Route) -> Outcome:
    """Changing the goal: the old own words described the old goal."""
    return Outcome("change", (save(route, confirmed=False, sentence=""),))


def own_words_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice:
        if answer.value != "keep":
            return CHOOSE_BUTTON
        return Outcome("saved", (save(route, confirmed=True),))
    text = read_text(answer)
    if isinstance(text, Reprompt):
        return text
    return Outcome("saved", (save(route, sentence=text, confirmed=True),))


def simple(template: str, *pairs: tuple[str, str]) -> PromptFn:
    """A prompt function: a template with the goal in its context, and buttons."""
    return lambda route: Prompt(template, goal_context(route), choose(*pairs))


def make_smaller(route: Route) -> Outcome:
    return Outcome("smaller", cursor={"smaller": True})


STEPS = {
    INTRO: Step(
        simple("goal/intro", ("next", "common.continue")), choice_only({"next": "next"}), block=5
    ),
    KIND: Step(
        simple(
            "goal/kind",
            ("contact", "goal.kind.contact"),
            ("together", "goal.kind.together"),
            ("practical", "goal.kind.practical"),
            ("dont_know", "common.dont_know"),
        ),
        kind_handle,
        block=5,
    ),
    WHO: Step(who_prompt, who_handle, block=5),
    WHO_NEW: Step(simple("goal/who_new", ("skip", "common.skip")), who_new_handle, block=5),
    ACTIVITY: Step(activity_prompt, activity_handle, block=5),
    FREQUENCY: Step(frequency_prompt, frequency_handle, block=5),
    HORIZON: Step(horizon_prompt, horizon_handle, block=5),
    FIRST_STEP: Step(first_step_prompt, first_step_handle, block=5),
    CUE: Step(cue_prompt, cue_handle, block=5),
    CONFIDENCE: Step(confidence_prompt, confidence_handle, block=5),
    SMALLER: Step(
        simple("goal/smaller", ("yes", "goal.smaller_yes"), ("no", "goal.smaller_no")),
        choice_only({"yes": make_smaller, "no": "keep"}),
        block=5,
    ),
    CONFIRM: Step(
        simple(
            "goal/confirm",
            ("yes", "goal.confirm_yes"),
            ("own", "goal.own_words"),
            ("change", "goal.change"),
        ),
        choice_only({"yes": confirm, "own": "own", "change": change}),
        block=5,
    ),
    OWN_WORDS: Step(
        simple("goal/own_words", ("keep", "goal.keep_sentence")), own_words_handle, block=5
    ),
}

FLOW = Flow("goal", STEPS, TRANSITIONS)
