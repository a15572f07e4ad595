"""The functions the engine calls to read and write a client's route.

Reads return the dataclasses of `bot.model`; writes take the effects of `bot.effects`.
Hot paths use plain SQL on sqlite-utils' connection: one event costs a handful of
indexed queries inside one transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta
from functools import singledispatchmethod
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot import effects as fx
from bot import reminders
from bot.files import remove_files
from bot.model import (
    AskPlan,
    Barrier,
    Contact,
    Goal,
    MapPoint,
    Profile,
    Route,
    Session,
    Settings,
    Tie,
)
from bot.store import erasure
from bot.store.agenda import Agenda
from bot.store.alerts import AlertLog, Outbox
from bot.store.backup import BackupError, check_version, upgrade
from bot.store.care import CareStore
from bot.store.lock import setup_lock
from bot.store.schema import migrations

BUSY_TIMEOUT_MS = 30_000
WAL_LIMIT_BYTES = 64 * 1024 * 1024


def now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _from_json(cls: type, body: str) -> Any:
    data = json.loads(body)
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})


def writable(path: Path) -> bool:
    """Whether SQLite could write here: the file and its folder (for -wal and -shm).
    access() answers False on a read-only file system, for root too."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def open_readonly(path: Path) -> Database:
    """For commands that only read (export, audit, lists) on a disk that cannot be
    written: no WAL switch, no migration, nothing created. When even the -shm cannot be
    made, the file is read as it is on disk (immutable)."""
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    db = Database(conn)
    check_version(db, str(path))
    if migrations.pending(db):
        raise BackupError(
            f"{path} is from an older version and cannot be updated on a read-only disk; "
            "copy it to a writable place first"
        )
    return db


def open_database(path: str | Path) -> Database:
    """Open (or create) the database file, readable by its owner only: it holds
    special-category health data."""
    if str(path) != ":memory:":
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(target, 0o600)
    if str(path) == ":memory:":
        return _prepare(Database(memory=True), None)
    with setup_lock(Path(path)):
        return _prepare(Database(path), Path(path))


def _prepare(db: Database, path: Path | None) -> Database:
    db.execute("PRAGMA foreign_keys = ON")
    # Deleted content is overwritten with zeros, not left in free pages (an erase must
    # leave nothing behind, whatever this SQLite's compile-time default is).
    db.execute("PRAGMA secure_delete = ON")
    # Another process (an admin command, a backup) may hold the write lock for a moment:
    # wait for it rather than fail.
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if path is not None:
        db.enable_wal()
        # WAL with synchronous=NORMAL survives a killed process; only a power cut
        # can lose the last commits.
        db.execute("PRAGMA synchronous = NORMAL")
        # A checkpoint cuts the WAL back to this size, so a burst does not keep its
        # disk space for good (a full disk must clear once space is back).
        db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    upgrade(db, path)
    return db


