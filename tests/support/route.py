"""A whole client route, answered the way a person would, for transcript tests, the
Telegram end-to-end test and the benchmark. Each state maps to what the client does;
the walk fails loudly when a state is not in the plan, so it cannot drift silently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

REQUEST = (
    "Wil je zaterdag koffie drinken? Fijn, omdat ik je mis. "
    "Als het niet lukt is het geen probleem."
)


@dataclass
class Person:
    """What this client answers; `contacts` may be empty (the humane path)."""

    contacts: list[tuple[str, str]] = field(default_factory=lambda: [("Ans", "familie")])
    gp: str = "020 123 4567"
    rating: str = "3"
    seen: dict[str, int] = field(default_factory=dict)

    def next_name(self, added: int) -> str | None:
        return self.contacts[added][0] if added < len(self.contacts) else None


Action = tuple[str, str]  # ("press", value) or ("say", text)


def answer(state: str, person: Person, added: int, sector_of: Callable[[], str]) -> Action:
    """What the client does at `state` (value of a button, or typed text)."""
    visits = person.seen.get(state, 0)
    person.seen[state] = visits + 1
    name = person.next_name(added)
    simple: dict[str, Action] = {
        "intake.welcome": ("press", "next"),
        "intake.privacy": ("press", "next"),
        "intake.consent": ("press", "yes"),
        "intake.alert": ("press", "no"),
        "intake.gp": ("say", person.gp),
        "intake.hap": ("press", "skip"),
        "intake.done": ("press", "next"),
        "network.intro": ("press", "start" if person.contacts else "nobody"),
        "network.none": ("press", "next"),
        "ratings.intro": ("press", "start"),
        "ratings.rate": ("press", person.rating),
        "ratings.review": ("press", "done"),
        "ratings.ties_offer": ("press", "skip"),
        "mapview.radio": ("press", "next"),
        "mapview.ideas": ("press", "next"),
        "goal.intro": ("press", "next"),
        "goal.kind": ("press", "contact"),
        "goal.who": ("press", "new") if not person.contacts else ("press", "first"),
        "goal.who_new": ("say", "een maatje"),
        "goal.activity": ("press", "visit"),
        "goal.frequency": ("press", "2_week"),
        "goal.horizon": ("press", "3"),
        "goal.first_step": ("say", "een berichtje sturen"),
        "goal.cue": ("press", "tuesday"),
        "goal.confidence": ("press", "8"),
        "goal.confirm": ("press", "yes"),
        "barriers.pick": ("press", "busy") if visits == 0 else ("press", "done"),
        "barriers.reflect": ("press", "next"),
        "practice.intro": ("press", "begin"),
        "practice.who": ("press", "first"),
        "practice.who_new": ("say", "een maatje"),
        "practice.write": ("say", REQUEST),
        "practice.review": ("press", "ok"),
        "practice.rp_yes": ("say", "Fijn, dank je!"),
        "practice.rp_later": ("say", "Goed, wanneer past het wel?"),
        "practice.rp_no": ("say", "Dat is oké, ik vraag het een andere keer."),
        "practice.after_no": ("press", "next"),
        "practice.how": ("press", "message"),
        "practice.when": ("press", "tomorrow"),
        "practice.when_ok": ("press", "yes"),
        "overview.show": ("press", "done"),
        "overview.share": ("press", "send"),
    }
    if state == "network.name":
        return ("say", name) if name else ("press", "done")
    if state == "network.sector":
        return ("press", sector_of())
    if state == "network.more":
        return ("press", "add") if name else ("press", "done")
    if state == "mapview.summary":
        return ("press", ("radio", "ideas", "goal")[min(visits, 2)])
    if state not in simple:
        raise AssertionError(f"the scripted route has no answer for {state}")
    return simple[state]


def resolve(action: Action, values: list[str]) -> Action:
    """ "first" is the first button (a contact's id changes from run to run)."""
    kind, value = action
    if kind == "press" and value == "first":
        return (kind, values[0])
    return action


def walk(chat: object, person: Person, limit: int = 400) -> list[str]:
    """Drive a `tests.support.chat.Chat` from its current state to overview.done."""
    from tests.support.chat import Chat

    assert isinstance(chat, Chat)
    sectors = iter(sector for _, sector in person.contacts)
    visited: list[str] = []
    for _ in range(limit):
        state = chat.state
        visited.append(state)
        if state == "overview.done":
            return visited
        added = len(chat.route.contacts) if chat.route_exists else 0
        values = [b.value for b in chat.buttons if not b.value.startswith("!")]
        kind, value = resolve(answer(state, person, added, lambda: next(sectors)), values)
        if kind == "press":
            chat.press(value)
        else:
            chat.say(value)
    raise AssertionError(f"the route did not end within {limit} steps: {visited[-10:]}")
