"""Event -> transition -> store -> Reply: the one place that ties flows, store and texts.

Per event: load the client's route, let the current step judge the answer, write the
effects and the new dialogue state in ONE transaction, then render the replies. A
crash can therefore only repeat a question, never lose an answer.

Before consent nothing is written: the intake runs on a draft kept in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
import json
from typing import Any

from transitions import Machine

from bot.commands import parse_command
from bot.effects import Effect, GiveConsent, SaveProfile
from bot.events import Attachment, Button, Command, Event, EventKind, Reply
from bot.flows.base import Answer, Option, Outcome, Prompt, Reprompt, Step
from bot.flows.route import FIRST_STATE, FLOWS, STEPS, TOTAL_BLOCKS
from bot.i18n import DEFAULT_LOCALE, LOCALES, Renderer
from bot.model import Profile, Route, Session, Settings
from bot.safety import detect_crisis
from bot.store.export import export_client
from bot.store.repository import Store

HISTORY_LIMIT = 60
DRAFT_LIMIT = 10_000

# Buttons the engine itself answers, in any step. Their values cannot clash with a
# step's options, which never start with "!".
BACK, RESUME, PAUSE = "!back", "!resume", "!pause"
ERASE_YES, ERASE_NO = "!erase", "!keep"


@dataclass(slots=True)
class Say:
    """A reply before rendering: a template, its context, and the options to offer."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    prompt: int | None = None
    keep: bool = False
    image: Attachment | None = None
    document: Attachment | None = None


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


class Engine:
    def __init__(
        self,
        store: Store,
        renderer: Renderer,
        settings: Settings | None = None,
        default_locale: str = DEFAULT_LOCALE,
    ) -> None:
        self.store = store
        self.renderer = renderer
        self.settings = settings or Settings()
        self.default_locale = default_locale
        self.machine = build_machine()
        self._drafts: OrderedDict[str, Route] = OrderedDict()

    # The one public call ------------------------------------------------------------------

    def handle(self, client_id: str, event: Event) -> list[Reply]:
        with self.store.atomic():
            route = self._load(client_id)
            if event.ref is not None:
                if event.ref <= route.session.last_ref:
                    return []  # handled before (a redelivered update): never answer twice
                route.session.last_ref = event.ref
            says = self._dispatch(route, event)
            self._save(route)
        return [self._render(route.locale, say) for say in says]

    def mark_unreachable(self, client_id: str) -> None:
        """The client blocked the bot: stop sending, keep their data."""
        self.store.set_active(client_id, active=False)

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
        for name in ("profile", "map_id", "contacts", "ties", "goal", "barriers", "plan"):
            setattr(route, name, getattr(fresh, name))

    # Dispatch -----------------------------------------------------------------------------

    def _dispatch(self, route: Route, event: Event) -> list[Say]:
        if event.kind is EventKind.START:
            return self._start(route)
        if event.kind is EventKind.UNSUPPORTED:
            return [Say("common/unsupported", {"what": event.text}), *self._ask(route)]
        if event.kind is EventKind.COMMAND:
            return self._command(route, Command(event.text))
        if event.kind is EventKind.TEXT:
            return self._text(route, event.text)
        return self._choice(route, event)

    def _text(self, route: Route, text: str) -> list[Say]:
        command, _, looks_like_command = parse_command(text)
        if command is not None:
            return self._command(route, command)
        if looks_like_command:
            return [Say("common/unknown_command"), *self._ask(route)]
        if detect_crisis(text) is not None:
            return self._crisis(route)
        option = self._option_by_label(route, text)
        if option is not None:
            return self._answer(route, Answer("choice", option.value))
        return self._answer(route, Answer("text", text))

    def _choice(self, route: Route, event: Event) -> list[Say]:
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
        return [Say("common/welcome_back"), *self._ask(route)]

    def _command(self, route: Route, command: Command) -> list[Say]:
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
        return self._confirm_erase(route)

    def _mydata(self, route: Route) -> list[Say]:
        """Everything stored, readable and as a JSON document (GDPR access)."""
        data = export_client(self.store, route.profile.client_id)
        if data is None:
            return [Say("privacy/nothing_stored"), *self._ask(route)]
        document = Attachment(
            "steunkaart.json", json.dumps(data, ensure_ascii=False, indent=2).encode(), "application/json"
        )
        summary = Say("privacy/mydata", {"route": route, "data": data}, document=document)
        return [summary, *self._ask(route)]

    def _confirm_erase(self, route: Route) -> list[Say]:
        route.session.prompt += 1
        options = (Option(ERASE_YES, "privacy.erase_yes"), Option(ERASE_NO, "privacy.erase_no"))
        return [Say("privacy/erase_confirm", {}, options, route.session.prompt)]

    def _erase(self, route: Route, confirmed: bool) -> list[Say]:
        if not confirmed:
            return [Say("privacy/erase_kept"), *self._ask(route)]
        client_id = route.profile.client_id
        self.store.erase(client_id)
        self._drafts.pop(client_id, None)
        route.erased = True
        return [Say("privacy/erased")]

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
        session = route.session
        session.prompt += 1
        options = (Option(RESUME, "safety.resume"), Option(PAUSE, "safety.pause"))
        return [Say("safety/crisis", {"profile": route.profile}, options, session.prompt, True)]

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
        return [Say(prompt.template, context, options, session.prompt)]

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
        route.session.history = [*route.session.history, before][-HISTORY_LIMIT:]
        notice = [Say(outcome.notice.template, outcome.notice.context)] if outcome.notice else []
        return [*notice, *self._ask(route)]

    def _write(self, route: Route, answer: Answer, effects: Iterable[Effect]) -> None:
        for effect in effects:
            if not route.profile.consented and not isinstance(effect, GiveConsent):
                if isinstance(effect, SaveProfile):
                    route.profile = replace(effect.profile)
                continue  # before consent nothing reaches the database
            self.store.apply(effect, route)
        if route.profile.consented:
            state = route.session.state
            self.store.log_answer(route.profile.client_id, state, answer.kind, answer.value)

    def _fire(self, route: Route, trigger: str) -> str:
        dialogue = _Dialogue()
        self.machine.add_model(dialogue, initial=route.session.state)
        try:
            if not dialogue.trigger(trigger, route):  # type: ignore[attr-defined]
                raise FlowError(f"{trigger!r} rejected in {route.session.state}")
            return dialogue.state
        finally:
            self.machine.remove_model(dialogue)

    # Rendering ----------------------------------------------------------------------------

    def _label(self, locale: str, option: Option) -> str:
        if option.literal:
            return option.label
        return self.renderer.label(locale, option.label, **option.params)

    def _render(self, locale: str, say: Say) -> Reply:
        locale = locale if locale in LOCALES else DEFAULT_LOCALE
        text = self.renderer.render(locale, say.template, say.context)
        buttons = tuple(Button(self._label(locale, o), o.value) for o in say.options)
        return Reply(text, buttons, say.prompt, say.image, say.document, say.keep)
