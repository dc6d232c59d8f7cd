"""A clock survives kill -9: the process is SIGKILLed before a deadline and restarted after it;
the missed step fires exactly once, marked late, and nothing already sent is sent again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from tests.support import REPO, free_port

pytestmark = pytest.mark.integration
TOKEN = "restart-test-token"


def start(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SENTINEL_DATA_DIR": str(data_dir), "SENTINEL_CONFIG_DIR": str(REPO),
           "SENTINEL_API_TOKEN": TOKEN, "SENTINEL_LATE_GRACE_SECONDS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "sentinel.cli", "run", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def notifications(port: int) -> list[dict[str, object]]:
    rows = httpx.get(f"http://127.0.0.1:{port}/api/v1/notifications?limit=500", timeout=5).json()
    return [r["notification"] for r in rows]


def test_step_due_during_downtime_fires_once_late(tmp_path: Path) -> None:
    port = free_port()
    proc = start(tmp_path, port)
    due = datetime.now(UTC) + timedelta(seconds=4)
    post = {"id": "k1", "source": "news", "text": "新港区化工园区一化工厂发生爆炸，已造成12人死亡",
            "published_at": (due - timedelta(hours=5)).isoformat()}
    try:
        assert httpx.post(f"http://127.0.0.1:{port}/api/v1/posts", json=post, timeout=5,
                          headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 202
        deadline = time.monotonic() + 20
        while not any(n["kind"] == "opened" and n["window"] == "release" for n in notifications(port)):
            assert time.monotonic() < deadline, "release clock never opened"
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert datetime.now(UTC) < due, "too slow: the deadline passed before the kill"
    # Real time must pass while the process is dead: this test is about a real SIGKILL and a real
    # restart, which no fake clock can stand in for (the engine's fake-clock tests cover the rest).
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 3)

    proc = start(tmp_path, port)
    try:
        deadline = time.monotonic() + 20
        while not [n for n in notifications(port) if n["kind"] == "breach" and n["window"] == "release"]:
            assert time.monotonic() < deadline, "the missed breach never fired"
            time.sleep(0.1)
        time.sleep(1.0)  # a second tick or two: nothing may repeat
        release = [n for n in notifications(port) if n["window"] == "release"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    breaches = [n for n in release if n["kind"] == "breach"]
    assert len(breaches) == 1 and breaches[0]["late"] is True
    keys = [n["dedup_key"] for n in release]
    assert len(keys) == len(set(keys))
    assert sum(1 for n in release if n["kind"] == "opened") == 1
