"""Staff corrections: a duty officer fixes a post's topics, grade or sentiment. The correction is
stored as the post's classification (what the console shows from now on), appended to
data_dir/corrections.jsonl as a labelled example for `sentinel train --include-corrections`,
and audited."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sentinel.classify.data import Correction, corrections_path
from sentinel.domain.audit import AuditEvent
from sentinel.domain.classification import Classification, TopicScore
from sentinel.domain.codes import Grade, Sentiment, TopicCode
from sentinel.store.sqlite import SQLiteStore

STAFF = "staff"


class CorrectionError(ValueError):
    """Unknown post or invalid labels; nothing was stored."""


def correct(
    store: SQLiteStore, data_dir: Path, post_id: str, *, topics: list[TopicCode], grade: Grade,
    sentiment: Sentiment | None, actor: str, at: datetime, note: str = "",
) -> Classification:
    stored = store.get_post(post_id)
    if stored is None:
        raise CorrectionError(f"no such post: {post_id}")
    if not 1 <= len(topics) <= 3:
        raise CorrectionError("give one to three topics, primary first")
    before = stored.classification
    corrected = Classification(
        post_id=post_id,
        topics=tuple(TopicScore(code=code, score=1.0) for code in topics),
        grade=grade,
        sentiment=sentiment or (before.sentiment if before else Sentiment.neutral),
        explanation_zh=f"人工更正（{actor}）" + (f"：{note}" if note else ""),
        classifier=STAFF,
    )
    record = Correction(post_id=post_id, text=stored.post.text, topics=tuple(topics), grade=grade,
                        sentiment=sentiment, at=at, actor=actor)
    path = corrections_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Append and fsync before reporting success: a correction a duty officer made is training data.
    with path.open("a", encoding="utf-8") as handle:
        handle.write(record.model_dump_json() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    with store.tx() as conn:
        conn.execute("INSERT INTO classifications(post_id, body) VALUES(?, ?) "
                     "ON CONFLICT(post_id) DO UPDATE SET body=excluded.body", (post_id, corrected.model_dump_json()))
        conn.execute("UPDATE posts SET topics=?, grade=? WHERE id=?",
                     ("," + ",".join(corrected.topic_codes()) + ",", grade.value, post_id))
        store.add_audit(conn, AuditEvent(at=at, actor=actor, action="correct_classification",
                                         incident_id=stored.incident_id, details={
                                             "post_id": post_id,
                                             "before": {"topics": before.topic_codes(), "grade": before.grade.value} if before else None,
                                             "after": {"topics": [t.value for t in topics], "grade": grade.value},
                                             "note": note}))
    return corrected
