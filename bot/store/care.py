"""Professionals, codes, links between clients and professionals, shared summaries and
the audit log. The professional side of the store."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot import codes
from bot.model import Link, Professional
from bot.store.erasure import secret_key

CHAT_KEY = "chat"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Redeemed:
    kind: str  # "register" or "link"
    professional: Professional
    label: str


@dataclass(frozen=True, slots=True)
class ClientRow:
    client_id: str
    label: str
    linked_at: str
    state: str
    last_seen_at: str | None


class CareStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        return self.db.execute(sql, params).fetchone()

    # Professionals --------------------------------------------------------------------

    def add_professional(self, name: str) -> tuple[Professional, str]:
        """A new professional and their single-use registration code."""
        cursor = self.db.execute(
            "INSERT INTO professionals (name, created_at) VALUES (?, ?)", (name, _iso(_now()))
        )
        professional = self.professional(int(cursor.lastrowid or 0))
        assert professional is not None
        code = self.new_code("register", professional.id, days=codes.REGISTER_DAYS)
        self.audit("admin", "add-professional", f"professional:{professional.id}")
        return professional, code

    def professional(self, professional_id: int) -> Professional | None:
        row = self._one(
            "SELECT id, name, chat_id, locale, active FROM professionals WHERE id = ?",
            (professional_id,),
        )
        return Professional(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def professional_by_chat(self, chat_id: str) -> Professional | None:
        row = self._one(
            "SELECT id, name, chat_id, locale, active FROM professionals "
            "WHERE chat_id = ? AND active = 1",
            (chat_id,),
        )
        return Professional(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def professionals(self) -> list[Professional]:
        rows = self.db.execute(
            "SELECT id, name, chat_id, locale, active FROM professionals ORDER BY id"
        )
        return [Professional(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def set_professional_active(self, professional_id: int, active: bool) -> bool:
        cursor = self.db.execute(
            "UPDATE professionals SET active = ? WHERE id = ?", (int(active), professional_id)
        )
        self.audit(
            "admin", "activate" if active else "deactivate", f"professional:{professional_id}"
        )
        return cursor.rowcount > 0

    def remove_professional(self, professional_id: int) -> bool:
        cursor = self.db.execute("DELETE FROM professionals WHERE id = ?", (professional_id,))
        self.audit("admin", "remove-professional", f"professional:{professional_id}")
        return cursor.rowcount > 0

    # The professional's command menu (set and removed by the channel) ------------------

    def menus_to_set(self) -> list[tuple[str, str]]:
        """(chat, locale) of active registered professionals whose menu is not set yet."""
        rows = self.db.execute(
            "SELECT p.chat_id, p.locale FROM professionals p "
            "LEFT JOIN pro_menus m ON m.chat_id = p.chat_id "
            "WHERE p.active = 1 AND p.chat_id IS NOT NULL "
            "AND (m.chat_id IS NULL OR m.locale != p.locale) ORDER BY p.id"
        )
        return [(row[0], row[1]) for row in rows]

    def menus_to_remove(self) -> list[str]:
        """Chats with a professional's menu that no longer belong to an active professional."""
        rows = self.db.execute(
            "SELECT m.chat_id FROM pro_menus m WHERE NOT EXISTS (SELECT 1 FROM professionals p "
            "WHERE p.chat_id = m.chat_id AND p.active = 1) ORDER BY m.chat_id"
        )
        return [row[0] for row in rows]

    def menu_set(self, chat: str, locale: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pro_menus (chat_id, locale, at) VALUES (?, ?, ?)",
            (chat, locale, _iso(_now())),
        )

    def menu_removed(self, chat: str) -> None:
        self.db.execute("DELETE FROM pro_menus WHERE chat_id = ?", (chat,))

    # Codes ------------------------------------------------------------------------------

    def new_code(self, kind: str, professional_id: int, *, days: int, label: str = "") -> str:
        code = codes.new_code()
        now = _now()
        self.db.execute(
            "INSERT INTO codes (hash, kind, professional_id, label, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                codes.code_hash(code),
                kind,
                professional_id,
                label,
                _iso(now),
                _iso(now + timedelta(days=days)),
            ),
        )
        return code

    def chat_key(self, chat: str) -> str:
        """A salted hash of a chat: recognises the same chat again (wrong codes, a held
        code) without storing who it is before they consented."""
        key = secret_key(self.db, CHAT_KEY)
        return hmac.new(key, chat.encode(), hashlib.sha256).hexdigest()[:32]

    def locked(self, chat: str) -> bool:
        since = _iso(_now() - timedelta(minutes=codes.LOCK_WINDOW_MINUTES))
        row = self._one(
            "SELECT count(*) FROM code_attempts WHERE chat = ? AND at > ?",
            (self.chat_key(chat), since),
        )
        return bool(row and row[0] >= codes.LOCK_AFTER)

    def failed_attempt(self, chat: str) -> None:
        """Counted for the lock-out, kept for its window (an hour) and no longer."""
        since = _iso(_now() - timedelta(minutes=codes.LOCK_WINDOW_MINUTES))
        self.db.execute("DELETE FROM code_attempts WHERE at <= ?", (since,))
        self.db.execute(
            "INSERT INTO code_attempts (chat, at) VALUES (?, ?)",
            (self.chat_key(chat), _iso(_now())),
        )

    def _usable(self, chat: str, typed: str) -> Redeemed | None:
        """The code's use, if it can be used by this chat now: known, unused, not
        expired, not held for someone else, its professional active."""
        row = self._one(
            "SELECT kind, professional_id, label, expires_at, used_at, held_by, held_until "
            "FROM codes WHERE hash = ?",
            (codes.code_hash(typed),),
        )
        now = _iso(_now())
        if row is None or row[4] is not None or row[3] <= now:
            return None
        if row[5] and row[6] and row[6] > now and row[5] != self.chat_key(chat):
            return None
        professional = self.professional(row[1])
        if professional is None or not professional.active:
            return None
        return Redeemed(row[0], professional, row[2])

    def inactive_owner(self, typed: str) -> Professional | None:
        """The professional of a usable code who is no longer active: such a code is not
        a wrong guess, and the client should hear why it does not work."""
        row = self._one(
            "SELECT professional_id, expires_at, used_at FROM codes WHERE hash = ?",
            (codes.code_hash(typed),),
        )
        if row is None or row[2] is not None or row[1] <= _iso(_now()):
            return None
        professional = self.professional(row[0])
        return professional if professional and not professional.active else None

    def former_professional(self, chat_id: str) -> Professional | None:
        """A deactivated professional writing from their registered chat."""
        row = self._one(
            "SELECT id FROM professionals WHERE chat_id = ? AND active = 0", (chat_id,)
        )
        return self.professional(row[0]) if row else None

    def redeem(self, chat: str, typed: str) -> Redeemed | None:
        """Use a code once. None when it is unknown, used, expired, held for another
        chat, or its professional is no longer active; the caller counts that as a
        wrong attempt."""
        redeemed = self._usable(chat, typed)
        if redeemed is not None:
            self.db.execute(
                "UPDATE codes SET used_at = ?, used_by = ?, held_by = NULL, held_until = NULL "
                "WHERE hash = ?",
                (_iso(_now()), chat, codes.code_hash(typed)),
            )
        return redeemed

    def hold(self, chat: str, typed: str) -> Redeemed | None:
        """A link code used before consent: held for this chat (by its salted hash) for
        a while, not used yet; `take_hold` uses it once the client consented. A restart
        in between loses neither the link nor the code."""
        redeemed = self._usable(chat, typed)
        if redeemed is not None and redeemed.kind == "link":
            until = _iso(_now() + timedelta(hours=codes.HOLD_HOURS))
            self.db.execute(
                "UPDATE codes SET held_by = ?, held_until = ? WHERE hash = ?",
                (self.chat_key(chat), until, codes.code_hash(typed)),
            )
        return redeemed

    def take_hold(self, chat: str) -> Redeemed | None:
        """At consent: the link code this chat holds, now used; None when there is none
        (any more: expired, or its professional removed or deactivated)."""
        key, now = self.chat_key(chat), _iso(_now())
        row = self._one(
            "SELECT hash, kind, professional_id, label FROM codes WHERE held_by = ? "
            "AND held_until > ? AND used_at IS NULL AND expires_at > ? "
            "ORDER BY held_until DESC LIMIT 1",
            (key, now, now),
        )
        self.db.execute(
            "UPDATE codes SET held_by = NULL, held_until = NULL WHERE held_by = ?", (key,)
        )
        if row is None:
            return None
        professional = self.professional(row[2])
        if professional is None or not professional.active:
            return None
        self.db.execute(
            "UPDATE codes SET used_at = ?, used_by = ? WHERE hash = ?", (now, chat, row[0])
        )
        return Redeemed(row[1], professional, row[3])

    def register(self, professional_id: int, chat: str) -> Professional:
        self.db.execute("UPDATE professionals SET chat_id = NULL WHERE chat_id = ?", (chat,))
        self.db.execute(
            "UPDATE professionals SET chat_id = ?, registered_at = ? WHERE id = ?",
            (chat, _iso(_now()), professional_id),
        )
        self.audit(chat, "register", f"professional:{professional_id}")
        professional = self.professional(professional_id)
        assert professional is not None
        return professional

    def forget(self, chat: str) -> None:
        """An erased client leaves no trace in the code tables either."""
        key = self.chat_key(chat)
        self.db.execute("DELETE FROM code_attempts WHERE chat IN (?, ?)", (chat, key))
        self.db.execute("UPDATE codes SET used_by = NULL WHERE used_by = ?", (chat,))
        self.db.execute(
            "UPDATE codes SET held_by = NULL, held_until = NULL WHERE held_by = ?", (key,)
        )

    # Links ------------------------------------------------------------------------------

    def link(self, client_id: str, professional_id: int, label: str) -> None:
        self.db.execute(
            "INSERT INTO links (client_id, professional_id, label, linked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(client_id) DO UPDATE SET professional_id = excluded.professional_id, "
            "label = excluded.label, linked_at = excluded.linked_at",
            (client_id, professional_id, label, _iso(_now())),
        )
        self.audit(client_id, "link", f"professional:{professional_id}")

    def unlink(self, client_id: str, actor: str) -> Link | None:
        link = self.link_of(client_id)
        if link is not None:
            self.db.execute("DELETE FROM links WHERE client_id = ?", (client_id,))
            self.audit(actor, "unlink", f"{client_id} professional:{link.professional_id}")
        return link

    def link_of(self, client_id: str) -> Link | None:
        row = self._one(
            "SELECT client_id, professional_id, label, linked_at FROM links WHERE client_id = ?",
            (client_id,),
        )
        return Link(*row) if row else None

    def client_locale(self, client_id: str) -> str:
        row = self._one("SELECT locale FROM clients WHERE id = ?", (client_id,))
        return row[0] if row else "nl"

    def clients_of(self, professional_id: int) -> list[ClientRow]:
        rows = self.db.execute(
            "SELECT l.client_id, l.label, l.linked_at, coalesce(s.state, ''), c.last_seen_at "
            "FROM links l JOIN clients c ON c.id = l.client_id "
            "LEFT JOIN sessions s ON s.client_id = l.client_id "
            "WHERE l.professional_id = ? ORDER BY l.linked_at",
            (professional_id,),
        )
        return [ClientRow(*row) for row in rows]

    # Shared summaries -------------------------------------------------------------------

    def share(
        self,
        client_id: str,
        professional_id: int,
        text: str,
        image: bytes | None,
        goal: str | None = None,
    ) -> None:
        """Store a sent summary; `goal` (JSON) is the goal as it stood, for the next one."""
        self.db.execute(
            "INSERT INTO shared_summaries (client_id, professional_id, at, text, image, goal) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (client_id, professional_id, _iso(_now()), text, image, goal),
        )
        self.audit(client_id, "summary-sent", f"professional:{professional_id}")

    def summary_messages_sent(self, client_id: str, chat: str, ids: tuple[int, ...]) -> None:
        for message_id in ids:
            self.db.execute(
                "INSERT INTO summary_messages (client_id, chat, message_id, sent_at) "
                "VALUES (?, ?, ?, ?)",
                (client_id, chat, message_id, _iso(_now())),
            )

    def take_summary_messages(self, client_id: str) -> list[tuple[str, int, str]]:
        """The summary messages of a client who erased everything: (chat, id, sent at).
        The rows go now; the caller deletes the messages."""
        rows = self.db.execute(
            "SELECT chat, message_id, sent_at FROM summary_messages WHERE client_id = ? "
            "ORDER BY id",
            (client_id,),
        ).fetchall()
        self.db.execute("DELETE FROM summary_messages WHERE client_id = ?", (client_id,))
        return [tuple(r) for r in rows]  # type: ignore[misc]

    def latest_shared(
        self, client_id: str, professional_id: int
    ) -> tuple[str, bytes | None] | None:
        row = self._one(
            "SELECT text, image FROM shared_summaries WHERE client_id = ? AND professional_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (client_id, professional_id),
        )
        return (row[0], row[1]) if row else None

    # Audit ------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, subject: str = "") -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor, action, subject) VALUES (?, ?, ?, ?)",
            (_iso(_now()), actor, action, subject),
        )

    def audit_log(self) -> list[tuple[str, str, str, str]]:
        rows = self.db.execute("SELECT at, actor, action, subject FROM audit ORDER BY id")
        return [tuple(r) for r in rows]  # type: ignore[misc]
