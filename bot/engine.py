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
from bot.effects import Effect, GiveConsent, SaveProfile, ShareSummary
from bot.engine_agenda import AgendaMixin
from bot.engine_care import CareMixin
from bot.engine_privacy import PrivacyMixin
from bot.events import Button, Command, Event, EventKind, Reply
from bot.flows.base import Answer, Option, Outcome, Prompt, Reprompt, Step
from bot.flows.route import FIRST_STATE, FLOWS, STEPS, TOTAL_BLOCKS
from bot.i18n import DEFAULT_LOCALE, LOCALES, Renderer
from bot.model import Profile, Route, Session, Settings
from bot.professional import Desk
from bot.safety import detect_crisis
from bot.say import (
    BACK,
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


class Engine(CareMixin, AgendaMixin, PrivacyMixin):
    def __init__(
        self,
        store: Store,
        renderer: Renderer,
        settings: Settings | None = None,
        default_locale: str = DEFAULT_LOCALE,
        bot_username: str = "",
    ) -> None:
        self.store = store
        self.desk = Desk(store.care, store.agenda, bot_username)
        self._pending_links: dict[str, tuple[int, str]] = {}
        self._outbox: list[Say] = []
        self.renderer = renderer
        self.settings = settings or Settings()
        self.default_locale = default_locale
        self.machine = build_machine()
        self._drafts: OrderedDict[str, Route] = OrderedDict()
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
            route = self._load(client_id)
            if event.ref is not None:
                if event.ref <= route.session.last_ref:
                    return []  # handled before (a redelivered update): never answer twice
                route.session.last_ref = event.ref
            says = self._dispatch(route, event)
            self._save(route)
            says.extend(self._after_consent(route))
        return [self._render(say.locale or route.locale, say) for say in says]

    def mark_unreachable(self, client_id: str) -> None:
        """The client blocked the bot: stop sending, keep their data."""
        self.store.set_active(client_id, active=False)

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

    def _load(self, client_id: str) -> Route:
        route = self.store.load(client_id, self.settings)
        if route is not None:
            return route
        draft = self._drafts.get(client_id)
        if draft is None:
            profile = Profile(client_id, locale=self.default_locale)
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
        ):
            setattr(route, name, getattr(fresh, name))

    # Dispatch -----------------------------------------------------------------------------

    def _dispatch(self, route: Route, event: Event) -> list[Say]:
        if self._consent_outdated(route):
            return self._reconsent(route, event)
        if event.kind is EventKind.START:
            return self._code(route, event.arg) if event.arg else self._start(route)
        if event.kind is EventKind.UNSUPPORTED:
            return [Say("common/unsupported", {"what": event.text}), *self._ask(route)]
        if event.kind is EventKind.COMMAND:
            return self._command(route, Command(event.text), event.arg)
        if event.kind is EventKind.TEXT:
            return self._text(route, event.text)
        return self._choice(route, event)

    def _text(self, route: Route, text: str) -> list[Say]:
        command, argument, looks_like_command = parse_command(text)
        if command is not None:
            return self._command(route, command, argument)
        if looks_like_command:
            return [Say("common/unknown_command"), *self._ask(route)]
        if detect_crisis(text) is not None:
            return self._crisis(route)
        option = self._option_by_label(route, text)
        if option is not None:
            return self._answer(route, Answer("choice", option.value))
        return self._answer(route, Answer("text", text))

    def _choice(self, route: Route, event: Event) -> list[Say]:
        if event.text.startswith(REMINDER):
            return self._reminder_action(route, event.text)  # valid whatever came after
        if event.prompt is not None and event.prompt != route.session.prompt:
            return [Say("common/stale")]
        if event.text == BACK:
            return self._command(route, Command.BACK)
        if event.text == RESUME:
            return self._ask(route)
        if event.text == PAUSE:
            return self._command(route, Command.PAUSE)
        if event.text in (ERASE_YES, ERASE_NO):
            return self._erase(route, event.text == ERASE_YES)
        if event.text in (UNLINK_YES, UNLINK_NO):
            return self._unlink(route, event.text == UNLINK_YES)
        values = {option.value for option in self._prompt(route).options}
        if event.text not in values:
            return [Say("common/choose_button"), *self._ask(route)]
        return self._answer(route, Answer("choice", event.text))

    def _option_by_label(self, route: Route, text: str) -> Option | None:
        """Typing a button's text ("ja") counts as pressing it."""
        wanted = " ".join(text.split()).casefold()
        if not wanted or len(wanted) > 80:
            return None
        for option in self._prompt(route).options:
            if self._label(route.locale, option).casefold() == wanted:
                return option
        return None

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
        session.finished = False
        return self._ask(route)

    def _crisis(self, route: Route) -> list[Say]:
        """Stop the route and give the crisis lines. The message stays in the chat."""
        self._happening(route, "crisis")
        alert = self._alert(route)
        session = route.session
        session.prompt += 1
        options = (Option(RESUME, "safety.resume"), Option(PAUSE, "safety.pause"))
        crisis = Say("safety/crisis", {"profile": route.profile}, options, session.prompt, True)
        return [crisis, *alert]

    def _happening(self, route: Route, kind: str) -> None:
        if route.profile.consented:
            self.store.log_happening(route.profile.client_id, kind, route.session.state)

    # Steps --------------------------------------------------------------------------------

    def _step(self, route: Route) -> Step:
        return STEPS[route.session.state]

    def _prompt(self, route: Route) -> Prompt:
        return self._step(route).prompt(route)

    def _ask(self, route: Route) -> list[Say]:
        prompt = self._prompt(route)
        session = route.session
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
        )
