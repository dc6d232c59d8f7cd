"""Shared fixtures: a fake clock, a fresh SQLite store, the repository's configuration folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sentinel.domain.timeutil import SHANGHAI, FakeClock
from sentinel.store.sqlite import SQLiteStore
from tests.support import REPO, free_port, server  # noqa: F401 - fixtures and helpers for all tests

os.environ.setdefault("SENTINEL_CONFIG_DIR", str(REPO))
# No exported-graph cache unless a test asks for one: every scorer exports and checks its own
# graph, and nothing is written to the user's cache folder.
os.environ["SENTINEL_MODEL_CACHE"] = ""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "sentinel.db", synchronous="NORMAL")
    yield s
    s.close()


@pytest.fixture
def repo() -> Path:
    return REPO

