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
from datetime import UTC, datetime
from typing import Any

from transitions import Machine

from bot import codes
from bot.commands import parse_command
from bot.effects import Effect, GiveConsent, SaveProfile, ShareSummary
from bot.events import Attachment, Button, Command, Event, EventKind, Reply
from bot.flows.base import Answer, Option, Outcome, Prompt, Reprompt, Step
from bot.flows.route import FIRST_STATE, FLOWS, STEPS, TOTAL_BLOCKS
from bot.i18n import DEFAULT_LOCALE, LOCALES, Renderer
from bot.model import Profile, Route, Session, Settings
from bot.professional import Desk, ProSay
from bot.safety import detect_crisis
from bot.store.export import export_client
from bot.summary.mapimage import render_map
from bot.summary.report import map_labels, summary_context
from bot.reminders import snoozed
from bot.store.agenda import Reminder
from bot.store.repository import Store

HISTORY_LIMIT = 60
DRAFT_LIMIT = 10_000

# Buttons the engine itself answers, in any step. Their values cannot clash with a
# step's options, which never start with "!".
BACK, RESUME, PAUSE = "!back", "!resume", "!pause"
ERASE_YES, ERASE_NO = "!erase", "!keep"
UNLINK_YES, UNLINK_NO = "!unlink", "!stay"
REMAP_AFTER = "mapview.summary"  # a map looked at: offer a new one some weeks later
REMINDER = "!r:"  # buttons under a reminder: "!r:<action>:<reminder id>"
REMINDER_ACTIONS: dict[str, tuple[str, ...]] = {
    "ask": ("show", "snooze", "stop"),
    "checkin": ("checkin", "snooze", "stop"),
    "remap": ("remap", "snooze", "no"),
}


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
    to: str | None = None  # another chat (a professional, or a client from a professional)
    locale: str | None = None  # the recipient's language when it is another chat
    protect: bool = False  # summaries: Telegram must not allow forwarding or saving


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

    # The one public call ------------------------------------------------------------------

    def handle(self, client_id: str, event: Event) -> list[Reply]:
        with self.store.atomic():
            professional = self.store.care.professional_by_chat(client_id)
            if professional is not None:
                says = [self._pro_say(s, professional.locale) for s in self.desk.handle(professional, event)]
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

    def _pro_say(self, say: ProSay, locale: str) -> Say:
        recipient = self.store.load_profile(say.to) if say.to else None
        return Say(
            say.template,
            say.context,
            say.options,
            image=say.image,
            to=say.to,
            locale=recipient.locale if recipient else locale,
            protect=say.protect,
        )

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
        for name in (
            "profile", "map_id", "contacts", "ties", "goal", "barriers", "plan", "linked_to", "checkins"
        ):
            setattr(route, name, getattr(fresh, name))

    # Dispatch -----------------------------------------------------------------------------

    def _dispatch(self, route: Route, event: Event) -> list[Say]:
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

    def _look_back(self, route: Route) -> dict[str, Any]:
        """Terugblik: what there is to look back on when a session opens."""
        if not route.profile.consented:
            return {"plan": None, "person": "", "checkin": None}
        checkins = self.store.agenda.checkins(route.profile.client_id, limit=1)
        plan = route.plan if route.plan and route.plan.request else None
        contact = route.contact(plan.contact_id) if plan else None
        person = contact.name if contact else (plan.new_person if plan else "")
        return {"plan": plan, "person": person, "checkin": checkins[0] if checkins else None}

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
        link = self.store.care.link_of(client_id)
        self.store.erase(client_id)
        self.store.care.audit(client_id, "erase", client_id)
        self._drafts.pop(client_id, None)
        route.erased = True
        says = [Say("privacy/erased")]
        if link is not None:
            says.append(self._to_professional(link.professional_id, "professional/client_left", {"label": link.label}))
        return says

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
            say.image = self.picture(route, route.locale)
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
        return Reply(
            text, buttons, say.prompt, say.image, say.document, say.keep, to=say.to, protect=say.protect
        )

    # Professionals: codes, links, summaries, alerts ---------------------------------------

    def _code(self, route: Route, typed: str) -> list[Say]:
        """A code from a deep link (/start CODE) or typed (/koppel CODE)."""
        care, chat = self.store.care, route.profile.client_id
        if care.locked(chat):
            return [Say("link/locked"), *self._ask(route)]
        redeemed = care.redeem(chat, typed) if codes.looks_like_code(typed) else None
        if redeemed is None:
            care.failed_attempt(chat)
            return [Say("link/invalid"), *self._ask(route)]
        if redeemed.kind == "register":
            professional = care.register(redeemed.professional.id, chat)
            self._drafts.pop(chat, None)
            return [Say("professional/registered", {"name": professional.name}, locale=professional.locale)]
        if not route.profile.consented:
            self._pending_links[chat] = (redeemed.professional.id, redeemed.label)
            return [Say("link/after_intake", {"name": redeemed.professional.name}), *self._ask(route)]
        return [*self._link(route, redeemed.professional.id, redeemed.label), *self._ask(route)]

    def _link(self, route: Route, professional_id: int, label: str) -> list[Say]:
        care = self.store.care
        care.link(route.profile.client_id, professional_id, label)
        professional = care.professional(professional_id)
        assert professional is not None
        told = self._to_professional(professional_id, "professional/client_linked", {"label": label})
        return [Say("link/linked", {"name": professional.name}), told]

    def _after_consent(self, route: Route) -> list[Say]:
        """A deep link used before the intake links the client once they consented."""
        chat = route.profile.client_id
        if not route.profile.consented or chat not in self._pending_links:
            return []
        professional_id, label = self._pending_links.pop(chat)
        return self._link(route, professional_id, label)

    def _show_link(self, route: Route) -> list[Say]:
        link = self.store.care.link_of(route.profile.client_id)
        professional = self.store.care.professional(link.professional_id) if link else None
        context = {"name": professional.name if professional else ""}
        return [Say("link/status", context), *self._ask(route)]

    def _confirm_unlink(self, route: Route) -> list[Say]:
        if self.store.care.link_of(route.profile.client_id) is None:
            return [Say("link/status", {"name": ""}), *self._ask(route)]
        route.session.prompt += 1
        options = (Option(UNLINK_YES, "link.unlink_yes"), Option(UNLINK_NO, "link.unlink_no"))
        return [Say("link/unlink_confirm", {}, options, route.session.prompt)]

    def _unlink(self, route: Route, confirmed: bool) -> list[Say]:
        chat = route.profile.client_id
        link = self.store.care.unlink(chat, chat) if confirmed else None
        if link is None:
            return self._ask(route)
        told = self._to_professional(link.professional_id, "professional/client_unlinked", {"label": link.label})
        return [Say("link/unlinked"), told, *self._ask(route)]

    def _to_professional(self, professional_id: int, template: str, context: dict[str, Any]) -> Say:
        professional = self.store.care.professional(professional_id)
        chat = professional.chat_id if professional and professional.active else None
        return Say(template, context, to=chat or "", locale=professional.locale if professional else None)

    def _alert(self, route: Route) -> list[Say]:
        """With the client's consent, tell the linked professional: no words of the client."""
        if not route.profile.alert_consent:
            return []
        link = self.store.care.link_of(route.profile.client_id)
        if link is None:
            return []
        self.store.care.audit(route.profile.client_id, "crisis-alert", f"professional:{link.professional_id}")
        return [self._to_professional(link.professional_id, "professional/alert", {"label": link.label})]

    def _share(self, route: Route) -> list[Say]:
        """The client agreed: the summary (text and picture) goes to their professional."""
        link = self.store.care.link_of(route.profile.client_id)
        professional = self.store.care.professional(link.professional_id) if link else None
        if link is None or professional is None:
            return []
        locale = professional.locale
        context = {**summary_context(route), "client_label": link.label}
        text = self.renderer.render(locale, "professional/summary", context)
        picture = self.picture(route, locale)
        self.store.care.share(route.profile.client_id, professional.id, text, picture.content)
        say = self._to_professional(professional.id, "professional/stored", {"text": text})
        say.image, say.protect = picture, True
        return [say]

    def picture(self, route: Route, locale: str) -> Attachment:
        labels = map_labels(self.renderer, locale)
        png = render_map(route.contacts, route.ties, labels=labels)
        return Attachment("steunkaart.png", png, "image/png")

    # Between sessions: reminders and check-ins -------------------------------------------

    def due_reminders(self, now: datetime) -> list[Reply]:
        """Claim every reminder due now and render it; each one exactly once. What falls
        due in quiet hours moves to the morning; a client who stopped reminders, blocked
        the bot or was erased gets nothing."""
        replies: list[Reply] = []
        agenda, quiet = self.store.agenda, self.store.quiet
        with self.store.atomic():
            for reminder in agenda.due(now):
                profile = self.store.load_profile(reminder.client_id)
                if profile is None or not self._reachable(reminder.client_id):
                    agenda.drop(reminder.id)
                elif quiet.contains(now):
                    agenda.move(reminder.id, quiet.after(now))
                elif agenda.claim(reminder.id, now):
                    replies.append(self._reminder_reply(reminder, profile.locale))
        return replies

    def _reachable(self, client_id: str) -> bool:
        row = self.store.db.execute(
            "SELECT active, reminders_off FROM clients WHERE id = ?", (client_id,)
        ).fetchone()
        return bool(row and row[0] and not row[1])

    def _reminder_reply(self, reminder: Reminder, locale: str) -> Reply:
        actions = REMINDER_ACTIONS[reminder.kind]
        options = tuple(
            Option(f"{REMINDER}{action}:{reminder.id}", f"reminder.{action}") for action in actions
        )
        say = Say(f"reminder/{reminder.kind}", {}, options, to=reminder.client_id)
        return self._render(locale, say)

    def _reminder_action(self, route: Route, value: str) -> list[Say]:
        _, action, number = (value.split(":") + ["", ""])[:3]
        reminder = self.store.agenda.get(int(number)) if number.isdigit() else None
        if reminder is None or reminder.client_id != route.profile.client_id:
            return [Say("common/stale")]
        agenda, now = self.store.agenda, datetime.now(UTC)
        if action == "snooze":
            agenda.schedule(reminder.client_id, reminder.kind, snoozed(now, self.store.quiet), now)
            return [Say("reminder/snoozed")]
        if action == "stop":
            agenda.set_rhythm(reminder.client_id, reminders_off=1)
            agenda.cancel(reminder.client_id)
            return [Say("reminder/stopped")]
        if action == "no":
            return [Say("reminder/remap_no")]
        if action == "show":
            return [Say("reminder/plan", self._look_back(route)), *self._ask(route)]
        return self._enter(route, "checkin.ask" if action == "checkin" else "network.list", action)

    def _enter(self, route: Route, state: str, action: str) -> list[Say]:
        """Step into a check-in or a new map from a reminder; "terug" leads back."""
        session = route.session
        session.history = [*session.history, (session.state, dict(session.cursor))][-HISTORY_LIMIT:]
        if action == "remap":
            self.store.remap(route)
            self._refresh(route)
        session.state, session.cursor, session.finished = state, {}, False
        notice = [Say("reminder/remap_start")] if action == "remap" else []
        return [*notice, *self._ask(route)]

    def set_reminders(self, client_id: str, on: bool) -> None:
        self.store.agenda.set_rhythm(client_id, reminders_off=int(not on))
