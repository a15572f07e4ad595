"""Deactivating a professional while a client writes crisis language, through Telegram:
with a handover to a colleague and without; an alert counted as delivered only when
Telegram accepted it; missed alerts reported after reactivation."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.botapi import BotApiServer
from tests.support.telegram_bot import TelegramClient, running_bot, texts
from tests.test_admin import admin

CRISIS = "Ik wil niet meer leven"


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as server:
        yield server


async def run_admin(db: Path, *args: str) -> str:
    """The administrator's terminal, next to the running bot (its loop keeps going)."""
    done = await asyncio.to_thread(admin, db, *args)
    return done.stdout


async def professional(server: BotApiServer, db: Path, chat: int, name: str) -> TelegramClient:
    printed = await run_admin(db, "add-professional", name)
    code = printed.split("): ")[1].split()[0]
    person = TelegramClient(server, server.user(chat, name))
    assert f"Welkom, {name}" in texts(await person.start(code))
    return person


async def linked_client(server: BotApiServer, pro: TelegramClient, chat: int) -> TelegramClient:
    reply = await pro.say("/code AB", keyboard=False)
    code = texts(reply).split("?start=")[1].split()[0]
    client = TelegramClient(server, server.user(chat, "Ans"))
    await client.start(code)
    for label in ("Verder", "Ik snap het", "Ja, dat mag", "Ja", "Sla over", "Sla over"):
        await client.press(label)
    await server.wait_for(lambda: "AB is nu aan je gekoppeld" in texts(pro.user.messages), 5)
    pro.user.unread()
    return client


def audit_actions(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT action FROM audit ORDER BY id")]


def alert_rows(db: Path) -> list[tuple[int | None, int, str]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT professional_id, count, status FROM alerts ORDER BY id")
        return list(rows)


async def test_handover_to_a_colleague_then_crisis(server: BotApiServer, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    async with running_bot(server, db):
        sanne = await professional(server, db, 900, "Sanne")
        ravi = await professional(server, db, 901, "Ravi")
        ans = await linked_client(server, sanne, 1001)
        overview_before = texts(ans.user.messages)
        assert "geef ik Sanne een seintje" in overview_before

        printed = await run_admin(db, "deactivate-professional", "1", "--to", "2")
        assert "1 clients handed over to 2: Ravi" in printed
        await server.wait_for(lambda: "gekoppeld aan Ravi" in ans.last_text, 5)
        await server.wait_for(lambda: "Overdracht" in ravi.last_text, 5)
        await server.wait_for(lambda: "account in Steunkaart is gestopt" in sanne.last_text, 5)
        assert "overgedragen aan Ravi" in sanne.last_text
        handed = ravi.last_text
        assert "AB" in handed and "Sanne werkt niet meer" in handed
        assert "Kees" not in handed and "doel" not in handed.casefold()  # labels, no content
        sanne.user.unread()
        ravi.user.unread()

        crisis = texts(await ans.say(CRISIS))
        assert "113" in crisis
        await server.wait_for(lambda: "Seintje uit Steunkaart" in ravi.last_text, 5)
        await server.wait_for(lambda: alert_rows(db) == [(2, 1, "delivered")], 5)
        # The same episode: folded into the first alert, no second message.
        await ans.say("ik wil echt niet meer leven")
        await server.wait_for(lambda: alert_rows(db) == [(2, 2, "delivered")], 5)
        # No second alert: the first one now says how many messages it covers.
        await server.wait_for(lambda: "2 berichten binnen 1 minuut" in ravi.last_text, 5)
        assert texts(ravi.user.messages).count("Seintje uit Steunkaart") == 1
        assert "Seintje" not in texts(sanne.user.unread())

        # The former professional writes: told plainly, not taken into the client intake.
        reply = texts(await sanne.say("/clienten", keyboard=False))
        assert "niet actief" in reply and "Welkom" not in reply
    actions = audit_actions(db)
    assert "handover" in actions and "crisis-alert-delivered" in actions
    assert "crisis-alert-repeat" in actions and "crisis-alert-undeliverable" not in actions


async def test_deactivation_without_handover_then_crisis(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    async with running_bot(server, db):
        sanne = await professional(server, db, 900, "Sanne")
        ans = await linked_client(server, sanne, 1001)
        made = texts(await sanne.say("/code CD", keyboard=False))
        unused = made.split("?start=")[1].split()[0]
        sanne.user.unread()

        printed = await run_admin(db, "deactivate-professional", "1")
        assert "1 clients unlinked" in printed
        await server.wait_for(lambda: "niet meer gekoppeld" in ans.last_text, 5)
        told = ans.last_text
        assert "kan ik niemand een seintje geven" in told and "112" in told
        await server.wait_for(lambda: "gestopt" in sanne.last_text, 5)
        assert "ontkoppeld" in sanne.last_text
        sanne.user.unread()

        crisis = texts(await ans.say(CRISIS))
        assert "113" in crisis
        await asyncio.sleep(0.3)
        assert sanne.user.unread() == []
        assert alert_rows(db) == [(None, 1, "undeliverable")]

        # A code made before the deactivation says why it does not work.
        other = TelegramClient(server, server.user(1002, "Bram"))
        reply = texts(await other.start(unused))
        assert "Sanne werkt niet meer met Steunkaart" in reply
        assert "verlopen" not in reply
    actions = audit_actions(db)
    assert "crisis-alert-undeliverable" in actions
    assert "crisis-alert-delivered" not in actions
    report = (await run_admin(db, "audit")).splitlines()
    assert report[0] == "CRISIS ALERTS NOT DELIVERED: 1"
    assert "tg:1001\tnobody\tno-link\t1x" in report[1]


async def test_an_alert_telegram_refuses_is_not_logged_as_delivered(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    async with running_bot(server, db):
        sanne = await professional(server, db, 900, "Sanne")
        ans = await linked_client(server, sanne, 1001)
        server.block(900)  # Sanne's chat refuses everything
        await ans.say(CRISIS)
        await server.wait_for(lambda: alert_rows(db) == [(1, 1, "undeliverable")], 5)
        # Once Sanne writes again, she hears about the alert that did not reach her.
        server.unblock(900)
        reply = texts(await sanne.say("/clienten", keyboard=False))
        assert "Gemiste seintjes" in reply and "van: AB" in reply
    actions = audit_actions(db)
    assert "crisis-alert-undeliverable" in actions and "crisis-alert-delivered" not in actions
    assert "blocked" in (await run_admin(db, "audit"))


async def test_missed_alerts_are_reported_after_reactivation(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    async with running_bot(server, db):
        sanne = await professional(server, db, 900, "Sanne")
        ans = await linked_client(server, sanne, 1001)
        # A professional switched off the old way: the link stayed.
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE professionals SET active = 0 WHERE id = 1")
        await ans.say(CRISIS)
        await asyncio.sleep(0.3)
        assert "Seintje" not in texts(sanne.user.unread())
        assert alert_rows(db) == [(1, 1, "undeliverable")]
        printed = await run_admin(db, "activate-professional", "1")
        assert "1 crisis alerts did not reach them" in printed
        await server.wait_for(lambda: "Gemiste seintjes" in sanne.last_text, 5)
        assert "AB" in sanne.last_text
