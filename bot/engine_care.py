"""The engine's professional side: link codes, links, alerts and shared summaries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot import codes
from bot.events import Attachment
from bot.flows.base import Option
from bot.model import Route
from bot.say import UNLINK_NO, UNLINK_YES, Say
from bot.store.care import Redeemed
from bot.summary.report import map_labels, summary_context

if TYPE_CHECKING:
    from bot.engine import Engine


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
        redeemed = self._redeem(route, typed) if codes.looks_like_code(typed) else None
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
        if held is not None:
            return self._link(route, held.professional.id, held.label)
        return [Say("link/ended")] if expected else []

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

    def _alert(self: Engine, route: Route) -> list[Say]:
        """With the client's consent, tell the linked professional: no words of the client."""
        if not route.profile.alert_consent:
            return []
        link = self.store.care.link_of(route.profile.client_id)
        if link is None:
            return []
        self.store.care.audit(
            route.profile.client_id, "crisis-alert", f"professional:{link.professional_id}"
        )
        return [
            self._to_professional(
                link.professional_id, "professional/alert", {"label": link.label}
            )
        ]

    def _share(self: Engine, route: Route) -> list[Say]:
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

    def picture(self: Engine, route: Route, locale: str) -> Attachment:
        labels = map_labels(self.renderer, locale)
        from bot.summary.mapimage import render_map  # matplotlib only when drawing

        png = render_map(route.contacts, route.ties, labels=labels)
        return Attachment("steunkaart.png", png, "image/png")

    def picture_later(self: Engine, route: Route, locale: str) -> Callable[[], Attachment]:
        """The picture of this moment's map, to be drawn by whoever sends it."""
        contacts, ties, labels = (
            list(route.contacts),
            list(route.ties),
            map_labels(self.renderer, locale),
        )

        def draw() -> Attachment:
            from bot.summary.mapimage import render_map  # matplotlib only when drawing

            png = render_map(contacts, ties, labels=labels)
            return Attachment("steunkaart.png", png, "image/png")

        return draw
