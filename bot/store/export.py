"""Everything stored about one client, as one JSON-ready dict (shape in the README)."""

from __future__ import annotations

import json
from typing import Any

from bot.store.repository import Store


def _rows(store: Store, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cursor = store.db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _map(store: Store, map_row: dict[str, Any]) -> dict[str, Any]:
    contacts = _rows(
        store,
        "SELECT id, name, sector, position FROM contacts WHERE map_id = ? ORDER BY position",
        (map_row["id"],),
    )
    for contact in contacts:
        ratings = _rows(
            store,
            "SELECT dimension, value FROM ratings WHERE contact_id = ? ORDER BY dimension",
            (contact["id"],),
        )
        contact["ratings"] = {r["dimension"]: r["value"] for r in ratings}
    ties = _rows(store, "SELECT a, b FROM ties WHERE map_id = ?", (map_row["id"],))
    return {**map_row, "contacts": contacts, "ties": [[t["a"], t["b"]] for t in ties]}


def _body(store: Store, table: str, client_id: str) -> dict[str, Any] | None:
    rows = _rows(store, f"SELECT body, updated_at FROM {table} WHERE client_id = ?", (client_id,))
    return {**json.loads(rows[0]["body"]), "updated_at": rows[0]["updated_at"]} if rows else None


def export_client(store: Store, client_id: str) -> dict[str, Any] | None:
    clients = _rows(store, "SELECT * FROM clients WHERE id = ?", (client_id,))
    if not clients:
        return None
    client = clients[0]
    if client["alert_consent"] is not None:
        client["alert_consent"] = bool(client["alert_consent"])
    client["active"] = bool(client["active"])
    maps = _rows(
        store, "SELECT id, created_at FROM maps WHERE client_id = ? ORDER BY id", (client_id,)
    )
    session = _rows(
        store,
        "SELECT state, prompt, finished, updated_at FROM sessions WHERE client_id = ?",
        (client_id,),
    )
    return {
        "client": client,
        "maps": [_map(store, m) for m in maps],
        "goal": _body(store, "goals", client_id),
        "barriers": _rows(
            store,
            "SELECT key, text FROM barriers WHERE client_id = ? ORDER BY rowid",
            (client_id,),
        ),
        "ask_plan": _body(store, "ask_plans", client_id),
        "session": session[0] if session else None,
        "link": next(
            iter(
                _rows(
                    store,
                    "SELECT p.name AS professional, l.label, l.linked_at FROM links l "
                    "JOIN professionals p ON p.id = l.professional_id WHERE l.client_id = ?",
                    (client_id,),
                )
            ),
            None,
        ),
        "shared_summaries": _rows(
            store,
            "SELECT at, text FROM shared_summaries WHERE client_id = ? ORDER BY id",
            (client_id,),
        ),
        "reminders": _rows(
            store,
            "SELECT kind, due_at, status, sent_at FROM reminders WHERE client_id = ? ORDER BY id",
            (client_id,),
        ),
        "checkins": _rows(
            store,
            "SELECT at, outcome, went_well, next_step FROM checkins WHERE client_id = ? "
            "ORDER BY id",
            (client_id,),
        ),
        # Crisis alerts to the professional: when, how many messages, whether it arrived.
        "alerts": _rows(
            store,
            "SELECT at, count, status FROM alerts WHERE client_id = ? ORDER BY id",
            (client_id,),
        ),
        "history": {
            "answers": _rows(
                store,
                "SELECT at, state, kind, value FROM answers WHERE client_id = ? ORDER BY id",
                (client_id,),
            ),
            "happenings": _rows(
                store,
                "SELECT at, kind, state FROM happenings WHERE client_id = ? ORDER BY id",
                (client_id,),
            ),
        },
    }
