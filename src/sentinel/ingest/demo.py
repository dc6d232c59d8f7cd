"""Replays ingest/samples/demo.jsonl on an accelerated virtual clock so a newcomer sees incidents
and response clocks within minutes. Progress (the line reached, the clock's anchors) is kept in
the store, so a restarted demo continues rather than starting over."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sentinel.domain.timeutil import ScaledClock, SystemClock, parse_iso
from sentinel.ingest.service import IngestService
from sentinel.ingest.sources import iter_file_lines
from sentinel.store.sqlite import SQLiteStore

_LINE_KEY = "demo:line"
_ANCHOR_KEY = "demo:anchor"


def first_timestamp(path: Path) -> datetime:
    for line, _ in iter_file_lines(path):
        stamp = line_time(line)
        if stamp is not None:
            return stamp
    return datetime.now(UTC)


def line_time(line: str) -> datetime | None:
    try:
        value = json.loads(line).get("published_at")
        return parse_iso(value) if isinstance(value, str) else None
    except (ValueError, AttributeError, TypeError):
        return None


def demo_clock(store: SQLiteStore, path: Path, speed: float) -> ScaledClock:
    """Virtual time starts a minute before the stream's first post; the anchor survives restarts
    (virtual time runs on while the demo is stopped, as a real day would). A restart at another
    speed re-anchors at the current virtual time, so the new speed applies from there."""
    real = SystemClock()
    anchor = store.get_meta(_ANCHOR_KEY)
    if anchor is None:
        virtual0 = first_timestamp(path) - timedelta(minutes=1)
        anchor = store.set_meta_if_absent(
            _ANCHOR_KEY, json.dumps({"virtual": virtual0.isoformat(), "real": real.now().isoformat(), "speed": speed})
        )
    clock = _clock_from(anchor)
    if clock.speed != speed:
        anchor = json.dumps({"virtual": clock.now().isoformat(), "real": real.now().isoformat(), "speed": speed})
        store.set_meta(_ANCHOR_KEY, anchor)
        clock = _clock_from(anchor)
    return clock


def running_demo_clock(store: SQLiteStore) -> ScaledClock | None:
    """The demo's clock when this data directory runs (or ran) the demo, for commands beside it:
    `sentinel incidents` must count down on the demo's time, not the machine's."""
    anchor = store.get_meta(_ANCHOR_KEY)
    return _clock_from(anchor) if anchor is not None else None


def _clock_from(anchor: str) -> ScaledClock:
    data = json.loads(anchor)
    real = SystemClock()
    elapsed = (real.now() - datetime.fromisoformat(data["real"])) * float(data["speed"])
    return ScaledClock(datetime.fromisoformat(data["virtual"]) + elapsed, float(data["speed"]), real)


class DemoReplay:
    def __init__(self, path: Path, ingest: IngestService, store: SQLiteStore, clock: ScaledClock) -> None:
        self.path = path
        self.ingest = ingest
        self.store = store
        self.clock = clock
        self.done = threading.Event()

    def run(self, stop: threading.Event) -> None:
        start = int(self.store.get_meta(_LINE_KEY) or 0)
        number = start
        for line, origin in iter_file_lines(self.path, start_line=start):
            number += 1
            due = line_time(line)
            while due is not None and not stop.is_set():
                wait = self.clock.real_delay(due)
                if wait <= 0:
                    break
                stop.wait(min(wait, 0.5))
            if stop.is_set():
                return
            if line.strip():
                self.ingest.ingest_lines([(line, f"demo/{origin}")])
            self.store.set_meta(_LINE_KEY, str(number))
        self.done.set()
