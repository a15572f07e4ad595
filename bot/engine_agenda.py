"""The engine between sessions: due reminders, their buttons, check-ins, re-maps, terugblik."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.events import Reply
from bot.flows.base import Option
from bot.model import Route
from bot.numbers import whole_number
from bot.reminders import snoozed
from bot.say import HISTORY_LIMIT, REMINDER, REMINDER_ACTIONS, Say
from bot.store.agenda import Reminder

if TYPE_CHECKING:
    from bot.engine import Engine

# Reminders leased per look; each is sent and confirmed before the next, so a crash can
# double at most the one in flight.
REMINDER_BATCH = 50
# Long enough for a batch at Telegram's pace; a restart releases it at once anyway.
REMINDER_LEASE = timedelta(minutes=10)
# After a refused send: wait, then try again; after the last step it is dropped.
REMINDER_BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


class AgendaMixin:
    def due_reminders(self: Engine, now: datetime, limit: int = REMINDER_BATCH) -> list[Reply]:
        """Lease up to `limit` reminders due now and render them; the channel sends each
        and confirms it with `reminder_sent` (or `reminder_failed`). What falls due in
        quiet hours moves to the morning; a client who stopped reminders, blocked the bot
        or was erased gets nothing."""
        replies: list[Reply] = []
        agenda, quiet = self.store.agenda, self.store.quiet
        upcoming = agenda.next_deliverable()
        if upcoming is None or upcoming > now:
            return replies  # the common case each tick: one indexed read, no transaction
        with self.store.atomic():
            for reminder in agenda.deliverable(now, limit):
                profile = self.store.load_profile(reminder.client_id)
                if profile is None or not self._reachable(reminder.client_id):
                    agenda.drop(reminder.id)
                elif quiet.contains(now):
                    agenda.move(reminder.id, quiet.after(now))
                elif agenda.lease(reminder.id, self.run, now + REMINDER_LEASE, now):
                    reply = self._reminder_reply(reminder, profile.locale)
                    replies.append(replace(reply, reminder=reminder.id))
        return replies

    def reminder_sent(self: Engine, reminder_id: int) -> None:
        with self.store.atomic():
            self.store.agenda.confirm_sent(reminder_id, datetime.now(UTC))

    def reminder_failed(self: Engine, reminder_id: int) -> bool:
        """Telegram refused it (not a blocked bot: that drops it). Try again later, a few
        times; True when it will be tried again."""
        with self.store.atomic():
            return self.store.agenda.send_failed(reminder_id, datetime.now(UTC), REMINDER_BACKOFF)

    def resume_reminders(self: Engine) -> int:
        """At start: what an earlier run leased but never confirmed is due again."""
        with self.store.atomic():
            return self.store.agenda.release_leases(self.run)

    def _reachable(self: Engine, client_id: str) -> bool:
        row = self.store.db.execute(
            "SELECT active, reminders_off FROM clients WHERE id = ?", (client_id,)
        ).fetchone()
        return bool(row and row[0] and not row[1])

    def _reminder_reply(self: Engine, reminder: Reminder, locale: str) -> Reply:
        actions = REMINDER_ACTIONS[reminder.kind]
        options = tuple(
            Option(f"{REMINDER}{action}:{reminder.id}", f"reminder.{action}") for action in actions
        )
        say = Say(f"reminder/{reminder.kind}", {}, options, to=reminder.client_id)
        return self._render(locale, say)

    def _reminder_action(self: Engine, route: Route, value: str) -> list[Say]:
        _, action, number = [*value.split(":"), "", ""][:3]
        reminder_id = whole_number(number)
        reminder = self.store.agenda.get(reminder_id) if reminder_id is not None else None
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
            declined = self._notice_to_professional(route, "professional/remap_declined")
            return [Say("reminder/remap_no"), *declined]
        if action == "show":
            return [Say("reminder/plan", self._look_back(route)), *self._ask(route)]
        target = {"checkin": "checkin.ask", "moment": "practice.when", "remap": "network.list"}
        if action not in target:
            return [Say("common/stale")]
        return self._enter(route, target[action], action)

    def _enter(self: Engine, route: Route, state: str, action: str) -> list[Say]:
        """Step into a check-in or a new map from a reminder; "terug" leads back."""
        session = route.session
        session.history = [*session.history, (session.state, dict(session.cursor))][
            -HISTORY_LIMIT:
        ]
        if action == "remap":
            self.store.remap(route)
            self._refresh(route)
        session.state, session.cursor, session.finished = state, {}, False
        notice = [Say("reminder/remap_start")] if action == "remap" else []
        return [*notice, *self._ask(route)]

    def set_reminders(self: Engine, client_id: str, on: bool) -> None:
        self.store.agenda.set_rhythm(client_id, reminders_off=int(not on))

    def _look_back(self: Engine, route: Route) -> dict[str, Any]:
        """Terugblik: what there is to look back on when a session opens."""
        if not route.profile.consented:
            return {"plan": None, "person": "", "checkin": None}
        checkins = self.store.agenda.checkins(route.profile.client_id, limit=1)
        plan = route.plan if route.plan and route.plan.request else None
        contact = route.contact(plan.contact_id) if plan else None
        person = contact.name if contact else (plan.new_person if plan else "")
        return {"plan": plan, "person": person, "checkin": checkins[0] if checkins else None}
