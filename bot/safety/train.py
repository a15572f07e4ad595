"""Train the crisis model: `python -m bot.safety.train` (needs the `train` extra).

Reproducible: the same corpus and library versions give the same file, byte for byte.

1. Read `data/crisis/train/` (and the phrase corpus in `tests/data/`), never `eval/`.
2. Add seeded variants: crisis sentences hidden inside ordinary answers (as clients write
   them: a name, then "maar ik ben er binnenkort toch niet meer"), two harmless messages
   joined (so length is no cue), and typos.
3. Five-fold cross-validation, variants kept in the fold of their source, to choose the two
   thresholds on messages the model did not see: the check question where ordinary
   answers almost never reach it, the crisis reply where look-alikes seldom reach it.
4. Fit on everything, drop near-zero weights, write `bot/safety/crisis_model.json.gz`.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.safety import corpus
from bot.safety.assess import Evidence, Tier, decide, evidence
from bot.safety.corpus import Message
from bot.safety.features import SEED_LEXICON, Lexicon, counts, tokens, vectorise
from bot.safety.model import CLASSES, LOOKALIKE, MODEL_FILE, ORDINARY, CrisisModel

TEST_DATA: Final = corpus.DATA.parents[1] / "tests" / "data"
PHRASE_CORPUS: Final = TEST_DATA / "crisis_corpus.tsv"
# Answers typed at the route's buttons and moments (the understanding tests' data): short
# ordinary words such as "partner" or "again" that must never look like a crisis. The
# "_unseen" batches stay out, as a check the model has not seen.
TYPED_ANSWERS: Final = (TEST_DATA / "typed_answers.tsv", TEST_DATA / "moments.tsv")
SEED: Final = 20261206
FOLDS: Final = 5
C: Final = 16.0  # inverse regularisation; chosen by cross-validation
MIN_DF: Final = 2  # a feature must occur in two messages to count
KEEP_WEIGHT: Final = 0.05  # features whose every weight is smaller are dropped, then refit
# Threshold targets on out-of-fold scores: the targets for the check question on
# ordinary answers (2%), and a margin under its 10% for the crisis reply on look-alikes.
ORDINARY_ASKED: Final = 0.02
LOOKALIKE_CRISIS: Final = 0.08
FLOORS: Final = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)  # severity floors tried for the question
CACHE: Final = Path("/tmp/steunkaart-crisis-cv.pickle")  # out-of-fold evidence, to re-tune


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    target: str  # a class of the model: ordinary, lookalike or a crisis kind
    group: int  # the source message: variants stay in its fold
    original: bool


# --- The data ------------------------------------------------------------------------------
def phrase_corpus(path: Path = PHRASE_CORPUS) -> list[Message]:
    """The older phrase corpus (expected, lang, text), in the new shape."""
    messages = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        expected, lang, text = line.split("\t")
        crisis = expected != "none"
        label, kind = ("crisis", expected) if crisis else ("lookalike", "-")
        messages.append(Message(label, kind, lang, "phrases", text))
    return messages


def typed_answers() -> list[Message]:
    """The understanding tests' typed answers, as ordinary route answers."""
    messages = []
    for path in TYPED_ANSWERS:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        rows = [line.split("\t") for line in lines if not line.startswith("#")]
        column = rows[0].index("text")
        lang = rows[0].index("lang") if "lang" in rows[0] else None
        for row in rows[1:]:
            language = row[lang] if lang is not None else "nl"
            messages.append(Message("ordinary", "-", language, "typed_answer", row[column]))
    return messages


def training_messages() -> list[Message]:
    held_out = {message.text for message in corpus.load(corpus.TEST)}
    messages = (
        corpus.load(corpus.TRAIN) + corpus.load(corpus.SEEN) + phrase_corpus() + typed_answers()
    )
    return corpus.unique(corpus.without(messages, held_out))


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word, at = words[index], rng.randrange(1, len(words[index]) - 1)
    operation = rng.randrange(3)
    if operation == 0:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]  # swap two letters
    elif operation == 1:
        word = word[:at] + word[at + 1 :]  # drop one
    else:
        word = word[:at] + word[at] + word[at:]  # double one
    words[index] = word
    return " ".join(words)


def _target(message: Message) -> str:
    return message.kind if message.is_crisis else message.label


