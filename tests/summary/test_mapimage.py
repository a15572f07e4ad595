"""The network picture: where each contact goes (pure), and a PNG that is really a picture."""

from __future__ import annotations

import io
import math
import struct
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from bot.i18n import renderer
from bot.model import SECTORS, Contact, Tie
from bot.summary.mapimage import (
    MAX_LABEL,
    RING_EDGES,
    SLICE,
    MapLabels,
    Placement,
    closest,
    layout,
    printable,
    render_map,
    sector_angle,
    support_kind,
)
from bot.summary.report import map_labels

MIN_GAP = 0.04  # in units of the outer ring's radius: about 12 px at 900 px
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def person(cid: int, sector: str = "familie", name: str = "", **ratings: int) -> Contact:
    return Contact(cid, name or f"P{cid}", sector, cid, dict(ratings))


@pytest.fixture(scope="module")
def labels() -> MapLabels:
    return map_labels(renderer(), "nl")


def a_map() -> list[Contact]:
    closeness = (None, 1, 2, 3)
    return [
        person(i + 1, SECTORS[i % 8], f"Naam {i + 1}", **with_closeness(closeness[i % 4]))
        for i in range(15)
    ]


def with_closeness(value: int | None) -> dict[str, int]:
    return {} if value is None else {"closeness": value}


def pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


# Layout -------------------------------------------------------------------------------------


def angle_off(place: Placement) -> float:
    """How far the dot is from the middle of its sector's slice, in radians."""
    diff = math.atan2(place.y, place.x) - sector_angle(place.sector)
    return abs((diff + math.pi) % (2 * math.pi) - math.pi)


def in_its_place(place: Placement) -> bool:
    radius = math.hypot(place.x, place.y)
    inner, outer = RING_EDGES[place.ring - 1], RING_EDGES[place.ring]
    return inner < radius < outer and angle_off(place) < SLICE / 2


@pytest.mark.parametrize(("closeness", "ring"), [(3, 1), (2, 2), (1, 3), (None, 3)], ids=str)
def test_the_ring_follows_closeness(closeness: int | None, ring: int) -> None:
    [place] = layout([person(1, "buren", **with_closeness(closeness))])
    assert place.ring == ring and in_its_place(place)


def test_each_sector_has_its_own_slice_first_at_the_top_then_clockwise() -> None:
    places = layout([person(i + 1, sector) for i, sector in enumerate(SECTORS)])
    assert [p.sector for p in places] == list(SECTORS)
    assert all(in_its_place(p) for p in places)
    top, right = places[0], places[2]
    assert top.y > 0 and abs(top.x) < 1e-9  # huishouden
    assert right.x > 0 and abs(right.y) < 1e-9  # vrienden


@pytest.mark.parametrize("closeness", [3, 2, 1, None], ids=str)
def test_fifteen_people_in_one_sector_do_not_overlap(closeness: int | None) -> None:
    crowd = [person(i + 1, "familie", **with_closeness(closeness)) for i in range(15)]
    places = layout(crowd)
    assert all(in_its_place(p) for p in places)
    assert closest([(p.x, p.y) for p in places]) >= MIN_GAP


@given(
    st.lists(st.tuples(st.sampled_from(SECTORS), st.sampled_from([None, 1, 2, 3])), max_size=15)
)
def test_any_map_of_up_to_fifteen_has_room_for_every_dot(
    people: list[tuple[str, int | None]],
) -> None:
    contacts = [person(i + 1, s, **with_closeness(c)) for i, (s, c) in enumerate(people)]
    places = layout(contacts)
    assert [p.contact_id for p in places] == [c.id for c in contacts]
    assert all(in_its_place(p) for p in places)
    assert closest([(p.x, p.y) for p in places]) >= MIN_GAP


