"""Crisis-language detection (DOMAIN.md, "Safety"): the corpus, normalisation, robustness."""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.safety import CrisisKind, CrisisSignal, detect_crisis, normalise
from tests.support.crisis_figures import CORPUS, HEADER, CorpusRow, corpus_figures, load_corpus

ROWS = load_corpus()

# Corpus rows the detector gets wrong on purpose or cannot get right without more context.
# They stay in the corpus (and count in the figures); the tests expect them to fail, strictly,
# so a change that fixes one shows up.
HARD_ROWS: dict[str, str] = {
    "ik heb vannacht een poging gedaan": (
        "'een poging gedaan' alone is everyday Dutch in a bot that practises asking "
        "('ik heb een poging gedaan maar ze nam niet op')"
    ),
    "ik heb al mijn oxazepam opgemaakt": "'opgemaakt' also means 'ran out of' my supply",
    "I have the pills ready": "'my pills ready' is also how a client sets out the daily dose",
}


def _row_id(index: int, row: CorpusRow) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise(row.text))[:40].strip("-")
    return f"{index:03d}-{row.expected}-{row.lang}-{slug}"


def _params(crisis: bool) -> list[object]:
    params = []
    for index, row in enumerate(ROWS):
        if row.is_crisis != crisis:
            continue
        marks = []
        if row.text in HARD_ROWS:
            marks.append(pytest.mark.xfail(strict=True, reason=HARD_ROWS[row.text]))
        params.append(pytest.param(row, id=_row_id(index, row), marks=marks))
    return params


# --- The corpus ----------------------------------------------------------------------------
def test_corpus_is_large_varied_and_well_formed() -> None:
    assert CORPUS.read_text(encoding="utf-8").splitlines()[0] == "\t".join(HEADER)
    assert len(ROWS) >= 160
    assert {row.expected for row in ROWS} == {"none", *CrisisKind}
    assert {row.lang for row in ROWS} == {"nl", "en"}
    assert all(row.text.strip() and "\t" not in row.text for row in ROWS)
    assert [t for t, n in Counter(row.text for row in ROWS).items() if n > 1] == []
    counts = Counter((row.is_crisis, row.lang) for row in ROWS)
    assert counts[True, "nl"] + counts[True, "en"] >= 90
    assert counts[False, "nl"] + counts[False, "en"] >= 70
    assert min(counts.values()) >= 20


def test_hard_rows_are_corpus_rows() -> None:
    assert set(HARD_ROWS) <= {row.text for row in ROWS}


@pytest.mark.parametrize("row", _params(crisis=True))
def test_crisis_row_is_detected_with_its_kind(row: CorpusRow) -> None:
    signal = detect_crisis(row.text)
    assert signal is not None, normalise(row.text)
    assert signal.kind is row.kind


@pytest.mark.parametrize("row", _params(crisis=False))
def test_look_alike_row_is_not_detected(row: CorpusRow) -> None:
    assert detect_crisis(row.text) is None, normalise(row.text)


def test_corpus_recall_and_false_alarm_rate() -> None:
    recall, false_alarms, positives, negatives = corpus_figures(ROWS)
    assert positives >= 90 and negatives >= 70
    assert recall >= 0.95
    assert false_alarms <= 0.05


# --- Behaviour beyond the corpus -----------------------------------------------------------
def test_api_shape() -> None:
    assert [kind.value for kind in CrisisKind] == ["suicide", "self_harm", "danger"]
    signal = CrisisSignal(CrisisKind.SUICIDE)
    assert signal == CrisisSignal(CrisisKind.SUICIDE) and hash(signal)
    with pytest.raises(dataclasses.FrozenInstanceError):
        signal.kind = CrisisKind.DANGER  # type: ignore[misc]
    assert not hasattr(signal, "__dict__")


