"""`steunkaart admin crisis-check`: how the bot would respond to a safety officer's phrases.

One message per line in, one verdict per line out, tab-separated, in a stable format:

    crisis<TAB>suicide<TAB>ik wil er niet meer zijn
    ask<TAB>-<TAB>ik kan niet meer
    none<TAB>-<TAB>mijn zus Mieke

With --labelled the input is a JSON list of {"text": ..., "label": ...} objects or a CSV (or
.tsv) file with `text` and `label` columns; labels are crisis, lookalike and ordinary ("none"
reads as lookalike). It prints the three figures the README reports instead.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from bot.safety.assess import Tier, assess
from bot.safety.corpus import figure
from bot.safety.model import default_model

LABEL_ALIASES = {"none": "lookalike", "lookalike": "lookalike", "look-alike": "lookalike"}


def verdict_line(text: str) -> str:
    result = assess(text)
    kind = result.kind.value if result.tier is Tier.CRISIS and result.kind else "-"
    return f"{result.tier.value}\t{kind}\t{text}"


def verdicts(lines: Iterable[str], out: TextIO) -> int:
    default_model()  # load once, before the first line
    for line in lines:
        text = line.rstrip("\r\n")
        if text.strip():
            print(verdict_line(text), file=out, flush=True)
    return 0


def read_labelled(name: str, content: str) -> list[tuple[str, str]]:
    """(text, label) pairs from JSON, CSV or TSV content."""
    stripped = content.lstrip()
    if stripped.startswith("["):
        rows = json.loads(stripped)
        pairs = [(str(row["text"]), str(row["label"])) for row in rows]
    else:
        delimiter = "\t" if name.endswith(".tsv") else ","
        quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        reader = csv.DictReader(io.StringIO(content), delimiter=delimiter, quoting=quoting)
        if reader.fieldnames is None or not {"text", "label"} <= set(reader.fieldnames):
            raise ValueError(f"{name}: needs a 'text' and a 'label' column")
        pairs = [(row["text"], row["label"]) for row in reader]
    result = []
    for text, label in pairs:
        label = LABEL_ALIASES.get(label.strip().casefold(), label.strip().casefold())
        if label not in ("crisis", "lookalike", "ordinary"):
            raise ValueError(f"{name}: unknown label {label!r} (crisis, lookalike, ordinary)")
        result.append((text, label))
    return result


def _share(hits: int, total: int) -> str:
    return f"{100 * hits / total:.1f}% ({hits} of {total})" if total else "- (none in the file)"


def figures(pairs: Sequence[tuple[str, str]], out: TextIO) -> int:
    tiers = [(assess(text).tier, label) for text, label in pairs]

    def of(label: str) -> list[Tier]:
        return [tier for tier, given in tiers if given == label]

    crisis = of("crisis")
    at_once = (crisis.count(Tier.CRISIS), len(crisis))
    lines = [
        ("crisis messages caught (crisis reply or check question)", figure("crisis", crisis)),
        ("crisis messages with the crisis reply at once", at_once),
        ("look-alikes that get the crisis reply", figure("lookalike", of("lookalike"))),
        ("ordinary answers that get the check question", figure("ordinary", of("ordinary"))),
    ]
    for name, (hits, total) in lines:
        print(f"{name}\t{_share(hits, total)}", file=out)
    return 0


def run(source: str, labelled: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout  # looked up now: tests and pipes replace it
    if source == "-":
        content, name = sys.stdin.read(), "stdin"
    else:
        path = Path(source)
        try:
            content, name = path.read_text(encoding="utf-8", errors="replace"), path.name
        except OSError as error:
            print(f"{source}: {error.strerror}", file=sys.stderr)
            return 1
    if not labelled:
        return verdicts(content.splitlines(), out)
    try:
        pairs = read_labelled(name, content)
    except (ValueError, KeyError, json.JSONDecodeError) as error:
        print(f"{source}: {error}", file=sys.stderr)
        return 1
    return figures(pairs, out)
