"""Erasure without residue: what an erase leaves is overwritten, checkpointed away, or
replaced by a pseudonym.

SQLite keeps deleted content in three places unless told otherwise: free pages of the
main file (`secure_delete` zeroes them), older page versions in the `-wal` file (a
TRUNCATE checkpoint after the erase empties it), and our own audit log, which names
the chat (its rows get a salted pseudonym instead, so the log still shows that one
person did these things, not who).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from sqlite_utils import Database

log = logging.getLogger(__name__)

AUDIT_KEY = "audit"


def secret_key(db: Database, name: str) -> bytes:
    """A random key kept with the data (table `keys`), made on first use."""
    row = db.execute("SELECT value FROM keys WHERE name = ?", (name,)).fetchone()
    if row:
        return bytes(row[0])
    key = secrets.token_bytes(32)
    db.execute("INSERT INTO keys (name, value) VALUES (?, ?)", (name, key))
    return key


def erased_name(db: Database, client_id: str) -> str:
    """What the audit log says instead of an erased client's id: stable per client, not
    reversible without the key (a plain hash of a chat id could be brute-forced)."""
    digest = hmac.new(secret_key(db, AUDIT_KEY), client_id.encode(), hashlib.sha256).hexdigest()
    return "erased:" + digest[:16]


def pseudonymise_audit(db: Database, client_id: str) -> str:
    """Replace the client id in every audit row (as actor, or inside a subject such as
    "tg:123 professional:4"); returns the pseudonym."""
    name = erased_name(db, client_id)
    db.execute("UPDATE audit SET actor = ? WHERE actor = ?", (name, client_id))
    # Whole ids only: "tg:12" must not rewrite "tg:123".
    pattern = re.compile(rf"(?<![\w:]){re.escape(client_id)}(?![\w])")
    rows = db.execute(
        "SELECT id, subject FROM audit WHERE instr(subject, ?) > 0", (client_id,)
    ).fetchall()
    for row_id, subject in rows:
        db.execute(
            "UPDATE audit SET subject = ? WHERE id = ?", (pattern.sub(name, subject), row_id)
        )
    return name


def checkpoint(db: Database) -> bool:
    """Move the WAL into the main file and cut it to zero bytes, so erased text lives
    on in neither. Waits (busy time-out) for readers on older snapshots; False when
    one still held on."""
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        log.warning("the WAL could not be truncated after an erase; it will be at the next")
    return not busy
