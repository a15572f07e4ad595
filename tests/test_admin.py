"""`steunkaart admin`: the administrator's commands, run as a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.chat import Chat, add_contacts, through_intake


def admin(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot", "admin", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, check=check)


def test_add_list_deactivate_and_remove_a_professional(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    added = admin(db, "add-professional", "Sanne de Vries").stdout
    assert "registration code" in added
    code = added.split("): ")[1].split()[0]
    assert len(code) == 10
    assert "Sanne de Vries\tactive\tnot registered" in admin(db, "professionals").stdout
    admin(db, "deactivate-professional", "1")
    assert "inactive" in admin(db, "professionals").stdout
    admin(db, "remove-professional", "1")
    assert admin(db, "professionals").stdout == ""
    assert admin(db, "remove-professional", "1", check=False).returncode == 1


def test_deep_link_with_the_bot_username(tmp_path: Path) -> None:
    env = {**os.environ, "STEUNKAART_BOT_USERNAME": "steunkaart_bot"}
    command = [sys.executable, "-m", "bot", "admin", "--db", str(tmp_path / "s.db")]
    out = subprocess.run(
        [*command, "add-professional", "Ravi"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "https://t.me/steunkaart_bot?start=" in out


def test_export_and_erase_a_client_with_an_audit_trail(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"))
    chat.close()
    db = tmp_path / "steunkaart.db"
    data = json.loads(admin(db, "export", "--client", "client-1").stdout)
    assert data["maps"][0]["contacts"][0]["name"] == "Ans"
    assert admin(db, "erase", "--client", "client-1").stdout.strip() == "erased"
    assert admin(db, "export", "--client", "client-1", check=False).returncode == 1
    log = admin(db, "audit").stdout
    # After the erase the log still shows what was done, about a pseudonym, not who.
    lines = [line.split("\t")[1:] for line in log.splitlines()]
    assert [actor for actor, _, _ in lines] == ["admin", "admin"]
    assert [action for _, action, _ in lines] == ["export", "erase"]
    assert lines[0][2] == lines[1][2] and lines[0][2].startswith("erased:")
    assert "client-1" not in log


def test_research_exports_write_files(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    add_contacts(chat, ("=cmd()", "familie"))
    chat.close()
    db = tmp_path / "steunkaart.db"
    out = admin(db, "export", "--format", "egor", "--out", str(tmp_path / "egor")).stdout
    assert "alters.csv" in out
    alters = (tmp_path / "egor" / "alters.csv").read_text(encoding="utf-8")
    assert "cmd" not in alters  # no names unless asked for
    inside = str(tmp_path / "inside")
    admin(db, "export", "--format", "egor", "--with-names", "--out", inside)
    assert "'=cmd()" in (tmp_path / "inside" / "alters.csv").read_text(encoding="utf-8")
    assert "export-egor with-names" in admin(db, "audit").stdout
    graphml = admin(db, "export", "--format", "graphml", "--out", str(tmp_path / "g")).stdout
    assert ".graphml" in graphml


def test_resources_check(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "bot", "admin", "resources"], capture_output=True, text=True
    )
    assert ok.returncode == 0 and "all fine" in ok.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[[resource]]\nkey = "x"\nkind = "circus"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "admin", "resources", "--file", str(bad)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "'kind' must be one of" in result.stderr


def test_purge_inactive_clients(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    old = Chat(chat.engine, "client-old")
    through_intake(old)
    chat.engine.store.db.execute(
        "UPDATE clients SET last_seen_at = '2020-01-01T00:00:00+00:00' WHERE id = 'client-old'"
    )
    chat.close()
    db = tmp_path / "steunkaart.db"
    assert "erased 1 clients" in admin(db, "purge-inactive", "--days", "365").stdout
    data = admin(db, "export", "--client", "client-1", check=False)
    assert data.returncode == 0
