"""The demo's virtual clock: its anchor survives restarts, a restart at another speed applies that
speed from the current virtual time, and commands beside a demo read the same clock."""

from __future__ import annotations

from datetime import timedelta

from tests.support import REPO

from sentinel.ingest.demo import demo_clock, first_timestamp, running_demo_clock
from sentinel.store.sqlite import SQLiteStore

DEMO = REPO / "ingest" / "samples" / "demo.jsonl"


def test_the_demo_clock_is_shared_and_a_new_speed_applies_from_now(store: SQLiteStore) -> None:
    assert running_demo_clock(store) is None  # no demo ran here: commands use the machine's clock
    started = demo_clock(store, DEMO, 120)
    assert abs(started.now() - (first_timestamp(DEMO) - timedelta(minutes=1))) < timedelta(minutes=1)
    beside = running_demo_clock(store)
    assert beside is not None and beside.speed == 120
    assert abs(beside.now() - started.now()) < timedelta(minutes=1)  # 120× a few ms of real time
    faster = demo_clock(store, DEMO, 720)  # restarted with --speed 720
    assert faster.speed == 720 and abs(faster.now() - started.now()) < timedelta(minutes=2)
    again = running_demo_clock(store)
    assert again is not None and again.speed == 720
