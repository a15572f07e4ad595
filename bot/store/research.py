"""Exports for research and records: every map as an ego network.

`export_egor` writes the three files R's egor reads with `threefiles_to_egor()` (its
default column names egoID, alterID, Source, Target); `export_graphml` writes one
GraphML file per map for networkx, igraph, Gephi. One ego per map, so a client who
mapped twice is two egos (the `client` column joins them).

CSV cells that a spreadsheet would run as a formula get a leading apostrophe
(OWASP "CSV injection"): names are typed by clients.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bot.model import DIMENSIONS, OPTIONAL_DIMENSIONS
from bot.store.repository import Store

RATING_KEYS: tuple[str, ...] = DIMENSIONS + OPTIONAL_DIMENSIONS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
EGO_NODE = "ego"
# Characters XML 1.0 cannot hold at all, not even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

EGO_COLUMNS = ("egoID", "client", "map_id", "created_at", "network_size")
ALTER_COLUMNS = ("egoID", "alterID", "name", "sector", *RATING_KEYS)
TIE_COLUMNS = ("egoID", "Source", "Target")


@dataclass(slots=True)
class Alter:
    id: int
    name: str
    sector: str
    ratings: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class EgoMap:
    id: int
    client_id: str
    created_at: str
    alters: list[Alter] = field(default_factory=list)
    ties: list[tuple[int, int]] = field(default_factory=list)
    pseudonym: str = ""  # what leaves the organisation instead of the client id


def pseudonym(key: bytes, client_id: str) -> str:
    """A stable code per client that only the holder of the database can link back: an
    HMAC with a random key kept in the database (a plain hash of a chat id could be
    reversed by trying every id)."""
    return "c" + hmac.new(key, client_id.encode(), hashlib.sha256).hexdigest()[:16]


def export_key(store: Store) -> bytes:
    row = store.db.execute("SELECT value FROM keys WHERE name = 'research'").fetchone()
    if row:
        return bytes(row[0])
    key = secrets.token_bytes(32)
    store.db.execute("INSERT INTO keys (name, value) VALUES ('research', ?)", (key,))
    return key


def neutralise(value: object) -> str:
    """The cell as text, with an apostrophe in front when a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@contextmanager
def private_file(path: Path) -> Iterator[IO[bytes]]:
    """A file only its owner can read, like the database: the exports hold health data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file of the same name may have been readable by others
    with os.fdopen(fd, "wb") as out:
        yield out


def _out_dir(out_dir: Path) -> Path:
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return out_dir


# Reading ------------------------------------------------------------------------------------


def _map_rows(store: Store, client_ids: Sequence[str] | None) -> list[tuple[Any, ...]]:
    sql = "SELECT id, client_id, created_at FROM maps"
    params: tuple[str, ...] = ()
    if client_ids is not None:
        sql += f" WHERE client_id IN ({','.join('?' * len(client_ids))})"
        params = tuple(client_ids)
    return store.db.execute(sql + " ORDER BY id", params).fetchall()


def _alters(store: Store, map_id: int) -> list[Alter]:
    rows = store.db.execute(
        "SELECT id, name, sector FROM contacts WHERE map_id = ? ORDER BY position, id", (map_id,)
    )
    alters = {cid: Alter(cid, name, sector) for cid, name, sector in rows}
    for cid, dimension, value in store.db.execute(
        "SELECT r.contact_id, r.dimension, r.value FROM ratings r "
        "JOIN contacts c ON c.id = r.contact_id WHERE c.map_id = ? AND r.value IS NOT NULL",
        (map_id,),
    ):
        alters[cid].ratings[dimension] = value
    return list(alters.values())


def _ties(store: Store, map_id: int) -> list[tuple[int, int]]:
    rows = store.db.execute("SELECT a, b FROM ties WHERE map_id = ? ORDER BY a, b", (map_id,))
    return [(a, b) for a, b in rows]


def ego_maps(
    store: Store, client_ids: Sequence[str] | None = None, with_names: bool = False
) -> list[EgoMap]:
    """Every map (of the given clients, or of all), oldest first, with alters and ties.

    What may leave the organisation has no names and dates to the day only; the
    contacts' first names and the exact times come along only `with_names`."""
    key = export_key(store)
    maps = [
        EgoMap(
            map_id,
            client_id,
            created_at if with_names else created_at[:10],
            _alters(store, map_id),
            _ties(store, map_id),
            pseudonym(key, client_id),
        )
        for map_id, client_id, created_at in _map_rows(store, client_ids)
    ]
    if not with_names:
        for ego in maps:
            for alter in ego.alters:
                alter.name = ""
    return maps


