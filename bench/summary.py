"""Part "summary": one professional summary, its text and its PNG picture.

What `Engine._share` makes when a client sends their summary: the text through the
renderer (`professional/summary`) and the map through `Engine.picture` (`render_map`
with the locale's labels), for a client with 8 contacts, all ratings, ties, a goal,
barriers and a plan. The median of the runs after the first; the first is shown apart
(it loads fonts and fills caches).
"""

from __future__ import annotations

import statistics
import time

from bench import fixtures
from bench.context import Context
from bench.table import Line
from bot.engine import Engine
from bot.i18n import renderer
from bot.model import Route, Settings
from bot.store.repository import Store
from bot.summary.report import summary_context

TARGET_MS = 300


def _once(engine: Engine, route: Route) -> tuple[float, int]:
    began = time.perf_counter()
    context = {**summary_context(route), "client_label": "A.B."}
    text = engine.renderer.render("nl", "professional/summary", context)
    picture = engine.picture(route, "nl")
    return time.perf_counter() - began, len(text) + len(picture.content)


async def summary(ctx: Context) -> None:
    table, runs = ctx.table, ctx.sizes.summary_runs
    table.part("summary", f"one professional summary, text + PNG map, median of {runs} runs")
    db = fixtures.build(ctx.folder / "summary.db", 1)
    store = Store.open(db, fixtures.NO_QUIET)
    try:
        engine = Engine(store, renderer(), Settings())
        route = store.load(fixtures.client_id(0), engine.settings)
        assert route is not None and len(route.contacts) == fixtures.CONTACTS_PER_MAP
        first, size = _once(engine, route)
        times = [_once(engine, route)[0] for _ in range(runs)]
    finally:
        store.close()
    median = statistics.median(times) * 1000
    table.add(
        Line(
            "summary: text + picture, median",
            f"< {TARGET_MS} ms",
            f"{median:.0f} ms",
            median < TARGET_MS,
        )
    )
    table.add(Line("summary: the first one (cold)", "-", f"{first * 1000:.0f} ms", None))
    table.note(f"{size / 1024:.0f} kB of text and PNG per summary")
