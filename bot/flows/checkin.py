"""Between sessions: "is het gelukt?" after the moment the client chose to ask.

    ask -(yes / partly)-> went_well -> next -> done
     |-(not yet)-> new_moment -> done            (a new reminder is set)
     `-(no)-> after_no -(practise again)-> practice.write
                       |-(someone else)-> practice.who
                       `-(not now)-> done
    done -> overview.done

Every answer leads somewhere useful; outcomes are stored and go into the next summary.
"""

from __future__ import annotations

from dataclasses import replace

from bot.effects import SaveCheckin, SavePlan
from bot.flows.base import (
    AGAIN,
    Answer,
    Flow,
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
from bot.model import MAX_TEXT_LENGTH, AskPlan, Route

ASK = "checkin.ask"
WENT_WELL = "checkin.went_well"
NEXT = "checkin.next"
NEW_MOMENT = "checkin.new_moment"
AFTER_NO = "checkin.after_no"
DONE = "checkin.done"
BLOCK = 6

TRANSITIONS = [
    T("yes", ASK, WENT_WELL),
    T("partly", ASK, WENT_WELL),
    T("not_yet", ASK, NEW_MOMENT),
    T("no", ASK, AFTER_NO),
    T("told", WENT_WELL, NEXT),
    T("chosen", NEXT, DONE),
    T("goal", NEXT, "goal.first_step"),
    T("chosen", NEW_MOMENT, DONE),
    T("again", AFTER_NO, "practice.write"),
    T("other", AFTER_NO, "practice.who"),
    T("later", AFTER_NO, DONE),
    T("next", DONE, "overview.done"),
]

OUTCOMES = ("yes", "partly", "not_yet", "no")
MOMENTS = ("today", "tomorrow", "weekend", "next_week")


def context(route: Route) -> dict[str, object]:
    plan = route.plan or AskPlan()
    contact = route.contact(plan.contact_id)
    latest = route.checkins[0] if route.checkins else None
    # A new moment chosen at this check-in is confirmed at the end (it is scheduled).
    chosen = latest.next_step.removeprefix("moment:") if latest else ""
    new_moment = chosen if chosen in MOMENTS else ""
    return {
        "person": contact.name if contact else plan.new_person,
        "plan": plan,
        "new_moment": new_moment,
    }


def ask_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice or answer.value not in OUTCOMES:
        return Reprompt("common/choose_button")
    again = bool(route.session.cursor.get(AGAIN))  # back here: replace, do not add
    return Outcome(answer.value, (SaveCheckin(answer.value, again=again),), cursor={})


def went_well_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice:
        return Outcome("told") if answer.value == "skip" else Reprompt("common/choose_button")
    text = clean_text(answer.value)
    problem = text_reprompt_if_bad(text, MAX_TEXT_LENGTH)
    return problem or Outcome("told", (SaveCheckin("", went_well=text),))


def next_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if answer.is_choice and answer.value == "new_step":
        return Outcome("goal", (SaveCheckin("", next_step="new_step"),))
    if answer.is_choice and answer.value == "keep":
        return Outcome("chosen", (SaveCheckin("", next_step="keep"),))
    return Reprompt("common/choose_button")


def moment_handle(route: Route, answer: Answer) -> Outcome | Reprompt:
    if not answer.is_choice or answer.value not in MOMENTS:
        return Reprompt("common/choose_button")
    plan = replace(route.plan or AskPlan(), moment=answer.value)
    return Outcome("chosen", (SavePlan(plan), SaveCheckin("", next_step=f"moment:{answer.value}")))


STEPS = {
    ASK: Step(
        lambda r: Prompt(
            "checkin/ask", context(r), choose(*((o, f"checkin.{o}") for o in OUTCOMES))
        ),
        ask_handle,
        block=BLOCK,
    ),
    WENT_WELL: Step(
        lambda r: Prompt("checkin/went_well", context(r), choose(("skip", "common.skip"))),
        went_well_handle,
        block=BLOCK,
    ),
    NEXT: Step(
        lambda r: Prompt(
            "checkin/next",
            context(r),
            choose(("new_step", "checkin.new_step"), ("keep", "checkin.keep")),
        ),
        next_handle,
        block=BLOCK,
    ),
    NEW_MOMENT: Step(
        lambda r: Prompt(
            "checkin/new_moment",
            context(r),
            choose(*((m, f"practice.moment.{m}") for m in MOMENTS)),
        ),
        moment_handle,
        block=BLOCK,
    ),
    AFTER_NO: Step(
        lambda r: Prompt(
            "checkin/after_no",
            context(r),
            choose(
                ("again", "checkin.again"), ("other", "checkin.other"), ("later", "checkin.later")
            ),
        ),
        choice_only({"again": "again", "other": "other", "later": "later"}),
        block=BLOCK,
    ),
    DONE: Step(
        lambda r: Prompt("checkin/done", context(r), choose(("next", "common.continue"))),
        choice_only({"next": "next"}),
        block=BLOCK,
    ),
}

FLOW = Flow("checkin", STEPS, TRANSITIONS)
