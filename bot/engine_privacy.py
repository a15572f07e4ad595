"""The client's data rights in the chat: see everything stored, erase everything."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.effects import GiveConsent
from bot.events import Attachment, Event, EventKind
from bot.flows.base import Option
from bot.model import CONSENT_VERSION, Route
from bot.say import CONSENT_AGAIN, CONSENT_WITHDRAWN, ERASE_NO, ERASE_YES, Say
from bot.store.export import export_client

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.store.repository import Store


# Telegram lets a bot delete its own messages for 48 hours; an hour's margin.
DELETABLE = timedelta(hours=47)


def summary_removals(
    messages: list[tuple[str, int, str]], now: datetime
) -> dict[str, tuple[tuple[int, ...], int]]:
    """Per chat: the summary messages that can still be deleted, and how many are too old."""
    found: dict[str, tuple[tuple[int, ...], int]] = {}
    for chat, message_id, sent_at in messages:
        removed, too_old = found.get(chat, ((), 0))
        if now - datetime.fromisoformat(sent_at) < DELETABLE:
            found[chat] = ((*removed, message_id), too_old)
        else:
            found[chat] = (removed, too_old + 1)
    return found


def erasure_notices(store: Store, client_id: str, now: datetime) -> list[Say]:
    """What the professionals' chats are told when a client's data is erased, with the
    summary messages that can still be deleted there. Call before the erasure (it reads
    the link and takes the list of summary messages)."""
    link = store.care.link_of(client_id)
    removals = summary_removals(store.care.take_summary_messages(client_id), now)
    says = []
    if link is not None:
        professional = store.care.professional(link.professional_id)
        chat = professional.chat_id if professional and professional.active else ""
        removed, too_old = removals.pop(chat or "", ((), 0))
        context = {"label": link.label, "removed": len(removed), "too_old": too_old}
        locale = professional.locale if professional else None
        says.append(
            Say("professional/client_left", context, to=chat or "", locale=locale, delete=removed)
        )
    label = link.label if link else ""
    for chat, (removed, too_old) in removals.items():
        context = {"label": label, "removed": len(removed), "too_old": too_old}
        says.append(Say("professional/summaries_removed", context, to=chat, delete=removed))
    return says


class PrivacyMixin:
    def _mydata(self: Engine, route: Route) -> list[Say]:
        """Everything stored, readable and as a JSON document (GDPR access)."""
        data = export_client(self.store, route.profile.client_id)
        if data is None:
            return [Say("privacy/nothing_stored"), *self._ask(route)]
        document = Attachment(
            "steunkaart.json",
            json.dumps(data, ensure_ascii=False, indent=2).encode(),
            "application/json",
        )
        summary = Say("privacy/mydata", {"route": route, "data": data}, document=document)
        return [summary, *self._ask(route)]

    def _confirm_erase(self: Engine, route: Route) -> list[Say]:
        route.session.prompt += 1
        options = (Option(ERASE_YES, "privacy.erase_yes"), Option(ERASE_NO, "privacy.erase_no"))
        return [Say("privacy/erase_confirm", {}, options, route.session.prompt)]

    def _erase(self: Engine, route: Route, confirmed: bool) -> list[Say]:
        if not confirmed:
            return [Say("privacy/erase_kept"), *self._ask(route)]
        client_id = route.profile.client_id
        told = erasure_notices(self.store, client_id, datetime.now(UTC))
        self.store.erase(client_id, client_id)
        self._drafts.pop(client_id, None)
        route.erased = True
        return [Say("privacy/erased"), *told]

    def _consent_outdated(self: Engine, route: Route) -> bool:
        profile = route.profile
        return profile.consented and profile.consent_version != CONSENT_VERSION

    def _reconsent(self: Engine, route: Route, event: Event) -> list[Say]:
        """The consent text changed: ask again before anything else is stored. Crisis
        language still gets the crisis reply first."""
        screened = self._screen(route, event.text) if event.kind is EventKind.TEXT else None
        if screened is not None:
            return screened
        if event.kind is EventKind.CHOICE and event.text == CONSENT_AGAIN:
            self.store.apply(GiveConsent(CONSENT_VERSION), route)
            return [Say("privacy/consent_renewed"), *self._ask(route)]
        if event.kind is EventKind.CHOICE and event.text == CONSENT_WITHDRAWN:
            return self._confirm_erase(route)
        if event.kind is EventKind.CHOICE and event.text in (ERASE_YES, ERASE_NO):
            return self._erase(route, event.text == ERASE_YES)
        route.session.prompt += 1
        options = (
            Option(CONSENT_AGAIN, "privacy.consent_again"),
            Option(CONSENT_WITHDRAWN, "privacy.consent_withdrawn"),
        )
        return [Say("privacy/consent_changed", {}, options, route.session.prompt)]
