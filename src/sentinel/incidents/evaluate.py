"""Pairwise precision/recall/F1 of incident grouping against a labelled set (tests/data/grouping_set.jsonl).

Every post is a node; two posts are a positive pair when they share an event label. A post the
pipeline attaches to no incident is its own singleton. Posts go through the real path — normalise,
classify, the incidents stage — on a fake clock that follows their timestamps.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from sentinel.domain.timeutil import FakeClock, parse_iso
from sentinel.settings import Settings
from sentinel.store.base import AddResult, AddStatus

DEMO_STREAM = Path(__file__).resolve().parents[3] / "ingest" / "samples" / "demo.jsonl"


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    posts: int
    events: int
    incidents: int


def pairs(clusters: Iterable[list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for members in clusters:
        out.update(combinations(sorted(members), 2))
    return out


def score(truth: dict[str, str], predicted: dict[str, str]) -> PairScores:
    """truth/predicted: post id → cluster label (missing from predicted → singleton)."""
    by_truth: dict[str, list[str]] = defaultdict(list)
    by_pred: dict[str, list[str]] = defaultdict(list)
    for post_id, label in truth.items():
        by_truth[label].append(post_id)
        by_pred[predicted.get(post_id, f"single:{post_id}")].append(post_id)
    gold, guess = pairs(by_truth.values()), pairs(by_pred.values())
    hit = len(gold & guess)
    precision = hit / len(guess) if guess else 1.0
    recall = hit / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(round(precision, 4), round(recall, 4), round(f1, 4), len(gold), len(guess), len(truth),
                      len(by_truth), len({v for v in predicted.values()}))


def labelled_rows(path: Path) -> list[dict[str, Any]]:
    """A grouping set's posts with their `event`, in time order. A set of {"line", "event"} labels
    (grouping_demo_labels.jsonl) labels the lines of the demo stream, ingest/samples/demo.jsonl."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if rows and "line" in rows[0]:
        posts = DEMO_STREAM.read_text(encoding="utf-8").splitlines()
        rows = [{**json.loads(posts[r["line"] - 1]), "event": r["event"]} for r in rows]
    return sorted(rows, key=lambda r: str(r["published_at"]))


def advance(clock: FakeClock, published_at: object) -> None:
    """Follow the posts' clock; a post with a malformed or naive time (kept in the demo stream on
    purpose) leaves it where it is — ingest flags such a post and uses its arrival time."""
    with contextlib.suppress(ValueError):
        clock.set(max(clock.now(), parse_iso(str(published_at))))


def evaluate_grouping(path: Path, config_dir: Path) -> PairScores:
    from sentinel.wiring import build_services

    rows = labelled_rows(path)
    clock = FakeClock(parse_iso(rows[0]["published_at"]))
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(Settings(data_dir=Path(tmp), config_dir=config_dir, sqlite_synchronous="NORMAL"), clock)
        truth: dict[str, str] = {}
        for row in rows:
            label = row.pop("event")
            advance(clock, row["published_at"])
            report = services.ingest.ingest_objects([row], "grouping-set")
            result = report.results[0]
            if isinstance(result, AddResult) and result.status != AddStatus.duplicate_id:
                truth[result.post_id] = label
            services.pipeline.drain()
        predicted = {
            row[0]: row[1]
            for row in services.store.read().execute("SELECT id, incident_id FROM posts WHERE incident_id IS NOT NULL")
        }
        services.store.close()
    return score(truth, predicted)
