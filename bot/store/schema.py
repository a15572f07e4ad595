"""Tables and their history. One function per schema change; never edit one that landed.

`sqlite-utils`' Migrations records what ran in `_sqlite_migrations`, in the same
transaction as the change itself, so `apply()` is safe to run at every start.
"""

from __future__ import annotations

import re

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


@migrations()
def m003_professionals(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE professionals (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            chat_id TEXT UNIQUE,
            locale TEXT NOT NULL DEFAULT 'nl',
            created_at TEXT NOT NULL,
            registered_at TEXT,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE codes (
            hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('register', 'link')),
            professional_id INTEGER NOT NULL REFERENCES professionals(id) ON DELETE CASCADE,
            label TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            used_by TEXT
        );
        CREATE TABLE links (
            client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
            professional_id INTEGER NOT NULL REFERENCES professionals(id) ON DELETE CASCADE,
            label TEXT NOT NULL DEFAULT '',
            linked_at TEXT NOT NULL
        );
        CREATE INDEX links_professional ON links(professional_id);
        CREATE TABLE code_attempts (
            chat TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX code_attempts_chat ON code_attempts(chat, at);
        CREATE TABLE shared_summaries (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            professional_id INTEGER NOT NULL REFERENCES professionals(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            text TEXT NOT NULL,
            image BLOB
        );
        CREATE INDEX shared_summaries_client ON shared_summaries(client_id, id);
        -- The audit log outlives what it describes: no foreign keys, ids only.
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT ''
        );
        """
    )


@migrations()
def m004_reminders(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE clients ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE clients ADD COLUMN checkin_hours INTEGER NOT NULL DEFAULT 24;
        ALTER TABLE clients ADD COLUMN remap_weeks INTEGER NOT NULL DEFAULT 6;
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('ask', 'checkin', 'remap')),
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'cancelled', 'dropped')),
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX reminders_due ON reminders(status, due_at);
        CREATE INDEX reminders_client ON reminders(client_id, id);
        CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            went_well TEXT NOT NULL DEFAULT '',
            next_step TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX checkins_client ON checkins(client_id, id);
        """
    )


@migrations()
def m005_keys(db: Database) -> None:
    # Secrets that live with the data, e.g. the key that pseudonymises research exports.
    db.execute("CREATE TABLE keys (name TEXT PRIMARY KEY, value BLOB NOT NULL)")


@migrations()
def m006_i12_reminder_lease(db: Database) -> None:
    # At least once: a reminder is leased (by one run of the bot, until a moment) while it
    # is being sent, and marked sent only after Telegram accepted it. `attempts` counts
    # sends that failed for good, for a back-off and a limit.
    # One statement at a time: executescript() would commit the migration's transaction.
    db.execute("ALTER TABLE reminders ADD COLUMN lease_until TEXT")
    db.execute("ALTER TABLE reminders ADD COLUMN leased_by TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE reminders ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")


@migrations()
def m007_i12_code_holds(db: Database) -> None:
    # A link code used before consent is held (by a salted hash of the chat, for a short
    # time) instead of marked used, so a restart neither loses the link nor burns the
    # code. Code attempts are keyed by that hash too: the old rows name chats in clear
    # and only matter for an hour, so they go.
    db.execute("ALTER TABLE codes ADD COLUMN held_by TEXT")
    db.execute("ALTER TABLE codes ADD COLUMN held_until TEXT")
    db.execute("CREATE INDEX codes_held_by ON codes(held_by)")
    db.execute("DELETE FROM code_attempts")


@migrations(transactional=False)
def m008_i12_professional_ids_never_reused(db: Database) -> None:
    """Rebuild `professionals` with AUTOINCREMENT, so a removed professional's id never
    comes back (a pending link or an old audit row would point at someone else).

    SQLite cannot add AUTOINCREMENT in place: the table is copied (whatever columns
    later migrations gave it), with foreign keys off so dropping the old table does not
    cascade to links and codes; the ids the audit log has seen are reserved as well."""
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            create, extras = _professionals_ddl(db)
            if create is None:
                return  # rebuilt already (stopped before it was recorded)
            db.execute(create.replace("professionals", "professionals_new", 1))
            db.execute("INSERT INTO professionals_new SELECT * FROM professionals")
            db.execute("DROP TABLE professionals")
            db.execute("ALTER TABLE professionals_new RENAME TO professionals")
            for sql in extras:
                db.execute(sql)
            highest = max([0, *_professional_ids_seen(db)])
            db.execute("DELETE FROM sqlite_sequence WHERE name = 'professionals'")
            db.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('professionals', ?)", (highest,)
            )
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:3]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _professionals_ddl(db: Database) -> tuple[str | None, list[str]]:
    create = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'professionals'"
    ).fetchone()[0]
    if "AUTOINCREMENT" in create.upper():
        return None, []
    with_autoincrement = re.sub(
        r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s+AUTOINCREMENT)",
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        create,
        count=1,
        flags=re.IGNORECASE,
    )
    extras = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'professionals' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        )
    ]
    return with_autoincrement, extras


