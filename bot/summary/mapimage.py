"""The picture of the network: the client in the centre, closeness as rings, sectors as slices.

Like the GENIE map and the Lensink network circle. `layout` places each contact (pure,
deterministic, unit circle); `render_map` draws it as a PNG. Every word in the picture
comes from the caller's `MapLabels`. A dot's marker and colour show the main kind of
support (the highest of practical, emotional, advice; a tie is "mixed"), its size how
much: a contact who "bijna nooit" helps gets a small dot, not a misleading "mixed" one.
Characters the font has no glyph for (emoji) are left out, so matplotlib never warns.
Matplotlib is used through its object API only
(`Figure` + `FigureCanvasAgg`, never pyplot), so nothing global is touched and renders
in different threads do not share a figure.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from bot.model import SECTORS, SUPPORT_DIMENSIONS, Contact, Tie

# Geometry, in units of the outer ring's radius ---------------------------------------------
RING_EDGES: tuple[float, ...] = (0.15, 0.44, 0.72, 1.0)  # centre disc, then rings 1-3
SLICE = 2 * math.pi / len(SECTORS)
PAD_RADIAL = 0.035  # dots keep this far from a ring's edge
PAD_ARC = 0.025  # ... and this far (along the arc) from a slice's edge
X_LIMIT, Y_LIMIT = 1.45, 1.2  # the axes' reach: room for the sector names around the rings
SECTOR_NAME_RADIUS = 1.06
SECTOR_NAME_WIDTH = 16  # characters a line; longer sector names wrap
NAME_OFFSET = 0.045  # from a dot's centre to its name
CHAR_WIDTH = 0.022  # a rough width of one character of a name
SIDE_BAND = 0.45  # names this close to the horizontal axis could run into a sector's name

# Drawing ------------------------------------------------------------------------------------
DPI = 100
BASE_PX = 900  # font sizes are tuned for this size and scaled with it
FONT = "DejaVu Sans"  # ships with matplotlib, so it is always there
MAX_LABEL = 16
FALLBACK_NAME = "?"  # a name made only of characters the font cannot draw
RING_FILLS = ("#f3f5f8", "#e6ecf2", "#d8e2ec")  # outer to inner
LINE = "#9aa7b4"
INK = "#22303c"

# Main support: marker, colour (Okabe-Ito, safe for colour blindness), filled.
STYLES: dict[str, tuple[str, str, bool]] = {
    "practical": ("s", "#E69F00", True),
    "emotional": ("o", "#D55E00", True),
    "advice": ("^", "#0072B2", True),
    "mixed": ("D", "#CC79A7", True),
    "unrated": ("o", "#8c8c8c", False),
}
MARKER_SIZES = (6.0, 8.5, 11.0)  # by the highest support rating 1, 2, 3


@dataclass(frozen=True, slots=True)
class MapLabels:
    """Every word in the picture, in the client's language (from the labels TOML)."""

    me: str
    sectors: Mapping[str, str]
    legend_practical: str
    legend_emotional: str
    legend_advice: str
    legend_mixed: str
    legend_unrated: str
    title: str


@dataclass(frozen=True, slots=True)
class Placement:
    contact_id: int
    x: float
    y: float
    ring: int  # 1 inner (heel hecht), 2 middle, 3 outer (niet zo hecht or unrated)
    sector: str


# Layout (pure) ------------------------------------------------------------------------------


def ring_of(contact: Contact) -> int:
    closeness = contact.rating("closeness")
    return {3: 1, 2: 2}.get(closeness or 0, 3)


def sector_index(sector: str) -> int:
    """An unknown sector falls in the last slice rather than off the picture."""
    return SECTORS.index(sector) if sector in SECTORS else len(SECTORS) - 1


def sector_angle(sector: str) -> float:
    """The middle of the sector's slice: the first at the top, then clockwise."""
    return math.pi / 2 - sector_index(sector) * SLICE


def _spread_evenly(count: int, low: float, high: float) -> list[float]:
    step = (high - low) / count
    return [low + (i + 0.5) * step for i in range(count)]


