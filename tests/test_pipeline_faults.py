"""Fault isolation in the pipeline: a post that breaks the incident stage becomes a reject with its
reason while the posts behind it go on; a late post that shows an earlier start moves deadlines;
a loop that never ticks counts as stalled; a store error between steps does not end the loop."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from sentinel.alerts.outbox import OutboxDispatcher
from sentinel.domain.alerting import WindowKind
from sentinel.domain.timeutil import FakeClock
from sentinel.health import Health
from sentinel.pipeline import Pipeline
from sentinel.settings import Settings
from sentinel.store.sqlite import SQLiteStore
from sentinel.wiring import build_services
from tests.support import REPO


def services_at(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    return build_services(Settings(data_dir=tmp_path, config_dir=REPO, sqlite_synchronous="NORMAL"), clock)


def post(post_id: str, text: str, at: datetime) -> dict[str, object]:
    return {"id": post_id, "source": "news", "text": text, "published_at": at.isoformat()}


def test_poison_post_becomes_a_reject_and_the_rest_go_on(tmp_path: Path, clock: FakeClock,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    s = services_at(tmp_path, clock)
    original = s.pipeline.incidents.process

    def process(conn, p, c):  # type: ignore[no-untyped-def]
        if p.id == "bad":
            raise RuntimeError("boom")
        return original(conn, p, c)

    monkeypatch.setattr(s.pipeline.incidents, "process", process)
    s.ingest.ingest_objects([post("bad", "新港区化工园区一化工厂发生爆炸，已造成12人死亡", clock.now()),
                             post("good", "青石县柳林镇煤矿透水事故，9人被困", clock.now())], "test")
    s.pipeline.drain()
    assert s.store.get_post("good").incident_id is not None  # type: ignore[union-attr]
    rejects = s.store.list_rejects().items
    assert [(r.post_id, r.reason.split(":")[0]) for r in rejects] == [("bad", "incident_stage_failed")]
    assert "boom" in rejects[0].reason


def test_a_late_post_with_an_earlier_time_moves_the_deadline(tmp_path: Path, clock: FakeClock) -> None:
    s = services_at(tmp_path, clock)
    first = clock.now()
    s.ingest.ingest_objects([post("p1", "新港区临港化工园区宏润化工有限公司发生爆炸，已造成12人死亡", first)], "test")
    s.pipeline.drain()
    incident = s.store.get_post("p1").incident_id  # type: ignore[union-attr]
    earlier = first - timedelta(hours=3)
    clock.advance(timedelta(minutes=10))
    s.ingest.ingest_objects([post("p2", "新港区临港化工园区宏润化工有限公司爆炸事故已致12人死亡，现场浓烟", earlier)], "test")
    s.pipeline.drain()
    assert s.store.get_post("p2").incident_id == incident  # type: ignore[union-attr]
    release = next(c for c in s.store.clocks_for(str(incident)) if c.window == WindowKind.release)
    assert release.due_at == earlier + timedelta(hours=5)


def test_a_clock_that_cannot_fire_fails_the_heartbeat_and_the_others_still_fire(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadline that passes with only a log line is a missed alert: the failing clock keeps the
    pipeline from beating, so /readyz fails and the watchdog pages after `stall_after`."""
    s = services_at(tmp_path, clock)
    s.ingest.ingest_objects([post("x1", "新港区化工园区一化工厂发生爆炸，已造成12人死亡", clock.now()),
                             post("m1", "青石县柳林镇煤矿透水事故，已造成11人死亡", clock.now())], "test")
    s.pipeline.drain()
    broken = str(s.store.get_post("x1").incident_id)  # type: ignore[union-attr]
    original = s.engine._fire_due

    def fire_due(conn, incident, clock_, now):  # type: ignore[no-untyped-def]
        if incident.id == broken:
            raise RuntimeError("unreadable snapshot")
        return original(conn, incident, clock_, now)

    monkeypatch.setattr(s.engine, "_fire_due", fire_due)
    s.health.last_tick = None
    clock.advance(timedelta(hours=6))
    s.pipeline.step()
    fired = {n.incident_id for n, _, _ in s.store.list_notifications(limit=500) if n.kind.value == "breach"}
    assert fired == {str(s.store.get_post("m1").incident_id)}  # type: ignore[union-attr]
    assert s.health.last_tick is None and "unreadable snapshot" in str(s.health.last_error)
    assert broken in str(s.health.last_error)


def test_a_loop_that_never_ticks_is_stalled() -> None:
    clock = FakeClock(datetime(2026, 11, 22, tzinfo=UTC))
    health = Health(clock=clock, stall_after=timedelta(minutes=2))
    assert not health.stalled()
    clock.advance(timedelta(minutes=3))
    assert health.stalled()


def test_the_loop_survives_a_store_error_between_steps(store: SQLiteStore, clock: FakeClock,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`next_fire_time` runs between steps, outside the per-stage guard: a locked database there
    is logged and shown in health, and the loop goes on after a short back-off."""
    steps = [0]

    def classify() -> int:
        steps[0] += 1
        return 0

    health = Health(clock=clock)
    pipeline = Pipeline(store, SimpleNamespace(run_once=classify), SimpleNamespace(run_once=lambda: 0),  # type: ignore[arg-type]
                        SimpleNamespace(tick=list, failing={}), OutboxDispatcher(store, clock), clock, health)  # type: ignore[arg-type]
    errors = iter([sqlite3.OperationalError("database is locked")] * 2)

    def next_fire_time() -> None:
        error = next(errors, None)
        if error is not None:
            raise error

    monkeypatch.setattr(store, "next_fire_time", next_fire_time)
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=pipeline.run, args=(stop, wake), name="pipeline")
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while steps[0] < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert thread.is_alive() and steps[0] >= 5
        assert health.last_error is not None and "database is locked" in health.last_error
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_locked_store_delays_grouping_and_drops_no_post(tmp_path: Path, clock: FakeClock,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection (a backup, an sqlite3 shell) holds the write lock while the incidents
    stage runs: the pass fails and shows it, and the next pass groups the post; no reject."""
    monkeypatch.setattr(SQLiteStore, "busy_timeout_s", 0.2)
    s = services_at(tmp_path, clock)
    s.ingest.ingest_objects([post("p1", "青石县柳林镇煤矿透水，12人被困井下", clock.now())], "test")
    s.pipeline.classify.run_once()
    holder = sqlite3.connect(tmp_path / "sentinel.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        s.pipeline.step()
        assert s.store.get_post("p1").incident_id is None  # type: ignore[union-attr]
        assert "locked" in str(s.health.last_error)
    finally:
        holder.execute("COMMIT")
        holder.close()
    s.pipeline.drain()
    assert s.store.get_post("p1").incident_id is not None  # type: ignore[union-attr]
    assert s.store.list_rejects().items == []
