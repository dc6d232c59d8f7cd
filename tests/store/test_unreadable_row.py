"""A stored post row that cannot be read back (damaged JSON) is set aside by the classify stage with
its reason; the posts behind it go on. A time out of datetime's range, stored before ingest refused
such times, reads back as the earliest or latest time instead of failing every reader."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import pytest

from sentinel.classify.stage import STAGE, ClassifyStage
from sentinel.domain.classification import Classification, TopicScore
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.post import Post
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser
from sentinel.store.sqlite import SQLiteStore


class Tagger:
    name = "tagger"

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]:
        return [Classification(post_id=p.id, topics=(TopicScore(code=TopicCode.work_safety, score=0.9),),
                               grade=Grade.general, explanation_zh="", classifier=self.name) for p in posts]


def fill(store: SQLiteStore, clock: FakeClock, ids: Sequence[str]) -> None:
    normaliser = Normaliser(clock)
    posts = [normaliser.from_object({"id": i, "source": "news", "text": f"{i} 号厂房起火"}, "test") for i in ids]
    store.add_posts([p for p in posts if isinstance(p, Post)], 24.0)


def test_an_unreadable_row_is_set_aside_and_the_stage_goes_on(store: SQLiteStore, clock: FakeClock) -> None:
    fill(store, clock, ["a", "b", "c", "d"])
    store.read().execute("UPDATE posts SET metrics = '{broken' WHERE id = 'b'")  # damaged on disk
    stage = ClassifyStage(store, Tagger(), batch_size=3, clock=clock)
    for _ in range(10):
        if not stage.run_once():
            break
    assert store.cursor(STAGE) == store.max_seq()
    assert {i: (c.classifier if (c := store.get_classification(i)) else None) for i in "abcd"} == {
        "a": "tagger", "b": "fallback", "c": "tagger", "d": "tagger"}
    rejects = store.list_rejects().items
    assert len(rejects) == 1 and rejects[0].post_id == "b" and rejects[0].source == "classify"
    assert rejects[0].reason.startswith("unreadable_post: ValidationError")


def test_a_store_error_is_not_mistaken_for_a_bad_row(store: SQLiteStore, clock: FakeClock,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store, clock, ["a"])

    def locked(seq: int, limit: int) -> list[Post]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "posts_after", locked)
    with pytest.raises(sqlite3.OperationalError):
        ClassifyStage(store, Tagger(), clock=clock).run_once()
    assert store.cursor(STAGE) == 0 and store.list_rejects().total == 0


def test_a_stored_time_out_of_range_reads_back_at_the_bound(store: SQLiteStore, clock: FakeClock) -> None:
    from datetime import UTC, datetime

    fill(store, clock, ["e"])
    store.read().execute("UPDATE posts SET published_at = ? WHERE id = 'e'", (-62135596800.0 - 86400,))  # year 0
    post = store.get_post("e")
    assert post is not None and post.post.published_at == datetime.min.replace(tzinfo=UTC)


def test_a_post_the_classifier_fails_on_is_listed_for_staff(store: SQLiteStore, clock: FakeClock) -> None:
    """The fallback (其他, none) opens no incident: the post is listed with the rejects, so a person
    reads it, and the posts beside it are classified."""

    class Picky(Tagger):
        def classify_batch(self, posts: Sequence[Post]) -> list[Classification]:
            if any(p.id == "b" for p in posts):
                raise RuntimeError("tokenizer broke")
            return super().classify_batch(posts)

    fill(store, clock, ["a", "b", "c"])
    ClassifyStage(store, Picky(), clock=clock).run_once()
    assert {i: (c.classifier if (c := store.get_classification(i)) else None) for i in "abc"} == {
        "a": "tagger", "b": "fallback", "c": "tagger"}
    rejects = store.list_rejects().items
    assert [(r.post_id, r.reason) for r in rejects] == [("b", "classification_failed: RuntimeError: tokenizer broke")]
