"""A reply before rendering, and the buttons the engine answers in every step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.events import Attachment
from bot.flows.base import Option

HISTORY_LIMIT = 60  # how many questions "terug" can go back

# Buttons the engine itself answers, in any step. Their values cannot clash with a
# step's options, which never start with "!".
BACK, RESUME, PAUSE = "!back", "!resume", "!pause"
ERASE_YES, ERASE_NO = "!erase", "!keep"
CONSENT_AGAIN, CONSENT_WITHDRAWN = "!consent", "!withdraw"
UNLINK_YES, UNLINK_NO = "!unlink", "!stay"
# The crisis check question's answers; valid whenever pressed (a yes is never "too late").
CHECK_YES, CHECK_NO, CHECK_UNSURE = "!chk:yes", "!chk:no", "!chk:unsure"
CHECK_ANSWERS: tuple[str, ...] = (CHECK_YES, CHECK_NO, CHECK_UNSURE)
REMAP_AFTER = "mapview.summary"  # a map looked at: offer a new one some weeks later
REMINDER = "!r:"  # buttons under a reminder: "!r:<action>:<reminder id>"
REMINDER_ACTIONS: dict[str, tuple[str, ...]] = {
    "ask": ("show", "snooze", "moment", "stop"),
    "checkin": ("checkin", "snooze", "stop"),
    "remap": ("remap", "snooze", "no"),
}


@dataclass(slots=True)
class Say:
    """A reply before rendering: a template, its context, and the options to offer."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    prompt: int | None = None
    keep: bool = False
    image: Attachment | None = None
    picture: Callable[[], Attachment] | None = None
    document: Attachment | None = None
    to: str | None = None  # another chat (a professional, or a client from a professional)
    locale: str | None = None  # the recipient's language when it is another chat
    protect: bool = False  # summaries: Telegram must not allow forwarding or saving
    caption: str = ""  # under a picture: whose map, which one, from when
    edit: int | None = None  # a message in the target chat to replace with this text
    delete: tuple[int, ...] = ()  # messages in the target chat to delete first
    receipt: str = ""  # "alert:<id>", "notice:<id>": the channel reports whether it arrived
