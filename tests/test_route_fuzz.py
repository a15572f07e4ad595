"""Random clients across all flows: no exception, always a reply, stored state valid.

A hypothesis state machine presses random buttons (current and stale), types random
text (huge, markup, emoji, control characters, SQL-like), sends commands and restarts
the process on the same database file between events.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bot.events import Command, Event
from bot.flows.route import STEPS
from bot.model import DIMENSIONS, OPTIONAL_DIMENSIONS, SECTORS, Settings
from tests.support.chat import Chat

TEXTS = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "Ans",
            "<b>Kees</b>",
            "'; DROP TABLE contacts; --",
            "😀" * 30,
            "x" * 10_000,
            "\x00\x1b[31m",
            "ja",
            "1",
            "2",
            "Klaar",
            "morgen om 8 uur",
        ]
    ),
)


class RandomClient(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "fuzz.db"
        self.settings = Settings(dimensions=DIMENSIONS + OPTIONAL_DIMENSIONS)
        self.chat = Chat.open(self.path, settings=self.settings)
        self.chat.start()
        self.old_prompts: list[int] = []

    def teardown(self) -> None:
        self.chat.close()
        self.dir.cleanup()

    @precondition(lambda self: bool(self.chat.buttons))
    @rule(data=st.data())
    def press_a_button(self, data: st.DataObject) -> None:
        button = data.draw(st.sampled_from(self.chat.buttons))
        if self.chat.prompt is not None:
            self.old_prompts.append(self.chat.prompt)
        self.chat.press(button.value)

    @rule(data=st.data())
    def press_the_first_button_often(self, data: st.DataObject) -> None:
        if self.chat.buttons:
            self.chat.press(self.chat.buttons[0].value)

    @rule(text=TEXTS)
    def type_text(self, text: str) -> None:
        self.chat.say(text)

    @rule(value=st.text(max_size=70))
    def press_a_forged_button(self, value: str) -> None:
        self.chat.send(Event.chose(value, self.chat.prompt))

    @precondition(lambda self: bool(self.old_prompts))
    @rule(data=st.data())
    def press_a_stale_button(self, data: st.DataObject) -> None:
        prompt = data.draw(st.sampled_from(self.old_prompts))
        self.chat.send(Event.chose("next", prompt))

    @rule(command=st.sampled_from([Command.HELP, Command.BACK, Command.PAUSE, Command.START]))
    def send_command(self, command: Command) -> None:
        self.chat.command(command)

    @rule()
    def send_a_sticker(self) -> None:
        self.chat.send(Event.unsupported("sticker"))

    @rule()
    def restart_the_process(self) -> None:
        self.chat.close()
        self.chat = Chat.open(self.path, settings=self.settings)
        self.chat.start()

    @invariant()
    def stored_state_is_valid(self) -> None:
        route = self.chat.engine.store.load(self.chat.client_id, self.settings)
        if route is None:
            return
        assert route.session.state in STEPS
        assert len(route.contacts) <= 15
        for contact in route.contacts:
            assert contact.sector in SECTORS
            assert 0 < len(contact.name) <= 40
            assert all(v in (1, 2, 3) for v in contact.ratings.values())
            assert set(contact.ratings) <= set(self.settings.dimensions)


RandomClient.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRandomClient = RandomClient.TestCase
