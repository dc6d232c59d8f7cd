"""Throughput of the whole classify step (schemes + figures + model + linear head) at batch 32, beside a naive
per-post `transformers.pipeline` on the same model (one text per call, PyTorch float32; the model
has three heads, so the pipeline is a small `Pipeline` subclass, as an office would write) and a bare
per-post PyTorch loop, in the same run; also the model alone with ONNX Runtime (the default
backend), with PyTorch float32 and with PyTorch dynamic int8, the linear n-gram head alone; peak RSS.

Texts: ingest/samples/demo.jsonl (the demo stream), through the real normaliser, repeated up to
--n posts.

    .venv/bin/python bench/bench_classify.py [--n 2000] [--naive 300] [--model classify/model]

Appends one JSON line to bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
from transformers import Pipeline

from sentinel.classify.ensemble import RuleClassifier
from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights
from sentinel.classify.model.predict import ModelScorer
from sentinel.classify.taxonomy import load_taxonomy
from sentinel.domain.post import Post, PostIn
from sentinel.domain.timeutil import SystemClock
from sentinel.ingest.normalize import Normaliser

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "ingest" / "samples" / "demo.jsonl"
RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def load_posts(n: int) -> list[Post]:
    normaliser = Normaliser(SystemClock())
    base: list[Post] = []
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        try:  # the demo stream has deliberately broken lines; the bench skips them
            obj = json.loads(line)
            base.append(normaliser.normalise(PostIn(source=obj.get("source") or "bench", text=obj["text"])))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return (base * (n // len(base) + 1))[:n]


def timed(fn: Callable[[list[Post]], object], posts: list[Post], batch: int) -> tuple[float, float]:
    """(posts/s wall, posts per CPU-second) for fn over batches of `batch`."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(posts), batch):
        fn(posts[start : start + batch])
    return len(posts) / (time.perf_counter() - wall), len(posts) / (time.process_time() - cpu)


class MultiTaskPipeline(Pipeline):
    """transformers' pipeline protocol for the three-headed model: tokenise, forward, probabilities."""

    def _sanitize_parameters(self, **kwargs: object) -> tuple[dict[str, object], dict[str, object], dict[str, object]]:
        return {}, {}, {}

    def preprocess(self, input_: Any, **kwargs: Any) -> Any:
        tokenizer: Any = self.tokenizer
        return tokenizer(input_, truncation=True, max_length=self.model.config.max_position_embeddings,
                         return_tensors="pt")

    def _forward(self, input_tensors: Any, **kwargs: Any) -> Any:
        return self.model(input_tensors["input_ids"], input_tensors["attention_mask"])

    def postprocess(self, model_outputs: Any, **kwargs: Any) -> Any:
        out = model_outputs
        return (torch.sigmoid(out.topic_logits)[0].tolist(), torch.softmax(out.grade_logits, dim=-1)[0].tolist(),
                torch.softmax(out.sentiment_logits, dim=-1)[0].tolist())


def naive_pipeline(folder: Path, texts: list[str]) -> float:
    """posts/s of a per-post `transformers.pipeline` call on the float32 model."""
    scorer = ModelScorer(folder, backend="torch")
    pipe = MultiTaskPipeline(model=scorer.model, tokenizer=scorer.tokenizer, device=-1)
    pipe(texts[0])  # warm-up
    wall = time.perf_counter()
    for text in texts:
        pipe(text)
    return len(texts) / (time.perf_counter() - wall)


def naive_loop(folder: Path, texts: list[str]) -> tuple[float, float]:
    """One text at a time through the float32 model: tokenise, forward, softmax."""
    scorer = ModelScorer(folder, backend="torch")
    model, tokenizer = scorer.model, scorer.tokenizer
    wall, cpu = time.perf_counter(), time.process_time()
    with torch.no_grad():
        for text in texts:
            enc = tokenizer(text, truncation=True, max_length=scorer.max_length, return_tensors="pt")
            out = model(enc["input_ids"], enc["attention_mask"])
            torch.sigmoid(out.topic_logits)
            torch.softmax(out.grade_logits, dim=-1)
            torch.softmax(out.sentiment_logits, dim=-1)
    return len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="posts for the batched classify step")
    parser.add_argument("--naive", type=int, default=300, help="posts for the naive per-post loop")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--model", type=Path, default=REPO / "classify" / "model")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(2)
    posts = load_posts(args.n)
    mean_chars = round(statistics.fmean(len(p.text_norm) for p in posts), 1)
    taxonomy = load_taxonomy(REPO / "classify" / "taxonomy.yaml")
    scorer = ModelScorer(args.model)
    ensemble = EnsembleClassifier(taxonomy, scorer, EnsembleWeights.load(args.model))
    ensemble.classify_batch(posts[: args.batch])  # warm-up: first-call allocations, lazy imports
    step_wall, step_cpu = timed(ensemble.classify_batch, posts, args.batch)
    model_wall, _ = timed(lambda batch: scorer.score([p.text_norm for p in batch]), posts, args.batch)
    linear = scorer.linear
    linear_wall = (timed(lambda batch: linear.probabilities([p.text_norm for p in batch]), posts, args.batch)[0]
                   if linear is not None else None)
    fp32 = ModelScorer(args.model, backend="torch")
    torch_wall, _ = timed(lambda batch: fp32.score([p.text_norm for p in batch]), posts, args.batch)
    int8 = ModelScorer(args.model, quantised=True)
    int8_wall, _ = timed(lambda batch: int8.score([p.text_norm for p in batch]), posts, args.batch)
    rules_wall, _ = timed(RuleClassifier(taxonomy).classify_batch, posts, args.batch)
    naive_wall, naive_cpu = naive_loop(args.model, [p.text_norm for p in posts[: args.naive]])
    pipeline_wall = naive_pipeline(args.model, [p.text_norm for p in posts[: args.naive]])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "classify_step_posts_per_s": round(step_wall, 1),
        "classify_step_posts_per_cpu_s": round(step_cpu, 1),
        "model_only_posts_per_s": round(model_wall, 1),
        "model_only_torch_fp32_posts_per_s": round(torch_wall, 1),
        "model_only_int8_posts_per_s": round(int8_wall, 1),
        "linear_head_only_posts_per_s": round(linear_wall, 1) if linear_wall else None,
        "rules_only_posts_per_s": round(rules_wall, 1),
        "naive_per_post_fp32_posts_per_s": round(naive_wall, 1),
        "naive_per_post_fp32_posts_per_cpu_s": round(naive_cpu, 1),
        "speedup_vs_naive": round(step_wall / naive_wall, 2),
        "naive_transformers_pipeline_posts_per_s": round(pipeline_wall, 1),
        "speedup_vs_transformers_pipeline": round(step_wall / pipeline_wall, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    print(f"posts: {len(posts)} from {DEMO.relative_to(REPO)}, mean {mean_chars} chars, batch {args.batch}")
    for key, value in figures.items():
        print(f"  {key:38} {value}")
    if not args.no_record:
        record = {
            "bench": "classify",
            "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "python": platform.python_version(),
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "model": str(args.model.relative_to(REPO)) if args.model.is_relative_to(REPO) else str(args.model),
            "quantised": scorer.quantised,
            "backend": scorer.backend,
            "posts": len(posts),
            "naive_posts": args.naive,
            "mean_chars": mean_chars,
            **figures,
        }
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"recorded in {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