@pytest.mark.parametrize("text", ["", " ", "\n\t", "...", "😊", "113", "Ans", "ok"])
def test_empty_and_trivial_texts(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ik wil dood, want hij slaat me", CrisisKind.DANGER),  # danger first: 112 may be needed
        ("hij wil me iets aandoen", CrisisKind.DANGER),  # not "(ik wil) me iets aandoen"
        ("ik denk dat hij me iets aandoet", CrisisKind.DANGER),
        ("ik wil mezelf iets aandoen en ik snij mezelf", CrisisKind.SUICIDE),
        ("ik heb alle pillen in een keer geslikt want ik wil dood", CrisisKind.DANGER),
    ],
)
def test_precedence_between_kinds(text: str, kind: CrisisKind) -> None:
    assert detect_crisis(text) == CrisisSignal(kind)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Ik wil DOOOOOD!!!", "ik wil dood"),
        ("Suïcidaal", "suicidaal"),
        ("zelf\u200bmoord\u00ad", "zelfmoord"),  # zero-width space, soft hyphen: invisible
        ("d00d k1ll $uicide", "dood kill suicide"),
        ("bel 112 of 113", "bel 112 of 113"),  # numbers stay numbers
        ("I don't, I can’t, m'n", "i dont i cant mn"),
        ("ik_wil__dood", "ik wil dood"),
        ("ik wil... gewoon dood", "ik wil gewoon dood"),  # an ellipsis is no sentence end
        ("Nee. Ik wil niet meer!\nSorry", "nee . ik wil niet meer . sorry"),
        ("ＩＫ  ＷＩＬ", "ik wil"),
        ("zеlfmооrd", "zelfmoord"),  # Cyrillic е and о
        ("<b>*hulp*</b> 🙁", "b hulp b"),
    ],
)
def test_normalise(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised


@pytest.mark.parametrize(
    "text",
    [
        "z e l f m o o r d",
        "s.u.i.c.i.d.e",
        "I want to dieeeee",
        "ik wil d o o d",
        "su!c!de",
        "IK WIL NIET MEER LEVEN 😭😭😭",
        "zelfmoord" + "\u0301" * 5,
    ],
)
def test_spelling_tricks_are_seen_through(text: str) -> None:
    assert detect_crisis(text) is not None


# --- Robustness ----------------------------------------------------------------------------
EMBEDDED: list[tuple[str, CrisisKind]] = [
    ("ik wil niet meer leven", CrisisKind.SUICIDE),
    ("ik denk aan zelfmoord", CrisisKind.SUICIDE),
    ("I want to kill myself", CrisisKind.SUICIDE),
    ("ik doe mezelf pijn", CrisisKind.SELF_HARM),
    ("self-harm", CrisisKind.SELF_HARM),
    ("hij slaat me", CrisisKind.DANGER),
    ("I'm in danger", CrisisKind.DANGER),
]


@given(st.text())
def test_any_text_gives_none_or_a_signal(text: str) -> None:
    assert detect_crisis(text) in (None, *(CrisisSignal(kind) for kind in CrisisKind))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=5, max_size=30), st.integers(min_value=2_000, max_value=4_000))
def test_huge_texts_never_raise(chunk: str, repeat: int) -> None:
    text = chunk * repeat
    assert len(text) >= 10_000
    assert detect_crisis(text) in (None, *(CrisisSignal(kind) for kind in CrisisKind))


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.text(),
    suffix=st.text(),
    embedded=st.sampled_from(EMBEDDED),
    separator=st.sampled_from(["\n", " ", ". ", " 🙁 ", "\u200b\n"]),
)
def test_phrase_is_found_anywhere_in_random_text(
    prefix: str, suffix: str, embedded: tuple[str, CrisisKind], separator: str
) -> None:
    phrase, kind = embedded
    assert detect_crisis(prefix + separator + phrase + separator + suffix) == CrisisSignal(kind)


@pytest.mark.parametrize("position", [0, 3_000, 6_000, 11_990])
def test_long_text_is_scanned_to_the_end(position: int) -> None:
    filler = "Ik wil graag met Ans wandelen. " * 400  # 12,000 characters
    text = filler[:position] + " ik wil dood " + filler[position:]
    assert detect_crisis(text) == CrisisSignal(CrisisKind.SUICIDE)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 50_000,
        "ik " * 17_000,
        "ik wil " * 7_000,
        "mezelf " * 7_000,
        "he is going to " * 3_500,
        "mijn man " * 6_000,
        "heb te veel pillen " * 3_000,
        "a " * 25_000,
        "dooo" * 12_500,
        ". ! ?" * 10_000,
        "\u200b" * 50_000,
        "e\u0301" * 25_000,
        "".join(chr(0x400 + i % 0x2000) for i in range(50_000)),
    ],
    ids=lambda text: f"{len(text)}-{text[:8]!r}",
)
def test_adversarial_texts_are_fast(text: str) -> None:
    # Linear time: about 2 µs per character. The bound is loose on purpose (slow CI); a
    # catastrophic backtrack would take minutes, not seconds.
    start = time.perf_counter()
    detect_crisis(text)
    assert time.perf_counter() - start < 2.0