def test_the_same_map_gives_the_same_layout_in_any_order() -> None:
    contacts = a_map()
    first = layout(contacts)
    assert layout(contacts) == first
    assert sorted(layout(contacts[::-1]), key=lambda p: p.contact_id) == first


def test_the_main_support_marks_the_dot() -> None:
    assert support_kind(person(1, practical=3, emotional=2)) == "practical"
    assert support_kind(person(1, advice=2, emotional=1)) == "advice"
    assert support_kind(person(1, emotional=3, advice=3, practical=1)) == "mixed"
    assert support_kind(person(1, closeness=3)) == "unrated"


# Names in the picture -----------------------------------------------------------------------


def test_names_lose_what_the_font_cannot_draw() -> None:
    assert printable("Bram 🌻") == "Bram"
    assert printable("Zoë <b>&amp;</b>") == "Zoë <b>&amp;</b>"  # drawn as typed, not markup
    assert printable("A\nB\tC") == "A B C"
    assert printable("🌻🐶") == "?"


def test_long_names_are_shortened_with_an_ellipsis() -> None:
    name = printable("Mohammed-Ali van den Berg-de Groot", MAX_LABEL)
    assert name == "Mohammed-Ali va…" and len(name) == MAX_LABEL
    assert printable("Ans", MAX_LABEL) == "Ans"


# The picture --------------------------------------------------------------------------------


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("count", [0, 1, 15])
def test_a_png_of_900_pixels_square(labels: MapLabels, count: int) -> None:
    png = render_map(a_map()[:count], labels=labels)
    assert png_size(png) == (900, 900)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (900, 900)


def test_the_size_can_be_chosen(labels: MapLabels) -> None:
    assert png_size(render_map(a_map(), labels=labels, size_px=480)) == (480, 480)


def test_an_empty_map_still_shows_the_centre_and_the_rings(labels: MapLabels) -> None:
    image = pixels(render_map([], labels=labels))
    white = {colour: n for n, colour in image.getcolors(900 * 900)}[(255, 255, 255)]
    assert 900 * 900 - white > 0.2 * 900 * 900  # the rings are shaded
    corner = image.crop((0, 0, 40, 40)).getcolors()
    ring = image.getpixel((450 + 180, 450))  # in the middle ring, right of "ik"
    assert corner == [(1600, (255, 255, 255))] and ring != (255, 255, 255)
    centre = image.crop((400, 400, 500, 500)).getcolors(100 * 100)
    assert len(centre) > 2  # the "ik" disc: its edge and its word


def test_contacts_and_ties_change_the_picture(labels: MapLabels) -> None:
    contacts = a_map()
    empty = pixels(render_map([], labels=labels))
    full = pixels(render_map(contacts, labels=labels))
    tied = pixels(render_map(contacts, [Tie(1, 6), Tie(2, 99)], labels=labels))
    assert full.tobytes() != empty.tobytes()
    assert tied.tobytes() != full.tobytes()


def test_names_with_emoji_markup_and_dollars_draw_without_a_warning(labels: MapLabels) -> None:
    names = ["Bram 🌻", "<b>Piet</b> & <i>Jo</i>", "$x$ 50% $", "👩‍👩‍👧", "x" * 40, "Zoë ❤️"]
    contacts = [person(i + 1, SECTORS[i], name, emotional=3) for i, name in enumerate(names)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = render_map(contacts, labels=labels)
    assert png_size(png) == (900, 900)


def test_the_same_map_gives_the_same_picture_also_in_threads(labels: MapLabels) -> None:
    contacts = a_map()
    once = pixels(render_map(contacts, labels=labels)).tobytes()
    with ThreadPoolExecutor(4) as pool:
        pictures = list(pool.map(lambda _: render_map(contacts, labels=labels), range(4)))
    assert all(pixels(png).tobytes() == once for png in pictures)


def test_english_words_fit_too() -> None:
    png = render_map(a_map(), labels=map_labels(renderer(), "en"))
    assert png_size(png) == (900, 900)
