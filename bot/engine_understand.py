"""The engine's ear for typed answers at a button question (see `bot/understand.py`).

Called after command parsing and the crisis check. A clear button press is answered
as a press; a near miss is asked once in one line ("Bedoel je Buren?"); a miss gets a
short "Dat begreep ik niet" with only the buttons again, and "Hulp" from the second
miss on. Neither the question asked nor the misses are answers: they live in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from bot.commands import parse_command
from bot.events import Command
from bot.flows.base import CHOOSE_BUTTON, Answer, Option, Reprompt
from bot.model import Route
from bot.say import BACK, PAUSE, RESUME, Say
from bot.understand import Choice, Match, intent_of, near_button, normal, understand

if TYPE_CHECKING:
    from bot.engine import Engine

MEAN = "!mean:"  # "Bedoel je ...?": "!mean:<value>" is yes, "!mean:" is no
HELP = "!help"
HELP_AFTER_MISSES = 2
MEMORY_LIMIT = 10_000
# Buttons the engine shows in any step (after a crisis reply, "terug"): their text,
# typed at any question, is that button and never a name, reason or request.
ENGINE_LABELS: dict[str, str] = {
    "safety.resume": RESUME,
    "safety.pause": PAUSE,
    "common.back": BACK,
}


class Hearing:
    """Per client, in memory: the "Bedoel je" question open, and misses per step."""

    def __init__(self) -> None:
        # client -> (question number, the button asked about, the words if free text)
        self.asked: OrderedDict[str, tuple[int, str, str]] = OrderedDict()
        self.misses: OrderedDict[str, tuple[str, int]] = OrderedDict()

    def remember(
        self, table: OrderedDict[str, Any], client_id: str, value: tuple[Any, ...]
    ) -> None:
        table[client_id] = value
        table.move_to_end(client_id)
        while len(table) > MEMORY_LIMIT:
            table.popitem(last=False)

    def miss(self, client_id: str, state: str) -> int:
        seen_state, count = self.misses.get(client_id, (state, 0))
        count = count + 1 if seen_state == state else 1
        self.remember(self.misses, client_id, (state, count))
        return count


class UnderstandMixin:
    hearing: Hearing

    def _choices(self: Engine, route: Route) -> list[Choice]:
        """The buttons on screen, in the order a client numbers them."""
        options = list(self._prompt(route).options)
        if route.session.history:
            options.append(Option(BACK, "common.back"))
        return [
            Choice(o.value, self._label(route.locale, o), "" if o.literal else o.label)
            for o in options
        ]

    def _button_word(self: Engine, route: Route, text: str) -> str | None:
        """A word that is both a command and a button on screen ("start") presses the
        button; "/start" with a slash stays the command."""
        if text.strip().startswith("/"):
            return None
        wanted = normal(text)
        if not wanted:
            return None
        choices = self._choices(route)
        for choice in choices:
            if normal(choice.label) == wanted:
                return choice.value
        if parse_command(text)[0] is None:
            return None
        match = understand(text, choices, free_text=True)  # "start" at "Beginnen"
        return match.value if match.found and match.value != BACK else None

    def _typed(self: Engine, route: Route, text: str) -> list[Say]:
        """Typed text: a button press if it clearly is one, else the step's free text."""
        asked = self._answer_to_asked(route, text)
        if asked is not None:
            return asked
        engine_button = self._engine_button(route, text)
        if engine_button is not None:
            return self._press(route, engine_button)
        choices = self._choices(route)
        match = understand(text, choices, free_text=True)
        if match.found and match.value is not None:
            return self._press(route, match.value)
        answer = Answer("text", text)
        if self._takes_words(route, answer):
            near = near_button(text, choices)
            if near.value is not None:
                return self._did_you_mean(route, near, text)  # "Nee": the words stand
        return self._answer(route, answer)

    def _takes_words(self: Engine, route: Route, answer: Answer) -> bool:
        """Whether this question takes typed words (a name, a reason): asked of the
        step itself, which is pure, so asking changes nothing."""
        result = self._step(route).handle(route, answer)
        return not (isinstance(result, Reprompt) and result.template == CHOOSE_BUTTON.template)

    def _answer_to_asked(self: Engine, route: Route, text: str) -> list[Say] | None:
        client_id = route.profile.client_id
        prompt, value, words = self.hearing.asked.pop(client_id, (-1, "", ""))
        if prompt != route.session.prompt:
            return None
        intent = intent_of(normal(text))
        if intent == "yes":
            return self._press(route, value)
        if intent == "no":
            return self._not_meant(route, words)
        return None

    def _not_meant(self: Engine, route: Route, words: str) -> list[Say]:
        """ "Nee" to "Bedoel je Bram?": typed words are taken as typed; else the buttons."""
        if words:
            return self._answer(route, Answer("text", words))
        return self._reprompt(route, "common/pick")

    def _engine_button(self: Engine, route: Route, text: str) -> str | None:
        wanted = normal(text)
        for key, value in ENGINE_LABELS.items():
            for locale in ("nl", "en"):
                if normal(self.renderer.label(locale, key)) == wanted:
                    return value
        return None

    def _press(self: Engine, route: Route, value: str) -> list[Say]:
        if value == BACK:
            return self._command(route, Command.BACK)
        if value == PAUSE:
            return self._command(route, Command.PAUSE)
        if value == RESUME:
            return self._ask(route)
        if value == HELP:
            return self._command(route, Command.HELP)
        return self._answer(route, Answer("choice", value))

    def _misunderstood(self: Engine, route: Route, answer: Answer) -> list[Say]:
        """The step wanted a button. Typed text gets the full matching; then a question
        about a near miss, or the short reprompt."""
        if answer.is_choice:
            return self._reprompt(route, "common/pick")
        match = understand(answer.value, self._choices(route))
        if match.found and match.sure and match.value is not None:
            return self._press(route, match.value)
        if match.found and match.value is not None:
            return self._did_you_mean(route, match)
        misses = self.hearing.miss(route.profile.client_id, route.session.state)
        return self._reprompt(route, "common/not_understood", misses >= HELP_AFTER_MISSES)

    def _did_you_mean(self: Engine, route: Route, match: Match, words: str = "") -> list[Say]:
        label = next(c.label for c in self._choices(route) if c.value == match.value)
        session = route.session
        session.prompt += 1
        remembered = (session.prompt, str(match.value), words)
        self.hearing.remember(self.hearing.asked, route.profile.client_id, remembered)
        options = (Option(f"{MEAN}{match.value}", "common.yes"), Option(MEAN, "common.no"))
        return [Say("common/did_you_mean", {"label": label}, options, session.prompt)]

    def _meant(self: Engine, route: Route, value: str) -> list[Say]:
        """A press on Ja / Nee under "Bedoel je ...?"."""
        _, _, words = self.hearing.asked.pop(route.profile.client_id, (-1, "", ""))
        if value and value in {c.value for c in self._choices(route)}:
            return self._press(route, value)
        return self._not_meant(route, words)

    def _reprompt(
        self: Engine, route: Route, template: str, offer_help: bool = False
    ) -> list[Say]:
        """A short line and the buttons again, not the whole question."""
        say = self._ask(route)[0]
        say.template, say.context, say.picture = template, {"help": offer_help}, None
        if offer_help:
            say.options = (*say.options, Option(HELP, "common.help"))
        return [say]
