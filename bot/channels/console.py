"""The route in a terminal: the same engine, buttons shown as numbered options.

Typing a number or a button's text chooses it; anything else is typed text. Works
with piped standard input too (one line per message), so a route can be scripted.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.engine import Engine
from bot.events import Attachment, Button, Event, Reply
from bot.files import files_folder, owner_only_folder
from bot.numbers import whole_number

TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>")


def plain(text: str) -> str:
    """Telegram HTML to terminal text."""
    return html.unescape(TAG.sub("", text))


def event_for(line: str, buttons: tuple[Button, ...], prompt: int | None) -> Event:
    number = whole_number(line.strip())
    if number is not None and 1 <= number <= len(buttons):
        return Event.chose(buttons[number - 1].value, prompt)
    return Event.typed(line.rstrip("\r\n"))


class Console:
    def __init__(
        self,
        engine: Engine,
        client_id: str,
        out: TextIO,
        echo: bool = False,
        files: Path | None = None,
    ) -> None:
        self.engine = engine
        self.client_id = client_id
        self.out = out
        self.echo = echo
        # Beside the database, in an owner-only folder that an erase removes.
        self.files = files or files_folder(engine.store.path or Path("steunkaart.db"), client_id)
        self.buttons: tuple[Button, ...] = ()
        self.prompt: int | None = None

    def run(self, lines: Iterable[str]) -> None:
        self.send(Event.start())
        for line in lines:
            if self.echo:
                self.out.write(f"› {line.rstrip()}\n")
            self.send(event_for(line, self.buttons, self.prompt))

    def send(self, event: Event) -> list[Reply]:
        replies = self.engine.handle(self.client_id, event)
        for reply in replies:
            self.show(reply)
        return replies

    def show(self, reply: Reply) -> None:
        if reply.to is not None:
            # Meant for another person's chat (a professional): not on this screen, and
            # never delivered from here.
            if reply.receipt:
                self.engine.undelivered(reply.receipt, "console")
            return
        self.out.write(plain(reply.text) + "\n")
        for attachment in reply.attachments():
            self.out.write(f"[{self.save(attachment)}]\n")
        if reply.buttons:
            for number, button in enumerate(reply.buttons, start=1):
                self.out.write(f"  {number}) {button.label}\n")
            self.buttons, self.prompt = reply.buttons, reply.prompt
        self.out.write("\n")
        self.out.flush()

    def save(self, attachment: Attachment) -> Path:
        """Owner-only: the picture and the JSON export hold names."""
        owner_only_folder(self.files)
        path = self.files / Path(attachment.filename).name
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(attachment.content)
        path.chmod(0o600)
        return path
