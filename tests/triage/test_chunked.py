"""Reading many requests at once (a batch's, an import chunk's) gives each request exactly what
reading it alone gives: the departments, their order and confidence, the words and the similar
past cases; and the chunk's arithmetic agrees with scikit-learn's own pipeline."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from xiaoneng.demo.history import MATTERS
from xiaoneng.triage.classifier import SIMILAR_MIN, Example, Guess, Router, SimilarCase, train

DATA = Path(__file__).parent / "data"


def _hand_written() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "routing.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def _duplicates_texts() -> list[str]:
    texts = []
    for line in (DATA / "duplicates.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _same, _a, text_a, _b, text_b = line.split("\t")
            texts += [text_a, text_b]
    return texts


def _generated(count: int, seed: int = 25) -> list[str]:
    """Requests put together from the demo history's matters, with numbers, repeats, Latin
    words and texts that name nothing the model knows."""
    rng = random.Random(seed)
    matters = [matter for group in MATTERS.values() for matter in group]
    texts = []
    for index in range(count):
        shape = index % 6
        if shape == 0:
            texts.append(f"{rng.choice(matters)}，请核实处理。编号{rng.randrange(10**6)}")
        elif shape == 1:
            texts.append(f"{rng.choice(matters)} {rng.choice(matters)}" * rng.randrange(1, 4))
        elif shape == 2:
            texts.append(f"市民来电反映第{rng.randrange(1, 40)}中学{rng.choice(matters)}")
        elif shape == 3:
            texts.append("☺" * (1 + index % 3))  # no known word or character at all
        elif shape == 4:
            texts.append(rng.choice(matters)[: rng.randrange(1, 4)])
        else:
            texts.append(f"{rng.choice(matters)}。具体情况：" * rng.randrange(1, 6))
    return texts


@pytest.fixture(scope="module")
def router() -> Router:
    """A model trained on the hand-written requests and the demo matters, with past cases
    (case ids) so the similar cases are offered."""
    examples = [
        Example(text=text, label=label, case_id=1000 + n, number=f"C-{n}")
        for n, (label, text) in enumerate(_hand_written())
    ]
    examples += [
        Example(text=matter, label=label)
        for label, matters in MATTERS.items()
        for matter in matters
    ]
    return train(examples)


def _one_at_a_time(router: Router, text: str, limit: int = 3) -> list[Guess]:
    """The reading of one text as it was before the chunked reading (release of the fourth
    round): its own TF-IDF rows, its own decision, its own similarity to the exemplars."""
    parts = []
    for part in (0, 1):
        counts = Counter(router._analysers[part](text))
        vocabulary = router._vocabularies[part]
        found = [(vocabulary[t], n) for t, n in counts.items() if t in vocabulary]
        if not found:
            parts.append((np.zeros(0, dtype=np.int64), np.zeros(0)))
            continue
        indices = np.array([i for i, _n in found], dtype=np.int64)
        values = (1 + np.log([n for _i, n in found])) * router._idf[part][indices]
        parts.append((indices, values / np.linalg.norm(values)))
    (word_idx, word_val), (char_idx, char_val) = parts
    if len(word_idx) + len(char_idx) == 0:
        return []
    indices = np.concatenate([word_idx, char_idx + router.n_words])
    values = np.concatenate([word_val, char_val])
    decision = values @ router._full_coef[indices] + router._intercept
    calibrated = 1 / (1 + np.exp(router._sigmoid[:, 0] * decision + router._sigmoid[:, 1]))
    probabilities = calibrated / calibrated.sum()
    similar = []
    if len(word_idx):
        scores = router.exemplars.toarray().astype(np.float64)[:, word_idx] @ word_val
        for index in np.argsort(-scores)[:10]:
            if scores[index] < SIMILAR_MIN:
                break
            case_id, number, label = router.exemplar_rows[index]
            similar.append(SimilarCase(case_id, number, label, round(float(scores[index]), 2)))
    guesses = []
    for index in np.argsort(-probabilities)[:limit]:
        weights = word_val * router.coef[index, word_idx]
        ranked = sorted(zip(weights, word_idx, strict=True), reverse=True)
        guesses.append(
            Guess(
                department=router.classes[index],
                confidence=float(probabilities[index]),
                words=[str(router.vocabulary[i]) for w, i in ranked[:5] if w > 0],
                similar=[s for s in similar if s.department == router.classes[index]][:3],
            )
        )
    return guesses


def _texts() -> list[str]:
    return [text for _label, text in _hand_written()] + _duplicates_texts() + _generated(300)


def _same(chunked: list[Guess], alone: list[Guess]) -> None:
    assert [g.department for g in chunked] == [g.department for g in alone]
    assert [g.words for g in chunked] == [g.words for g in alone]
    assert [g.similar for g in chunked] == [g.similar for g in alone]
    for mine, theirs in zip(chunked, alone, strict=True):
        assert mine.confidence == pytest.approx(theirs.confidence, abs=1e-9)


def test_a_chunk_reads_each_text_as_the_one_at_a_time_reading(router: Router) -> None:
    texts = _texts()
    chunked = router.suggest_many(texts)
    assert len(chunked) == len(texts)
    assert sum(1 for guesses in chunked if not guesses) >= 50  # the texts naming nothing known
    assert sum(1 for guesses in chunked for g in guesses if g.similar) >= 20
    for text, guesses in zip(texts, chunked, strict=True):
        _same(guesses, _one_at_a_time(router, text))


def test_chunks_of_any_size_give_the_same_guesses(router: Router) -> None:
    texts = _texts()
    whole = router.suggest_many(texts)
    for size in (1, 7, 64):
        pieces = [
            guesses
            for start in range(0, len(texts), size)
            for guesses in router.suggest_many(texts[start : start + size])
        ]
        assert pieces == whole
    assert [router.suggest(text) for text in texts[:40]] == whole[:40]
    assert router.suggest_many([]) == []


def test_the_chunk_agrees_with_scikit_learns_pipeline(router: Router) -> None:
    texts = [text for text in _texts() if router.suggest(text)]
    expected = router.probabilities(texts)
    for text, row, guesses in zip(texts, expected, router.suggest_many(texts), strict=True):
        order = [router.classes[i] for i in np.argsort(-row)[:3]]
        assert [g.department for g in guesses] == order, text
        for guess in guesses:
            assert guess.confidence == pytest.approx(
                row[router.classes.index(guess.department)], abs=1e-6
            )
