"""Metrics for a classifier on labelled posts, and the baselines the model must beat.

Metrics: per-topic precision/recall/F1 over topic sets (multi-label), their macro-F1, top-1
accuracy on the primary topic (the predicted first topic is the labelled first topic: it picks the
lead department), top-1 against any labelled topic (precision@1, the usual multi-label reading),
grade accuracy and confusion matrix, serious-or-worse recall, the
false-alarm rate (share of none/general posts called serious or worse), sentiment accuracy.

Baselines: (a) the monitoring schemes alone (RuleClassifier); (b) TF-IDF over character 1-3-grams
with logistic regression (one-vs-rest for topics, multinomial for grade and sentiment), trained on
the same train split.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy as np
from pydantic import ValidationError

from sentinel.classify.data import LabelledPost
from sentinel.classify.model.labels import GRADES, SENTIMENTS, TOPICS
from sentinel.classify.stage import Classifier
from sentinel.domain.codes import Grade, Sentiment, TopicCode
from sentinel.domain.post import Post, PostIn
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser, Unacceptable

SERIOUS = Grade.serious.rank
MAX_TOPICS = 3


class Predicted(NamedTuple):
    topics: tuple[TopicCode, ...]  # primary first, never empty
    grade: Grade
    sentiment: Sentiment


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def metrics(gold: Sequence[LabelledPost], pred: Sequence[Predicted]) -> dict[str, Any]:
    """Every metric in one JSON-able dict (rates in [0, 1], rounded to 4 places)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} labelled posts but {len(pred)} predictions")
    per_topic: dict[str, dict[str, float]] = {}
    for code in TOPICS:
        tp = sum(code in p.topics and code in g.topics for g, p in zip(gold, pred, strict=True))
        fp = sum(code in p.topics and code not in g.topics for g, p in zip(gold, pred, strict=True))
        fn = sum(code not in p.topics and code in g.topics for g, p in zip(gold, pred, strict=True))
        precision, recall, f1 = _prf(tp, fp, fn)
        per_topic[code.value] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    grades = [g.value for g in GRADES]
    confusion = [[0] * len(grades) for _ in grades]
    for g, p in zip(gold, pred, strict=True):
        confusion[grades.index(g.grade.value)][grades.index(p.grade.value)] += 1
    serious = [p.grade.rank >= SERIOUS for g, p in zip(gold, pred, strict=True) if g.grade.rank >= SERIOUS]
    calm = [p.grade.rank >= SERIOUS for g, p in zip(gold, pred, strict=True) if g.grade.rank <= 1]
    with_sentiment = [(g, p) for g, p in zip(gold, pred, strict=True) if g.sentiment is not None]
    n = max(len(gold), 1)
    return {
        "posts": len(gold),
        "topic_top1": round(sum(p.topics[0] == g.topics[0] for g, p in zip(gold, pred, strict=True)) / n, 4),
        "topic_top1_any": round(sum(p.topics[0] in g.topics for g, p in zip(gold, pred, strict=True)) / n, 4),
        "topic_macro_f1": round(float(np.mean([t["f1"] for t in per_topic.values()])), 4),
        "grade_accuracy": round(sum(p.grade == g.grade for g, p in zip(gold, pred, strict=True)) / n, 4),
        "serious_recall": round(sum(serious) / max(len(serious), 1), 4),
        "serious_support": len(serious),
        "false_alarm_rate": round(sum(calm) / max(len(calm), 1), 4),
        "false_alarm_support": len(calm),
        "sentiment_accuracy": round(
            sum(p.sentiment == g.sentiment for g, p in with_sentiment) / max(len(with_sentiment), 1), 4
        ),
        "per_topic": per_topic,
        "grade_labels": grades,
        "grade_confusion": confusion,  # rows: gold, columns: predicted
    }


def summary_row(report: dict[str, Any]) -> dict[str, float]:
    keys = ("topic_top1", "topic_macro_f1", "grade_accuracy", "serious_recall", "false_alarm_rate")
    return {k: float(report[k]) for k in (*keys, "topic_top1_any", "sentiment_accuracy")}


