"""Shared test support: repository paths, free ports, and a real running server."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from sentinel.api.app import create_app
from sentinel.api.auth import ensure_token
from sentinel.settings import Settings
from sentinel.wiring import Services, build_services

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    url: str
    token: str
    services: Services

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def wait_for(self, predicate, timeout: float = 10.0):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError("condition not met in time")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    port = free_port()
    settings = Settings(data_dir=tmp_path, config_dir=REPO, port=port, sqlite_synchronous="NORMAL")
    services = build_services(settings)
    token = ensure_token(services.store)
    assert token
    stop = threading.Event()
    pipeline = threading.Thread(target=services.pipeline.run, args=(stop, services.wake), daemon=True)
    pipeline.start()
    server = uvicorn.Server(uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield Running(f"http://127.0.0.1:{port}", token, services)
    server.should_exit = True
    thread.join(timeout=10)
    stop.set()
    services.wake.set()
    pipeline.join(timeout=10)


def copy_model_with_small_splits(tmp_path: Path, sizes: dict[str, int]) -> tuple[Path, Path]:
    """A copy of the shipped model folder and a data folder holding the first posts of each split, so a
    refit runs on the real files in seconds. Returns (model folder, data folder)."""
    model = tmp_path / "model"
    shutil.copytree(REPO / "classify" / "model", model)
    data = tmp_path / "data"
    (data / "splits").mkdir(parents=True)
    for split, n in sizes.items():
        lines = (REPO / "classify" / "data" / "splits" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        (data / "splits" / f"{split}.jsonl").write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
    return model, data
