"""The crisis model file, its corpus and the two tiers, without the route around them."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety import CrisisKind, Tier, assess, corpus
from bot.safety.model import CLASSES, MODEL_FILE, default_model, load_model
from bot.safety.train import digest, training_messages


def test_the_model_file_is_small_and_loads() -> None:
    model = load_model()
    assert model.classes == CLASSES
    assert 0 < model.ask_at < 1 and 0 < model.crisis_at <= 1
    assert MODEL_FILE.stat().st_size < 3_000_000
    assert set(model.weights) == set(model.idf)


def test_the_model_is_trained_on_the_corpus_as_it_is_now() -> None:
    """Change a corpus file, and this fails until `python -m bot.safety.train` is run."""
    assert default_model().meta["corpus_sha256"] == digest(training_messages()), (
        "the crisis corpus changed: retrain with `.venv/bin/python -m bot.safety.train`"
    )


def test_the_test_set_is_never_trained_on() -> None:
    test = {message.text for message in corpus.load(corpus.TEST)}
    assert test and not test & {message.text for message in training_messages()}


def test_the_corpus_is_large_and_covers_both_languages() -> None:
    counts = Counter((m.label, m.lang) for m in training_messages())
    assert counts["crisis", "nl"] + counts["crisis", "en"] >= 1500
    assert counts["lookalike", "nl"] + counts["lookalike", "en"] >= 1500
    assert min(counts.values()) >= 200
    test = Counter(m.label for m in corpus.load(corpus.TEST))
    assert min(test[label] for label in corpus.LABELS) >= 500


def test_clear_crisis_language_gets_the_crisis_reply_with_its_kind() -> None:
    assert assess("ik wil dood").tier is Tier.CRISIS
    assert assess("I want to kill myself tonight").kind is CrisisKind.SUICIDE
    assert assess("ik heb me weer gesneden").kind is CrisisKind.SELF_HARM
    assert assess("hij slaat me en staat nu voor de deur").kind is CrisisKind.DANGER


def test_ordinary_answers_get_nothing() -> None:
    for text in (
        "Mieke",
        "mijn zus Anouk",
        "zaterdagochtend",
        "Familie",
        "ja dat mag",
        "Wil je zaterdag mee naar de markt?",
        "ging wel goed",
    ):
        assert assess(text).tier is Tier.NONE, text


def test_typos_in_crisis_words_are_read_through() -> None:
    for text in ("ik wil sterfen", "gedachtes aan zelfmord", "ik wil mezlef iets aandoen"):
        assert assess(text).tier is not Tier.NONE, text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_tier_and_the_same_one_twice(text: str) -> None:
    first = assess(text)
    assert first == assess(text)
    assert (first.kind is None) == (first.tier is Tier.NONE)
