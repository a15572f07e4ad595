"""Research exports from a map made through the real engine: egor CSV files and GraphML."""

from __future__ import annotations

import csv
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.effects import SetRating, SetTies
from bot.store.research import (
    FORMULA_STARTS,
    export_egor,
    export_graphml,
    export_key,
    neutralise,
    pseudonym,
)
from tests.support.chat import Chat, add_contacts, through_intake

NS = "{http://graphml.graphdrawing.org/xmlns}"
TRICK = '=HYPERLINK("x")'


def made_map(chat: Chat) -> dict[str, int]:
    """Ans (rated), the trick name (unrated), Kim; Ans knows both others."""
    through_intake(chat)
    add_contacts(chat, ("Ans", "familie"), (TRICK, "vrienden"), ("Kim", "hulpverlening"))
    route = chat.route
    ids = {c.name: c.id for c in route.contacts}
    store = chat.engine.store
    with store.atomic():
        store.apply(SetRating(ids["Ans"], "practical", 3), route)
        store.apply(SetRating(ids["Ans"], "closeness", 2), route)
        store.apply(SetRating(ids["Ans"], "emotional", None), route)  # "weet ik niet"
        store.apply(SetTies(ids["Ans"], (ids[TRICK], ids["Kim"])), route)
    return ids


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.reader(source))


def test_egor_files_hold_egos_alters_and_ties(chat: Chat, tmp_path: Path) -> None:
    ids = made_map(chat)
    map_id = str(chat.route.map_id)
    paths = export_egor(chat.engine.store, tmp_path / "egor", with_names=True)
    assert [p.name for p in paths] == ["egos.csv", "alters.csv", "aaties.csv"]
    egos, alters, ties = (read_csv(p) for p in paths)
    assert egos[0] == ["egoID", "client", "map_id", "created_at", "network_size"]
    code = pseudonym(export_key(chat.engine.store), "client-1")
    assert egos[1][:3] == [map_id, code, map_id] and egos[1][4] == "3"
    assert code.startswith("c") and "client-1" not in (tmp_path / "egor" / "egos.csv").read_text()
    assert alters[0] == [
        "egoID", "alterID", "name", "sector", "practical", "emotional", "advice",
        "closeness", "reciprocity", "frequency", "duration", "critical",
    ]  # fmt: skip
    assert alters[1:] == [
        [map_id, str(ids["Ans"]), "Ans", "familie", "3", "", "", "2", "", "", "", ""],
        [map_id, str(ids[TRICK]), "'" + TRICK, "vrienden", "", "", "", "", "", "", "", ""],
        [map_id, str(ids["Kim"]), "Kim", "hulpverlening", "", "", "", "", "", "", "", ""],
    ]
    pairs = sorted(sorted((ids["Ans"], other)) for other in (ids[TRICK], ids["Kim"]))
    assert ties == [["egoID", "Source", "Target"]] + [[map_id, str(a), str(b)] for a, b in pairs]


