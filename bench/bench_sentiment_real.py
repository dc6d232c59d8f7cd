"""Sentiment (and, for news, topic) on real text, beside the hand-written test split: the report halves
of the held-out review sentences and of the hand-labelled People's Daily paragraphs
(model/real_text.py). The tuner reads only the other halves, training neither.

    .venv/bin/python bench/bench_sentiment_real.py [--model classify/model] [--no-record]

Prints accuracy and the confusion (rows gold, columns predicted) per set; appends one JSON line to
bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sentinel.classify.data import LabelledPost, load_splits
from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights
from sentinel.classify.evaluate import run_classifier
from sentinel.classify.model.predict import ModelScorer
from sentinel.classify.model.real_text import news_posts, review_posts
from sentinel.classify.taxonomy import load_taxonomy
from sentinel.domain.codes import Sentiment

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def sentiment_figures(posts: list[LabelledPost], ensemble: EnsembleClassifier, topics: bool) -> dict[str, Any]:
    preds, _ = run_classifier(ensemble, posts)
    pairs = collections.Counter((p.sentiment.value if p.sentiment else "", q.sentiment.value) for p, q in zip(posts, preds, strict=True))
    labels = [s.value for s in Sentiment]
    figures: dict[str, Any] = {
        "posts": len(posts),
        "sentiment_accuracy": round(sum(n for (g, p), n in pairs.items() if g == p) / len(posts), 4),
        "predicted": {s: sum(n for (_, p), n in pairs.items() if p == s) for s in labels},
        "confusion": {g: {p: pairs[(g, p)] for p in labels} for g in labels},
    }
    if topics:
        figures["topic_top1"] = round(sum(q.topics[0] == p.topics[0] for p, q in zip(posts, preds, strict=True)) / len(posts), 4)
    return figures


def _shown(path: Path) -> str:
    """The model folder relative to the repository where it lies inside it: no machine paths recorded."""
    resolved = path.resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", type=Path, default=REPO / "classify" / "model")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    ensemble = EnsembleClassifier(load_taxonomy(REPO / "classify" / "taxonomy.yaml"), ModelScorer(args.model),
                                  EnsembleWeights.load(args.model))
    sets = {"reviews": (review_posts("report"), False), "news": (news_posts("report"), True),
            "test_split": (load_splits(REPO / "classify" / "data")["test"], False)}
    figures = {name: sentiment_figures(posts, ensemble, topics) for name, (posts, topics) in sets.items() if posts}
    for name, f in figures.items():
        extra = f"  topic top-1 {f['topic_top1']:.3f}" if "topic_top1" in f else ""
        print(f"{name}: {f['posts']} posts, sentiment accuracy {f['sentiment_accuracy']:.3f}{extra}; predicted {f['predicted']}")
        for gold, row in f["confusion"].items():
            print(f"    {gold:>8} -> {row}")
    if not args.no_record:
        record = {"bench": "sentiment_real", "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
                  "machine": f"{platform.machine()} {os.cpu_count()} cores", "model": _shown(args.model), **figures}
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
