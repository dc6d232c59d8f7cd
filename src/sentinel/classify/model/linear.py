"""The linear head: character 1-3-gram TF-IDF with logistic regression, beside the BERT model.

On a few thousand labelled posts a linear model over character n-grams is the strongest single
topic classifier measured here (MODEL_CARD.md); in the ensemble its probabilities are mixed with the
model's, with weights tuned on dev.

Trained with scikit-learn (`fit`), but saved and scored without it, in plain files:
`linear_head.json` (the n-gram vocabulary in column order, settings, label order) and
`linear_head.safetensors` (idf, and per output the weights in float16 and intercepts). Scoring
re-implements scikit-learn's char analyzer (lowercase, runs of whitespace folded to one space,
n-grams of every length in range) and TfidfVectorizer(sublinear_tf=True, norm="l2"); a test checks
it against scikit-learn.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sentinel.classify.model.features import mark_numbers
from sentinel.classify.model.labels import GRADES, SENTIMENTS, TOPICS, LabelMap

LINEAR_JSON = "linear_head.json"
LINEAR_WEIGHTS = "linear_head.safetensors"
CUT_CHARS = 2000  # scoring reads the first 2,000 characters of the analysed text
_WHITE = re.compile(r"\s\s+")
Array = NDArray[np.float32]


def _sigmoid(x: Array) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -50, 50))), dtype=np.float32)


def _softmax(x: Array) -> Array:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float32)


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's analyzer="char": lowercase, whitespace runs → one space, all n-grams."""
    text = _WHITE.sub(" ", text.lower())
    n_chars = len(text)
    return [text[i : i + n] for n in range(low, min(high + 1, n_chars + 1)) for i in range(n_chars - n + 1)]


