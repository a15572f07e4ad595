"""Event -> transition -> store -> Reply: the one place that ties flows, store and texts.

Per event: load the client's route, let the current step judge the answer, write the
effects and the new dialogue state in ONE transaction, then render the replies. A
crash can therefore only repeat a question, never lose an answer.

Before consent nothing is written: the intake runs on a draft kept in memory.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace

from transitions import Machine

from bot.commands import parse_command
from bot.effects import Effect, GiveConsent, SaveCheckin, SaveProfile, ShareSummary
from bot.engine_agenda import AgendaMixin
from bot.engine_care import CareMixin
from bot.engine_privacy import PrivacyMixin
from bot.engine_understand import HELP, MEAN, Hearing, UnderstandMixin
from bot.events import Button, Command, Event, EventKind, Reply
from bot.flows.base import (
    AGAIN,
    CHOOSE_BUTTON,
    Answer,
    Option,
    Outcome,
    Prompt,
    Reprompt,
    Step,
)
from bot.flows.route import FIRST_STATE, FLOWS, STEPS, TOTAL_BLOCKS
from bot.i18n import DEFAULT_LOCALE, LOCALES, Renderer, first_locale
from bot.model import Profile, Route, Session, Settings
from bot.professional import Desk
from bot.safety import Tier, assess
from bot.safety.check import CheckReply, read_check_reply
from bot.say import (
    BACK,
    CHECK_ANSWERS,
    CHECK_NO,
    CHECK_UNSURE,
    CHECK_YES,
    ERASE_NO,
    ERASE_YES,
    HISTORY_LIMIT,
    PAUSE,
    REMAP_AFTER,
    REMINDER,
    RESUME,
    UNLINK_NO,
    UNLINK_YES,
    Say,
)
from bot.store.repository import Store

DRAFT_LIMIT = 10_000
# Session.checking: what the next typed text answers besides the route's question.
CHECK_OPEN, CHECK_AGAIN, AFTER_CRISIS = 1, 2, 3


class _Dialogue:
    """The model object `transitions` moves; one per event, then discarded."""

    state: str


def build_machine() -> Machine:
    transitions = [t.as_dict() for flow in FLOWS for t in flow.transitions]
    return Machine(
        model=None,
        states=list(STEPS),
        transitions=transitions,
        initial=FIRST_STATE,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


class FlowError(RuntimeError):
    """A step returned a trigger its state does not allow: a bug in a flow table."""


class Engine(CareMixin, AgendaMixin, PrivacyMixin, UnderstandMixin):
    def __init__(
        self,
        store: Store,
        renderer: Renderer,
        settings: Settings | None = None,
        default_locale: str = DEFAULT_LOCALE,
        bot_username: str = "",
    ) -> None:
        self.store = store
        self.desk = Desk(
            store.care,
            store.agenda,
            bot_username,
            outbox=store.outbox,
            quiet=store.quiet,
            replan=store.replan_rhythm,
        )
        self._pending_links: dict[str, tuple[int, str]] = {}
        self._outbox: list[Say] = []
        self.renderer = renderer
        self.settings = settings or Settings()
        self.default_locale = default_locale
        self.machine = build_machine()
        self._drafts: OrderedDict[str, Route] = OrderedDict()
        self.hearing = Hearing()
        # This run's name on the reminders it leases (see AgendaMixin.due_reminders).
        self.run = secrets.token_hex(8)

    # The one public call ------------------------------------------------------------------

    def handle(self, client_id: str, event: Event) -> list[Reply]:
        with self.store.atomic():
            professional = self.store.care.professional_by_chat(client_id)
            if professional is not None:
                says = [
                    self._pro_say(s, professional.locale)
                    for s in self.desk.handle(professional, event)
                ]
                return [self._render(professional.locale, say) for say in says]
            former = self.store.care.former_professional(client_id)
            if former is not None:
                # Not the client intake: say plainly that the account is not active.
                return [
                    self._render(
                        former.locale, Say("professional/inactive", {"name": former.name})
                    )
                ]
            route = self._load(client_id, event.language)
            if event.ref is not None:
                if event.ref <= route.session.last_ref:
                    return []  # handled before (a redelivered update): never answer twice
                route.session.last_ref = event.ref
            says = self._dispatch(route, event)
            self._save(route)
            says = _question_last(says, self._after_consent(route))
        return [self._render(say.locale or route.locale, say) for say in says]

    def mark_unreachable(self, client_id: str) -> None:
        """The client blocked the bot: stop sending, keep their data."""
        self.store.set_active(client_id, active=False)

    def mark_reachable(self, client_id: str) -> None:
        """The client unblocked the bot: reminders may reach them again."""
        self.store.set_active(client_id, active=True)

    def try_again(self, client_id: str, error: BaseException | None) -> Reply | None:
        """What a person reads when their message could not be stored (the database
        stayed busy, the disk is full): the transaction was rolled back, so sending it
        again loses nothing and doubles nothing. None for other errors: what failed
        then may have been stored already."""
        if not isinstance(error, sqlite3.Error):
            return None
        try:
            profile = self.store.load_profile(client_id)
        except sqlite3.Error:
            profile = None  # the database is the trouble: say it in the default language
        locale = profile.locale if profile else self.default_locale
        return self._render(locale, Say("common/try_again"))

    def current_prompt(self, client_id: str) -> int | None:
        route = self._drafts.get(client_id) or self.store.load(client_id, self.settings)
        return route.session.prompt if route else None

    # Loading and saving ---------------------------------------------------------------------

    def _load(self, client_id: str, language: str = "") -> Route:
        route = self.store.load(client_id, self.settings)
        if route is not None:
            return route
        draft = self._drafts.get(client_id)
        if draft is None:
            profile = Profile(client_id, locale=first_locale(language, self.default_locale))
            draft = Route(profile, Session(FIRST_STATE), self.settings)
        return draft

    def _save(self, route: Route) -> None:
        client_id = route.profile.client_id
        if route.erased:
            return
        if route.profile.consented:
            self.store.save_session(client_id, route.session)
            self._drafts.pop(client_id, None)
            return
        self._drafts[client_id] = route
        self._drafts.move_to_end(client_id)
        while len(self._drafts) > DRAFT_LIMIT:
            self._drafts.popitem(last=False)

    def _refresh(self, route: Route) -> None:
        """Read back what the effects wrote (new ids included), keeping the session."""
        fresh = self.store.load(route.profile.client_id, self.settings)
        if fresh is None:
            return
        for name in (
            "profile",
            "map_id",
            "contacts",
            "ties",
            "goal",
            "barriers",
            "plan",
            "linked_to",
            "checkins",
            "map_number",
            "shared_goal",
            "previous_ties",
            "trend",
        ):
            setattr(route, name, getattr(fresh, name))

    # Dispatch -----------------------------------------------------------------------------

    def _dispatch(self, route: Route, event: Event) -> list[Say]:
        # An open check question is answered by the next typed text only; anything else
        # (a button, a command) closes it.
        checking, route.session.checking = route.session.checking, 0
        if self._urgent(event):
            return self._crisis(route, asked=True)
        if event.kind is EventKind.CHOICE and event.text in CHECK_ANSWERS:
            return self._check_result(route, CheckReply(event.text.split(":")[1]))
        if checking and event.kind is EventKind.TEXT and not parse_command(event.text)[2]:
            if checking == AFTER_CRISIS:
                return self._after_crisis(route, event.text)
            return self._check_answer(route, event.text, checking)
        if self._consent_outdated(route):
            return self._reconsent(route, event)
        if event.kind is EventKind.START:
            return self._code(route, event.arg) if event.arg else self._start(route)
        if event.kind is EventKind.UNSUPPORTED:
            screened = self._screen(route, event.arg)  # a caption, an edited text
            if screened is not None:
                return screened
            return [Say("common/unsupported", {"what": event.text}), *self._ask(route)]
        if event.kind is EventKind.COMMAND:
            return self._command(route, Command(event.text), event.arg)
        if event.kind is EventKind.TEXT:
            return self._text(route, event.text)
        return self._choice(route, event)

    def _text(self, route: Route, text: str) -> list[Say]:
        button = self._button_word(route, text)
        if button is not None:
            return self._press(route, button)  # "start" at a Start button is that button
        command, argument, looks_like_command = parse_command(text)
        if command is not None:
            return self._command(route, command, argument)
        if looks_like_command:
            return [Say("common/unknown_command"), *self._ask(route)]
        screened = self._screen(route, text)
        if screened is not None:
            return screened
        return self._typed(route, text)  # bot/engine_understand.py

    def _screen(self, route: Route, text: str) -> list[Say] | None:
        """Before a text is taken as anything (a name, a reason, a button): is it crisis
        language? Clear: the crisis reply. Possible: the check question. Either way
        nothing of the text is stored. None: an ordinary text."""
        tier = assess(text).tier
        if tier is Tier.CRISIS:
            return self._crisis(route)
        if tier is Tier.ASK:
            return self._check(route)
        return None

    def _choice(self, route: Route, event: Event) -> list[Say]:
        if event.text.startswith(REMINDER):
            return self._reminder_action(route, event.text)  # valid whatever came after
        if event.prompt is not None and event.prompt != route.session.prompt:
            # An old keyboard: say so, and bring the question that counts to the bottom.
            # Same number: a press on its copy above (maybe already on its way) counts.
            return [Say("common/stale"), *self._ask(route, again=True)]
        if event.text == BACK:
            return self._command(route, Command.BACK)
        if event.text == RESUME:
            return self._ask(route)
        if event.text == PAUSE:
            return self._command(route, Command.PAUSE)
        if event.text == HELP:
            return self._command(route, Command.HELP)
        if event.text.startswith(MEAN):
            return self._meant(route, event.text.removeprefix(MEAN))
        if event.text in (ERASE_YES, ERASE_NO):
            return self._erase(route, event.text == ERASE_YES)
        if event.text in (UNLINK_YES, UNLINK_NO):
            return self._unlink(route, event.text == UNLINK_YES)
        values = {option.value for option in self._prompt(route).options}
        if event.text not in values:
            return self._reprompt(route, "common/pick")
        return self._answer(route, Answer("choice", event.text))

    # Commands -----------------------------------------------------------------------------

    def _start(self, route: Route) -> list[Say]:
        if route.session.prompt == 0:
            return self._ask(route)
        self._happening(route, "resumed")
        return [Say("common/welcome_back", self._look_back(route)), *self._ask(route)]

    def _command(self, route: Route, command: Command, argument: str = "") -> list[Say]:
        if command is Command.START:
            return self._start(route)
        if command is Command.HELP:
            flow = route.session.state.split(".", 1)[0]
            return [Say(f"help/{flow}"), *self._ask(route)]
        if command is Command.BACK:
            return self._back(route)
        if command in (Command.PAUSE, Command.STOP):
            self._happening(route, command.value)
            return [Say(f"common/{command.value}")]
        if command is Command.MYDATA:
            return self._mydata(route)
        if command is Command.LINK:
            return self._code(route, argument) if argument else self._show_link(route)
        if command is Command.UNLINK:
            return self._confirm_unlink(route)
        if command is Command.REMINDERS:
            if route.profile.consented:
                self.set_reminders(route.profile.client_id, on=True)
            return [Say("reminder/resumed"), *self._ask(route)]
        return self._confirm_erase(route)

    def _back(self, route: Route) -> list[Say]:
        session = route.session
        if not session.history:
            return [Say("common/cannot_go_back"), *self._ask(route)]
        session.state, session.cursor = session.history.pop()
        # Answering again must replace, never add: steps that add a row read this.
        session.cursor = {**session.cursor, AGAIN: True}
        session.finished = False
        return self._ask(route)

    @staticmethod
    def _urgent(event: Event) -> bool:
        """/nood (or "nood" typed alone): the crisis lines, whatever step the client is in."""
        if event.kind is EventKind.COMMAND:
            return event.text == Command.URGENT
        return event.kind is EventKind.TEXT and parse_command(event.text)[0] is Command.URGENT

    def _crisis(self, route: Route, unsure: bool = False, asked: bool = False) -> list[Say]:
        """Stop the route and give the crisis lines. The message stays in the chat, and
        the client is told when their professional got an alert."""
        self._happening(route, "crisis")
        alert = self._alert(route)  # only with consent; an empty list when nobody can get it
        alerted = self.alert_recipient(route) if alert else None
        session = route.session
        session.prompt += 1
        options = (Option(RESUME, "safety.resume"), Option(PAUSE, "safety.pause"))
        context = {
            "profile": route.profile,
            "alerted": alerted.name if alerted else "",
            "unsure": unsure,
            "asked": asked,  # /nood: the client asked for the numbers
        }
        crisis = Say("safety/crisis", context, options, session.prompt, True)
        session.checking = AFTER_CRISIS
        return [crisis, *alert]

    def _after_crisis(self, route: Route, text: str) -> list[Say]:
        """The first words typed after the crisis reply. "Nee, zo bedoelde ik het niet"
        is heard (the numbers stay in the chat); a "ja" is never taken as a route button."""
        reply = read_check_reply(text)
        if assess(text).tier is Tier.CRISIS or reply in (CheckReply.YES, CheckReply.UNSURE):
            return self._crisis(route)
        if reply is CheckReply.NO:
            return self._check_result(route, reply)
        return self._text(route, text)

    def _check(self, route: Route, again: bool = False) -> list[Say]:
        """Possible crisis language: ask, warmly and directly. The text is not stored."""
        session = route.session
        self._happening(route, "crisis-check")
        session.checking = CHECK_AGAIN if again else CHECK_OPEN
        session.prompt += 1
        options = (
            Option(CHECK_YES, "safety.check_yes"),
            Option(CHECK_NO, "safety.check_no"),
            Option(CHECK_UNSURE, "safety.check_unsure"),
        )
        template = "safety/check_again" if again else "safety/check"
        return [Say(template, {}, options, session.prompt)]

    def _check_answer(self, route: Route, text: str, asked: int) -> list[Say]:
        """A typed answer to the check question: read it, and when in doubt, help."""
        if assess(text).tier is Tier.CRISIS:
            return self._crisis(route)
        reply = read_check_reply(text)
        if reply is not None:
            return self._check_result(route, reply)
        if asked >= CHECK_AGAIN:
            return self._crisis(route, unsure=True)  # twice unclear: the lines, to be safe
        return self._check(route, again=True)

    def _check_result(self, route: Route, reply: CheckReply) -> list[Say]:
        if reply is not CheckReply.NO:
            return self._crisis(route)
        self._happening(route, "crisis-check-no")
        return [Say("safety/check_no"), *self._ask(route)]

    def _happening(self, route: Route, kind: str) -> None:
        if route.profile.consented:
            self.store.log_happening(route.profile.client_id, kind, route.session.state)

    # Steps --------------------------------------------------------------------------------

    def _step(self, route: Route) -> Step:
        return STEPS[route.session.state]

    def _prompt(self, route: Route) -> Prompt:
        return self._step(route).prompt(route)

    def _ask(self, route: Route, *, again: bool = False) -> list[Say]:
        """The current question. `again`: the same question under the same number, so
        its earlier copy keeps working too."""
        prompt = self._prompt(route)
        session = route.session
        if not again:
            session.prompt += 1
        options = prompt.options
        if session.history:
            options = (*options, Option(BACK, "common.back"))
        context = {
            **prompt.context,
            "block": self._step(route).block,
            "blocks": TOTAL_BLOCKS,
        }
        say = Say(prompt.template, context, options, session.prompt)
        if prompt.picture and route.profile.consented:
            say.picture = self.picture_later(route, route.locale)
        return [say]

    def _answer(self, route: Route, answer: Answer) -> list[Say]:
        result = self._step(route).handle(route, answer)
        if isinstance(result, Reprompt) and result.template == CHOOSE_BUTTON.template:
            return self._misunderstood(route, answer)  # bot/engine_understand.py
        if isinstance(result, Reprompt):
            return [Say(result.template, result.context), *self._ask(route)]
        return self._advance(route, answer, result)

    def _advance(self, route: Route, answer: Answer, outcome: Outcome) -> list[Say]:
        before = (route.session.state, dict(route.session.cursor))
        self._write(route, answer, outcome.effects)
        if outcome.effects:
            self._refresh(route)
        if outcome.cursor is not None:
            route.session.cursor = dict(outcome.cursor)
        route.session.state = self._fire(route, outcome.trigger)
        if route.session.state == REMAP_AFTER and route.profile.consented:
            self.store.plan_remap(route.profile.client_id)
        if (route.session.state, route.session.cursor) != before:
            # A toggle (same question, same cursor) is not a step "terug" should undo.
            route.session.history = [*route.session.history, before][-HISTORY_LIMIT:]
        notice = [Say(outcome.notice.template, outcome.notice.context)] if outcome.notice else []
        outbox, self._outbox = self._outbox, []
        return [*notice, *self._ask(route), *outbox]

    def _write(self, route: Route, answer: Answer, effects: Iterable[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, ShareSummary):
                self._outbox.extend(self._share(route))
                continue
            if isinstance(effect, SaveCheckin) and effect.outcome == "no":
                self._outbox.extend(self._notice_to_professional(route, "professional/checkin_no"))
            if not route.profile.consented and not isinstance(effect, GiveConsent):
                if isinstance(effect, SaveProfile):
                    route.profile = replace(effect.profile)
                continue  # before consent nothing reaches the database
            self.store.apply(effect, route)
        if route.profile.consented:
            state = route.session.state
            self.store.log_answer(route.profile.client_id, state, answer.kind, answer.value)

    def _fire(self, route: Route, trigger: str) -> str:
        """One transition of the shared machine, on a throw-away model.

        The event is triggered directly instead of binding the model with add_model():
        binding attaches a method per trigger and state (64 states), which cost half of
        every event's time (measured with cProfile; see the benchmark).
        """
        event = self.machine.events.get(trigger)
        if event is None:
            raise FlowError(f"no trigger {trigger!r} in any flow")
        dialogue = _Dialogue()
        dialogue.state = route.session.state
        if not event.trigger(dialogue, route):
            raise FlowError(f"{trigger!r} rejected in {route.session.state}")
        return dialogue.state

    # Rendering ----------------------------------------------------------------------------

    def _label(self, locale: str, option: Option) -> str:
        if option.literal:
            return option.label
        return self.renderer.label(locale, option.label, **option.params)

    def _render(self, locale: str, say: Say) -> Reply:
        locale = locale if locale in LOCALES else DEFAULT_LOCALE
        text = self.renderer.render(locale, say.template, say.context)
        buttons = tuple(Button(self._label(locale, o), o.value) for o in say.options)
        return Reply(
            text,
            buttons,
            say.prompt,
            say.image,
            say.document,
            say.keep,
            to=say.to,
            protect=say.protect,
            picture=say.picture,
            template=say.template,
            receipt=say.receipt,
            caption=say.caption,
            delete=say.delete,
            edit=say.edit,
        )


def _question_last(says: list[Say], notices: list[Say]) -> list[Say]:
    """Notices (e.g. "you are now linked") go before the client's question, so the
    question is always the last message the client sees."""
    asks = [i for i, say in enumerate(says) if say.prompt is not None and say.to is None]
    at = asks[-1] if asks else len(says)
    return [*says[:at], *notices, *says[at:]]
