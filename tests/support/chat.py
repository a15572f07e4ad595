"""A client talking to the real engine on a real SQLite file, for transcript tests.

chat = Chat.open(tmp_path / "s.db")
chat.start()
chat.press("Verder")        # by button text (or value), must be on the last keyboard
chat.say("Ans")             # typed text
assert chat.state == "network.sector"
assert "Ans" in chat.text   # all text of the last batch of replies
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.engine import Engine
from bot.events import Button, Command, Event, Reply
from bot.i18n import renderer
from bot.model import Route, Settings
from bot.store.repository import Store


@dataclass
class Chat:
    engine: Engine
    client_id: str = "client-1"
    replies: list[Reply] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        path: Path,
        client_id: str = "client-1",
        locale: str = "nl",
        settings: Settings | None = None,
    ) -> Chat:
        store = Store.open(path)
        engine = Engine(store, renderer(), settings or Settings(), default_locale=locale)
        return cls(engine, client_id)

    def close(self) -> None:
        self.engine.store.close()

    # Acting -----------------------------------------------------------------------------

    def send(self, event: Event) -> list[Reply]:
        self.replies = self.engine.handle(self.client_id, event)
        self.log.append(f"> {event.kind.value}: {event.text}")
        self.log.extend(reply.text for reply in self.replies)
        assert self.replies, f"no reply to {event}"
        assert all(reply.text.strip() for reply in self.replies), "an empty reply"
        return self.replies

    def start(self) -> list[Reply]:
        return self.send(Event.start())

    def say(self, text: str) -> list[Reply]:
        return self.send(Event.typed(text))

    def command(self, command: Command) -> list[Reply]:
        return self.send(Event.command(command))

    def press(self, label_or_value: str) -> list[Reply]:
        button = self.button(label_or_value)
        return self.send(Event.chose(button.value, self.prompt))

    # Reading ----------------------------------------------------------------------------

    @property
    def buttons(self) -> tuple[Button, ...]:
        for reply in reversed(self.replies):
            if reply.buttons:
                return reply.buttons
        return ()

    @property
    def prompt(self) -> int | None:
        for reply in reversed(self.replies):
            if reply.buttons:
                return reply.prompt
        return None

    @property
    def labels(self) -> list[str]:
        return [button.label for button in self.buttons]

    def button(self, label_or_value: str) -> Button:
        for button in self.buttons:
            if label_or_value in (button.label, button.value):
                return button
        raise AssertionError(f"no button {label_or_value!r} in {self.labels}")

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def route(self) -> Route:
        route = self.engine.store.load(self.client_id, self.engine.settings)
        assert route is not None, "nothing stored for this client"
        return route

    @property
    def route_exists(self) -> bool:
        return self.engine.store.load(self.client_id, self.engine.settings) is not None

    @property
    def state(self) -> str:
        route = self.engine._drafts.get(self.client_id) or self.route
        return route.session.state


def through_intake(chat: Chat) -> None:
    """Start, consent, skip the optional questions: lands on network.intro."""
    chat.start()
    chat.press("next")  # welcome
    chat.press("next")  # privacy
    chat.press("yes")  # consent
    chat.press("no")  # alert
    chat.press("skip")  # GP
    chat.press("skip")  # out-of-hours GP
    chat.press("next")  # done
    assert chat.state == "network.intro", chat.state


def add_contacts(chat: Chat, *people: tuple[str, str]) -> None:
    """From network.intro (or network.more): add (name, sector) pairs."""
    if chat.state == "network.intro":
        chat.press("start")
    for name, sector in people:
        if chat.state == "network.more":
            chat.press("add")
        chat.say(name)
        chat.press(sector)
    assert chat.state == "network.more", chat.state


def due_and_sent(chat: Chat, now: datetime) -> list[Reply]:
    """The reminders due at `now`, confirmed as sent, as the Telegram channel does once
    Telegram accepted them (a leased reminder that is never confirmed comes back)."""
    replies = chat.engine.due_reminders(now)
    for reply in replies:
        if reply.reminder is not None:
            chat.engine.reminder_sent(reply.reminder)
    return replies