def _row_counts(n: int, radii: Sequence[float]) -> list[int]:
    """Share n dots over the rows in proportion to their radius (longer arcs hold more)."""
    total = sum(radii)
    exact = [n * r / total for r in radii]
    counts = [math.floor(e) for e in exact]
    by_remainder = sorted(range(len(radii)), key=lambda i: (counts[i] - exact[i], -i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _grid(n: int, rows: int, ring: int, centre: float) -> list[tuple[float, float]]:
    inner, outer = RING_EDGES[ring - 1] + PAD_RADIAL, RING_EDGES[ring] - PAD_RADIAL
    radii = _spread_evenly(rows, inner, outer)
    points: list[tuple[float, float]] = []
    for radius, count in zip(radii, _row_counts(n, radii), strict=True):
        half = max(SLICE / 2 - PAD_ARC / radius, 0.0)
        for angle in _spread_evenly(count, centre - half, centre + half) if count else ():
            points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


def closest(points: Sequence[tuple[float, float]]) -> float:
    """The smallest distance between two of the points (infinite for fewer than two)."""
    return min(
        (math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :]),
        default=math.inf,
    )


def _cell(n: int, ring: int, centre: float) -> list[tuple[float, float]]:
    """n dots in one ring of one slice, in the row arrangement that spreads them most."""
    options = (_grid(n, rows, ring, centre) for rows in range(1, n + 1))
    return max(options, key=closest)


def layout(contacts: Sequence[Contact]) -> list[Placement]:
    """Where each contact goes, in the order given; the same contacts give the same picture."""
    cells: dict[tuple[str, int], list[Contact]] = {}
    for contact in sorted(contacts, key=lambda c: (c.position, c.id)):
        key = (SECTORS[sector_index(contact.sector)], ring_of(contact))
        cells.setdefault(key, []).append(contact)
    placed: dict[int, Placement] = {}
    for (sector, ring), members in cells.items():
        points = _cell(len(members), ring, sector_angle(sector))
        for contact, (x, y) in zip(members, points, strict=True):
            placed[contact.id] = Placement(contact.id, x, y, ring, contact.sector)
    return [placed[c.id] for c in contacts]


def support_kind(contact: Contact) -> str:
    """The highest of the three kinds of support; a tie is "mixed", none rated "unrated"."""
    rated = {dim: v for dim in SUPPORT_DIMENSIONS if (v := contact.rating(dim)) is not None}
    if not rated:
        return "unrated"
    top = max(rated.values())
    best = [dim for dim, value in rated.items() if value == top]
    return best[0] if len(best) == 1 else "mixed"


# Text the font can draw ---------------------------------------------------------------------


@cache
def drawable() -> frozenset[int]:
    """Code points both the regular and the bold face of FONT have a glyph for."""
    faces = (
        font_manager.findfont(FontProperties(family=FONT, weight=weight))
        for weight in ("normal", "bold")
    )
    charmaps = [frozenset(font_manager.get_font(path).get_charmap()) for path in faces]
    return frozenset.intersection(*charmaps)


def printable(text: str, limit: int | None = None) -> str:
    """The text with what the font cannot draw left out, on one line, shortened with "…"."""
    glyphs = drawable()
    one_line = (ch if ch.isprintable() else " " for ch in text)
    kept = " ".join("".join(ch for ch in one_line if ord(ch) in glyphs).split())
    if limit is not None and len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    return kept or FALLBACK_NAME


# Drawing ------------------------------------------------------------------------------------


def _axes(figure: Figure, left: float = 0.0, width: float = 1.0) -> Axes:
    """The rings' axes; `left` and `width` place them in a figure of two maps."""
    height = Y_LIMIT / X_LIMIT * width * figure.get_figwidth() / figure.get_figheight()
    axes = figure.add_axes((left, 0.085, width, height))
    axes.set_xlim(-X_LIMIT, X_LIMIT)
    axes.set_ylim(-Y_LIMIT, Y_LIMIT)
    axes.set_aspect("equal")
    axes.set_axis_off()
    return axes


def _draw_rings(axes: Axes) -> None:
    for radius, fill in zip(RING_EDGES[:0:-1], RING_FILLS, strict=True):
        axes.add_patch(Circle((0, 0), radius, facecolor=fill, edgecolor=LINE, linewidth=0.8))


def _draw_slices(axes: Axes) -> None:
    inner, outer = RING_EDGES[0], RING_EDGES[-1]
    for i in range(len(SECTORS)):
        angle = math.pi / 2 - (i + 0.5) * SLICE
        xs = [inner * math.cos(angle), outer * math.cos(angle)]
        ys = [inner * math.sin(angle), outer * math.sin(angle)]
        axes.plot(xs, ys, color=LINE, linewidth=0.8, zorder=1)


def _align(x: float) -> str:
    return "center" if abs(x) < 0.15 else ("left" if x > 0 else "right")


def _draw_sector_names(axes: Axes, names: Mapping[str, str], scale: float) -> None:
    for sector in SECTORS:
        angle = sector_angle(sector)
        x, y = SECTOR_NAME_RADIUS * math.cos(angle), SECTOR_NAME_RADIUS * math.sin(angle)
        text = textwrap.fill(printable(names.get(sector, sector)), SECTOR_NAME_WIDTH)
        vertical = "center" if abs(y) < 0.5 else ("bottom" if y > 0 else "top")
        axes.text(
            x,
            y,
            text,
            ha=_align(x),
            va=vertical,
            fontsize=10 * scale,
            color=INK,
            family=FONT,
            parse_math=False,
            linespacing=1.1,
        )


def _draw_me(axes: Axes, me: str, scale: float) -> None:
    axes.add_patch(Circle((0, 0), RING_EDGES[0], facecolor="white", edgecolor=INK, zorder=3))
    axes.text(
        0,
        0,
        printable(me, MAX_LABEL),
        ha="center",
        va="center",
        fontsize=11 * scale,
        fontweight="bold",
        color=INK,
        family=FONT,
        parse_math=False,
        zorder=4,
    )


def _draw_ties(axes: Axes, places: Iterable[Placement], ties: Iterable[Tie]) -> None:
    where = {p.contact_id: (p.x, p.y) for p in places}
    for tie in ties:
        if tie.a in where and tie.b in where and tie.a != tie.b:
            (x1, y1), (x2, y2) = where[tie.a], where[tie.b]
            axes.plot([x1, x2], [y1, y2], color=LINE, linewidth=0.7, zorder=2)


def _marker(kind: str, size: float) -> dict[str, object]:
    marker, colour, filled = STYLES[kind]
    return {
        "marker": marker,
        "markersize": size,
        "markeredgecolor": colour if not filled else "white",
        "markerfacecolor": colour if filled else "white",
        "markeredgewidth": 1.4 if not filled else 0.8,
        "linestyle": "none",
    }


def _dot_size(contact: Contact, scale: float) -> float:
    values = [v for dim in SUPPORT_DIMENSIONS if (v := contact.rating(dim)) is not None]
    return MARKER_SIZES[max(values, default=2) - 1] * scale


def name_side(place: Placement, name: str) -> int:
    """+1: the name goes right of the dot, -1: left. Away from the middle, unless it
    would then run out of the rings into the name of a sector at the side."""
    side = 1 if place.x >= 0 else -1
    end = place.x + side * (NAME_OFFSET + len(name) * CHAR_WIDTH)
    runs_out = abs(place.y) < SIDE_BAND and math.hypot(end, place.y) > RING_EDGES[-1]
    return -side if runs_out else side


def _draw_contact(axes: Axes, contact: Contact, place: Placement, scale: float) -> None:
    style = _marker(support_kind(contact), _dot_size(contact, scale))
    axes.plot([place.x], [place.y], zorder=4, **style)  # type: ignore[arg-type]
    name = printable(contact.name, MAX_LABEL)
    side = name_side(place, name)
    axes.text(
        place.x + side * NAME_OFFSET,
        place.y,
        name,
        ha="left" if side > 0 else "right",
        va="center",
        fontsize=8.5 * scale,
        color=INK,
        family=FONT,
        parse_math=False,
        zorder=5,
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.75,
        },
    )


