"""The terminal channel: numbered buttons, typed labels, piped input, plain text."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.channels.console import Console, event_for, plain
from bot.events import Button, EventKind
from tests.support.chat import Chat

SCRIPT = "\n".join(
    ["1", "1", "Ja, dat mag", "2", "1", "Sla over", "1", "1", "Ans", "2", "Bram", "3", "2"]
)


def test_a_number_chooses_the_button_and_other_text_is_typed() -> None:
    buttons = (Button("Ja", "yes"), Button("Nee", "no"))
    assert event_for("2\n", buttons, 7).text == "no"
    assert event_for("2\n", buttons, 7).prompt == 7
    assert event_for("3\n", buttons, 7).kind is EventKind.TEXT
    assert event_for("Nee\n", buttons, 7).kind is EventKind.TEXT  # engine matches labels


def test_plain_removes_telegram_markup_but_keeps_typed_brackets() -> None:
    assert plain("<b>Stap</b> &lt;b&gt;Kees&lt;/b&gt;") == "Stap <b>Kees</b>"


def test_console_runs_a_scripted_route(tmp_path: Path) -> None:
    chat = Chat.open(tmp_path / "s.db")
    out = io.StringIO()
    Console(chat.engine, "local", out, echo=True).run(io.StringIO(SCRIPT))
    text = out.getvalue()
    assert "› Ans" in text
    assert "  1) Beginnen" in text
    assert "<i>" not in text
    route = chat.engine.store.load("local", chat.engine.settings)
    assert route is not None
    assert [(c.name, c.sector) for c in route.contacts] == [
        ("Ans", "familie"),
        ("Bram", "vrienden"),
    ]
    chat.close()


def test_steunkaart_chat_reads_piped_stdin_and_resumes_next_time(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    command = [sys.executable, "-m", "bot", "chat", "--db", str(db), "--client", "me"]
    first = subprocess.run(command, input=SCRIPT, capture_output=True, text=True, check=True)
    assert "Waar ken je Bram van?" in first.stdout
    second = subprocess.run(command, input="", capture_output=True, text=True, check=True)
    assert "verder waar je was" in second.stdout
    assert "2. Bram (Vrienden)" in second.stdout


def test_steunkaart_chat_in_english(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bot", "chat", "--db", str(tmp_path / "s.db"), "--lang", "en"]
    result = subprocess.run(command, input="", capture_output=True, text=True, check=True)
    assert "I am a computer program" in result.stdout
