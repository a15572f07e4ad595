"""The value types that cross the line between a channel and the engine.

A channel turns what a person did into an `Event`; the engine answers with `Reply`
objects. Both are plain frozen dataclasses so any channel (Telegram, terminal, test)
can make and read them without knowing the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.text import visible


class EventKind(StrEnum):
    START = "start"  # a (re)start of the conversation, e.g. /start
    TEXT = "text"  # free text typed by the person
    CHOICE = "choice"  # a button the person chose
    COMMAND = "command"  # help, pause, back, stop, ...
    UNSUPPORTED = "unsupported"  # a sticker, photo, voice message, file, location, ...


class Command(StrEnum):
    HELP = "help"
    PAUSE = "pause"
    BACK = "back"
    STOP = "stop"
    START = "start"
    MYDATA = "mydata"
    ERASE = "erase"
    LINK = "link"
    UNLINK = "unlink"
    REMINDERS = "reminders"
    URGENT = "urgent"  # the crisis lines, at any moment


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a person did.

    `text` is the typed text, the chosen button's value, or the command name.
    `prompt` is the number of the question a button belonged to, so a press on an
    old keyboard can be told apart from an answer to the current question.
    """

    kind: EventKind
    text: str = ""
    prompt: int | None = None
    arg: str = ""
    ref: int | None = None  # the channel's message id: a redelivered update is ignored
    # The language the person's app is set to (Telegram's language_code, e.g. "en-GB"):
    # a new client starts in it when we speak it. Not stored as such.
    language: str = ""

    @classmethod
    def typed(cls, text: str, ref: int | None = None) -> Event:
        # Cleaned here, once for every channel: names and free text alike (bot.text).
        return cls(EventKind.TEXT, visible(text), ref=ref)

    @classmethod
    def chose(cls, value: str, prompt: int | None = None) -> Event:
        return cls(EventKind.CHOICE, value, prompt)

    @classmethod
    def command(cls, command: Command, arg: str = "") -> Event:
        return cls(EventKind.COMMAND, command.value, arg=arg)

    @classmethod
    def start(cls, arg: str = "", ref: int | None = None) -> Event:
        return cls(EventKind.START, arg=arg, ref=ref)

    @classmethod
    def unsupported(cls, what: str, ref: int | None = None, words: str = "") -> Event:
        """A photo, sticker, edit...; `words` is any text it carries (a caption, the
        edited text): not an answer, but still read for crisis language."""
        return cls(EventKind.UNSUPPORTED, what, ref=ref, arg=words)


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to show.

    `text` is rendered and uses the small HTML subset Telegram understands
    (<b>, <i>); everything the person typed in it is escaped. `prompt` numbers the
    question the buttons answer. `keep` marks crisis replies, which a channel must
    never edit away.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    prompt: int | None = None
    image: Attachment | None = None
    document: Attachment | None = None
    keep: bool = False
    to: str | None = None  # None: the chat that sent the event; "" : nobody reachable
    protect: bool = False
    # The network picture, drawn when it is sent rather than inside the engine's
    # transaction: drawing takes ~100 ms, and a channel can do it off its event loop.
    picture: Callable[[], Attachment] | None = None
    # Which template the text came from, e.g. "safety/check": tests assert on it, so a
    # rewording does not break a test about behaviour.
    template: str = ""
    # What this message is ("alert:<id>", "notice:<id>"): the channel reports to the
    # engine whether Telegram accepted it, so nothing is logged as delivered that was not.
    receipt: str = ""
    caption: str = ""  # plain text under the image
    edit: int | None = None  # a message in the target chat to replace with this text
    delete: tuple[int, ...] = ()  # messages in the target chat to delete first
    # The reminder this message delivers: the channel confirms it once Telegram accepted it.
    reminder: int | None = None

    def attachments(self) -> tuple[Attachment, ...]:
        """Image, drawn picture and document, in the order they are shown."""
        image = self.image or (self.picture() if self.picture else None)
        return tuple(a for a in (image, self.document) if a is not None)
