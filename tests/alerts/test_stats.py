"""Timeliness statistics from the clocks: on time, late, overdue, median time, breach list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sentinel.alerts.engine import ClockEngine
from sentinel.alerts.policies import load_policies
from sentinel.alerts.stats import timeliness
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.incident import Incident
from sentinel.domain.timeutil import FakeClock
from sentinel.store.sqlite import SQLiteStore


def test_on_time_late_and_overdue(store: SQLiteStore, clock: FakeClock, repo: Path) -> None:
    engine = ClockEngine(store, load_policies(repo / "alerts" / "policies.yaml"), clock)
    start = clock.now()
    incidents = []
    for n, unit in enumerate(["新港区委网信办", "新港区委网信办", "青石县委网信办"]):
        inc = Incident(id=f"I{n}", title=f"事件{n}", topics=(TopicCode.work_safety,), grade=Grade.serious,
                       first_seen=start, last_seen=start, owner_unit=unit)
        with store.tx() as conn:
            store.save_incident(conn, inc)
            engine.sync_incident(conn, inc)
        incidents.append(inc)
    for inc, after in ((incidents[0], timedelta(hours=2)), (incidents[1], timedelta(hours=6))):
        with store.tx() as conn:
            engine.fulfil(conn, inc, "record_release", start + after, "张伟")
    clock.set(start + timedelta(hours=8))
    report = timeliness(store, clock.now())
    release = {(w.unit, w.window): w for w in report.windows}
    xingang = release[("新港区委网信办", "release")]
    assert (xingang.on_time, xingang.late, xingang.overdue, xingang.on_time_rate) == (1, 1, 0, 0.5)
    assert xingang.median_minutes_to_fulfil == 240.0
    qingshi = release[("青石县委网信办", "release")]
    assert (qingshi.overdue, qingshi.on_time_rate) == (1, 0.0)
    assert release[("新港区委网信办", "press_conference")].running == 2
    late = {(b.incident_id, b.window): b.minutes_late for b in report.breaches}
    assert late == {("I1", "release"): 60.0, ("I2", "release"): 180.0}
    named = {b.incident_id: (b.title, b.unit) for b in report.breaches}  # the 督办 list names each incident
    assert named == {"I1": ("事件1", "新港区委网信办"), "I2": ("事件2", "青石县委网信办")}
    later = timeliness(store, clock.now(), since=start + timedelta(minutes=1)).windows
    assert {w.window for w in later} == {"continued_release"}  # only the 持续发布 clocks started after the releases


def test_an_incident_without_an_owner_unit_is_listed_as_unassigned(store: SQLiteStore, clock: FakeClock, repo: Path) -> None:
    engine = ClockEngine(store, load_policies(repo / "alerts" / "policies.yaml"), clock)
    inc = Incident(id="I9", title="无主事件", topics=(TopicCode.work_safety,), grade=Grade.serious,
                   first_seen=clock.now(), last_seen=clock.now())
    with store.tx() as conn:
        store.save_incident(conn, inc)
        engine.sync_incident(conn, inc)
    clock.set(clock.now() + timedelta(hours=6))
    report = timeliness(store, clock.now())
    assert {(b.title, b.unit) for b in report.breaches} == {("无主事件", "未指定")}
    assert {w.unit for w in report.windows} == {"未指定"}