def test_egor_files_are_plain_utf8_without_a_bom(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    add_contacts(chat, ("Zoë", "buren"))
    export_egor(chat.engine.store, tmp_path, with_names=True)
    raw = (tmp_path / "alters.csv").read_bytes()
    assert raw.startswith(b"egoID,") and "Zoë".encode() in raw


def test_only_the_chosen_clients_are_exported(chat: Chat, tmp_path: Path) -> None:
    made_map(chat)
    other = Chat(chat.engine, "client-2")
    through_intake(other)
    add_contacts(other, ("Bo", "online"))
    export_egor(chat.engine.store, tmp_path / "one", ["client-2"], with_names=True)
    alters = read_csv(tmp_path / "one" / "alters.csv")
    assert [row[2] for row in alters[1:]] == ["Bo"]
    export_egor(chat.engine.store, tmp_path / "all", with_names=True)
    assert len(read_csv(tmp_path / "all" / "egos.csv")) == 3  # header and two maps
    assert export_graphml(chat.engine.store, tmp_path / "none", []) == []


def test_exports_are_readable_by_their_owner_only(chat: Chat, tmp_path: Path) -> None:
    made_map(chat)
    paths = export_egor(chat.engine.store, tmp_path / "egor", with_names=True)
    paths += export_graphml(chat.engine.store, tmp_path / "graphml", with_names=True)
    assert {stat.S_IMODE(p.stat().st_mode) for p in paths} == {0o600}


def test_graphml_has_the_ego_the_alters_and_both_kinds_of_edges(
    chat: Chat, tmp_path: Path
) -> None:
    ids = made_map(chat)
    map_id = chat.route.map_id
    [path] = export_graphml(chat.engine.store, tmp_path, with_names=True)
    assert path.name == f"map-{map_id}.graphml"
    root = ET.parse(path).getroot()
    assert root.tag == f"{NS}graphml"
    keys = {k.get("id"): (k.get("for"), k.get("attr.type")) for k in root.iter(f"{NS}key")}
    assert keys["name"] == ("node", "string") and keys["practical"] == ("node", "int")
    graph = root.find(f"{NS}graph")
    assert graph is not None and graph.get("edgedefault") == "undirected"
    nodes = {n.get("id"): data(n) for n in graph.iter(f"{NS}node")}
    assert nodes["ego"] == {"role": "ego"}
    assert nodes[str(ids["Ans"])] == {
        "role": "alter", "name": "Ans", "sector": "familie", "practical": "3", "closeness": "2",
    }  # fmt: skip
    assert nodes[str(ids[TRICK])]["name"] == TRICK  # no spreadsheet here: the name as given
    edges = sorted(
        (e.get("source"), e.get("target"), data(e)["kind"]) for e in graph.iter(f"{NS}edge")
    )
    ego_edges = [(s, t) for s, t, kind in edges if kind == "ego"]
    tie_edges = {frozenset((s, t)) for s, t, kind in edges if kind == "tie"}
    assert sorted(ego_edges) == sorted(("ego", str(i)) for i in ids.values())
    assert tie_edges == {frozenset((str(ids["Ans"]), str(ids[o]))) for o in (TRICK, "Kim")}
    created = chat.engine.store.db.execute("SELECT created_at FROM maps").fetchone()[0]
    code = pseudonym(export_key(chat.engine.store), "client-1")
    assert data(graph) == {"client": code, "map_id": str(map_id), "created_at": created}


def data(element: ET.Element) -> dict[str, str]:
    return {d.get("key") or "": d.text or "" for d in element.findall(f"{NS}data")}


def test_graphml_leaves_out_characters_xml_cannot_hold(chat: Chat, tmp_path: Path) -> None:
    through_intake(chat)
    add_contacts(chat, ("Ans <&> 🌻", "familie"))
    route = chat.route
    with chat.engine.store.atomic():  # a name written around the flows' own cleaning
        chat.engine.store.db.execute(
            "UPDATE contacts SET name = ? WHERE id = ?", ("A\x01ns <&> 🌻", route.contacts[0].id)
        )
    [path] = export_graphml(chat.engine.store, tmp_path, with_names=True)
    names = [d.text for d in ET.parse(path).getroot().iter(f"{NS}data") if d.get("key") == "name"]
    assert names == ["Ans <&> 🌻"]


# Formula injection --------------------------------------------------------------------------


@given(st.text())
def test_a_neutralised_cell_never_starts_a_formula(value: str) -> None:
    assert not neutralise(value).startswith(FORMULA_STARTS)


@given(st.text().filter(lambda v: not v.startswith(FORMULA_STARTS)))
def test_ordinary_cells_are_unchanged(value: str) -> None:
    assert neutralise(value) == value


def test_neutralise_examples() -> None:
    assert neutralise(TRICK) == "'" + TRICK
    assert neutralise("-1") == "'-1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("Ans") == "Ans"
    assert neutralise(3) == "3"
    assert neutralise(None) == ""


def test_what_leaves_the_organisation_has_no_names_and_dates_to_the_day(
    chat: Chat, tmp_path: Path
) -> None:
    made_map(chat)
    store = chat.engine.store
    created = store.db.execute("SELECT created_at FROM maps").fetchone()[0]
    egos, alters, _ = (read_csv(p) for p in export_egor(store, tmp_path / "egor"))
    assert "name" not in alters[0] and alters[1][2] == "familie"
    assert egos[1][3] == created[:10] and "T" not in egos[1][3]
    [path] = export_graphml(store, tmp_path / "graphml")
    text = path.read_text()
    for name in ("Ans", "Kim", TRICK):
        assert name not in text and name not in (tmp_path / "egor" / "alters.csv").read_text()
    assert created not in text and created[:10] in text
