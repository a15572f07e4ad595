"""Part "engine": the engine alone, no network: events a second through `Engine.handle`
with the SQLite store on a temporary file, in this one process.

The users take turns (one action each, round after round), so every event loads a
different client's route, as in a busy bot. The map picture is counted apart: drawn
inside `handle()` it is timed there; handed out to be drawn by the channel
(`Reply.picture`), it is drawn after the run, so the cost shows either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench import fixtures, script
from bench.context import Context
from bench.script import FINAL_STATE, Action
from bench.table import Line
from bot.engine import Engine
from bot.events import Attachment, Event, Reply
from bot.i18n import renderer
from bot.model import Route, Settings
from bot.store.repository import Store

TARGET = 2_000


@dataclass
class Run:
    events: int = 0
    seconds: float = 0.0
    inside: int = 0  # pictures drawn inside handle() ...
    inside_seconds: float = 0.0  # ... and the time that took (part of `seconds`)
    deferred: list[Callable[[], Attachment]] = field(default_factory=list)
    deferred_seconds: float = 0.0  # drawing the deferred pictures, after the run


class EngineUser:
    def __init__(self, engine: Engine, client_id: str, run: Run) -> None:
        self.engine, self.client_id, self.run = engine, client_id, run
        self.replies: list[Reply] = []

    def act(self, action: Action) -> None:
        self.replies = self.engine.handle(self.client_id, self._event(action))
        self.run.events += 1
        self.run.deferred.extend(r.picture for r in self.replies if r.picture is not None)

    def _event(self, action: Action) -> Event:
        if action.kind == "start":
            return Event.start()
        if action.kind == "say":
            return Event.typed(action.text)
        for reply in reversed(self.replies):
            for button in reply.buttons:
                if button.label == action.text:
                    return Event.chose(button.value, reply.prompt)
        raise LookupError(f"{self.client_id}: no button {action.text!r}")


def _timed_pictures(engine: Engine, run: Run) -> None:
    """Time Engine.picture when handle() calls it, without changing what it does."""
    picture = engine.picture

    def timed(route: Route, locale: str) -> Attachment:
        began = time.perf_counter()
        try:
            return picture(route, locale)
        finally:
            run.inside += 1
            run.inside_seconds += time.perf_counter() - began

    engine.picture = timed  # type: ignore[method-assign]


def _run(store: Store, actions: Sequence[Action], count: int, budget: float) -> Run:
    engine, run = Engine(store, renderer(), Settings()), Run()
    _timed_pictures(engine, run)
    users = [EngineUser(engine, fixtures.client_id(n), run) for n in range(count)]
    started = time.perf_counter()
    for action in actions:
        if time.perf_counter() - started > budget:
            break
        for user in users:
            user.act(action)
    run.seconds = time.perf_counter() - started
    began = time.perf_counter()
    for draw in run.deferred:
        draw()
    run.deferred_seconds = time.perf_counter() - began
    return run


def _picture_lines(run: Run) -> list[Line]:
    pictures = run.inside + len(run.deferred)
    if not pictures:
        return []
    each = (run.inside_seconds + run.deferred_seconds) / pictures * 1000
    where = "in handle()" if run.inside else "by the channel"
    with_them = run.events / (run.seconds + run.deferred_seconds)
    lines = [
        Line(f"engine: map picture, drawn {where}", "-", f"{each:.0f} ms x {pictures}", None),
        Line("engine: events/s, pictures drawn too", "-", f"{with_them:,.0f}/s", None),
    ]
    if run.inside:
        without = run.events / (run.seconds - run.inside_seconds)
        lines.append(Line("engine: events/s without the pictures", "-", f"{without:,.0f}/s", None))
    return lines


async def engine(ctx: Context) -> None:
    table, count = ctx.table, ctx.sizes.engine_clients
    table.part("engine", f"Engine.handle alone, {count} clients through the route, SQLite file")
    actions = script.record()
    store = Store.open(ctx.folder / "engine.db", fixtures.NO_QUIET)
    try:
        run = _run(store, actions, count, ctx.sizes.engine_budget)
        finished = store.db.execute(
            "SELECT count(*) FROM sessions WHERE state = ?", (FINAL_STATE,)
        ).fetchone()[0]
    finally:
        store.close()
    rate = run.events / run.seconds
    table.note(
        f"{run.events:,} events in {run.seconds:.1f}s; {finished} of {count} clients at the end"
    )
    table.add(Line("engine: events/s", f">= {TARGET:,}/s", f"{rate:,.0f}/s", rate >= TARGET))
    mean = run.seconds / run.events * 1000
    table.add(Line("engine: mean per event", "-", f"{mean:.2f} ms", None))
    for line in _picture_lines(run):
        table.add(line)