def topics_from_probs(probs: Sequence[float], threshold: float = 0.5) -> tuple[TopicCode, ...]:
    """Highest first; the others at or above `threshold`, up to three topics."""
    order = np.argsort(-np.asarray(probs), kind="stable")
    chosen = [TOPICS[int(order[0])]]
    chosen += [TOPICS[int(i)] for i in order[1:MAX_TOPICS] if probs[int(i)] >= threshold]
    return tuple(chosen)


# --- running a Classifier on labelled posts ----------------------------------------------------

_EVAL_CLOCK = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))


def as_posts(posts: Sequence[LabelledPost]) -> list[Post]:
    """Labelled posts through the real normaliser, as the classify stage would receive them (a title, where
    given, before the text). A time the normaliser refuses (unreadable, or years off) is dropped, not the
    post: every labelled post is counted."""
    normaliser = Normaliser(_EVAL_CLOCK)
    out = []
    for i, post in enumerate(posts):
        text = post.text if post.text.strip() else "(空)"
        source = post.source or "eval"
        attempts: list[dict[str, Any]] = [
            {"text": text, "title": post.title, "published_at": post.published_at},
            {"text": text, "title": post.title},
            {"text": text},
            {"text": "(空)"},  # markup only: scored as an empty post
        ]
        for fields in attempts:
            try:
                out.append(normaliser.normalise(PostIn(id=f"eval-{i}", source=source, **fields)))
                break
            except (ValidationError, Unacceptable):
                continue
    return out


def run_classifier(classifier: Classifier, posts: Sequence[LabelledPost], batch: int = 32) -> tuple[
    list[Predicted], float
]:
    """Predictions and posts per second (classify step only; normalisation is not timed)."""
    inputs = as_posts(posts)
    started = time.perf_counter()
    results = []
    for start in range(0, len(inputs), batch):
        results.extend(classifier.classify_batch(inputs[start : start + batch]))
    elapsed = time.perf_counter() - started
    preds = [Predicted(tuple(t.code for t in c.topics), c.grade, c.sentiment) for c in results]
    return preds, len(inputs) / max(elapsed, 1e-9)


# --- TF-IDF + logistic regression baseline -----------------------------------------------------


class TfidfBaseline:
    """Character 1-3-gram TF-IDF; LR one-vs-rest for topics, multinomial for grade and sentiment."""

    name = "tfidf-lr"

    def __init__(self, c: float = 10.0, seed: int = 0) -> None:
        self.c = c
        self.seed = seed
        self._fitted: dict[str, Any] = {}

    def fit(self, posts: Sequence[LabelledPost]) -> TfidfBaseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        x = vectoriser.fit_transform([p.analysis for p in posts])
        y_topics = np.array([[code in p.topics for code in TOPICS] for p in posts], dtype=int)

        def lr() -> Any:
            return LogisticRegression(C=self.c, max_iter=2000, random_state=self.seed)

        labelled = [i for i, p in enumerate(posts) if p.sentiment is not None]
        self._fitted = {
            "vec": vectoriser,
            "topics": OneVsRestClassifier(lr()).fit(x, y_topics),
            "grade": lr().fit(x, [GRADES.index(p.grade) for p in posts]),
            "sentiment": lr().fit(
                x[labelled], [SENTIMENTS.index(p.sentiment) for p in posts if p.sentiment is not None]
            ),
        }
        return self

    def predict(self, posts: Sequence[LabelledPost]) -> list[Predicted]:
        f = self._fitted
        x = f["vec"].transform([p.analysis for p in posts])
        topic_probs = f["topics"].predict_proba(x)
        grades = f["grade"].predict(x)
        sentiments = f["sentiment"].predict(x)
        return [
            Predicted(topics_from_probs(tp), GRADES[int(g)], SENTIMENTS[int(s)])
            for tp, g, s in zip(topic_probs, grades, sentiments, strict=True)
        ]
