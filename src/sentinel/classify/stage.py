"""The classify stage: read posts past its cursor, classify in batches, store results + cursor
in one transaction. A post that makes the classifier fail is classified on its own, and if it
still fails it gets a fallback result that says why — it never blocks the posts behind it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from sentinel.domain.classification import Classification, TopicScore
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.post import Post
from sentinel.store.sqlite import SQLiteStore

STAGE = "classify"
log = logging.getLogger(__name__)


class Classifier(Protocol):
    name: str

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]: ...


def fallback(post: Post, error: str) -> Classification:
    return Classification(
        post_id=post.id,
        topics=(TopicScore(code=TopicCode.other, score=0.0),),
        grade=Grade.none,
        explanation_zh=f"分类失败，需人工研判：{error[:200]}",
        classifier="fallback",
    )


class ClassifyStage:
    def __init__(self, store: SQLiteStore, classifier: Classifier, batch_size: int = 64) -> None:
        self.store = store
        self.classifier = classifier
        self.batch_size = batch_size

    def run_once(self) -> int:
        posts = self.store.posts_after(self.store.cursor(STAGE), self.batch_size)
        if not posts:
            return 0
        results = self._classify(posts)
        last = posts[-1].seq
        assert last is not None  # noqa: S101 - stored posts always have a seq
        self.store.save_classifications(results, STAGE, last)
        return len(posts)

    def _classify(self, posts: Sequence[Post]) -> list[Classification]:
        try:
            return self.classifier.classify_batch(posts)
        except Exception:  # noqa: BLE001 - isolate the bad post below
            log.exception("batch classification failed; retrying one by one")
        out = []
        for post in posts:
            try:
                out.extend(self.classifier.classify_batch([post]))
            except Exception as exc:  # noqa: BLE001 - one bad post must not stop the stream
                log.exception("classification failed for %s", post.id)
                out.append(fallback(post, f"{type(exc).__name__}: {exc}"))
        return out
