"""The professional's side of the conversation: link codes, the list of linked clients,
the latest summary a client chose to send, a gentle invitation, unlinking.

A professional sees only their own linked clients, and only summaries the client sent.
Every client id in a button is checked against the professional's links: forged
callback data reaches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot import codes
from bot.commands import parse_command
from bot.events import Attachment, Command, Event, EventKind
from bot.flows.base import Option
from bot.flows.route import STEPS
from bot.model import Professional
from bot.numbers import whole_number
from bot.reminders import QuietHours
from bot.say import REMINDER, RESUME, Say
from bot.store.agenda import Agenda
from bot.store.alerts import AlertLog, Outbox, missed_context
from bot.store.care import CareStore, ClientRow
from bot.store.caseload import ClientCard, caseload

# Professional words typed or sent as commands (menu per language, see MENU_PRO).
WORDS = {
    "code": "code",
    "clienten": "clients",
    "cliënten": "clients",
    "clients": "clients",
}
MENU_PRO: dict[str, tuple[str, ...]] = {"nl": ("clienten", "code"), "en": ("clients", "code")}
# What a professional may choose for a client: hours until the check-in after the
# moment to ask, and weeks until a new map is offered.
RHYTHMS: dict[str, tuple[int, ...]] = {"checkin": (24, 72, 168), "remap": (4, 6, 8, 12)}
FINISHED = "overview.done"  # the last step: a client there has done the whole route


class Desk:
    def __init__(
        self,
        care: CareStore,
        agenda: Agenda,
        bot_username: str,
        outbox: Outbox | None = None,
        quiet: QuietHours | None = None,
        replan: Callable[[str], None] | None = None,
    ) -> None:
        self.care = care
        self.agenda = agenda
        self.bot_username = bot_username
        self.outbox = outbox or Outbox(care.db)
        self.quiet = quiet or QuietHours()
        self.replan = replan  # moves what is planned after a new rhythm

    def handle(self, pro: Professional, event: Event) -> list[Say]:
        """The professional's answer, after any alert that did not reach them before
        (their chat refused it): a missed alert is said, never silently dropped."""
        return [*self._missed_alerts(pro), *self._handle(pro, event)]

    def _missed_alerts(self, pro: Professional) -> list[Say]:
        alerts = AlertLog(self.care.db)
        missed = alerts.missed_by(pro.id)
        if not missed:
            return []
        alerts.mark_reported(missed)
        return [Say("professional/missed_alerts", missed_context(missed, reactivated=False))]

    def _handle(self, pro: Professional, event: Event) -> list[Say]:
        if event.kind is EventKind.CHOICE:
            return self._button(pro, event.text)
        if event.kind is EventKind.TEXT:
            head, _, rest = event.text.strip().lstrip("/").partition(" ")
            action = WORDS.get(head.casefold())
            if action == "code":
                return self._new_code(pro, rest.strip()[:30])
            if action == "clients":
                return self._clients(pro)
            command, _, _ = parse_command(event.text)
            if command is Command.HELP:
                return [self._help(pro)]
        return [self._menu(pro)]

    def _menu(self, pro: Professional) -> Say:
        options = (Option("!p:clients", "pro.clients"), Option("!p:code", "pro.new_code"))
        return Say("professional/menu", {"name": pro.name}, options)

    def _help(self, pro: Professional) -> Say:
        """What each command does, in a few lines, with the two main actions as buttons."""
        menu = self._menu(pro)
        return Say("professional/help", {"name": pro.name}, menu.options)

    def _new_code(self, pro: Professional, label: str) -> list[Say]:
        code = self.care.new_code("link", pro.id, days=codes.LINK_DAYS, label=label)
        self.care.audit(pro.chat_id or "", "link-code", f"professional:{pro.id}")
        link = codes.deep_link(self.bot_username, code) if self.bot_username else ""
        context = {"code": code, "link": link, "days": codes.LINK_DAYS, "label": label}
        return [Say("professional/code", context)]

    def _clients(self, pro: Professional) -> list[Say]:
        cards = caseload(self.care.db, pro.id, self.care.clients_of(pro.id))
        options = tuple(
            Option(f"!p:client:{card.row.client_id}", card.row.label or f"#{n}", literal=True)
            for n, card in enumerate(cards, start=1)
        )
        context = {"clients": [_card(card) for card in cards]}
        return [Say("professional/clients", context, options)]

    def _button(self, pro: Professional, value: str) -> list[Say]:
        parts = value.split(":", 3)
        if value == "!p:clients":
            return self._clients(pro)
        if value == "!p:code":
            return self._new_code(pro, "")
        if len(parts) < 3 or parts[0] != "!p":
            return [self._menu(pro)]
        action, client_id = parts[1], ":".join(parts[2:])
        row = next((r for r in self.care.clients_of(pro.id) if r.client_id == client_id), None)
        if row is None:
            return [Say("professional/not_linked", {}), self._menu(pro)]
        return self._client_action(pro, row, action)

    def _client_action(self, pro: Professional, row: ClientRow, action: str) -> list[Say]:
        if action == "client":
            options = tuple(
                Option(f"!p:{act}:{row.client_id}", f"pro.{act}")
                for act in ("summary", "invite", "rhythm", "history", "unlink")
            )
            [card] = caseload(self.care.db, pro.id, [row])
            return [Say("professional/client", {"client": _card(card)}, options)]
        if action == "summary":
            return self._summary(pro, row)
        if action == "history":
            return [self._history(row)]
        if action == "rhythm":
            return [self._rhythm(row)]
        if whole_number(action.removeprefix("checkin").removeprefix("remap")) is not None:
            return self._set_rhythm(pro, row, action)
        if action == "invite":
            return [self._invite(pro, row)]
        if action == "unlink":
            self.care.unlink(row.client_id, pro.chat_id or "")
            notice = Say("professional/unlinked_client", {"name": pro.name}, to=row.client_id)
            return [notice, Say("professional/unlinked", {"client": _describe(row)})]
        return [self._menu(pro)]

    def _invite(self, pro: Professional, row: ClientRow) -> Say:
        """The invitation waits for the end of quiet hours, and its button leads to what
        fits: a new map for a client who finished, otherwise on where they were."""
        now = datetime.now(UTC)
        due = self.quiet.after(now)
        finished = row.state == FINISHED
        if finished:
            reminder = self.agenda.record(row.client_id, "remap", now)
            options = ((f"{REMINDER}remap:{reminder}", "pro.invite_new_map"),)
        else:
            options = ((RESUME, "pro.invite_resume"),)
        context = {"name": pro.name, "finished": finished}
        locale = self.care.client_locale(row.client_id)
        self.outbox.put(
            row.client_id, "professional/invitation", context, locale, due=due, options=options
        )
        self.care.audit(pro.chat_id or "", "invite", row.client_id)
        later = due if due > now else None
        return Say("professional/invited", {"client": _describe(row), "later": later})

    def _history(self, row: ClientRow) -> Say:
        reminders = self.agenda.history(row.client_id)
        checkins = self.agenda.checkins(row.client_id)
        context = {"client": _describe(row), "reminders": reminders, "checkins": checkins}
        return Say("professional/history", context)

    def _rhythm(self, row: ClientRow) -> Say:
        rhythm = self.agenda.rhythm(row.client_id)
        options = tuple(
            Option(f"!p:{key}{value}:{row.client_id}", f"pro.{key}{value}")
            for key, values in RHYTHMS.items()
            for value in values
        )
        return Say("professional/rhythm", {"client": _describe(row), "rhythm": rhythm}, options)

    def _set_rhythm(self, pro: Professional, row: ClientRow, action: str) -> list[Say]:
        key = "checkin" if action.startswith("checkin") else "remap"
        value = int(action[len(key) :])
        if value not in RHYTHMS[key]:
            return [self._menu(pro)]
        column = "checkin_hours" if key == "checkin" else "remap_weeks"
        self.agenda.set_rhythm(row.client_id, **{column: value})
        if self.replan is not None:
            self.replan(row.client_id)
        self.care.audit(pro.chat_id or "", f"set-{column}", row.client_id)
        return [self._rhythm(row)]

    def _summary(self, pro: Professional, row: ClientRow) -> list[Say]:
        shared = self.care.latest_shared(row.client_id, pro.id)
        if shared is None:
            return [Say("professional/no_summary", {"client": _describe(row)})]
        text, image = shared
        picture = Attachment("steunkaart.png", image, "image/png") if image else None
        self.care.audit(pro.chat_id or "", "summary-viewed", row.client_id)
        say = Say("professional/stored", {"text": text}, image=picture, protect=True)
        say.receipt = f"summary:{pro.chat_id}|{row.client_id}"  # deleted if the client erases
        return [say]


def _describe(row: ClientRow) -> dict[str, object]:
    step = STEPS.get(row.state)
    return {
        "label": row.label,
        "linked": row.linked_at,
        "last_seen": row.last_seen_at or "",
        "block": step.block if step else 0,
        "finished": row.state == FINISHED,
    }


def _card(card: ClientCard) -> dict[str, object]:
    """One client in the list: dates stay ISO here, the template shows them locally."""
    return {
        **_describe(card.row),
        "need": card.need,
        "alert_at": card.alert_at,
        "alert_count": card.alert_count,
        "summary": card.last_summary_at,
        "checkin": card.checkin_outcome,
        "checkin_at": card.checkin_at,
        "alert_consent": card.alert_consent,
        "next_kind": card.next_kind,
        "next_at": card.next_at,
    }