class Store:
    def __init__(self, db: Database, quiet: reminders.QuietHours | None = None) -> None:
        self.db = db
        self.quiet = quiet or reminders.QuietHours()
        self.care = CareStore(db)
        self.agenda = Agenda(db)
        self.alerts = AlertLog(db)
        self.outbox = Outbox(db)
        self.path: Path | None = None  # the database file; None in memory
        self._checkpoint_after_commit = False
        self.readonly = False
        self._consented: set[str] = set()

    @classmethod
    def open_for_reading(cls, path: str | Path) -> Store:
        """Read-only commands: the normal open where the disk can be written, else a
        read-only one (see open_readonly)."""
        target = Path(path)
        if writable(target):
            return cls.open(target)
        store = cls(open_readonly(target))
        store.path, store.readonly = target, True
        return store

    @classmethod
    def open(cls, path: str | Path, quiet: reminders.QuietHours | None = None) -> Store:
        store = cls(open_database(path), quiet)
        store.path = None if str(path) == ":memory:" else Path(path)
        return store

    def audit_reading(self, actor: str, action: str, subject: str) -> bool:
        """Audit an export; False when the database is read-only and cannot hold the
        row (the caller says so: the export still goes ahead)."""
        if self.readonly:
            return False
        self.care.audit(actor, action, subject)
        return True

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One write transaction. It takes the write lock at BEGIN (IMMEDIATE), so a
        second process holding it makes this one wait (busy time-out) rather than fail
        half-way, when a deferred read would have to become a write."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():  # nested: a savepoint
                yield
            return
        conn.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        finally:
            # An erase asks for a checkpoint; only a committed one gets it.
            scrub, self._checkpoint_after_commit = self._checkpoint_after_commit, False
        if scrub:
            erasure.checkpoint(self.db)

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        return self.db.execute(sql, params).fetchone()

    # Reading ----------------------------------------------------------------------------

    def load(self, client_id: str, settings: Settings) -> Route | None:
        profile = self.load_profile(client_id)
        if profile is None:
            return None
        route = Route(profile, self.load_session(client_id), settings)
        maps = self.db.execute(
            "SELECT id FROM maps WHERE client_id = ? ORDER BY id DESC LIMIT 2", (client_id,)
        ).fetchall()
        if maps:
            route.map_id = maps[0][0]
            route.contacts = self.load_contacts(route.map_id)
            route.ties = self.load_ties(route.map_id)
        if len(maps) > 1:
            route.previous_contacts = self.load_contacts(maps[1][0])
            route.previous_ties = self.load_ties(maps[1][0])
            route.trend = self.map_trend(client_id)
        linked = self._one(
            "SELECT p.name FROM links l JOIN professionals p ON p.id = l.professional_id "
            "WHERE l.client_id = ? AND p.active = 1 AND p.chat_id IS NOT NULL",
            (client_id,),
        )
        route.linked_to = linked[0] if linked else ""
        counted = self._one("SELECT count(*) FROM maps WHERE client_id = ?", (client_id,))
        route.map_number = counted[0] if counted else 0
        shared = self._one(
            "SELECT goal FROM shared_summaries WHERE client_id = ? AND goal IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (client_id,),
        )
        route.shared_goal = _from_json(Goal, shared[0]) if shared else None
        route.checkins = list(self.agenda.checkins(client_id, limit=5))
        route.goal = self._load_body("goals", client_id, Goal)
        route.plan = self._load_body("ask_plans", client_id, AskPlan)
        route.barriers = self.load_barriers(client_id)
        return route

    def load_profile(self, client_id: str) -> Profile | None:
        row = self._one(
            "SELECT locale, consent_at, consent_version, alert_consent, gp_phone, hap_phone "
            "FROM clients WHERE id = ?",
            (client_id,),
        )
        if row is None:
            return None
        alert = None if row[3] is None else bool(row[3])
        consent_at = datetime.fromisoformat(row[1]) if row[1] else None
        return Profile(client_id, row[0], consent_at, row[2], alert, row[4], row[5])

    def load_session(self, client_id: str) -> Session:
        row = self._one(
            "SELECT state, cursor, history, prompt, finished, last_ref, checking FROM sessions "
            "WHERE client_id = ?",
            (client_id,),
        )
        if row is None:
            return Session("intake.welcome")
        history = [(state, cursor) for state, cursor in json.loads(row[2])]
        return Session(row[0], json.loads(row[1]), history, row[3], bool(row[4]), row[5], row[6])

    def load_contacts(self, map_id: int) -> list[Contact]:
        contacts: dict[int, Contact] = {}
        for cid, name, sector, position in self.db.execute(
            "SELECT id, name, sector, position FROM contacts WHERE map_id = ? ORDER BY position",
            (map_id,),
        ):
            contacts[cid] = Contact(cid, name, sector, position)
        if contacts:
            marks = ",".join("?" * len(contacts))
            for cid, dimension, value in self.db.execute(
                f"SELECT contact_id, dimension, value FROM ratings WHERE contact_id IN ({marks})",
                tuple(contacts),
            ):
                if value is not None:
                    contacts[cid].ratings[dimension] = value
                else:
                    contacts[cid].skipped.add(dimension)
        return list(contacts.values())

    def map_trend(self, client_id: str) -> list[MapPoint]:
        """Per map, oldest first: people, life areas, weekly contacts, "bijna altijd"."""
        rows = self.db.execute(
            "SELECT m.created_at, count(c.id), count(DISTINCT c.sector), "
            "(SELECT count(*) FROM ratings r JOIN contacts k ON k.id = r.contact_id "
            " WHERE k.map_id = m.id AND r.dimension = 'frequency' AND r.value = 3), "
            "(SELECT count(DISTINCT r.contact_id) FROM ratings r "
            " JOIN contacts k ON k.id = r.contact_id WHERE k.map_id = m.id "
            " AND r.dimension IN ('practical', 'emotional', 'advice') AND r.value = 3) "
            "FROM maps m LEFT JOIN contacts c ON c.map_id = m.id "
            "WHERE m.client_id = ? GROUP BY m.id ORDER BY m.id",
            (client_id,),
        )
        return [MapPoint(n, *row) for n, row in enumerate(rows, start=1)]

    def load_ties(self, map_id: int) -> list[Tie]:
        rows = self.db.execute("SELECT a, b FROM ties WHERE map_id = ?", (map_id,))
        return [Tie(a, b) for a, b in rows]

    def load_barriers(self, client_id: str) -> list[Barrier]:
        rows = self.db.execute(
            "SELECT key, text FROM barriers WHERE client_id = ? ORDER BY rowid", (client_id,)
        )
        return [Barrier(key, text) for key, text in rows]

    def _load_body(self, table: str, client_id: str, cls: type) -> Any:
        row = self._one(f"SELECT body FROM {table} WHERE client_id = ?", (client_id,))
        return _from_json(cls, row[0]) if row else None

    # Writing ----------------------------------------------------------------------------

    def create_client(self, profile: Profile) -> None:
        self.db.execute(
            "INSERT INTO clients (id, locale, created_at) VALUES (?, ?, ?)",
            (profile.client_id, profile.locale, _iso(now())),
        )
        self.save_profile(profile)

    def save_profile(self, profile: Profile) -> None:
        self.db.execute(
            "UPDATE clients SET locale = ?, consent_at = ?, consent_version = ?, "
            "alert_consent = ?, gp_phone = ?, hap_phone = ?, last_seen_at = ? WHERE id = ?",
            (
                profile.locale,
                _iso(profile.consent_at),
                profile.consent_version,
                profile.alert_consent,
                profile.gp_phone,
                profile.hap_phone,
                _iso(now()),
                profile.client_id,
            ),
        )

    def save_session(self, client_id: str, session: Session) -> None:
        self.db.execute(
            "INSERT INTO sessions (client_id, state, cursor, history, prompt, finished, "
            "updated_at, last_ref, checking) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(client_id) DO UPDATE SET state = excluded.state, "
            "cursor = excluded.cursor, history = excluded.history, prompt = excluded.prompt, "
            "finished = excluded.finished, updated_at = excluded.updated_at, "
            "last_ref = excluded.last_ref, checking = excluded.checking",
            (
                client_id,
                session.state,
                json.dumps(session.cursor, ensure_ascii=False),
                json.dumps(session.history, ensure_ascii=False),
                session.prompt,
                int(session.finished),
                _iso(now()),
                session.last_ref,
                session.checking,
            ),
        )
        # Writing to us means the client can be reached again (see set_active).
        self.db.execute(
            "UPDATE clients SET active = 1, last_seen_at = ? WHERE id = ?",
            (_iso(now()), client_id),
        )

    def set_active(self, client_id: str, *, active: bool) -> None:
        self.db.execute("UPDATE clients SET active = ? WHERE id = ?", (int(active), client_id))

    def new_map(self, client_id: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO maps (client_id, created_at) VALUES (?, ?)", (client_id, _iso(now()))
        )
        return int(cursor.lastrowid or 0)

    def log_answer(self, client_id: str, state: str, kind: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO answers (client_id, at, state, kind, value) VALUES (?, ?, ?, ?, ?)",
            (client_id, _iso(now()), state, kind, value),
        )

    def log_happening(self, client_id: str, kind: str, state: str = "") -> None:
        """Session history without content: started, paused, crisis, finished, ..."""
        self.db.execute(
            "INSERT INTO happenings (client_id, at, kind, state) VALUES (?, ?, ?, ?)",
            (client_id, _iso(now()), kind, state),
        )

    def erase(self, client_id: str, actor: str, action: str = "erase") -> None:
        """Everything about the client: the cascade takes the map, answers, goal, plan,
        reminders, check-ins, links and shared summaries; the code tables follow, the
        audit log keeps a pseudonym, the terminal's files go. Once the transaction is
        committed the WAL is checkpointed away (see bot.store.erasure)."""
        self.db.execute("DELETE FROM clients WHERE id = ?", (client_id,))
        self.care.forget(client_id)
        name = erasure.pseudonymise_audit(self.db, client_id)
        self.care.audit(name if actor == client_id else actor, action, name)
        if self.path is not None:
            remove_files(self.path, client_id)
        if self.db.conn.in_transaction:
            self._checkpoint_after_commit = True
        else:
            erasure.checkpoint(self.db)

    # Effects ------------------------------------------------------------------------------

    @singledispatchmethod
    def apply(self, effect: object, route: Route) -> None:
        raise TypeError(f"no store write for {type(effect).__name__}")

    @apply.register
    def _(self, effect: fx.SaveProfile, route: Route) -> None:
        self.save_profile(effect.profile)

    def take_consented(self, client_id: str) -> bool:
        """Whether this client consented since the last ask (then a held link code is
        looked up: once, not at every answer)."""
        if client_id in self._consented:
            self._consented.discard(client_id)
            return True
        return False

    @apply.register
    def _(self, effect: fx.GiveConsent, route: Route) -> None:
        self._consented.add(route.profile.client_id)
        profile = route.profile
        profile.consent_at, profile.consent_version = now(), effect.version
        if self.load_profile(profile.client_id) is None:
            self.create_client(profile)
        else:
            self.save_profile(profile)
        if route.map_id is None:
            route.map_id = self.new_map(profile.client_id)

    @apply.register
    def _(self, effect: fx.AddContact, route: Route) -> None:
        position = max((c.position for c in route.contacts), default=0) + 1
        self.db.execute(
            "INSERT INTO contacts (map_id, name, sector, position, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (route.map_id, effect.name, effect.sector, position, _iso(now())),
        )

    @apply.register
    def _(self, effect: fx.UpdateContact, route: Route) -> None:
        self.db.execute(
            "UPDATE contacts SET name = ?, sector = ? WHERE id = ? AND map_id = ?",
            (effect.name, effect.sector, effect.contact_id, route.map_id),
        )

    @apply.register
    def _(self, effect: fx.RemoveContact, route: Route) -> None:
        self.db.execute(
            "DELETE FROM contacts WHERE id = ? AND map_id = ?", (effect.contact_id, route.map_id)
        )

    @apply.register
    def _(self, effect: fx.SetRating, route: Route) -> None:
        if route.contact(effect.contact_id) is None:
            return  # never write a rating for a contact that is not on this client's map
        self.db.execute(
            "INSERT INTO ratings (contact_id, dimension, value, answered_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(contact_id, dimension) DO UPDATE SET value = excluded.value, "
            "answered_at = excluded.answered_at",
            (effect.contact_id, effect.dimension, effect.value, _iso(now())),
        )

    @apply.register
    def _(self, effect: fx.SetTies, route: Route) -> None:
        mine = {c.id for c in route.contacts}
        if effect.contact_id not in mine:
            return
        self.db.execute(
            "DELETE FROM ties WHERE map_id = ? AND (a = ? OR b = ?)",
            (route.map_id, effect.contact_id, effect.contact_id),
        )
        for other in set(effect.others) & mine - {effect.contact_id}:
            a, b = sorted((effect.contact_id, other))
            self.db.execute(
                "INSERT OR IGNORE INTO ties (map_id, a, b) VALUES (?, ?, ?)", (route.map_id, a, b)
            )

    @apply.register
    def _(self, effect: fx.SaveGoal, route: Route) -> None:
        self._save_body("goals", route.profile.client_id, asdict(effect.goal))

    @apply.register
    def _(self, effect: fx.SavePlan, route: Route) -> None:
        self._save_body("ask_plans", route.profile.client_id, asdict(effect.plan))
        self._schedule_ask(route, effect.plan)

    @apply.register
    def _(self, effect: fx.SaveBarriers, route: Route) -> None:
        client_id = route.profile.client_id
        self.db.execute("DELETE FROM barriers WHERE client_id = ?", (client_id,))
        for barrier in effect.barriers:
            self.db.execute(
                "INSERT OR REPLACE INTO barriers (client_id, key, text) VALUES (?, ?, ?)",
                (client_id, barrier.key, barrier.text),
            )

    @apply.register
    def _(self, effect: fx.SaveCheckin, route: Route) -> None:
        client_id = route.profile.client_id
        if effect.outcome and effect.again and self.agenda.checkins(client_id, limit=1):
            self.agenda.update_checkin(client_id, outcome=effect.outcome)
        elif effect.outcome:
            self.agenda.add_checkin(client_id, effect.outcome, now())
        changes = {"went_well": effect.went_well, "next_step": effect.next_step}
        self.agenda.update_checkin(client_id, **{k: v for k, v in changes.items() if v})

    def _schedule_ask(self, route: Route, plan: AskPlan) -> None:
        """A chosen moment becomes a reminder, and a check-in some time after it."""
        client_id = route.profile.client_id
        old = route.plan.moment if route.plan else ""
        planned = {r.kind for r in self.agenda.pending(client_id)}
        if plan.moment == old and "ask" in planned:
            return  # another answer of the plan saved; the moment stands
        moment = now()
        due = reminders.ask_moment(plan.moment, moment, self.quiet)
        if due is None:
            # No time to remind at: the check-in that belonged to the old moment goes too,
            # or it would come before anything was asked.
            self.agenda.cancel(client_id, "ask")
            self.agenda.cancel(client_id, "checkin")
            return
        rhythm = self.agenda.rhythm(client_id)
        self.agenda.schedule(client_id, "ask", due, moment)
        after = timedelta(hours=rhythm.checkin_hours)
        self.agenda.schedule(
            client_id, "checkin", reminders.checkin_moment(due, after, self.quiet), moment
        )

    def replan_rhythm(self, client_id: str) -> None:
        """A new rhythm moves what is already planned: the check-in counts from the moment
        to ask, the new map from the day it was planned."""
        rhythm = self.agenda.rhythm(client_id)
        rows = self.db.execute(
            "SELECT id, kind, created_at FROM reminders "
            "WHERE client_id = ? AND status = 'pending'",
            (client_id,),
        ).fetchall()
        asked = self.db.execute(
            "SELECT max(due_at) FROM reminders WHERE client_id = ? AND kind = 'ask' "
            "AND status IN ('pending', 'sent')",
            (client_id,),
        ).fetchone()[0]
        for reminder_id, kind, created in rows:
            if kind == "remap":
                planned = datetime.fromisoformat(created)
                due = reminders.remap_moment(planned, rhythm.remap_weeks, self.quiet)
            elif kind == "checkin" and asked:
                after = timedelta(hours=rhythm.checkin_hours)
                due = reminders.checkin_moment(datetime.fromisoformat(asked), after, self.quiet)
            else:
                continue
            self.agenda.move(reminder_id, due)

    def plan_remap(self, client_id: str) -> None:
        if any(r.kind == "remap" for r in self.agenda.pending(client_id)):
            return
        weeks = self.agenda.rhythm(client_id).remap_weeks
        due = reminders.remap_moment(now(), weeks, self.quiet)
        self.agenda.schedule(client_id, "remap", due, now())

    def remap(self, route: Route) -> int:
        """A new map that starts as a copy of the last one (names and sectors), so the
        client changes what changed and the ratings are asked afresh."""
        map_id = self.new_map(route.profile.client_id)
        for contact in route.contacts:
            self.db.execute(
                "INSERT INTO contacts (map_id, name, sector, position, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (map_id, contact.name, contact.sector, contact.position, _iso(now())),
            )
        return map_id

    def _save_body(self, table: str, client_id: str, body: dict[str, Any]) -> None:
        self.db.execute(
            f"INSERT INTO {table} (client_id, body, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(client_id) DO UPDATE SET body = excluded.body, "
            "updated_at = excluded.updated_at",
            (client_id, json.dumps(body, ensure_ascii=False), _iso(now())),
        )