def examples(messages: Sequence[Message], rng: random.Random) -> list[Example]:
    """The messages, plus seeded variants that teach what single messages cannot."""
    result = [Example(m.text, _target(m), i, True) for i, m in enumerate(messages)]
    harmless = [i for i, m in enumerate(messages) if not m.is_crisis]
    ordinary = [i for i, m in enumerate(messages) if m.label == "ordinary"] or harmless
    for i, message in enumerate(messages):
        if message.is_crisis and rng.random() < 0.3:
            answer = messages[rng.choice(ordinary)].text
            before = rng.random() < 0.6
            joined = f"{answer}. {message.text}" if before else f"{message.text} {answer}"
            result.append(Example(joined, message.kind, i, False))
        if not message.is_crisis and rng.random() < 0.3:
            other = messages[rng.choice(harmless)]
            target = LOOKALIKE if LOOKALIKE in (message.label, other.label) else ORDINARY
            result.append(Example(f"{message.text}. {other.text}", target, i, False))
        if rng.random() < 0.2:
            result.append(Example(_typo(message.text, rng), _target(message), i, False))
    return result


# --- The lexicon ---------------------------------------------------------------------------
def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


def lexicon() -> Lexicon:
    """Real words near the crisis words (never "corrected"), and lemmas of crisis words."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    forms: dict[str, str] = {}
    for lang in ("nl", "en"):
        for form, lemma in factory.get_dictionary(lang).items():
            plain = _plain(form)
            if plain:
                forms.setdefault(plain, _plain(lemma))
        # simplemma keeps lemmas apart from their forms: they are words too
    vocabulary = sorted(set(forms) | set(forms.values()))
    crisis = set(SEED_LEXICON)
    known: set[str] = set()
    for word in SEED_LEXICON:
        limit = 1 if len(word) < 7 else 2
        for candidate, _, _ in extract(
            word, vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            if candidate not in crisis:
                known.add(candidate)
    crisis_lemmas = {forms.get(word, word) for word in SEED_LEXICON}
    lemmas = {form: lemma for form, lemma in forms.items() if lemma in crisis_lemmas}
    return Lexicon(SEED_LEXICON, frozenset(known), dict(sorted(lemmas.items())))


# --- Fitting -------------------------------------------------------------------------------
def _idf(rows: Sequence[dict[str, int]]) -> dict[str, float]:
    """Smoothed inverse document frequency of the features in at least MIN_DF rows."""
    frequency: dict[str, int] = {}
    for row in rows:
        for name in row:
            frequency[name] = frequency.get(name, 0) + 1
    total = len(rows)
    return {
        name: math.log((1 + total) / (1 + seen)) + 1.0
        for name, seen in sorted(frequency.items())
        if seen >= MIN_DF
    }


def _fit(rows: Sequence[dict[str, int]], targets: Sequence[str], idf: dict[str, float]):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([vectorise(row, idf) for row in rows])
    classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    classifier.fit(matrix, targets)
    return vectorizer, classifier


def fit(rows: Sequence[dict[str, int]], targets: Sequence[str], lexicon: Lexicon) -> CrisisModel:
    """Fit, keep the features that matter, and fit again on just those (so the running
    bot's vectors, which leave out unknown features, are the ones the model saw)."""
    idf = _idf(rows)
    vectorizer, classifier = _fit(rows, targets, idf)
    strong = classifier.coef_.__abs__().max(axis=0) >= KEEP_WEIGHT
    kept = {
        name: idf[name]
        for name, keep in zip(vectorizer.feature_names_, strong, strict=True)
        if keep
    }
    vectorizer, classifier = _fit(rows, targets, kept)
    order = [list(classifier.classes_).index(name) for name in CLASSES]
    weights = {
        name: tuple(round(float(classifier.coef_[k, column]), 5) for k in order)
        for column, name in enumerate(vectorizer.feature_names_)
    }
    intercepts = tuple(round(float(classifier.intercept_[k]), 5) for k in order)
    idf = {name: round(kept[name], 5) for name in weights}
    return CrisisModel(CLASSES, intercepts, weights, idf, lexicon, 0.5, 0.5, 0.0, {})


def _rate(values: Sequence[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


Scored = Sequence[tuple[Message, Evidence]]


def thresholds(scored: Scored) -> tuple[float, float, float]:
    """The check-question thresholds (topic, and a severity floor) and the crisis-reply
    threshold, from out-of-fold evidence: the most crisis messages caught while ordinary
    answers stay under their target, then look-alikes under theirs."""
    # Fine near 1: a linear model on many features is sure of itself.
    grid = sorted(
        {round(0.01 * step, 2) for step in range(5, 100)}
        | {round(1 - 10 ** (-step / 10), 5) for step in range(20, 41)}
    )
    ordinary = [e for m, e in scored if m.label == "ordinary"]
    lookalike = [e for m, e in scored if m.label == "lookalike"]
    crisis = [e for m, e in scored if m.is_crisis]
    best: tuple[float, float, float] | None = None
    for floor in FLOORS:
        ask_at = next(
            (
                t
                for t in grid
                if _rate([decide(e, t, 1.01, floor) is not Tier.NONE for e in ordinary])
                <= ORDINARY_ASKED
            ),
            grid[-1],
        )
        caught = _rate([decide(e, ask_at, 1.01, floor) is not Tier.NONE for e in crisis])
        if best is None or caught > best[0]:
            best = (caught, ask_at, floor)
    assert best is not None
    _, ask_at, floor = best
    crisis_at = next(
        (
            t
            for t in grid
            if _rate([decide(e, ask_at, t, floor) is Tier.CRISIS for e in lookalike])
            <= LOOKALIKE_CRISIS
        ),
        grid[-1],
    )
    return ask_at, crisis_at, floor


def figures(scored: Scored, ask_at: float, crisis_at: float, floor: float) -> str:
    tiers = [(m, decide(e, ask_at, crisis_at, floor)) for m, e in scored]
    crisis = [t for m, t in tiers if m.is_crisis]
    lookalike = [t for m, t in tiers if m.label == "lookalike"]
    ordinary = [t for m, t in tiers if m.label == "ordinary"]
    return (
        f"crisis caught {_rate([t is not Tier.NONE for t in crisis]):.1%} "
        f"(crisis reply {_rate([t is Tier.CRISIS for t in crisis]):.1%}, n={len(crisis)}); "
        f"look-alikes with crisis reply {_rate([t is Tier.CRISIS for t in lookalike]):.1%}, "
        f"asked {_rate([t is Tier.ASK for t in lookalike]):.1%} (n={len(lookalike)}); "
        f"ordinary asked {_rate([t is not Tier.NONE for t in ordinary]):.1%} "
        f"(n={len(ordinary)})"
    )


def cross_validate(
    messages: Sequence[Message], all_examples: Sequence[Example], lexicon: Lexicon
) -> list[tuple[Message, Evidence]]:
    rows = [counts(tokens(e.text, lexicon), lexicon) for e in all_examples]
    out: list[tuple[Message, Evidence]] = []
    for fold in range(FOLDS):
        train = [i for i, e in enumerate(all_examples) if e.group % FOLDS != fold]
        model = fit([rows[i] for i in train], [all_examples[i].target for i in train], lexicon)
        for e in all_examples:
            if e.original and e.group % FOLDS == fold:
                out.append((messages[e.group], evidence(e.text, model)))
    return out


def digest(messages: Sequence[Message]) -> str:
    hasher = hashlib.sha256()
    for m in messages:
        hasher.update("\t".join((m.label, m.kind, m.lang, m.text)).encode() + b"\n")
    return hasher.hexdigest()


def train(output: Path = MODEL_FILE, report: bool = True) -> CrisisModel:
    messages = training_messages()
    rng = random.Random(SEED)
    shuffled = list(messages)
    rng.shuffle(shuffled)  # folds by group number: shuffle so each fold mixes every file
    all_examples = examples(shuffled, rng)
    words = lexicon()
    out_of_fold = cross_validate(shuffled, all_examples, words)
    CACHE.write_bytes(pickle.dumps(out_of_fold))
    ask_at, crisis_at, floor = thresholds(out_of_fold)
    cv = figures(out_of_fold, ask_at, crisis_at, floor)
    rows = [counts(tokens(e.text, words), words) for e in all_examples]
    model = fit(rows, [e.target for e in all_examples], words)
    import sklearn

    model = CrisisModel(
        model.classes,
        model.intercepts,
        model.weights,
        model.idf,
        words,
        ask_at,
        crisis_at,
        floor,
        {
            "corpus_sha256": digest(messages),
            "messages": len(messages),
            "examples": len(all_examples),
            "cross_validation": cv,
            "scikit_learn": sklearn.__version__,
        },
    )
    model.save(output)
    if report:
        print(f"{len(messages)} messages, {len(all_examples)} with variants", file=sys.stderr)
        print(f"thresholds: ask {ask_at} (floor {floor}), crisis {crisis_at}", file=sys.stderr)
        print(f"cross-validation: {cv}", file=sys.stderr)
        print(f"{len(model.weights)} features -> {output}", file=sys.stderr)
    return model


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    train(args.output)


if __name__ == "__main__":
    main()
