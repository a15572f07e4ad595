"""Crisis alerts on the engine side: texts never promise an alert that cannot go out,
an alert is pending until a channel reports it, and the administrator hears about one
that reached nobody."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.channels.console import Console
from bot.events import Event
from tests.support.chat import Chat
from tests.test_admin import admin
from tests.test_professional import PRO, link_code, register

CRISIS = "ik wil niet meer leven"


def intake_with_alerts(chat: Chat) -> str:
    """Through the intake, agreeing to alerts; returns the closing text of the intake."""
    chat.start()
    for value in ("next", "next", "yes", "yes", "skip", "skip"):
        chat.press(value)
    return chat.text


def intake_with_alerts_rest(chat: Chat) -> str:
    for value in ("yes", "skip", "skip"):
        chat.press(value)
    return chat.text


def test_without_a_link_nothing_promises_an_alert(chat: Chat) -> None:
    chat.start()
    for value in ("next", "next", "yes"):
        chat.press(value)
    assert "pas als je gekoppeld bent" in chat.text
    closing = intake_with_alerts_rest(chat)
    assert "kan ik niemand een seintje geven" in closing
    assert "geef ik" not in closing


def test_with_a_link_the_promise_names_the_professional(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    closing = intake_with_alerts(chat)
    assert "geef ik Sanne een seintje" in closing


def test_an_alert_is_pending_until_the_channel_reports(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    intake_with_alerts(chat)
    chat.say(CRISIS)
    alert = next(r for r in chat.replies if r.to == PRO)
    assert alert.receipt.startswith("alert:")
    actions = [row[2] for row in chat.engine.store.care.audit_log()]
    assert not any(a.startswith("crisis-alert") for a in actions)  # nothing claimed yet
    chat.engine.delivered(alert.receipt)
    actions = [row[2] for row in chat.engine.store.care.audit_log()]
    assert "crisis-alert-delivered" in actions


def test_the_console_never_counts_an_alert_as_delivered(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    intake_with_alerts(chat)
    console = Console(chat.engine, chat.client_id, out=_Sink())
    console.send(Event.typed(CRISIS))
    assert [a.status for a in chat.engine.store.alerts.not_delivered()] == ["undeliverable"]


def test_start_up_names_alerts_that_reached_nobody(chat: Chat, tmp_path: Path) -> None:
    intake_with_alerts(chat)
    chat.say(CRISIS)
    db = tmp_path / "steunkaart.db"
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    command = [sys.executable, "-m", "bot", "run", "--db", str(db)]
    started = subprocess.run(command, input="", capture_output=True, text=True, env=env)
    assert "1 crisis alert(s) did not reach a professional" in started.stderr
    # Once the administrator has read `admin audit`, start-up is quiet about it.
    admin(db, "audit")
    again = subprocess.run(command, input="", capture_output=True, text=True, env=env)
    assert "crisis alert" not in again.stderr


def test_a_pending_link_to_a_professional_deactivated_meanwhile_is_refused(
    chat: Chat,
) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    chat.engine.store.care.set_professional_active(1, False)
    closing = intake_with_alerts(chat)
    assert chat.engine.store.care.link_of("client-1") is None
    assert "kan ik niemand een seintje geven" in closing


def test_repeats_fold_into_one_episode_even_without_a_recipient(chat: Chat) -> None:
    intake_with_alerts(chat)
    chat.say(CRISIS)
    chat.press("!resume")
    chat.say(CRISIS)
    [alert] = chat.engine.store.alerts.not_delivered()
    assert alert.count == 2 and alert.reason == "no-link"


class _Sink:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def test_the_client_sees_their_alerts_in_their_data(chat: Chat) -> None:
    intake_with_alerts(chat)
    chat.say(CRISIS)
    from bot.store.export import export_client

    data = export_client(chat.engine.store, "client-1")
    assert data is not None
    assert [(a["count"], a["status"]) for a in data["alerts"]] == [(1, "undeliverable")]
