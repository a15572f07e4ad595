"""Crisis recognition on the held-out evaluation set, and what it costs per message.

    .venv/bin/python -m bench.crisis            # figures for the README
    .venv/bin/python -m bench.crisis --misses   # also list what was missed / wrongly flagged

Figures: share of crisis messages caught (crisis reply or check question), share of
look-alikes that get the crisis reply, share of ordinary route answers that get the check
question, by language and category; then per-message time (p50/p95/max), start-up (model
load) and the extra memory the model takes.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence

from bench.route_answers import route_answers
from bot.safety import Tier, assess, corpus
from bot.safety.corpus import Message
from bot.safety.model import load_model


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "   -"


def evaluate(messages: Sequence[Message], show_misses: bool = False) -> dict[str, float]:
    model = load_model()
    groups: dict[tuple[str, str], list[Tier]] = defaultdict(list)
    by_category: dict[tuple[str, str], list[Tier]] = defaultdict(list)
    misses = []
    for message in messages:
        tier = assess(message.text, model).tier
        groups[message.label, message.lang].append(tier)
        by_category[message.label, message.category].append(tier)
        counted = corpus.COUNTS[message.label](tier)
        if counted != message.is_crisis:  # a crisis missed, or a harmless text flagged
            misses.append((message.label, tier.value, message.text))

    header = {
        "crisis": "crisis messages caught (crisis reply or check question)",
        "lookalike": "look-alikes that get the crisis reply",
        "ordinary": "ordinary route answers that get the check question",
    }
    totals: dict[str, float] = {}
    for label in corpus.LABELS:
        tiers = [t for (lab, _), ts in groups.items() if lab == label for t in ts]
        hits, total = corpus.figure(label, tiers)
        totals[label] = hits / total if total else 0.0
        print(f"{header[label]}: {_pct(hits, total)}")
        for lang in ("nl", "en"):
            print(f"    {lang}: {_pct(*corpus.figure(label, groups.get((label, lang), [])))}")
        if label == "crisis":
            reply = sum(t is Tier.CRISIS for t in tiers)
            print(f"    of which the crisis reply at once: {_pct(reply, len(tiers))}")
        if label == "lookalike":
            asked = sum(t is Tier.ASK for t in tiers)
            print(f"    look-alikes that get the check question: {_pct(asked, len(tiers))}")
    print("\nby category")
    for (label, category), tiers in sorted(by_category.items()):
        print(f"  {label:9} {category:26} {_pct(*corpus.figure(label, tiers))}")
    if show_misses:
        print("\nmisses")
        for label, tier, text in misses:
            print(f"  {label:9} -> {tier:6} {text}")
    return totals


def cost(messages: Sequence[Message]) -> None:
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    model = load_model()
    assess("start", model)
    load = time.perf_counter() - started
    gc.collect()
    extra = _rss_mb() - before
    times = []
    for message in messages:
        started = time.perf_counter()
        assess(message.text, model)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    long_text = "ik weet niet goed wat ik moet zeggen " * 280  # about 10,000 characters
    started = time.perf_counter()
    assess(long_text, model)
    long_ms = (time.perf_counter() - started) * 1000
    print(
        f"\nper message: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
        f"max {times[-1]:.2f} ms (n={len(times)}); a 10,000-character message {long_ms:.1f} ms"
    )
    print(f"start-up (load the model, first message): {load * 1000:.0f} ms")
    print(f"extra memory (RSS) for the model: {extra:.1f} MB")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list single misses (never on the test set while building the model: it "
        "would stop being held out)",
    )
    args = parser.parse_args(argv)
    messages = corpus.load(corpus.TEST) + route_answers()
    print(f"held-out test set: {len(messages)} messages ({corpus.TEST.name}/, plus the route's")
    print("own typed answers from the tests and benchmark scripts)\n")
    cost(messages)  # first: the start-up figure needs a process without the model
    print()
    evaluate(messages, args.misses)


if __name__ == "__main__":
    main()
