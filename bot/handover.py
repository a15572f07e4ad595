"""Deactivating a professional safely, and reactivating one.

Nobody may be left believing an alert will reach someone when it cannot. So on
deactivation the professional is told, and each linked client is either handed over
to a colleague (client and colleague are told; the colleague gets labels only, no
content) or unlinked and told plainly that an alert now goes nowhere until they link
again. The messages go through the outbox: the administrator's terminal has no
Telegram connection, the running bot sends them.

On reactivation the professional hears about alerts meant for them that never arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import Professional
from bot.store.alerts import missed_context
from bot.store.repository import Store


class HandoverError(ValueError):
    """The administrator asked for something that cannot be done (said in the message)."""


@dataclass(slots=True)
class Handover:
    professional: Professional
    colleague: Professional | None
    labels: list[str] = field(default_factory=list)


def deactivate(store: Store, professional_id: int, to_id: int | None = None) -> Handover:
    care = store.care
    professional = care.professional(professional_id)
    if professional is None:
        raise HandoverError(f"no professional {professional_id}")
    if not professional.active:
        raise HandoverError(f"professional {professional_id} is already inactive")
    colleague = None
    if to_id is not None:
        colleague = care.professional(to_id)
        if colleague is None or to_id == professional_id:
            raise HandoverError(f"no other professional {to_id}")
        if not colleague.active or not colleague.chat_id:
            raise HandoverError(
                f"professional {to_id} is not active and registered: alerts would go nowhere"
            )
    care.set_professional_active(professional_id, False)
    handover = Handover(professional, colleague)
    for row in care.clients_of(professional_id):
        handover.labels.append(row.label)
        profile = store.load_profile(row.client_id)
        locale = profile.locale if profile else professional.locale
        alert = bool(profile and profile.alert_consent)
        if colleague is not None:
            care.link(row.client_id, colleague.id, row.label)
            care.audit("admin", "handover", f"{row.client_id} professional:{colleague.id}")
            context = {"old": professional.name, "new": colleague.name, "alert": alert}
            store.outbox.put(row.client_id, "link/handed_over", context, locale)
        else:
            care.unlink(row.client_id, "admin")
            context = {"name": professional.name, "alert": alert}
            store.outbox.put(row.client_id, "link/professional_left", context, locale)
    if professional.chat_id:
        context = {
            "count": len(handover.labels),
            "colleague": colleague.name if colleague else "",
        }
        store.outbox.put(
            professional.chat_id, "professional/deactivated", context, professional.locale
        )
    if colleague is not None and colleague.chat_id and handover.labels:
        context = {"name": professional.name, "labels": handover.labels}
        store.outbox.put(colleague.chat_id, "professional/handed_over", context, colleague.locale)
    return handover


def reactivate(store: Store, professional_id: int) -> int:
    """Activate again; returns how many alerts meant for them never arrived (they are
    told, with the labels, so a missed alert is not silently lost)."""
    care = store.care
    professional = care.professional(professional_id)
    if professional is None:
        raise HandoverError(f"no professional {professional_id}")
    care.set_professional_active(professional_id, True)
    missed = store.alerts.missed_by(professional_id)
    if missed and professional.chat_id:
        context = missed_context(missed, reactivated=True)
        store.outbox.put(
            professional.chat_id, "professional/missed_alerts", context, professional.locale
        )
        store.alerts.mark_reported(missed)
    return len(missed)