@dataclass
class LinearHead:
    vocab: list[str]
    idf: Array  # (features,)
    weights: dict[str, Array]  # "topics" / "grades" / "sentiments" -> (features, outputs)
    bias: dict[str, Array]  # -> (outputs,)
    ngram_range: tuple[int, int] = (1, 3)
    markers: bool = False  # number-magnitude markers in the text (model/features.py)
    labels: LabelMap | None = None

    def __post_init__(self) -> None:
        self.index = {term: i for i, term in enumerate(self.vocab)}
        self.labels = self.labels or LabelMap()
        # one float32 matrix for all outputs: one gather per post when scoring
        self._keys = [k for k in ("topics", "grades", "sentiments") if k in self.weights]
        self._stacked = (np.concatenate([self.weights[k] for k in self._keys], axis=1).astype(np.float32)
                         if self._keys else np.zeros((len(self.vocab), 0), dtype=np.float32))
        self._bias = (np.concatenate([self.bias[k] for k in self._keys]).astype(np.float32) if self._keys
                      else np.zeros(0, dtype=np.float32))

    # --- scoring ------------------------------------------------------------------------------

    def prepare(self, text: str) -> str:
        return mark_numbers(text, CUT_CHARS) if self.markers else text[:CUT_CHARS]

    def features(self, text: str) -> tuple[NDArray[np.int64], Array]:
        """Column indices and L2-normalised sublinear TF-IDF values of one text."""
        counts: Counter[int | None] = Counter(map(self.index.get, char_ngrams(self.prepare(text), *self.ngram_range)))
        counts.pop(None, None)  # n-grams outside the vocabulary
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        values = tf * self.idf[idx]
        norm = float(np.linalg.norm(values))
        return idx, (values / norm if norm > 0 else values).astype(np.float32)

    def matrix(self, texts: Sequence[str]) -> Any:
        """The texts' features as a scipy CSR matrix (for fitting against this vocabulary)."""
        from scipy.sparse import csr_matrix

        rows: list[NDArray[np.int64]] = []
        values: list[Array] = []
        for text in texts:
            idx, v = self.features(text)
            rows.append(idx)
            values.append(v)
        indptr = np.cumsum([0, *(len(r) for r in rows)])
        data = np.concatenate(values) if values else np.zeros(0, dtype=np.float32)
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        return csr_matrix((data.astype(np.float64), indices, indptr), shape=(len(texts), len(self.vocab)))

    def logits(self, texts: Sequence[str]) -> dict[str, Array]:
        out = np.tile(self._bias, (len(texts), 1)).astype(np.float32)
        for row, text in enumerate(texts):
            idx, values = self.features(text)
            if idx.size:
                out[row] += values @ self._stacked[idx]
        parts: dict[str, Array] = {}
        start = 0
        for key in self._keys:
            width = self.weights[key].shape[1]
            parts[key] = out[:, start : start + width]
            start += width
        return parts

    def probabilities(self, texts: Sequence[str]) -> dict[str, Array]:
        """Topic sigmoids (one-vs-rest), grade and sentiment softmax, in the LabelMap's order."""
        raw = self.logits(texts)
        return {"topics": _sigmoid(raw["topics"]), "grades": _softmax(raw["grades"]),
                "sentiments": _softmax(raw["sentiments"])}

    # --- files --------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        from safetensors.numpy import save_file

        assert self.labels is not None  # noqa: S101 - set in __post_init__
        meta = {
            "kind": "char n-gram TF-IDF (sublinear tf, l2) + logistic regression",
            "ngram_range": list(self.ngram_range),
            "markers": self.markers,
            "labels": self.labels.model_dump(mode="json"),
            "vocab": self.vocab,
        }
        (folder / LINEAR_JSON).write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
        tensors = {"idf": self.idf.astype(np.float32)}
        tensors |= {f"{k}.weight": w.astype(np.float16) for k, w in self.weights.items()}
        tensors |= {f"{k}.bias": b.astype(np.float32) for k, b in self.bias.items()}
        save_file(tensors, str(folder / LINEAR_WEIGHTS))
        (folder / LINEAR_WEIGHTS).chmod(0o644)

    @classmethod
    def load(cls, folder: Path) -> LinearHead | None:
        """The head saved in `folder`, or None when the folder has none."""
        if not (folder / LINEAR_JSON).is_file() or not (folder / LINEAR_WEIGHTS).is_file():
            return None
        from safetensors.numpy import load_file

        meta = json.loads((folder / LINEAR_JSON).read_text(encoding="utf-8"))
        tensors = load_file(str(folder / LINEAR_WEIGHTS))
        keys = ("topics", "grades", "sentiments")
        low, high = meta["ngram_range"]
        return cls(
            vocab=list(meta["vocab"]),
            idf=tensors["idf"].astype(np.float32),
            weights={k: tensors[f"{k}.weight"] for k in keys},  # float16: cast per post when scoring
            bias={k: tensors[f"{k}.bias"].astype(np.float32) for k in keys},
            ngram_range=(int(low), int(high)),
            markers=bool(meta.get("markers", False)),
            labels=LabelMap.model_validate(meta["labels"]),
        )


Weighted = tuple[str, Any, float]  # (text, label, weight): an example counted `weight` times a post