def _draw_legend(figure: Figure, labels: MapLabels, scale: float) -> None:
    texts = {
        "practical": labels.legend_practical,
        "emotional": labels.legend_emotional,
        "advice": labels.legend_advice,
        "mixed": labels.legend_mixed,
        "unrated": labels.legend_unrated,
    }
    handles = [
        Line2D([], [], label=printable(text), **_marker(kind, 8 * scale))  # type: ignore[arg-type]
        for kind, text in texts.items()
    ]
    legend = figure.legend(
        handles=handles,
        loc="lower center",
        ncol=3,
        frameon=False,
        prop=FontProperties(family=FONT, size=9 * scale),
    )
    for text in legend.get_texts():
        text.set_parse_math(False)


def _draw_title(figure: Figure, title: str, scale: float) -> None:
    figure.text(
        0.5,
        0.975,
        printable(title),
        ha="center",
        va="top",
        fontsize=15 * scale,
        fontweight="bold",
        color=INK,
        family=FONT,
        parse_math=False,
    )


def render_map(
    contacts: Sequence[Contact],
    ties: Sequence[Tie] = (),
    *,
    labels: MapLabels,
    size_px: int = BASE_PX,
) -> bytes:
    """The network picture as PNG bytes, size_px by size_px."""
    scale = size_px / BASE_PX
    figure = Figure(figsize=(size_px / DPI, size_px / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    _draw_map(_axes(figure), contacts, ties, labels, scale)
    _draw_legend(figure, labels, scale)
    _draw_title(figure, labels.title, scale)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def _draw_map(
    axes: Axes, contacts: Sequence[Contact], ties: Sequence[Tie], labels: MapLabels, scale: float
) -> None:
    _draw_rings(axes)
    _draw_slices(axes)
    _draw_sector_names(axes, labels.sectors, scale)
    _draw_me(axes, labels.me, scale)
    places = layout(contacts)
    _draw_ties(axes, places, ties)
    for contact, place in zip(contacts, places, strict=True):
        _draw_contact(axes, contact, place, scale)


def render_progress(
    before: tuple[Sequence[Contact], Sequence[Tie], str],
    now: tuple[Sequence[Contact], Sequence[Tie], str],
    *,
    labels: MapLabels,
    size_px: int = BASE_PX,
) -> bytes:
    """The previous and the current map side by side, drawn the same way, each with
    its own heading (e.g. "Kaart 1 · ma 2 nov"): change is seen at a glance."""
    scale = size_px / BASE_PX
    figure = Figure(figsize=(2 * size_px / DPI, size_px / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    for left, (contacts, ties, heading) in ((0.0, before), (0.5, now)):
        axes = _axes(figure, left, 0.5)
        _draw_map(axes, contacts, ties, labels, scale)
        figure.text(
            left + 0.25,
            0.91,
            printable(heading),
            ha="center",
            va="top",
            fontsize=12 * scale,
            color=INK,
            family=FONT,
            parse_math=False,
        )
    _draw_legend(figure, labels, scale)
    _draw_title(figure, labels.title, scale)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()
