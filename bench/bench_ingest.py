"""Ingest throughput into the SQLite store, HTTP post → stored-and-classified latency, peak RSS.

    .venv/bin/python bench/bench_ingest.py [--posts 100000] [--http 300]

Texts come from the repository's labelled corpus and demo stream, each made distinct with a
serial so deduplication does not short-cut the work. Figures are printed and appended to
bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SOURCES = ["weibo", "news", "wechat", "forum", "douyin", "hotline", "gov_site"]


def corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((REPO / "classify" / "data").rglob("*.jsonl")) + [REPO / "ingest" / "samples" / "demo.jsonl"]:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                text = json.loads(line).get("text")
            except (json.JSONDecodeError, AttributeError):
                continue
            if isinstance(text, str) and text.strip():
                texts.append(text)
    if not texts:
        raise SystemExit("no texts found under classify/data or ingest/samples")
    return texts


def write_posts(path: Path, count: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            post = {"source": SOURCES[i % len(SOURCES)], "url": f"https://example.cn/p/{i}",
                    "text": f"{texts[i % len(texts)]}（{i}）", "published_at": f"2026-11-{20 + i % 3:02d}T{i % 24:02d}:{i % 60:02d}:00+08:00",
                    "metrics": {"reposts": i % 50}}
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def bench_ingest(count: int, texts: list[str]) -> dict[str, float]:
    from sentinel.domain.timeutil import SystemClock
    from sentinel.ingest.normalize import Normaliser
    from sentinel.ingest.service import IngestService
    from sentinel.ingest.sources import iter_file_lines
    from sentinel.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "posts.jsonl"
        write_posts(data, count, texts)
        store = SQLiteStore(Path(tmp) / "bench.db", synchronous="FULL")
        service = IngestService(store, Normaliser(SystemClock()), batch_size=500)
        start = time.perf_counter()
        report = service.ingest_lines(iter_file_lines(data))
        elapsed = time.perf_counter() - start
        assert report.stored == count, report.as_dict()
        size = (Path(tmp) / "bench.db").stat().st_size
    return {"posts": count, "seconds": round(elapsed, 2), "posts_per_s": round(count / elapsed),
            "db_mb": round(size / 1e6, 1), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def bench_http(count: int, texts: list[str]) -> dict[str, float]:
    token = "bench-token-" + str(os.getpid())
    with tempfile.TemporaryDirectory() as tmp:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "SENTINEL_DATA_DIR": tmp, "SENTINEL_API_TOKEN": token, "SENTINEL_CONFIG_DIR": str(REPO)}
        server = subprocess.Popen([sys.executable, "-m", "sentinel.cli", "run", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        latencies: list[float] = []
        try:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10) as client:
                for _ in range(200):
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                for i in range(count):
                    post = {"id": f"lat-{i}", "source": "weibo", "text": texts[(i * 7919) % len(texts)] + f"#{i}",
                            "published_at": datetime.now(UTC).isoformat()}
                    start = time.perf_counter()
                    client.post("/api/v1/posts", json=post).raise_for_status()
                    while client.get(f"/api/v1/posts/lat-{i}").json().get("classification") is None:
                        time.sleep(0.002)
                    latencies.append((time.perf_counter() - start) * 1000)
            with open(f"/proc/{server.pid}/status", encoding="ascii") as status:
                hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies.sort()
    return {"requests": count, "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1), "max_ms": round(latencies[-1], 1),
            "server_peak_rss_mb": round(hwm / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--http", type=int, default=300)
    args = parser.parse_args()
    texts = corpus_texts()
    result = {"bench": "ingest", "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()} {os.cpu_count()} cores", "python": platform.python_version()}
    result["ingest"] = bench_ingest(args.posts, texts)
    print(json.dumps(result["ingest"], ensure_ascii=False))
    if args.http:
        result["http"] = bench_http(args.http, texts)
        print(json.dumps(result["http"], ensure_ascii=False))
    with (REPO / "bench" / "results.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
