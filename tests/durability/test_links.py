"""Links and ids on a real SQLite file: a pending link survives a restart and stores
nothing personal before consent; ids of removed professionals never come back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from bot.events import Event
from bot.store.repository import Store
from bot.store.schema import migrations
from tests.support.chat import Chat, through_intake
from tests.test_professional import link_code, register

CLIENT = "client-1"


def everything_stored(db: Path) -> str:
    """Every value in every table, as text (what a copy of the database would show)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            repr(row) for table in tables for row in conn.execute(f"SELECT * FROM [{table}]")
        )
    finally:
        conn.close()


def test_a_link_code_before_consent_survives_a_restart_and_stores_nothing_personal(
    chat: Chat, tmp_path: Path
) -> None:
    db = tmp_path / "steunkaart.db"
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    assert "Na de kennismaking koppel ik je aan Sanne" in chat.text
    assert CLIENT not in everything_stored(db)  # no chat id before consent
    chat.close()  # the bot restarts: its memory (and the draft intake) is gone

    again = Chat.open(db)
    through_intake(again)
    link = again.engine.store.care.link_of(CLIENT)
    assert link is not None and link.label == "AB"
    used = again.engine.store.db.execute("SELECT used_by FROM codes WHERE kind = 'link'")
    assert used.fetchone()[0] == CLIENT  # used at consent, not before
    again.close()


def test_a_held_code_cannot_be_taken_by_another_chat(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    other = Chat(chat.engine, "client-2")
    other.send(Event.start(code))
    assert "Deze code werkt niet" in other.text


def test_a_removed_professionals_pending_link_ends_kindly(chat: Chat) -> None:
    register(chat)
    code = link_code(chat)
    chat.send(Event.start(code))
    store = chat.engine.store
    with store.atomic():
        [professional] = store.care.professionals()
        store.care.remove_professional(professional.id)
    through_intake(chat)
    assert any("niet gelukt: die code werkt niet meer" in line for line in chat.log)
    assert store.care.link_of(CLIENT) is None


def test_professional_ids_are_never_reused(chat: Chat) -> None:
    care = chat.engine.store.care
    with chat.engine.store.atomic():
        first, _ = care.add_professional("Sanne")
        second, _ = care.add_professional("Noor")
        care.remove_professional(second.id)
        third, _ = care.add_professional("Kim")
    assert third.id == second.id + 1 and first.id < second.id


def test_the_migration_keeps_professionals_and_reserves_ids_seen_in_the_audit_log(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "steunkaart.db"
    old = Database(db_path)
    old.execute("PRAGMA foreign_keys = ON")
    migrations.apply(old, stop_before="m008_i12_professional_ids_never_reused")
    now = datetime.now(UTC).isoformat()
    for name in ("Sanne", "Noor"):
        old.execute("INSERT INTO professionals (name, created_at) VALUES (?, ?)", (name, now))
    old.execute(
        "INSERT INTO codes (hash, kind, professional_id, created_at, expires_at) "
        "VALUES ('h', 'link', 1, ?, ?)",
        (now, now),
    )
    old.execute(
        "INSERT INTO audit (at, actor, action, subject) VALUES (?, 'admin', 'x', ?)",
        (now, "professional:2"),
    )
    old.execute("DELETE FROM professionals WHERE id = 2")
    old.conn.commit()
    old.close()

    store = Store.open(db_path)
    with store.atomic():
        newest, _ = store.care.add_professional("Kim")
    assert newest.id == 3  # 2 was removed before the migration; the audit log saw it
    assert [p.name for p in store.care.professionals()][:1] == ["Sanne"]
    codes = store.db.execute("SELECT professional_id FROM codes WHERE hash = 'h'").fetchall()
    assert codes == [(1,)]  # the rebuild did not cascade
    store.close()


def test_code_attempts_name_no_chat_and_are_kept_an_hour(chat: Chat) -> None:
    through_intake(chat)
    chat.say("/koppel WRONGCODE1")
    store = chat.engine.store
    rows = store.db.execute("SELECT chat, at FROM code_attempts").fetchall()
    assert len(rows) == 1 and CLIENT not in rows[0][0]
    old = (datetime.now(UTC) - timedelta(minutes=61)).isoformat(timespec="seconds")
    with store.atomic():
        store.db.execute("UPDATE code_attempts SET at = ?", (old,))
    chat.say("/koppel WRONGCODE2")
    assert store.db.execute("SELECT count(*) FROM code_attempts").fetchone()[0] == 1
