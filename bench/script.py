"""The whole client route as a script of actions, checked against the real engine first.

`ROUTE` says what a client does in the words of the flows (button values where they are
the same for everyone, labels where they hold data such as a contact's name). `record`
plays it through a `Chat` on a throw-away database and returns what a Telegram user does:
the exact button labels pressed and the texts typed. When a flow changes, `record`
fails loudly instead of letting the benchmark measure half a route.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from itertools import cycle, islice
from pathlib import Path

from bot.events import Event
from bot.model import DIMENSIONS
from tests.support.chat import Chat

FINAL_STATE = "overview.done"
CONTACTS = (("Ans", "familie"), ("Bram", "vrienden"), ("Cor", "buren"))


@dataclass(frozen=True, slots=True)
class Action:
    kind: str  # "start" (/start), "press" (a button, by its label) or "say" (typed text)
    text: str = ""


def _network() -> list[Action]:
    actions = [Action("press", "start")]
    for number, (name, sector) in enumerate(CONTACTS):
        if number:
            actions.append(Action("press", "add"))
        actions += [Action("say", name), Action("press", sector)]
    return [*actions, Action("press", "done")]


def _ratings() -> list[Action]:
    answers = islice(cycle("123"), len(CONTACTS) * len(DIMENSIONS))
    ties = ["yes", "Bram", "done", "Cor", "done"]  # Ans knows Bram; Bram knows Cor
    return [
        Action("press", "start"),
        *(Action("press", value) for value in answers),
        Action("press", "done"),
        *(Action("press", value) for value in ties),
    ]


def _presses(*values: str) -> list[Action]:
    return [Action("press", value) for value in values]


ROUTE: tuple[Action, ...] = (
    Action("start"),
    *_presses("next", "next", "yes", "no", "skip", "skip", "next"),  # intake
    *_network(),
    *_ratings(),
    *_presses("radio", "next", "ideas", "next", "goal"),  # the map together
    *_presses("next", "contact", "Ans", "visit", "1_week", "3"),  # goal
    Action("say", "Ans een berichtje sturen"),
    *_presses("tuesday", "8", "yes"),
    *_presses("busy", "how_to_ask", "done", "next"),  # barriers
    *_presses("begin", "Ans"),  # practice
    Action("say", "Wil je zaterdag bij mij koffie komen drinken?"),
    Action("press", "ok"),
    Action("say", "Fijn, dank je wel!"),
    Action("say", "Goed, laat het me weten."),
    Action("say", "Dat is jammer, maar ik snap het."),
    *_presses("later", "phone", "tomorrow", "yes"),  # "Ik stuur je morgen om 19:00 ..." Ja
    Action("press", "done"),  # overview
)


@cache
def record(locale: str = "nl") -> tuple[Action, ...]:
    """Play ROUTE through the engine; the actions with every button given by its label."""
    with tempfile.TemporaryDirectory(prefix="steunkaart-bench-") as folder:
        chat = Chat.open(Path(folder) / "script.db", client_id="tg:1", locale=locale)
        try:
            return _play(chat)
        finally:
            chat.close()


def _play(chat: Chat) -> tuple[Action, ...]:
    recorded: list[Action] = []
    for action in ROUTE:
        if action.kind == "start":
            chat.send(Event.start())
            recorded.append(action)
            continue
        if action.kind == "say":
            chat.say(action.text)
            recorded.append(action)
            continue
        label = chat.button(action.text).label
        chat.press(label)
        recorded.append(Action("press", label))
    if chat.state != FINAL_STATE:
        raise AssertionError(f"the route script ends in {chat.state}, not {FINAL_STATE}")
    return tuple(recorded)
