"""The classify stage: read posts past its cursor, classify in batches, store results + cursor
in one transaction. A post that makes the classifier fail is classified on its own, and if it
still fails it gets a fallback result that says why — it never blocks the posts behind it. A
stored row that cannot even be read is set aside as a reject with its reason, for the same end."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from sentinel.domain.classification import Classification, TopicScore
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.post import Post, Reject
from sentinel.domain.timeutil import Clock, SystemClock
from sentinel.store.sqlite import SQLiteStore

STAGE = "classify"
log = logging.getLogger(__name__)


class Classifier(Protocol):
    name: str

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]: ...


def fallback(post: Post | str, error: str) -> Classification:
    return Classification(
        post_id=post if isinstance(post, str) else post.id,
        topics=(TopicScore(code=TopicCode.other, score=0.0),),
        grade=Grade.none,
        explanation_zh=f"分类失败，需人工研判：{error[:200]}",
        classifier="fallback",
    )


class ClassifyStage:
    def __init__(self, store: SQLiteStore, classifier: Classifier, batch_size: int = 64, clock: Clock | None = None) -> None:
        self.store = store
        self.classifier = classifier
        self.batch_size = batch_size
        self.clock = clock or SystemClock()

    def run_once(self) -> int:
        cursor = self.store.cursor(STAGE)
        try:
            posts = self.store.posts_after(cursor, self.batch_size)
        except (ValueError, OverflowError):  # a row that cannot be read back: find it, one row at a time
            try:
                posts = self.store.posts_after(cursor, 1)
            except (ValueError, OverflowError) as exc:
                return self._set_aside(cursor, exc)
        if not posts:
            return 0
        results = self._classify(posts)
        last = posts[-1].seq
        assert last is not None  # noqa: S101 - stored posts always have a seq
        self.store.save_classifications(results, STAGE, last)
        return len(posts)

    def _set_aside(self, cursor: int, exc: Exception) -> int:
        """The next row is unreadable: kept as a reject, given a fallback result so the stages after
        this one see no gap, and passed. Read and store errors (a locked database) are not caught."""
        row = self.store.read().execute("SELECT seq, id FROM posts WHERE seq > ? ORDER BY seq LIMIT 1", (cursor,)).fetchone()
        if row is None:
            raise exc
        seq, post_id = int(row[0]), str(row[1])
        error = f"{type(exc).__name__}: {exc}"
        log.error("post %s (seq %d) cannot be read, set aside: %s", post_id, seq, error)
        self.store.add_rejects([Reject(at=self.clock.now(), source="classify", reason=f"unreadable_post: {error}",
                                       raw=f"stored post {post_id} (seq {seq})", post_id=post_id)])
        self.store.save_classifications([fallback(post_id, f"帖文记录无法读取 {error}")], STAGE, seq)
        return 1

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
                # Kept and listed with the rejects, so staff see the post that needs reading by hand.
                self.store.add_rejects([Reject(at=self.clock.now(), source="classify", post_id=post.id,
                                               reason=f"classification_failed: {type(exc).__name__}: {exc}"[:500],
                                               raw=post.text[:2000])])
        return out
