"""Tables and their history. One function per schema change; never edit one that landed.

`sqlite-utils`' Migrations records what ran in `_sqlite_migrations`, in the same
transaction as the change itself, so `apply()` is safe to run at every start.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("steunkaart")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE clients (
            id TEXT PRIMARY KEY,
            locale TEXT NOT NULL DEFAULT 'nl',
            created_at TEXT NOT NULL,
            consent_at TEXT,
            consent_version TEXT NOT NULL DEFAULT '',
            alert_consent INTEGER,
            gp_phone TEXT NOT NULL DEFAULT '',
            hap_phone TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            last_seen_at TEXT
        );
        CREATE TABLE sessions (
            client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            cursor TEXT NOT NULL DEFAULT '{}',
            history TEXT NOT NULL DEFAULT '[]',
            prompt INTEGER NOT NULL DEFAULT 0,
            finished INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE maps (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        CREATE INDEX maps_client ON maps(client_id);
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sector TEXT NOT NULL,
            position INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX contacts_map ON contacts(map_id);
        CREATE TABLE ratings (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            dimension TEXT NOT NULL,
            value INTEGER CHECK (value BETWEEN 1 AND 3),
            answered_at TEXT NOT NULL,
            PRIMARY KEY (contact_id, dimension)
        );
        CREATE TABLE ties (
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            a INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            PRIMARY KEY (map_id, a, b)
        );
        CREATE TABLE goals (
            client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE barriers (
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (client_id, key)
        );
        CREATE TABLE ask_plans (
            client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            state TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL
        );
        CREATE INDEX answers_client ON answers(client_id, id);
        CREATE TABLE happenings (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX happenings_client ON happenings(client_id, id);
        """
    )


@migrations()
def m002_session_last_ref(db: Database) -> None:
    # Telegram redelivers updates the bot did not confirm (after a crash): remember the
    # newest message handled, in the same transaction as the answer.
    db.execute("ALTER TABLE sessions ADD COLUMN last_ref INTEGER NOT NULL DEFAULT 0")


def migrate(db: Database) -> None:
    migrations.apply(db)