# egor: three CSV files ----------------------------------------------------------------------


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with private_file(path) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return path


def _ego_row(ego: EgoMap) -> tuple[object, ...]:
    return (ego.id, ego.pseudonym, ego.id, ego.created_at, len(ego.alters))


def _alter_row(ego: EgoMap, alter: Alter, with_names: bool) -> tuple[object, ...]:
    ratings = (alter.ratings.get(key) for key in RATING_KEYS)
    name = (alter.name,) if with_names else ()
    return (ego.id, alter.id, *name, alter.sector, *ratings)


def export_egor(
    store: Store,
    out_dir: Path,
    client_ids: Sequence[str] | None = None,
    with_names: bool = False,
) -> list[Path]:
    """egos.csv, alters.csv and aaties.csv in out_dir; an unrated dimension is an empty cell."""
    _out_dir(out_dir)
    egos = ego_maps(store, client_ids, with_names)
    columns = ALTER_COLUMNS if with_names else tuple(c for c in ALTER_COLUMNS if c != "name")
    return [
        _write_csv(out_dir / "egos.csv", EGO_COLUMNS, (_ego_row(e) for e in egos)),
        _write_csv(
            out_dir / "alters.csv",
            columns,
            (_alter_row(e, a, with_names) for e in egos for a in e.alters),
        ),
        _write_csv(
            out_dir / "aaties.csv", TIE_COLUMNS, ((e.id, a, b) for e in egos for a, b in e.ties)
        ),
    ]


# GraphML: one file per map ------------------------------------------------------------------

# (id, for, attr.type): the key's id is also its attribute name.
GRAPHML_KEYS: tuple[tuple[str, str, str], ...] = (
    ("client", "graph", "string"),
    ("map_id", "graph", "int"),
    ("created_at", "graph", "string"),
    ("role", "node", "string"),
    ("name", "node", "string"),
    ("sector", "node", "string"),
    *((key, "node", "int") for key in RATING_KEYS),
    ("kind", "edge", "string"),
)


def _xml_text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def _data(parent: ET.Element, key: str, value: object) -> None:
    ET.SubElement(parent, "data", key=key).text = _xml_text(value)


def _graphml_root() -> ET.Element:
    root = ET.Element("graphml", xmlns=GRAPHML_NS)
    for key, domain, kind in GRAPHML_KEYS:
        attributes = {"id": key, "for": domain, "attr.name": key, "attr.type": kind}
        ET.SubElement(root, "key", attributes)
    return root


def _alter_node(graph: ET.Element, alter: Alter) -> None:
    node = ET.SubElement(graph, "node", id=str(alter.id))
    _data(node, "role", "alter")
    if alter.name:
        _data(node, "name", alter.name)
    _data(node, "sector", alter.sector)
    for key in RATING_KEYS:
        if key in alter.ratings:
            _data(node, key, alter.ratings[key])


def _edge(graph: ET.Element, source: str, target: str, kind: str) -> None:
    _data(ET.SubElement(graph, "edge", source=source, target=target), "kind", kind)


def graphml(ego: EgoMap) -> ET.ElementTree:
    """The map as an undirected graph: the ego, the alters, ego-alter and alter-alter edges."""
    root = _graphml_root()
    graph = ET.SubElement(root, "graph", id=f"map-{ego.id}", edgedefault="undirected")
    _data(graph, "client", ego.pseudonym)
    _data(graph, "map_id", ego.id)
    _data(graph, "created_at", ego.created_at)
    _data(ET.SubElement(graph, "node", id=EGO_NODE), "role", "ego")
    for alter in ego.alters:
        _alter_node(graph, alter)
    for alter in ego.alters:
        _edge(graph, EGO_NODE, str(alter.id), "ego")
    for a, b in ego.ties:
        _edge(graph, str(a), str(b), "tie")
    ET.indent(root)
    return ET.ElementTree(root)


def export_graphml(
    store: Store,
    out_dir: Path,
    client_ids: Sequence[str] | None = None,
    with_names: bool = False,
) -> list[Path]:
    """map-<id>.graphml in out_dir for every map."""
    _out_dir(out_dir)
    paths: list[Path] = []
    for ego in ego_maps(store, client_ids, with_names):
        path = out_dir / f"map-{ego.id}.graphml"
        with private_file(path) as out:
            graphml(ego).write(out, encoding="utf-8", xml_declaration=True)
        paths.append(path)
    return paths
