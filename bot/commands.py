"""Words a client may type instead of pressing a button or a menu command.

Commands work with and without a slash, in Dutch and English, so "/terug", "terug"
and "back" all go back. These are inputs to recognise, not texts to show.
"""

from __future__ import annotations

from bot.events import Command

WORDS: dict[str, Command] = {
    "nood": Command.URGENT,
    "urgent": Command.URGENT,
    "help": Command.HELP,
    "hulp": Command.HELP,
    "pauze": Command.PAUSE,
    "pause": Command.PAUSE,
    "terug": Command.BACK,
    "back": Command.BACK,
    "stop": Command.STOP,
    "stoppen": Command.STOP,
    "start": Command.START,
    "mijngegevens": Command.MYDATA,
    "mydata": Command.MYDATA,
    "wissen": Command.ERASE,
    "erase": Command.ERASE,
    "koppel": Command.LINK,
    "link": Command.LINK,
    "ontkoppel": Command.UNLINK,
    "unlink": Command.UNLINK,
    "herinneringen": Command.REMINDERS,
    "reminders": Command.REMINDERS,
}

# Dutch names first: the menu shows these per language (see channels/telegram.py).
MENU: dict[str, tuple[str, ...]] = {
    "nl": (
        "nood",
        "start",
        "hulp",
        "pauze",
        "terug",
        "stop",
        "koppel",
        "ontkoppel",
        "mijngegevens",
        "wissen",
        "herinneringen",
    ),
    "en": (
        "urgent",
        "start",
        "help",
        "pause",
        "back",
        "stop",
        "link",
        "unlink",
        "mydata",
        "erase",
        "reminders",
    ),
}


def parse_command(text: str) -> tuple[Command | None, str, bool]:
    """Return (command, argument, looked_like_a_command).

    A slash word we do not know is reported as looking like a command, so the engine
    can say so kindly instead of taking "/foo" as a contact's name.
    """
    stripped = text.strip()
    slash = stripped.startswith("/")
    head, _, rest = stripped.lstrip("/").partition(" ")
    word = head.split("@", 1)[0].casefold()
    command = WORDS.get(word)
    if command is None:
        return None, "", slash
    if not slash and rest:
        return None, "", False  # "stop met roken" is an answer, not a command
    return command, rest.strip(), True
