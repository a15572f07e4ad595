"""Databases full of clients who finished the route, written with direct SQL.

Every client has consented and has a map of eight contacts with all ratings, a few
ties, a goal, two barriers and an ask plan, as the flows store them (the JSON bodies
are the model's own dataclasses). One transaction for everything: 10,000 clients take
seconds, not the minutes the route through the engine would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from itertools import cycle
from pathlib import Path
from typing import Any

from bot.flows.review import review_request
from bot.model import CONSENT_VERSION, DIMENSIONS, SECTORS, AskPlan, Goal
from bot.reminders import QuietHours
from bot.store.repository import Store

CONTACTS_PER_MAP = 8
NAMES = ("Ans", "Bram", "Cor", "Dewi", "Eva", "Fatma", "Gijs", "Hanna")
TIES = ((0, 1), (1, 2), (3, 4), (5, 6), (0, 7))
FIRST_CHAT = 100_000
NO_QUIET = QuietHours(datetime.min.time(), datetime.min.time())
REQUEST = "Wil je zaterdag bij mij koffie komen drinken? Dat zou me echt helpen."


def chat_id(number: int) -> int:
    return FIRST_CHAT + number


def client_id(number: int) -> str:
    return f"tg:{chat_id(number)}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _goal(first_contact: int) -> str:
    goal = Goal(
        kind="contact",
        contact_id=first_contact,
        activity="visit",
        frequency="1_week",
        horizon_months=3,
        first_step="Ans een berichtje sturen",
        cue="tuesday",
        confidence=8,
        confirmed=True,
    )
    return json.dumps(asdict(goal), ensure_ascii=False)


def _plan(first_contact: int) -> str:
    plan = AskPlan(
        contact_id=first_contact,
        request=REQUEST,
        review=review_request(REQUEST),
        reply_yes="Fijn, dank je wel!",
        reply_later="Goed, laat het me weten.",
        reply_no="Dat is jammer, maar ik snap het.",
        after_no="later",
        channel="phone",
        moment="tomorrow",
    )
    return json.dumps(asdict(plan), ensure_ascii=False)


def _rows(count: int, now: datetime) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for every client; ids are given so contacts and ties can refer."""
    stamp = _iso(now)
    ratings = cycle((1, 2, 3, 2, 3))
    for number in range(count):
        client, map_id = client_id(number), number + 1
        yield "clients", (client, "nl", stamp, stamp, CONSENT_VERSION, 0, "", "", 1, stamp)
        yield "sessions", (client, "overview.done", "{}", "[]", 76, 1, stamp, 76)
        yield "maps", (map_id, client, stamp)
        first = number * CONTACTS_PER_MAP + 1
        for position, name in enumerate(NAMES):
            contact = first + position
            sector = SECTORS[(number + position) % len(SECTORS)]
            yield "contacts", (contact, map_id, name, sector, position + 1, stamp)
            for dimension in DIMENSIONS:
                yield "ratings", (contact, dimension, next(ratings), stamp)
        for a, b in TIES:
            yield "ties", (map_id, first + a, first + b)
        yield "goals", (client, _goal(first), stamp)
        yield "barriers", (client, "busy", "")
        yield "barriers", (client, "how_to_ask", "")
        yield "ask_plans", (client, _plan(first), stamp)


SQL = {
    "clients": "INSERT INTO clients (id, locale, created_at, consent_at, consent_version, "
    "alert_consent, gp_phone, hap_phone, active, last_seen_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "sessions": "INSERT INTO sessions (client_id, state, cursor, history, prompt, finished, "
    "updated_at, last_ref) VALUES (?,?,?,?,?,?,?,?)",
    "maps": "INSERT INTO maps (id, client_id, created_at) VALUES (?,?,?)",
    "contacts": "INSERT INTO contacts (id, map_id, name, sector, position, created_at) "
    "VALUES (?,?,?,?,?,?)",
    "ratings": "INSERT INTO ratings (contact_id, dimension, value, answered_at) VALUES (?,?,?,?)",
    "ties": "INSERT INTO ties (map_id, a, b) VALUES (?,?,?)",
    "goals": "INSERT INTO goals (client_id, body, updated_at) VALUES (?,?,?)",
    "barriers": "INSERT INTO barriers (client_id, key, text) VALUES (?,?,?)",
    "ask_plans": "INSERT INTO ask_plans (client_id, body, updated_at) VALUES (?,?,?)",
    "reminders": "INSERT INTO reminders (client_id, kind, due_at, status, created_at) "
    "VALUES (?,?,?,'pending',?)",
}


def build(path: Path, count: int, *, pending_reminders: bool = False) -> Path:
    """A database of `count` clients who finished the route (chats FIRST_CHAT + n); with
    `pending_reminders`, each also has a re-map reminder due in the coming weeks."""
    now = datetime.now(UTC)
    batches: dict[str, list[tuple[Any, ...]]] = {table: [] for table in SQL}
    for table, row in _rows(count, now):
        batches[table].append(row)
    if pending_reminders:
        batches["reminders"] = [
            (client_id(n), "remap", _iso(now + timedelta(days=1 + n % 42)), _iso(now))
            for n in range(count)
        ]
    store = Store.open(path, NO_QUIET)
    try:
        with store.atomic():
            for table, rows in batches.items():
                if rows:
                    store.db.conn.executemany(SQL[table], rows)
    finally:
        store.close()
    return path
