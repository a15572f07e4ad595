"""The store on a real SQLite file: schema version, permissions, atomic writes, export."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

from bot.store.export import export_client
from bot.store.repository import Store
from bot.store.schema import migrations
from tests.support.chat import Chat, add_contacts, through_intake


def test_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    mode = stat.S_IMODE((tmp_path / "s.db").stat().st_mode)
    store.close()
    assert mode == 0o600


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    Store.open(tmp_path / "s.db").close()
    store = Store.open(tmp_path / "s.db")
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied == [m.name for m in migrations._migrations]
    assert migrations.pending(store.db) == []
    store.close()


def test_a_failing_event_writes_nothing(chat: Chat) -> None:
    through_intake(chat)
    route = chat.route
    try:
        with chat.engine.store.atomic():
            chat.engine.store.log_answer("client-1", "network.name", "text", "Ans")
            raise RuntimeError("crash between answer and state")
    except RuntimeError:
        pass
    count = chat.engine.store.db.execute(
        "SELECT count(*) FROM answers WHERE value = 'Ans'"
    ).fetchone()[0]
    assert count == 0
    assert chat.route.session == route.session


def test_export_holds_everything_about_the_client(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"), ("Bram", "hulpverlening"))
    data = export_client(chat.engine.store, "client-1")
    assert data is not None
    assert data["client"]["id"] == "client-1"
    assert data["client"]["consent_version"]
    contacts = data["maps"][0]["contacts"]
    assert [(c["name"], c["sector"]) for c in contacts] == [
        ("Ans", "familie"),
        ("Bram", "hulpverlening"),
    ]
    assert data["session"]["state"] == "network.more"
    assert any(a["value"] == "Ans" for a in data["history"]["answers"])
    json.dumps(data)  # JSON-ready


def test_export_of_an_unknown_client_is_none(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    assert export_client(store, "nobody") is None
    store.close()


def test_erase_removes_every_row_of_the_client(chat: Chat) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    store = chat.engine.store
    store.erase("client-1", "admin")
    for table in ("clients", "sessions", "maps", "contacts", "answers", "happenings"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_export_command_prints_json(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    chat.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "export",
            "--client",
            "client-1",
            "--db",
            str(tmp_path / "steunkaart.db"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    assert data["maps"][0]["contacts"][0]["name"] == "Ans"


def test_erase_also_forgets_code_attempts(chat: Chat) -> None:
    through_intake(chat)
    chat.say("/koppel WRONGCODE1")
    store = chat.engine.store
    assert store.db.execute("SELECT count(*) FROM code_attempts").fetchone()[0] == 1
    store.erase("client-1", "admin")
    assert store.db.execute("SELECT count(*) FROM code_attempts").fetchone()[0] == 0
