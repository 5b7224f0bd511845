"""The routing model: which department of a unit a request's text belongs to.

TF-IDF over the request's words (jieba) and over its single characters, a linear
support-vector classifier, and a sigmoid calibration fitted on cross-validated decisions, so a
confidence of 0.8 means about eight in ten. The reasons are the words that weighed most for the
department, and the most similar past cases it was trained on, with the department they went to.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from xiaoneng.triage.text import normalise, words

if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer

# scikit-learn, SciPy and joblib are imported where a model is trained, loaded or used, not with
# this module: the URL configuration reaches it, and importing them costs every process that
# starts Django (each command, each test worker) more than a second of CPU.

# Each department needs this many examples for the three-fold calibration; a department known
# only by its remit gets its remit's clauses, repeated when there are fewer.
MIN_PER_CLASS = 3
EXEMPLARS_PER_CLASS = 40
SIMILAR_MIN = 0.3


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0
    # A past case (None for a remit clause): offered as a similar case in the reasons.
    case_id: int | None = None
    number: str = ""


@dataclass(frozen=True)
class SimilarCase:
    case_id: int
    number: str
    department: str
    score: float


@dataclass(frozen=True)
class Guess:
    department: str
    confidence: float
    words: list[str] = field(default_factory=list)
    similar: list[SimilarCase] = field(default_factory=list)


def _analyse(text: str) -> list[str]:
    return words(text)


class Router:
    """A trained model: ``suggest`` returns every department, best first."""

    def __init__(
        self,
        *,
        word_vectoriser: TfidfVectorizer,
        char_vectoriser: TfidfVectorizer,
        model: CalibratedClassifierCV,
        exemplars: sparse.csr_matrix,
        exemplar_rows: list[tuple[int, str, str]],
    ) -> None:
        self.word_vectoriser = word_vectoriser
        self.char_vectoriser = char_vectoriser
        self.model = model
        self.classes: list[str] = [str(c) for c in model.classes_]
        self.exemplars = exemplars
        self.exemplar_rows = exemplar_rows
        self.vocabulary = word_vectoriser.get_feature_names_out()
        self.n_words = len(self.vocabulary)
        base = model.calibrated_classifiers_[0].estimator
        coef = base.coef_
        if len(self.classes) == 2:
            coef = np.vstack([-coef[0], coef[0]])
        self.coef = np.asarray(coef[:, : self.n_words])
        self._prepare()

    def _prepare(self) -> None:
        """The parts of the model one suggestion needs, as plain arrays: scikit-learn's own
        checks cost some 30 ms a call, ten times the arithmetic (tested equal)."""
        calibrated = self.model.calibrated_classifiers_[0]
        base = calibrated.estimator
        self._analysers = (
            self.word_vectoriser.build_analyzer(),
            self.char_vectoriser.build_analyzer(),
        )
        self._vocabularies = (self.word_vectoriser.vocabulary_, self.char_vectoriser.vocabulary_)
        self._idf = (self.word_vectoriser.idf_, self.char_vectoriser.idf_)
        self._full_coef = np.ascontiguousarray(base.coef_.T)  # features × outputs
        self._intercept = np.asarray(base.intercept_)
        self._sigmoid = np.array([[c.a_, c.b_] for c in calibrated.calibrators])

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare()

    def _row(self, text: str, part: int) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self._analysers[part](text))
        vocabulary = self._vocabularies[part]
        found = [(vocabulary[t], n) for t, n in counts.items() if t in vocabulary]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        indices = np.array([i for i, _n in found], dtype=np.int64)
        values = (1 + np.log([n for _i, n in found])) * self._idf[part][indices]
        return indices, values / np.linalg.norm(values)

    def _fast(self, text: str) -> tuple[sparse.csr_matrix, np.ndarray | None]:
        """The word row (for the reasons) and the calibrated probabilities of one text."""
        from scipy import sparse

        word_idx, word_val = self._row(text, 0)
        char_idx, char_val = self._row(text, 1)
        word_row = sparse.csr_matrix(
            (word_val, word_idx, [0, len(word_idx)]), shape=(1, self.n_words)
        )
        if len(word_idx) + len(char_idx) == 0:
            return word_row, None
        indices = np.concatenate([word_idx, char_idx + self.n_words])
        values = np.concatenate([word_val, char_val])
        decision = values @ self._full_coef[indices] + self._intercept
        calibrated = 1 / (1 + np.exp(self._sigmoid[:, 0] * decision + self._sigmoid[:, 1]))
        if len(self.classes) == 2:
            return word_row, np.array([1 - calibrated[0], calibrated[0]])
        total = calibrated.sum()
        if total == 0:
            return word_row, np.full(len(self.classes), 1 / len(self.classes))
        return word_row, calibrated / total

    def _vectors(self, texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        from scipy import sparse

        word_matrix = self.word_vectoriser.transform(texts)
        char_matrix = self.char_vectoriser.transform(texts)
        return word_matrix, sparse.hstack([word_matrix, char_matrix], format="csr")

    def probabilities(self, texts: list[str]) -> np.ndarray:
        _words, matrix = self._vectors(texts)
        return np.asarray(self.model.predict_proba(matrix))

    def suggest(self, text: str, *, limit: int = 3) -> list[Guess]:
        """The ``limit`` most likely departments; none when no word of the text is known."""
        word_row, probabilities = self._fast(text)
        if probabilities is None:
            return []
        order = np.argsort(-probabilities)[:limit]
        similar = self._similar(word_row)
        guesses = []
        for index in order:
            label = self.classes[index]
            guesses.append(
                Guess(
                    department=label,
                    confidence=float(probabilities[index]),
                    words=self._top_words(word_row, index),
                    similar=[s for s in similar if s.department == label][:3],
                )
            )
        return guesses

    def _top_words(self, word_row: sparse.csr_matrix, index: int, count: int = 5) -> list[str]:
        weights = word_row.data * self.coef[index, word_row.indices]
        ranked = sorted(zip(weights, word_row.indices, strict=True), reverse=True)
        return [str(self.vocabulary[i]) for weight, i in ranked[:count] if weight > 0]

    def _similar(self, word_row: sparse.csr_matrix) -> list[SimilarCase]:
        if self.exemplars.shape[0] == 0 or word_row.nnz == 0:
            return []
        scores = np.asarray((self.exemplars @ word_row.T).todense()).ravel()
        found = []
        for index in np.argsort(-scores)[:10]:
            if scores[index] < SIMILAR_MIN:
                break
            case_id, number, label = self.exemplar_rows[index]
            found.append(SimilarCase(case_id, number, label, round(float(scores[index]), 2)))
        return found


_REMIT_SEPARATORS = str.maketrans(dict.fromkeys("、，,；;。", "\n"))


def remit_examples_of(code: str, name: str, remit: str) -> list[Example]:
    """A department's written remit (职能) as examples: whole (with the department's name), and
    clause by clause, so each duty weighs on its own."""
    remit = remit.strip()
    found = [Example(text=f"{name} {remit}", label=code)]
    for clause in remit.translate(_REMIT_SEPARATORS).split("\n"):
        if len(clause.strip()) >= 2:
            found.append(Example(text=clause.strip(), label=code))
    return found


def _balanced(examples: list[Example]) -> list[Example]:
    """Every department with at least ``MIN_PER_CLASS`` examples (repeating the few it has)."""
    counts = Counter(example.label for example in examples)
    extra = []
    for label, count in counts.items():
        own = [example for example in examples if example.label == label]
        for i in range(max(0, MIN_PER_CLASS - count)):
            extra.append(own[i % len(own)])
    return examples + extra


def train(examples: list[Example]) -> Router:
    """Fit a router on ``examples`` (past cases and remit clauses); needs two departments."""
    from scipy import sparse
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    examples = _balanced([e for e in examples if e.text.strip()])
    if len({example.label for example in examples}) < 2:
        raise ValueError("at least two departments are needed")
    texts = [example.text for example in examples]
    min_df = 2 if len(examples) >= 2000 else 1
    word_vectoriser = TfidfVectorizer(
        analyzer=_analyse, sublinear_tf=True, min_df=min_df, max_features=60000, dtype=np.float32
    )
    char_vectoriser = TfidfVectorizer(
        analyzer="char",
        # Single characters: a Chinese character carries meaning (墙, 捐, 餐), so a word the
        # history never used still weighs. 2- and 3-grams learnt the generated history's
        # phrasing instead (top-1 on the hand-written requests 69 % with them, 78 % without).
        ngram_range=(1, 1),
        preprocessor=normalise,
        sublinear_tf=True,
        min_df=min_df,
        max_features=120000,
        dtype=np.float32,
    )
    word_matrix = word_vectoriser.fit_transform(texts)
    matrix = sparse.hstack([word_matrix, char_vectoriser.fit_transform(texts)], format="csr")
    labels = np.array([example.label for example in examples])
    weights = np.array([example.weight for example in examples])
    model = CalibratedClassifierCV(
        LinearSVC(C=0.5), method="sigmoid", cv=MIN_PER_CLASS, ensemble=False
    )
    model.fit(matrix, labels, sample_weight=weights)
    rows = _exemplar_rows(examples)
    return Router(
        word_vectoriser=word_vectoriser,
        char_vectoriser=char_vectoriser,
        model=model,
        exemplars=word_matrix[[index for index, _row in rows]],
        exemplar_rows=[row for _index, row in rows],
    )


def _exemplar_rows(examples: list[Example]) -> list[tuple[int, tuple[int, str, str]]]:
    """The newest past cases of each department (examples come oldest first)."""
    taken: Counter[str] = Counter()
    rows = []
    for index in range(len(examples) - 1, -1, -1):
        example = examples[index]
        if example.case_id is None or taken[example.label] >= EXEMPLARS_PER_CLASS:
            continue
        taken[example.label] += 1
        rows.append((index, (example.case_id, example.number, example.label)))
    return rows


@dataclass(frozen=True)
class Accuracy:
    top1: float
    top3: float
    count: int
    misses: list[tuple[str, str, list[str]]]


def evaluate(router: Router, cases: list[tuple[str, str]]) -> Accuracy:
    """Top-1 and top-3 accuracy on ``(text, department)`` pairs, and the misses."""
    if not cases:
        return Accuracy(0.0, 0.0, 0, [])
    probabilities = router.probabilities([text for text, _label in cases])
    top1 = top3 = 0
    misses = []
    for (text, label), row in zip(cases, probabilities, strict=True):
        ranked = [router.classes[i] for i in np.argsort(-row)[:3]]
        top1 += ranked[0] == label
        top3 += label in ranked
        if ranked[0] != label:
            misses.append((text, label, ranked))
    return Accuracy(top1 / len(cases), top3 / len(cases), len(cases), misses)


def dumps(router: Router) -> bytes:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(router, buffer, compress=3)
    return buffer.getvalue()


def loads(blob: bytes) -> Router:
    import joblib

    router: Any = joblib.load(io.BytesIO(blob))
    if not isinstance(router, Router):
        raise ValueError("not a routing model")
    return router


def timed_train(examples: list[Example]) -> tuple[Router, float]:
    started = time.perf_counter()
    router = train(examples)
    return router, time.perf_counter() - started
