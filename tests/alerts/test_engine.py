"""The clock engine on a fake clock and a real SQLite store: exact deadlines, each step once,
late firing after downtime, upgrades and downgrades, fulfilment and follow-up windows."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sentinel.alerts.engine import ClockEngine
from sentinel.alerts.policies import PolicySet, load_policies
from sentinel.domain.alerting import ClockStatus, EventKind, Notification, WindowKind
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.incident import Incident, IncidentStatus
from sentinel.domain.timeutil import FakeClock
from sentinel.store.sqlite import SQLiteStore


@pytest.fixture
def policies(repo: Path) -> PolicySet:
    return load_policies(repo / "alerts" / "policies.yaml")


def incident(clock: FakeClock, grade: Grade = Grade.serious, first_seen: datetime | None = None) -> Incident:
    seen = first_seen or clock.now()
    return Incident(id="INC-1", title="新港区化工园区爆炸", topics=(TopicCode.work_safety,), grade=grade,
                    first_seen=seen, last_seen=seen, owner_unit="新港区委网信办")


def open_incident(store: SQLiteStore, engine: ClockEngine, inc: Incident) -> list[Notification]:
    with store.tx() as conn:
        store.save_incident(conn, inc)
        return engine.sync_incident(conn, inc)


def kinds(notes: list[Notification]) -> list[tuple[str, str | None, str]]:
    return [(n.kind.value, n.window, n.dedup_key.rsplit(":", 1)[-1]) for n in notes]


def test_serious_incident_starts_release_and_press_clocks_from_first_seen(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    start = clock.now() - timedelta(minutes=20)  # first_seen before we processed it
    notes = open_incident(store, engine, incident(clock, first_seen=start))
    clocks = {c.window: c for c in store.clocks_for("INC-1")}
    assert clocks[WindowKind.release].due_at == start + timedelta(hours=5)
    assert clocks[WindowKind.press_conference].due_at == start + timedelta(hours=24)
    assert WindowKind.response not in clocks
    assert [n.kind for n in notes].count(EventKind.opened) == 2


@pytest.mark.parametrize(("release_after", "late"), [(timedelta(hours=4, minutes=59, seconds=59), False),
                                                     (timedelta(hours=5, seconds=1), True)])
def test_release_exactly_at_five_hours(store, clock, policies, release_after, late) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    start = clock.now()
    inc = incident(clock)
    open_incident(store, engine, inc)
    clock.set(start + release_after)
    engine.tick()
    with store.tx() as conn:
        engine.fulfil(conn, inc, "record_release", clock.now(), "张三")
    release = next(c for c in store.clocks_for("INC-1") if c.window == WindowKind.release)
    assert release.status == ClockStatus.fulfilled
    assert release.late is late
    breaches = [n for n, _, _ in store.list_notifications("INC-1") if n.kind == EventKind.breach and n.window == "release"]
    assert bool(breaches) is late


def test_each_step_fires_once_and_downtime_steps_fire_late(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    start = clock.now()
    open_incident(store, engine, incident(clock))
    clock.set(start + timedelta(hours=2, minutes=35))  # past 15m, 30m escalations and the half-time reminder
    first = engine.tick()
    assert {"escalation#1", "escalation#2", "reminder@0.5"} <= {k[2] for k in kinds(first)}
    assert all(n.late for n in first)
    assert engine.tick() == []  # nothing twice
    # A second engine over the same store (a restart) fires nothing already fired.
    again = ClockEngine(store, policies, clock)
    assert again.tick() == []
    clock.set(start + timedelta(hours=5))
    due = again.tick()
    assert ("breach", "release", "breach") in kinds(due)
    assert next(c for c in store.clocks_for("INC-1") if c.window == WindowKind.release).status == ClockStatus.breached


def test_acknowledged_incident_is_not_escalated(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    inc = incident(clock)
    open_incident(store, engine, inc)
    with store.tx() as conn:
        store.save_incident(conn, inc.model_copy(update={"status": IncidentStatus.acknowledged}))
    clock.advance(timedelta(minutes=40))
    fired = engine.tick()
    assert not [n for n in fired if n.kind == EventKind.escalation]


def test_upgrade_counts_from_original_start_and_fires_at_once_when_past_due(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    start = clock.now()
    inc = incident(clock, grade=Grade.general).model_copy(update={"needs_response": True})
    open_incident(store, engine, inc)
    assert [c.window for c in store.clocks_for("INC-1")] == [WindowKind.response]
    clock.set(start + timedelta(hours=6))
    notes = open_incident(store, engine, inc.model_copy(update={"grade": Grade.serious}))
    release = next(c for c in store.clocks_for("INC-1") if c.window == WindowKind.release)
    assert release.due_at == start + timedelta(hours=5)
    assert ("breach", "release", "breach") in kinds(notes)
    response = next(c for c in store.clocks_for("INC-1") if c.window == WindowKind.response)
    assert response.status == ClockStatus.cancelled  # the stricter windows supersede it
    assert any(e.action == "clock_cancelled" for e in store.list_audit("INC-1"))


def test_downgrade_cancels_clocks_no_longer_required_audited(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    inc = incident(clock)
    open_incident(store, engine, inc)
    open_incident(store, engine, inc.model_copy(update={"grade": Grade.none}))
    assert {c.status for c in store.clocks_for("INC-1")} == {ClockStatus.cancelled}
    clock.advance(timedelta(hours=6))
    assert engine.tick() == []


def test_release_starts_continued_release_reminders(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    inc = incident(clock)
    open_incident(store, engine, inc)
    clock.advance(timedelta(hours=1))
    with store.tx() as conn:
        notes = engine.fulfil(conn, inc, "record_release", clock.now(), "李四")
    assert ("fulfilled", "release", "fulfilled") in kinds(notes)
    follow = [c for c in store.clocks_for("INC-1") if c.window == WindowKind.continued_release]
    assert len(follow) == 1 and follow[0].due_at == clock.now() + timedelta(hours=6)


def test_policy_snapshot_protects_running_clocks(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    start = clock.now()
    open_incident(store, engine, incident(clock))
    stricter = policies.model_copy(update={"windows": tuple(
        w.model_copy(update={"length": w.length.model_copy(update={"hours": 1.0})}) if w.kind == WindowKind.release else w
        for w in policies.windows)})
    edited = ClockEngine(store, stricter, clock)
    clock.set(start + timedelta(hours=2))
    fired = edited.tick()
    assert ("breach", "release", "breach") not in kinds(fired)  # still the 5 h snapshot


def test_late_ingested_post_opens_a_nearly_due_clock_and_says_so(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    engine = ClockEngine(store, policies, clock)
    notes = open_incident(store, engine, incident(clock, first_seen=clock.now() - timedelta(hours=4, minutes=40)))
    opened = next(n for n in notes if n.kind == EventKind.opened and n.window == "release")
    assert "时限已过半" in opened.body_zh and "20分钟" in opened.body_zh
    # Of the already-passed steps, only the latest of each kind and rung fires, not every stale
    # reminder or repeat; the office head's rung is not lost behind the leader's repeats.
    late = [n for n in notes if n.window == "release" and n.kind != EventKind.opened]
    assert sorted((n.dedup_key.split(":")[-1], n.late) for n in late) == [
        ("escalation#1", True), ("escalation#2+4", True), ("reminder@-30m", True)]
    assert sorted(r.role for n in late for r in n.recipients) == ["duty_officer", "leader_in_charge", "office_head"]


def test_a_clock_due_before_its_next_step_is_rescheduled_not_left_due(store, clock, policies) -> None:  # type: ignore[no-untyped-def]
    """A stored next_fire_at that its schedule does not agree with (an older engine's row) is
    corrected on the next tick, so the clock is not found due again and again."""
    engine = ClockEngine(store, policies, clock)
    open_incident(store, engine, incident(clock))
    release = next(c for c in store.clocks_for("INC-1") if c.window == WindowKind.release)
    with store.tx() as conn:
        store.save_clock(conn, release.model_copy(update={"next_fire_at": clock.now()}))
    assert engine.tick() == []
    fixed = next(c for c in store.clocks_for("INC-1") if c.window == WindowKind.release)
    assert fixed.next_fire_at == release.next_fire_at and fixed.next_step == release.next_step
    assert release.id not in store.clocks_due(clock.now())