def fit_linear_head(
    texts: Sequence[str],
    topics: Sequence[Sequence[Any]],
    grades: Sequence[Any],
    sentiments: Sequence[Any | None],
    *,
    c: float = 10.0,
    min_df: int = 2,
    markers: bool = False,
    seed: int = 0,
    extra_topics: Sequence[Weighted] = (),
    extra_sentiment: Sequence[Weighted] = (),
) -> LinearHead:
    """Fit with scikit-learn (deterministic lbfgs); topics one-vs-rest, grade and sentiment multinomial.
    `extra_topics` / `extra_sentiment`: real text for those parts only (model/real_text.py); the
    vocabulary is the posts' alone, so the files keep their size and the grade its features."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    head = LinearHead([], np.zeros(0, dtype=np.float32), {}, {}, markers=markers)
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df,
                                 dtype=np.float64)
    x = vectoriser.fit_transform([head.prepare(t) for t in texts])
    grade_w, grade_b = _fit_classes(_logistic(c, seed), x, [GRADES.index(g) for g in grades], len(GRADES))
    vocab = [""] * len(vectoriser.vocabulary_)
    for term, i in vectoriser.vocabulary_.items():
        vocab[i] = term
    head = LinearHead(vocab=vocab, idf=vectoriser.idf_.astype(np.float32), weights={"grades": grade_w},
                      bias={"grades": grade_b}, markers=markers)
    head = fit_topics(head, [*((t, tp, 1.0) for t, tp in zip(texts, topics, strict=True)), *extra_topics], c=c, seed=seed)
    labelled = [(t, s, 1.0) for t, s in zip(texts, sentiments, strict=True) if s is not None]
    return fit_sentiment(head, [*labelled, *extra_sentiment], c=c, seed=seed)


def fit_topics(head: LinearHead, examples: Sequence[Weighted], *, c: float = 10.0, seed: int = 0) -> LinearHead:
    """`head` with its topic part (re)fitted on its own vocabulary, one-vs-rest on (text, topics,
    weight) examples; grade and sentiment untouched."""
    x, rows, weight = _weighted(head, examples, "topic")
    make = _logistic(c, seed)
    topic_w, topic_b = [], []
    for code in TOPICS:
        w, b = _fit_classes(make, x, [int(code in topics) for _, topics, _ in rows], 2, weight)
        topic_w.append(w[:, 1] - w[:, 0])
        topic_b.append(b[1] - b[0])
    return dataclasses.replace(head, weights={**head.weights, "topics": np.stack(topic_w, axis=1)},
                               bias={**head.bias, "topics": np.array(topic_b, dtype=np.float32)})


def fit_sentiment(head: LinearHead, examples: Sequence[Weighted], *, c: float = 10.0, seed: int = 0) -> LinearHead:
    """`head` with its sentiment part (re)fitted on its own vocabulary from (text, sentiment, weight)
    examples; topics and grade untouched."""
    x, rows, weight = _weighted(head, examples, "sentiment")
    w, b = _fit_classes(_logistic(c, seed), x, [SENTIMENTS.index(s) for _, s, _ in rows], len(SENTIMENTS), weight)
    return dataclasses.replace(head, weights={**head.weights, "sentiments": w}, bias={**head.bias, "sentiments": b})


def _weighted(head: LinearHead, examples: Sequence[Weighted], what: str) -> tuple[Any, list[Weighted], Any]:
    rows = [e for e in examples if e[2] > 0]
    if not rows:
        raise ValueError(f"no labelled {what} to fit the linear head's {what} part on")
    weight = np.array([w for _, _, w in rows], dtype=np.float64)
    return head.matrix([t for t, _, _ in rows]), rows, weight


def _logistic(c: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return lambda: LogisticRegression(C=c, max_iter=3000, random_state=seed)


ABSENT = -30.0  # logit of a class with no training example: never predicted


def _fit_classes(make: Any, x: Any, y: Sequence[int], n: int, weight: Any = None) -> tuple[Array, Array]:
    """(features, n) weights and (n,) intercepts of a softmax over n classes, whatever subset of
    them the data has (a binary fit becomes logits (0, z); an absent class gets ABSENT)."""
    weights = np.zeros((x.shape[1], n), dtype=np.float32)
    bias = np.full(n, ABSENT, dtype=np.float32)
    present = sorted(set(y))
    if len(present) == 1:
        bias[present[0]] = 0.0
        return weights, bias
    model = make().fit(x, y, sample_weight=weight)
    classes = [int(k) for k in model.classes_]
    if len(classes) == 2:
        bias[classes[0]] = 0.0
        weights[:, classes[1]] = model.coef_[0]
        bias[classes[1]] = model.intercept_[0]
    else:
        for row, k in enumerate(classes):
            weights[:, k] = model.coef_[row]
            bias[k] = model.intercept_[row]
    return weights, bias