def _professional_ids_seen(db: Database) -> list[int]:
    rows = db.execute("SELECT subject FROM audit WHERE subject LIKE '%professional:%'")
    seen = [int(n) for (subject,) in rows for n in re.findall(r"professional:(\d{1,18})", subject)]
    row = db.execute("SELECT max(id) FROM professionals").fetchone()
    return [*seen, row[0] or 0]


@migrations()
def m010_i17_alert_delivery(db: Database) -> None:
    # One row per crisis episode: repeats within the episode window add to `count`.
    # `status` says what Telegram answered, so the log never claims a delivery that did
    # not happen; `reported_at` marks a missed alert the professional has been told of,
    # `seen_at` one the administrator has read in `admin audit`.
    db.executescript(
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
            professional_id INTEGER,
            label TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'undeliverable')),
            reason TEXT NOT NULL DEFAULT '',
            delivered_at TEXT,
            reported_at TEXT,
            seen_at TEXT
        );
        CREATE INDEX alerts_client ON alerts(client_id, at);
        CREATE INDEX alerts_status ON alerts(status, at);
        """
    )


@migrations()
def m011_i17_notices(db: Database) -> None:
    # Messages the administrator's command line leaves for the running bot to send
    # (deactivation, handover, missed alerts): the terminal has no Telegram connection.
    # A professional's invitation waits here until quiet hours are over (`due_at`).
    db.executescript(
        """
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            chat TEXT NOT NULL,
            template TEXT NOT NULL,
            context TEXT NOT NULL DEFAULT '{}',
            locale TEXT NOT NULL DEFAULT 'nl',
            options TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
            sent_at TEXT
        );
        CREATE INDEX notices_due ON notices(status, due_at);
        """
    )


@migrations()
def m012_i17_summary_goal(db: Database) -> None:
    # The goal as it stood in each summary sent, so the next summary can say what
    # changed; and the Telegram messages a summary became, so they can be deleted when
    # the client erases everything (no foreign key: the rows must outlive the erasure
    # until the messages are gone).
    db.executescript(
        """
        ALTER TABLE shared_summaries ADD COLUMN goal TEXT;
        CREATE TABLE summary_messages (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL,
            chat TEXT NOT NULL,
            message_id INTEGER NOT NULL,
            sent_at TEXT NOT NULL
        );
        CREATE INDEX summary_messages_client ON summary_messages(client_id);
        """
    )


@migrations()
def m013_i17_alert_message(db: Database) -> None:
    # The Telegram message an alert became, so a repeat in the same episode updates
    # its count there instead of sending a second alert.
    db.executescript(
        """
        ALTER TABLE alerts ADD COLUMN chat TEXT;
        ALTER TABLE alerts ADD COLUMN message_id INTEGER;
        """
    )


@migrations()
def m016_i16_pro_menus(db: Database) -> None:
    # The chats that were given the professional's command menu, so the bot can take it
    # away again when the administrator deactivates or removes that professional (from
    # another process, while the row itself may be gone). No foreign key on purpose.
    db.execute(
        "CREATE TABLE pro_menus (chat_id TEXT PRIMARY KEY, locale TEXT NOT NULL, at TEXT NOT NULL)"
    )


@migrations()
def m018_i11_session_check(db: Database) -> None:
    # The crisis check question is open: the next typed answer is read as its answer, also
    # after a restart.
    db.execute("ALTER TABLE sessions ADD COLUMN checking INTEGER NOT NULL DEFAULT 0")


def migrate(db: Database) -> None:
    migrations.apply(db)
