"""`sentinel run --demo`, compressed hard (2 hours of stream per second): posts, an incident and a
running clock appear through the API; SIGTERM shuts down cleanly; a restart resumes the replay."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.support import REPO, free_port

pytestmark = pytest.mark.e2e


def start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "SENTINEL_DATA_DIR": str(data_dir), "SENTINEL_CONFIG_DIR": str(REPO), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "sentinel.cli", "run", "--demo", "--speed", "7200", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def poll(url: str, check, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = httpx.get(url, timeout=5).json()
            if check(last):
                return last
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting on {url}: {last}")


def test_demo_shows_posts_incidents_and_running_clocks(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(tmp_path, port)
    try:
        assert proc.stdout is not None
        banner = ""
        for _ in range(20):
            banner += proc.stdout.readline()
            if "127.0.0.1" in banner:
                break
        token = re.search(r"shown once\): (\S+)", banner)
        assert token, banner
        poll(f"{base}/api/v1/posts?limit=1", lambda d: d["total"] >= 50)
        clocks = poll(f"{base}/api/v1/clocks?status=running", lambda d: len(d) >= 1)
        assert all(c["remaining_seconds"] > 0 for c in clocks)
        incidents = poll(f"{base}/api/v1/incidents?order=heat", lambda d: d["total"] >= 1)
        assert incidents["items"][0]["heat"]["posts"] >= 2
        rejects = poll(f"{base}/api/v1/rejects", lambda d: d["total"] >= 1)
        assert {r["reason"].split(":")[0] for r in rejects["items"]} <= {"invalid_json", "invalid_post"}
        assert "舆情值班台" in httpx.get(base + "/", timeout=5).text
        seen = httpx.get(f"{base}/api/v1/posts?limit=1", timeout=5).json()["total"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "已停止" in out

    # A restart resumes: the replay continues past where it stopped instead of starting over.
    proc = start(tmp_path, port)
    try:
        later = poll(f"{base}/api/v1/posts?limit=1", lambda d: d["total"] > seen)
        assert later["total"] > seen
        token_again = proc.stdout.readline() if proc.stdout else ""
        assert "shown once" not in token_again  # the token is created only on the first run
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0
