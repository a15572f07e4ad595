"""Intake: what the bot is and is not, what is stored, consent, crisis numbers.

welcome -> privacy -> consent -(yes)-> alert -> gp -> hap -> done -> network.intro
                          `-(no)--> declined
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.effects import GiveConsent, SaveProfile
from bot.flows.base import (
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
)
from bot.model import CONSENT_VERSION, Route

WELCOME = "intake.welcome"
PRIVACY = "intake.privacy"
CONSENT = "intake.consent"
DECLINED = "intake.declined"
ALERT = "intake.alert"
GP = "intake.gp"
HAP = "intake.hap"
DONE = "intake.done"

TRANSITIONS = [
    T("next", WELCOME, PRIVACY),
    T("language", WELCOME, WELCOME),
    T("next", PRIVACY, CONSENT),
    T("agree", CONSENT, ALERT),
    T("decline", CONSENT, DECLINED),
    T("again", DECLINED, WELCOME),
    T("next", ALERT, GP),
    T("next", GP, HAP),
    T("next", HAP, DONE),
    T("next", DONE, "network.intro"),
]

PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{5,19}$")


def switch_language(route: Route) -> Outcome:
    other = "en" if route.locale == "nl" else "nl"
    return Outcome("language", (SaveProfile(replace(route.profile, locale=other)),))


def set_alert(value: bool | None) -> object:
    def outcome(route: Route) -> Outcome:
        profile = replace(route.profile, alert_consent=value)
        return Outcome("next", (SaveProfile(profile),))

    return outcome


def phone_step(field: str) -> Step:
    """GP and out-of-hours GP numbers: optional, typed, shown in the crisis reply."""

    def prompt(route: Route) -> Prompt:
        name = "gp" if field == "gp_phone" else "hap"
        return Prompt(f"intake/{name}", {}, choose(("skip", "common.skip")))

    def handle(route: Route, answer: Answer) -> Outcome | Reprompt:
        if answer.is_choice:
            return Outcome("next") if answer.value == "skip" else Reprompt("common/choose_button")
        number = clean_text(answer.value)
        if not PHONE.match(number) or sum(ch.isdigit() for ch in number) < 6:
            return Reprompt("intake/phone_invalid")
        return Outcome("next", (SaveProfile(replace(route.profile, **{field: number})),))

    return Step(prompt, handle, block=1)


def done_prompt(route: Route) -> Prompt:
    context = {"profile": route.profile, "linked_to": route.linked_to}
    return Prompt("intake/done", context, choose(("next", "common.continue")))


STEPS = {
    WELCOME: Step(
        lambda r: Prompt(
            "intake/welcome",
            {},
            choose(("next", "common.continue"), ("lang", "intake.other_lang")),
        ),
        choice_only({"next": "next", "lang": switch_language}),
        block=1,
    ),
    PRIVACY: Step(
        lambda r: Prompt("intake/privacy", {}, choose(("next", "intake.understood"))),
        choice_only({"next": "next"}),
        block=1,
    ),
    CONSENT: Step(
        lambda r: Prompt(
            "intake/consent",
            {},
            choose(("yes", "intake.consent_yes"), ("no", "intake.consent_no")),
        ),
        choice_only(
            {"yes": lambda r: Outcome("agree", (GiveConsent(CONSENT_VERSION),)), "no": "decline"}
        ),
        block=1,
    ),
    DECLINED: Step(
        lambda r: Prompt("intake/declined", {}, choose(("again", "intake.start_again"))),
        choice_only({"again": "again"}),
        block=1,
    ),
    ALERT: Step(
        lambda r: Prompt(
            "intake/alert",
            {"linked_to": r.linked_to},
            choose(("yes", "common.yes"), ("no", "common.no"), ("unsure", "common.dont_know")),
        ),
        choice_only({"yes": set_alert(True), "no": set_alert(False), "unsure": set_alert(None)}),
        block=1,
    ),
    GP: phone_step("gp_phone"),
    HAP: phone_step("hap_phone"),
    DONE: Step(done_prompt, choice_only({"next": "next"}), block=1),
}

FLOW = Flow("intake", STEPS, TRANSITIONS)
