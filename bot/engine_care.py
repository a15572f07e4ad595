"""The engine's professional side: link codes, links, alerts and shared summaries."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot import codes
from bot.events import Attachment, Reply
from bot.flows.base import Option
from bot.model import Professional, Route
from bot.say import UNLINK_NO, UNLINK_YES, Say
from bot.store.alerts import DELETE_KEY, Alert
from bot.store.care import Redeemed
from bot.summary.report import map_labels, summary_context

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.summary.mapimage import MapLabels

log = logging.getLogger(__name__)


def summary_receipt(chat: str, client_id: str) -> str:
    """Which chat a client's summary went to: kept so it can be deleted on erasure."""
    return f"summary:{chat}|{client_id}"


class CareMixin:
    def _pro_say(self: Engine, say: Say, locale: str) -> Say:
        """A professional's reply, or a message to a client in that client's language."""
        recipient = self.store.load_profile(say.to) if say.to else None
        say.locale = recipient.locale if recipient else locale
        return say

    def _code(self: Engine, route: Route, typed: str) -> list[Say]:
        """A code from a deep link (/start CODE) or typed (/koppel CODE)."""
        care, chat = self.store.care, route.profile.client_id
        if care.locked(chat):
            return [Say("link/locked"), *self._ask(route)]
        if not codes.looks_like_code(typed):
            care.failed_attempt(chat)
            return [Say("link/invalid"), *self._ask(route)]
        inactive = care.inactive_owner(typed)
        if inactive is not None:
            return [Say("link/professional_inactive", {"name": inactive.name}), *self._ask(route)]
        redeemed = self._redeem(route, typed)
        if redeemed is None:
            care.failed_attempt(chat)
            return [Say("link/invalid"), *self._ask(route)]
        if redeemed.kind == "register":
            professional = care.register(redeemed.professional.id, chat)
            self._drafts.pop(chat, None)
            return [
                Say(
                    "professional/registered",
                    {"name": professional.name},
                    locale=professional.locale,
                )
            ]
        if not route.profile.consented:
            self._pending_links[chat] = (redeemed.professional.id, redeemed.label)
            return [
                Say("link/after_intake", {"name": redeemed.professional.name}),
                *self._ask(route),
            ]
        return [*self._link(route, redeemed.professional.id, redeemed.label), *self._ask(route)]

    def _redeem(self: Engine, route: Route, typed: str) -> Redeemed | None:
        """Before consent a link code is only held (nothing personal stored, see
        CareStore.hold); a registration code, or any code after consent, is used."""
        care, chat = self.store.care, route.profile.client_id
        if route.profile.consented:
            return care.redeem(chat, typed)
        held = care.hold(chat, typed)
        return care.redeem(chat, typed) if held and held.kind == "register" else held

    def _link(self: Engine, route: Route, professional_id: int, label: str) -> list[Say]:
        care = self.store.care
        care.link(route.profile.client_id, professional_id, label)
        professional = care.professional(professional_id)
        assert professional is not None
        told = self._to_professional(
            professional_id, "professional/client_linked", {"label": label}
        )
        return [Say("link/linked", {"name": professional.name}), told]

    def _after_consent(self: Engine, route: Route) -> list[Say]:
        """A link code used before the intake links the client once they consented,
        also after a restart in between (the code is held in the database). When its
        professional was removed or deactivated meanwhile, the client hears so kindly."""
        chat = route.profile.client_id
        if not route.profile.consented or not self.store.take_consented(chat):
            return []
        expected = self._pending_links.pop(chat, None)
        held = self.store.care.take_hold(chat)
        if held is None:
            return [Say("link/ended")] if expected else []
        professional = self.store.care.professional(held.professional.id)
        if professional is not None and not professional.active:
            # Deactivated while the client did the intake: no link that alerts nobody.
            return [Say("link/professional_inactive", {"name": professional.name})]
        return self._link(route, held.professional.id, held.label)

    def _show_link(self: Engine, route: Route) -> list[Say]:
        link = self.store.care.link_of(route.profile.client_id)
        professional = self.store.care.professional(link.professional_id) if link else None
        context = {"name": professional.name if professional else ""}
        return [Say("link/status", context), *self._ask(route)]

    def _confirm_unlink(self: Engine, route: Route) -> list[Say]:
        if self.store.care.link_of(route.profile.client_id) is None:
            return [Say("link/status", {"name": ""}), *self._ask(route)]
        route.session.prompt += 1
        options = (Option(UNLINK_YES, "link.unlink_yes"), Option(UNLINK_NO, "link.unlink_no"))
        return [Say("link/unlink_confirm", {}, options, route.session.prompt)]

    def _unlink(self: Engine, route: Route, confirmed: bool) -> list[Say]:
        chat = route.profile.client_id
        link = self.store.care.unlink(chat, chat) if confirmed else None
        if link is None:
            return self._ask(route)
        told = self._to_professional(
            link.professional_id, "professional/client_unlinked", {"label": link.label}
        )
        return [Say("link/unlinked"), told, *self._ask(route)]

    def _to_professional(
        self, professional_id: int, template: str, context: dict[str, Any]
    ) -> Say:
        professional = self.store.care.professional(professional_id)
        chat = professional.chat_id if professional and professional.active else None
        return Say(
            template, context, to=chat or "", locale=professional.locale if professional else None
        )

    def alert_recipient(self: Engine, route: Route) -> Professional | None:
        """Who a crisis alert for this client would reach now: the linked professional,
        if active and registered in a chat. None: an alert would go nowhere."""
        link = self.store.care.link_of(route.profile.client_id)
        professional = self.store.care.professional(link.professional_id) if link else None
        if professional is None or not professional.active or not professional.chat_id:
            return None
        return professional

    def _notice_to_professional(self: Engine, route: Route, template: str) -> list[Say]:
        """A short notice to the linked professional: the result only, no words of the
        client (a check-in that did not work out, a declined new map)."""
        link = self.store.care.link_of(route.profile.client_id)
        recipient = self.alert_recipient(route)
        if link is None or recipient is None:
            return []
        return [self._to_professional(recipient.id, template, {"label": link.label})]

    def _alert(self: Engine, route: Route) -> list[Say]:
        """With the client's consent, tell the linked professional: no words of the client.

        One alert per episode: a crisis message within the episode window folds into
        the first alert. The alert is stored as pending; the channel reports whether
        Telegram accepted it (`delivered`). One with nobody to go to is logged as
        undeliverable at once, for the administrator to see."""
        profile = route.profile
        if not profile.alert_consent or not profile.consented:
            return []
        alerts, client = self.store.alerts, profile.client_id
        recipient = self.alert_recipient(route)
        episode = alerts.open_episode(client, deliverable=recipient is not None)
        if episode is not None:
            return self._count_in(alerts.fold(episode))
        link = self.store.care.link_of(client)
        label = link.label if link else ""
        if recipient is None:
            reason = "no-link" if link is None else "professional-inactive"
            alerts.undeliverable(client, link.professional_id if link else None, label, reason)
            log.warning("a crisis alert could not be delivered (%s); see admin audit", reason)
            return []
        alert_id = alerts.start(client, recipient.id, label)
        say = Say("professional/alert", {"label": label}, to=recipient.chat_id or "")
        say.locale, say.receipt = recipient.locale, f"alert:{alert_id}"
        return [say]

    def _count_in(self: Engine, alert: Alert) -> list[Say]:
        """A repeat in the same episode: the alert already sent shows the new count."""
        professional = self.store.care.professional(alert.professional_id or 0)
        if alert.status != "delivered" or not alert.chat or alert.message_id is None:
            return []
        at, last = datetime.fromisoformat(alert.at), datetime.fromisoformat(alert.last_at)
        context = {
            "label": alert.label,
            "count": alert.count,
            "minutes": max(1, round((last - at).total_seconds() / 60)),
        }
        say = Say("professional/alert", context, to=alert.chat, edit=alert.message_id)
        say.locale = professional.locale if professional else None
        return [say]

    # Delivery reports from the channel --------------------------------------------------

    def delivered(self: Engine, receipt: str, message_ids: tuple[int, ...] = ()) -> None:
        """Telegram accepted the message with this receipt (as these messages)."""
        kind, _, number = receipt.partition(":")
        with self.store.atomic():
            if kind == "summary":
                chat, _, client = number.partition("|")
                self.store.care.summary_messages_sent(client, chat, message_ids)
            elif kind == "alert":
                self._alert_delivered(int(number), message_ids)
            elif kind == "notice":
                self.store.outbox.done(int(number), sent=True)

    def _alert_delivered(self: Engine, alert_id: int, message_ids: tuple[int, ...]) -> None:
        """Keep which message the alert became, so a repeat can update its count."""
        alert = self.store.alerts.get(alert_id)
        if alert is None:
            return  # erased meanwhile
        professional = self.store.care.professional(alert.professional_id or 0)
        chat = professional.chat_id if professional and professional.chat_id else ""
        first = message_ids[0] if message_ids else None
        self.store.alerts.delivered(alert_id, chat, first)

    def undelivered(self: Engine, receipt: str, reason: str) -> None:
        """The message with this receipt did not arrive (refused, or no chat to send to)."""
        kind, _, number = receipt.partition(":")
        with self.store.atomic():
            if kind == "alert":
                self.store.alerts.failed(int(number), reason)
                log.warning("a crisis alert was refused by Telegram (%s)", reason)
            elif kind == "notice":
                self.store.outbox.done(int(number), sent=False)
                self.store.care.audit("bot", "notice-failed", f"notice:{number} reason:{reason}")

    def due_notices(self: Engine) -> list[Reply]:
        """Notices left for the bot (deactivation, handover, missed alerts, an invitation
        held over quiet hours), rendered for their chat; each reports through its receipt."""
        if not self.store.outbox.any_due():
            return []
        with self.store.atomic():
            notices = self.store.outbox.claim()
        replies = []
        for notice in notices:
            options = tuple(Option(value, key) for value, key in notice.options)
            context = dict(notice.context)
            delete = tuple(context.pop(DELETE_KEY, ()))  # summaries of an erased client
            say = Say(notice.template, context, options, to=notice.chat, delete=delete)
            say.receipt = f"notice:{notice.id}"
            replies.append(self._render(notice.locale, say))
        return replies

    def _share(self: Engine, route: Route) -> list[Say]:
        """The client agreed: the summary (text and picture) goes to their professional."""
        link = self.store.care.link_of(route.profile.client_id)
        professional = self.store.care.professional(link.professional_id) if link else None
        if link is None or professional is None:
            return []
        locale = professional.locale
        context = {**summary_context(route), "client_label": link.label}
        text = self.renderer.render(locale, "professional/summary", context)
        # With 20 clients, every picture must say whose map it is and from when.
        caption = html.unescape(self.renderer.render(locale, "professional/caption", context))
        picture = self.picture(route, locale, title=caption)
        goal = json.dumps(asdict(route.goal)) if route.goal else None
        self.store.care.share(
            route.profile.client_id, professional.id, text, picture.content, goal
        )
        say = self._to_professional(professional.id, "professional/stored", {"text": text})
        say.image, say.protect, say.caption = picture, True, caption
        say.receipt = summary_receipt(professional.chat_id or "", route.profile.client_id)
        return [say]

    def picture(self: Engine, route: Route, locale: str, title: str = "") -> Attachment:
        labels = map_labels(self.renderer, locale)
        if title:
            labels = replace(labels, title=title)
        return self.picture_later(route, locale, labels)()

    def _headings(self: Engine, route: Route, locale: str) -> tuple[str, str]:
        """ "Kaart 1 · ma 2 nov" over each half of a before-and-after picture."""
        before, now = route.trend[-2], route.trend[-1]
        return (
            html.unescape(self.renderer.render(locale, "mapview/heading", {"point": before})),
            html.unescape(self.renderer.render(locale, "mapview/heading", {"point": now})),
        )

    def picture_later(
        self: Engine, route: Route, locale: str, labels: MapLabels | None = None
    ) -> Callable[[], Attachment]:
        """The picture of this moment's map, to be drawn by whoever sends it: with a
        previous map, both side by side in the same layout."""
        contacts, ties = list(route.contacts), list(route.ties)
        labels = labels or map_labels(self.renderer, locale)
        previous = list(route.previous_contacts), list(route.previous_ties)
        headings = self._headings(route, locale) if len(route.trend) > 1 else None

        def draw() -> Attachment:
            # matplotlib only when drawing
            from bot.summary.mapimage import render_map, render_progress

            if headings is None:
                png = render_map(contacts, ties, labels=labels)
            else:
                before = (*previous, headings[0])
                png = render_progress(before, (contacts, ties, headings[1]), labels=labels)
            return Attachment("steunkaart.png", png, "image/png")

        return draw
