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
        """The parts of the model a suggestion needs, as plain arrays: scikit-learn's own
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

    def _rows(self, texts: list[str], part: int) -> sparse.csr_matrix:
        """The TF-IDF rows of ``texts`` for one part (words or characters), built as
        scikit-learn's ``transform`` builds them (sublinear counts, idf, each row of unit
        length) without its checks: the texts are read one by one, the arithmetic is done
        for all of them at once."""
        from scipy import sparse

        analyse, vocabulary = self._analysers[part], self._vocabularies[part]
        indptr, indices, counts = [0], [], []
        for text in texts:
            for token, count in Counter(analyse(text)).items():
                index = vocabulary.get(token)
                if index is not None:
                    indices.append(index)
                    counts.append(count)
            indptr.append(len(indices))
        columns = np.array(indices, dtype=np.int64)
        values = (1 + np.log(np.array(counts, dtype=np.float64))) * self._idf[part][columns]
        owners = np.repeat(np.arange(len(texts)), np.diff(indptr))
        norms = np.sqrt(np.bincount(owners, weights=values * values, minlength=len(texts)))
        if len(values):
            values /= norms[owners]
        width = self.n_words if part == 0 else len(self._idf[1])
        return sparse.csr_matrix((values, columns, indptr), shape=(len(texts), width))

    def _read(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
        """The word rows (for the reasons), the calibrated probabilities (texts × classes)
        and which texts had a known word or character at all."""
        word_rows, char_rows = self._rows(texts, 0), self._rows(texts, 1)
        decision = (
            word_rows @ self._full_coef[: self.n_words]
            + char_rows @ self._full_coef[self.n_words :]
            + self._intercept
        )
        calibrated = 1 / (1 + np.exp(self._sigmoid[:, 0] * decision + self._sigmoid[:, 1]))
        if len(self.classes) == 2:
            probabilities = np.column_stack([1 - calibrated[:, 0], calibrated[:, 0]])
        else:
            total = calibrated.sum(axis=1, keepdims=True)
            uniform = np.full_like(calibrated, 1 / len(self.classes))
            safe = np.where(total == 0, 1, total)
            probabilities = np.where(total == 0, uniform, calibrated / safe)
        known = np.diff(word_rows.indptr) + np.diff(char_rows.indptr) > 0
        return word_rows, probabilities, known

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
        return self.suggest_many([text], limit=limit)[0]

    def suggest_many(self, texts: list[str], *, limit: int = 3) -> list[list[Guess]]:
        """``suggest`` for many texts at once: each text is read once, the model's arithmetic
        (decisions, calibration, the similar past cases) done for all of them together. Each
        text's guesses are those it gets alone (``tests/triage/test_chunked.py``)."""
        if not texts:
            return []
        word_rows, probabilities, known = self._read(texts)
        scores = self._similarity(word_rows)
        found: list[list[Guess]] = []
        for row, text_known in enumerate(known):
            if not text_known:
                found.append([])
                continue
            start, end = word_rows.indptr[row], word_rows.indptr[row + 1]
            data, columns = word_rows.data[start:end], word_rows.indices[start:end]
            similar = self._similar(scores, row) if end > start else []
            guesses = []
            for index in np.argsort(-probabilities[row])[:limit]:
                label = self.classes[index]
                guesses.append(
                    Guess(
                        department=label,
                        confidence=float(probabilities[row, index]),
                        words=self._top_words(data, columns, index),
                        similar=[s for s in similar if s.department == label][:3],
                    )
                )
            found.append(guesses)
        return found

    def _top_words(
        self, data: np.ndarray, columns: np.ndarray, index: int, count: int = 5
    ) -> list[str]:
        weights = data * self.coef[index, columns]
        ranked = sorted(zip(weights, columns, strict=True), reverse=True)
        return [str(self.vocabulary[i]) for weight, i in ranked[:count] if weight > 0]

    def _similarity(self, word_rows: sparse.csr_matrix) -> np.ndarray | None:
        """The cosine of each text's words with each exemplar (exemplars × texts)."""
        if self.exemplars.shape[0] == 0 or word_rows.nnz == 0:
            return None
        return np.asarray((self.exemplars @ word_rows.T).todense())

    def _similar(self, scores: np.ndarray | None, row: int) -> list[SimilarCase]:
        if scores is None:
            return []
        column = np.ascontiguousarray(scores[:, row])
        found = []
        for index in np.argsort(-column)[:10]:
            if column[index] < SIMILAR_MIN:
                break
            case_id, number, label = self.exemplar_rows[index]
            found.append(SimilarCase(case_id, number, label, round(float(column[index]), 2)))
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
