"""`sentinel classify`: JSONL in, one JSON line out per input line, same order (ARCHITECTURE §5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from sentinel.classify.stage import Classifier
from sentinel.domain.classification import Classification
from sentinel.domain.post import Post, Reject
from sentinel.ingest.normalize import Normaliser
from sentinel.ingest.sources import iter_file_lines

BATCH = 64


def result_line(c: Classification) -> dict[str, Any]:
    return {
        "id": c.post_id,
        "topics": c.topic_codes(),
        "grade": c.grade.value,
        "topic_scores": {t.code.value: round(t.score, 4) for t in c.topics},
        "sentiment": c.sentiment.value,
        "sentiment_score": round(c.sentiment_score, 4),
        "needs_confirmation": c.needs_confirmation,
        "non_event": c.non_event,
        "grade_rule": c.grade_rule,
        "explanation": c.explanation_zh,
        "classifier": c.classifier,
    }


def _lines(path: Path) -> Iterator[tuple[str, str]]:
    # Blank lines still produce an output line, so output line N always answers input line N.
    yield from iter_file_lines(path)


def classify_lines(path: Path, classifier: Classifier, normaliser: Normaliser, sink: TextIO) -> int:
    errors = 0
    pending: list[Post | Reject] = []

    def flush() -> None:
        nonlocal errors
        posts = [p for p in pending if isinstance(p, Post)]
        results: dict[int, Classification] = {}
        if posts:
            try:
                for post, c in zip(posts, classifier.classify_batch(posts), strict=True):
                    results[id(post)] = c
            except Exception:  # noqa: BLE001 - fall back to one at a time so one bad post fails alone
                for post in posts:
                    try:
                        results[id(post)] = classifier.classify_batch([post])[0]
                    except Exception as exc:  # noqa: BLE001
                        results[id(post)] = exc  # type: ignore[assignment]
        for item in pending:
            rendered = _render(item, results)
            errors += "error" in rendered
            sink.write(json.dumps(rendered, ensure_ascii=False) + "\n")
        pending.clear()

    for line, origin in _lines(path):
        item: Post | Reject = (
            normaliser.from_line(line, origin)
            if line.strip()
            else normaliser.reject(origin, "empty_line: no JSON object on this line", line)
        )
        pending.append(item)
        if len(pending) >= BATCH:
            flush()
    flush()
    return errors


def _render(item: Post | Reject, results: dict[int, Any]) -> dict[str, Any]:
    if isinstance(item, Reject):
        return {"id": item.post_id, "error": item.reason}
    result = results.get(id(item))
    if isinstance(result, Classification):
        return result_line(result)
    return {"id": item.id, "error": f"classification_failed: {type(result).__name__}: {result}"}
