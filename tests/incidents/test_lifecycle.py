"""An incident's life under staff actions, on a fake clock and a real SQLite store: regrading back
and forth, closing and reopening, merging and splitting, and the document windows. Each case is a
way a clock used to be lost or a statistic rewritten (review of 2026-11-23)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sentinel.alerts.engine import ClockEngine
from sentinel.alerts.policies import load_policies
from sentinel.alerts.stats import timeliness
from sentinel.alerts.workdays import WorkdayCalendar
from sentinel.domain.alerting import ClockStatus, EventKind
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.incident import Incident, IncidentStatus
from sentinel.domain.post import PostIn, PostMetrics
from sentinel.domain.timeutil import SHANGHAI, FakeClock
from sentinel.incidents.actions import ActionError, IncidentActions
from sentinel.incidents.ownership import Ownership
from sentinel.ingest.normalize import Normaliser
from sentinel.store.sqlite import SQLiteStore


class World:
    def __init__(self, store: SQLiteStore, clock: FakeClock, repo: Path) -> None:
        self.store, self.clock = store, clock
        self.engine = ClockEngine(store, load_policies(repo / "alerts" / "policies.yaml"), clock,
                                  workdays=WorkdayCalendar.from_file(repo / "alerts" / "holidays.yaml"))
        self.actions = IncidentActions(store, self.engine, Ownership.load(repo / "alerts" / "units.yaml"), clock)
        self.normaliser = Normaliser(clock)

    def incident(self, incident_id: str, grade: Grade, posts: list[tuple[str, datetime, int]], unit: str = "新港区委网信办") -> str:
        """An incident holding the given posts (id, published_at, reposts), its clocks started."""
        self.clock.set(max(self.clock.now(), *(at for _, at, _ in posts)))  # not posts from the future
        stored = [self.normaliser.normalise(PostIn(id=pid, source="weibo", author=f"网友{pid}", text=f"{incident_id} 现场情况 {pid}",
                                                   published_at=at, metrics=PostMetrics(reposts=reposts)))
                  for pid, at, reposts in posts]
        self.store.add_posts(stored)
        first = min(at for _, at, _ in posts)
        inc = Incident(id=incident_id, title=f"{incident_id} 化工厂爆炸", topics=(TopicCode.work_safety,), grade=grade,
                       first_seen=first, last_seen=max(at for _, at, _ in posts), owner_unit=unit,
                       needs_response=grade in (Grade.general, Grade.relatively_serious))
        with self.store.tx() as conn:
            self.store.save_incident(conn, inc)
            for pid, _, _ in posts:
                self.store.attach_post(conn, pid, incident_id)
            self.engine.sync_incident(conn, inc)
        return incident_id

    def at(self, hours: float) -> datetime:
        return START + timedelta(hours=hours)

    def go(self, hours: float) -> list[EventKind]:
        self.clock.set(self.at(hours))
        return [n.kind for n in self.engine.tick()]

    def act(self, hours: float, incident_id: str, action: str, **params: object) -> Incident:
        self.go(hours)
        return self.actions.apply(incident_id, action, "张伟", **params)

    def clocks(self, incident_id: str) -> dict[str, ClockStatus]:
        return {c.id.removeprefix(f"{incident_id}:"): c.status for c in self.store.clocks_for(incident_id)}


START = datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def world(store: SQLiteStore, clock: FakeClock, repo: Path) -> World:
    clock.set(START)
    return World(store, clock, repo)


def test_upgrade_after_a_downgrade_runs_the_clocks_again(world: World) -> None:
    inc = world.incident("INC-A", Grade.general, [("a1", START, 0)])
    world.act(1, inc, "set_grade", grade="serious")
    world.act(1.5, inc, "set_grade", grade="general")
    assert world.clocks(inc)["release"] == ClockStatus.cancelled
    world.act(2, inc, "set_grade", grade="serious")
    assert world.clocks(inc)["release"] == ClockStatus.running and world.clocks(inc)["response"] == ClockStatus.cancelled
    assert EventKind.breach in world.go(5.1)  # still counted from the first post: due at 5 h


@pytest.mark.parametrize("then", ["close", "downgrade"])
def test_a_breach_stays_on_the_record_after_close_or_downgrade(world: World, then: str) -> None:
    inc = world.incident("INC-B", Grade.serious, [("b1", START, 0)])
    assert EventKind.breach in world.go(6)
    if then == "close":
        world.act(6.5, inc, "close")
    else:
        world.act(6.5, inc, "set_grade", grade="general")
    report = timeliness(world.store, world.clock.now())
    release = next(w for w in report.windows if w.window == "release")
    assert (release.overdue, release.on_time_rate) == (1, 0.0)
    breach = next(b for b in report.breaches if b.window == "release")
    assert breach.minutes_late == 90.0 and breach.cancelled in ("incident_closed", "grade_or_need_changed")
    assert not [w for w in report.windows if w.window == "press_conference"]  # stopped before its deadline


def test_a_release_on_an_incident_without_a_release_window_starts_no_continued_release(world: World) -> None:
    inc = world.incident("INC-C", Grade.general, [("c1", START, 0)])
    world.act(1, inc, "record_release", url="https://example.gov.cn/1")
    assert "continued_release:1" not in world.clocks(inc)
    assert EventKind.breach not in world.go(12)


def test_status_only_moves_forward(world: World) -> None:
    inc = world.incident("INC-D", Grade.serious, [("d1", START, 0)])
    world.act(1, inc, "record_release")
    world.act(2, inc, "record_press_conference")
    assert world.act(3, inc, "record_response").status == IncidentStatus.press_conference_held
    with pytest.raises(ActionError):
        world.act(3.5, inc, "reopen")  # not closed: reopening must not set it back


def test_reopen_restores_status_and_continued_release(world: World) -> None:
    inc = world.incident("INC-E", Grade.serious, [("e1", START, 0)])
    world.act(1, inc, "record_release")
    world.act(2, inc, "close")
    assert world.clocks(inc)["continued_release:1"] == ClockStatus.cancelled
    assert world.act(3, inc, "reopen").status == IncidentStatus.released
    assert world.clocks(inc)["continued_release:2"] == ClockStatus.running
    assert EventKind.breach in world.go(9.1)  # 持续发布 every 6 h, counted from the reopening


def test_merge_carries_start_fulfilments_status_heat_and_ownership(world: World) -> None:
    a = world.incident("INC-F", Grade.serious, [("f1", world.at(2), 10)], unit="新港区委网信办")
    b = world.incident("INC-G", Grade.serious, [("g1", world.at(2.5), 20), ("g2", world.at(3), 30)], unit="白沙县委网信办")
    world.act(2.6, b, "set_occurrence_time", at=START.isoformat())
    world.act(3, b, "record_release")
    merged = world.act(4, a, "merge", other=b)
    assert merged.clock_start == START and merged.status == IncidentStatus.released
    assert (merged.heat.posts, merged.heat.authors, merged.heat.reposts) == (3, 3, 60)
    assert merged.owner_unit == "清江市委网信办"  # two districts: the city above them
    clocks = {c.id: c for c in world.store.clocks_for(a)}
    assert clocks[f"{a}:release"].status == ClockStatus.fulfilled and clocks[f"{a}:release"].fulfilled_at == world.at(3)
    assert clocks[f"{a}:continued_release:1"].status == ClockStatus.running  # from the merged-in release
    assert EventKind.breach not in world.go(4.9)  # the release recorded on B counts: no false breach at 5 h
    gone = world.store.get_incident(b)
    assert gone is not None and gone.merged_into == a and gone.heat.posts == 0
    with pytest.raises(ActionError):
        world.act(5, b, "reopen")
    assert not [b_ for b_ in timeliness(world.store, world.clock.now()).breaches if b_.incident_id == b]


def test_nothing_merges_into_a_closed_incident(world: World) -> None:
    a = world.incident("INC-H", Grade.general, [("h1", START, 0)])
    b = world.incident("INC-I", Grade.general, [("i1", START, 0)])
    world.act(1, a, "close")
    with pytest.raises(ActionError):
        world.act(2, a, "merge", other=b)
    assert world.clocks(b)["response"] == ClockStatus.running


def test_split_recounts_both_parts(world: World) -> None:
    inc = world.incident("INC-J", Grade.serious, [("j1", START, 3000), ("j2", world.at(1), 1)])
    remainder = world.act(1.5, inc, "split", post_ids=["j1"])
    part = world.store.get_incident(f"{inc}-S1")
    assert part is not None and (part.heat.posts, part.heat.reposts, part.first_seen) == (1, 3000, START)
    assert (remainder.heat.posts, remainder.heat.reposts, remainder.first_seen) == (1, 1, world.at(1))
    release = next(c for c in world.store.clocks_for(inc) if c.window.value == "release")
    assert release.started_at == world.at(1)  # the remainder's event began with its own first post
    with pytest.raises(ActionError):
        world.act(2, inc, "split", post_ids=["j2"])  # nothing would be left


def test_disclosure_request_runs_twenty_working_days_with_one_extension(world: World) -> None:
    inc = world.incident("INC-K", Grade.none, [("k1", START, 0)])
    world.act(1, inc, "disclosure_request", at=START.isoformat())
    clock = next(c for c in world.store.clocks_for(inc) if c.window.value == "disclosure_reply")
    assert clock.due_at.date().isoformat() == "2026-12-18"  # 20 working days from Fri 2026-11-20
    with pytest.raises(ActionError):
        world.act(2, inc, "disclosure_request", at=START.isoformat())  # one window per incident
    world.act(24 * 20, inc, "extend_deadline", window="disclosure_reply", reason="需协调多个部门")
    extended = next(c for c in world.store.clocks_for(inc) if c.window.value == "disclosure_reply")
    assert extended.extended_from == clock.due_at and extended.due_at > clock.due_at + timedelta(days=20)
    with pytest.raises(ActionError):
        world.act(24 * 21, inc, "extend_deadline", window="disclosure_reply")  # only once
    notes = [n for n, _, _ in world.store.list_notifications(inc) if n.window == "disclosure_reply"]
    assert any("已延长" in n.body_zh for n in notes)


def test_policy_published_starts_the_interpretation_window(world: World) -> None:
    inc = world.incident("INC-L", Grade.none, [("l1", START, 0)])
    world.act(1, inc, "policy_published", at=START.isoformat(), url="https://example.gov.cn/zc/1")
    clock = next(c for c in world.store.clocks_for(inc) if c.window.value == "policy_interpretation")
    assert clock.due_at.date().isoformat() == "2026-11-25"  # 3 working days from Fri 2026-11-20
    world.act(30, inc, "record_release")
    assert world.clocks(inc)["policy_interpretation"] == ClockStatus.fulfilled


def test_answering_the_public_does_not_answer_a_disclosure_request(world: World) -> None:
    """record_response fulfils both the 48 h response and the 依申请公开 reply by policy; without a
    window named it is the public response, and the applicant's 20 working days keep running."""
    inc = world.incident("INC-R", Grade.general, [("r1", START, 0)])
    world.act(1, inc, "disclosure_request", at=START.isoformat())
    world.act(2, inc, "record_response", url="https://weibo.com/x")
    assert world.clocks(inc) == {"response": ClockStatus.fulfilled, "disclosure_reply": ClockStatus.running}
    world.act(3, inc, "record_response", window="disclosure_reply")
    assert world.clocks(inc)["disclosure_reply"] == ClockStatus.fulfilled
    with pytest.raises(ActionError, match="no open 'disclosure_reply'"):
        world.act(4, inc, "record_response", window="disclosure_reply")


def test_editing_policies_never_cancels_a_running_clock(world: World, repo: Path, tmp_path: Path) -> None:
    inc = world.incident("INC-P", Grade.general, [("p1", START, 0)])
    edited = tmp_path / "policies.yaml"
    text = (repo / "alerts" / "policies.yaml").read_text(encoding="utf-8")
    edited.write_text(text.replace("grades: [relatively_serious, general]", "grades: [relatively_serious]"), encoding="utf-8")
    world.engine = ClockEngine(world.store, load_policies(edited), world.clock,
                               workdays=WorkdayCalendar.from_file(repo / "alerts" / "holidays.yaml"))
    world.actions = IncidentActions(world.store, world.engine, world.actions.ownership, world.clock)
    world.act(1, inc, "mark_needs_response")  # any sync of the incident under the edited file
    assert world.clocks(inc) == {"response": ClockStatus.running}
    assert EventKind.breach in world.go(48)
    world.act(49, inc, "set_grade", grade="none")  # a change of the incident still ends it …
    assert world.clocks(inc) == {"response": ClockStatus.breached}  # … unless staff marked it (they did)


def test_a_downgrade_stops_continued_release_and_an_upgrade_resumes_it(world: World) -> None:
    inc = world.incident("INC-Q", Grade.serious, [("q1", START, 0)])
    world.act(1, inc, "record_release")
    assert world.clocks(inc)["continued_release:1"] == ClockStatus.running
    world.act(2, inc, "set_grade", grade="none", reason="演练")
    assert world.clocks(inc)["continued_release:1"] == ClockStatus.cancelled
    assert world.go(12) == []  # no 持续发布 reminder or breach for an exercise
    world.act(13, inc, "set_grade", grade="serious")
    resumed = next(c for c in world.store.clocks_for(inc) if c.id == f"{inc}:continued_release:2")
    assert (resumed.status, resumed.started_at) == (ClockStatus.running, world.at(13))


def test_reopen_and_merge_keep_a_disclosure_reply_owed(world: World) -> None:
    """A 依申请公开 reply is owed whatever becomes of the incident: closing and reopening, or
    merging it into another, must not lose its 20-working-day clock."""
    a = world.incident("INC-S", Grade.general, [("s1", START, 0)])
    b = world.incident("INC-T", Grade.none, [("t1", START, 0)])
    world.act(1, b, "disclosure_request", at=START.isoformat())
    world.act(2, b, "close")
    world.act(3, b, "reopen")
    assert world.clocks(b)["disclosure_reply"] == ClockStatus.running
    merged = world.act(4, a, "merge", other=b)
    moved = next(c for c in world.store.clocks_for(a) if c.window.value == "disclosure_reply")
    assert moved.status == ClockStatus.running and moved.due_at.date().isoformat() == "2026-12-18"
    world.act(5, a, "record_response")  # answering the public …
    assert world.clocks(a)["disclosure_reply"] == ClockStatus.running  # … is not the applicant's reply
    assert EventKind.breach in world.go(24 * 29)  # past 2026-12-18 unanswered: a breach, on the merged incident
    report = timeliness(world.store, world.clock.now())
    assert [(x.incident_id, x.window) for x in report.breaches] == [(merged.id, "disclosure_reply")]


def test_a_merged_incident_takes_no_more_actions_and_merges_once(world: World) -> None:
    a = world.incident("INC-U", Grade.serious, [("u1", START, 0)])
    b = world.incident("INC-V", Grade.serious, [("v1", START, 0)])
    c = world.incident("INC-W", Grade.serious, [("w1", START, 0)], unit="白沙县委网信办")
    world.act(1, b, "record_release")
    world.act(2, a, "merge", other=b)
    with pytest.raises(ActionError, match="merged into INC-U"):
        world.act(3, b, "record_release")  # staff still on B's page: told where the event went
    with pytest.raises(ActionError, match="already merged"):
        world.act(3, c, "merge", other=b)  # B's release must not fulfil an unrelated incident
    assert world.clocks(c)["release"] == ClockStatus.running
    with pytest.raises(ActionError, match="merged into"):
        world.act(3, b, "reopen")


def test_merge_replays_releases_without_a_breach_sent_and_withdrawn(world: World) -> None:
    """B released at 1 h and 5 h (持续发布 every 6 h); merged into a general incident A at 8 h. As one
    incident from the start nothing was late: no breach goes out, and the release is counted once."""
    a = world.incident("INC-X", Grade.general, [("x1", START, 0)])
    b = world.incident("INC-Y", Grade.serious, [("y1", START, 0)])
    world.act(1, b, "record_release")
    world.act(5, b, "record_release")
    world.go(8)
    before = {n.dedup_key for n, _, _ in world.store.list_notifications(a)}
    world.act(8, a, "merge", other=b)
    sent = [n for n, _, _ in world.store.list_notifications(a) if n.dedup_key not in before]
    assert EventKind.breach not in [n.kind for n in sent]
    assert not [n for n in sent if "作废" in n.body_zh]
    assert world.clocks(a)["release"] == ClockStatus.fulfilled
    running = [k for k, v in world.clocks(a).items() if k.startswith("continued_release") and v == ClockStatus.running]
    assert len(running) == 1  # the chain as B had it: the 5 h release's 持续发布, due at 11 h
    releases = [w for w in timeliness(world.store, world.clock.now()).windows if w.window == "release"]
    assert sum(w.total for w in releases) == 1 and sum(w.on_time for w in releases) == 1


def _classified(world: World, post_id: str, grade: Grade, topic: TopicCode, negative: bool = False) -> None:
    from sentinel.domain.classification import Classification, TopicScore
    from sentinel.domain.codes import Sentiment

    world.store.save_classifications([Classification(
        post_id=post_id, topics=(TopicScore(code=topic, score=0.9),), grade=grade, explanation_zh=f"{post_id}: {grade.zh}",
        sentiment=Sentiment.negative if negative else Sentiment.neutral)], "test", 0)


def test_split_judges_each_side_by_its_own_posts(world: World) -> None:
    """A residents' odour complaint grouped into a 重大 explosion and split off is a general
    environment complaint with a 48 h response, not a second 重大 incident already in breach; when the
    post that made the incident 重大 is the one split off, the remainder's release window ends."""
    inc = world.incident("INC-Z", Grade.serious, [("z1", START, 0), ("z2", world.at(0.5), 0), ("z3", world.at(1), 0)])
    _classified(world, "z1", Grade.serious, TopicCode.work_safety, negative=True)
    _classified(world, "z2", Grade.general, TopicCode.environment, negative=True)
    _classified(world, "z3", Grade.none, TopicCode.work_safety)
    remainder = world.act(7, inc, "split", post_ids=["z2"])
    part = world.store.get_incident(f"{inc}-S1")
    assert part is not None and (part.grade, part.topics, part.sentiment_negative) == (
        Grade.general, (TopicCode.environment,), 1.0)
    assert world.clocks(part.id) == {"response": ClockStatus.running}
    assert not [n for n, _, _ in world.store.list_notifications(part.id) if n.kind == EventKind.breach]
    assert (remainder.grade, remainder.sentiment_negative) == (Grade.serious, 0.5)

    other = world.incident("INC-ZZ", Grade.serious, [("y1", START, 0), ("y2", world.at(0.5), 0)])
    _classified(world, "y1", Grade.serious, TopicCode.work_safety)
    _classified(world, "y2", Grade.general, TopicCode.work_safety)
    left = world.act(8, other, "split", post_ids=["y1"])
    assert left.grade == Grade.general and left.title != "INC-ZZ 化工厂爆炸"  # the title left with its post
    assert world.clocks(other)["release"] == ClockStatus.cancelled  # ended by the change (audited) …
    assert world.clocks(other)["response"] == ClockStatus.running
    breach = [b for b in timeliness(world.store, world.clock.now()).breaches if b.incident_id == other]
    assert [b.window for b in breach] == ["release"]  # … its missed deadline stays on the 督办 list


def test_facts_entered_after_closing_still_count(world: World) -> None:
    """The after-action review settles the occurrence time and enters releases the duty officer did
    not record at the time: the same facts give the same figures, before or after closing."""
    inc = world.incident("INC-AA", Grade.serious, [("aa1", world.at(2), 0)])
    world.act(6, inc, "record_release", at=world.at(6).isoformat())  # 4 h after first_seen: on time
    world.act(8, inc, "close")
    world.act(9, inc, "set_occurrence_time", at=START.isoformat())  # the event began 2 h earlier
    release = next(c for c in world.store.clocks_for(inc) if c.id == f"{inc}:release")
    assert release.due_at == world.at(5)  # so the 6 h release was late
    assert [(w.on_time, w.late) for w in timeliness(world.store, world.clock.now()).windows if w.window == "release"] == [(0, 1)]

    other = world.incident("INC-AB", Grade.serious, [("ab1", START, 0)])
    world.act(6, other, "close")  # the press conference was held at 3 h but not recorded
    world.act(7, other, "record_press_conference", at=world.at(3).isoformat())
    press = next(c for c in world.store.clocks_for(other) if c.window.value == "press_conference")
    assert (press.status, press.fulfilled_at) == (ClockStatus.fulfilled, world.at(3))
    with pytest.raises(ActionError, match="closed"):
        world.act(8, other, "record_release", at=world.at(7).isoformat())  # after closing: no window was open


def _two_fire_posts(first_text: str) -> list[dict[str, str]]:
    """A first post, then half an hour later one naming 河西区 only: the same fire."""
    return [{"id": "p1", "source": "weibo", "author": "u1", "published_at": "2026-11-20T10:00:00+08:00", "text": first_text},
            {"id": "p2", "source": "weibo", "author": "u2", "published_at": "2026-11-20T10:30:00+08:00",
             "text": "河西区化工厂管道泄漏引发大火，已造成5人死亡，居民紧急疏散"}]


def _simulation(posts: list[dict[str, str]], tmp_path: Path, repo: Path) -> tuple[Any, list[Any]]:
    from sentinel.simulate import Simulation, Step

    steps = [Step(i + 1, START.replace(hour=10, minute=5 + 30 * i), {"at": "", "post": p}) for i, p in enumerate(posts)]
    return Simulation(repo, tmp_path, steps[0].at, steps), steps


@pytest.mark.integration
def test_an_incident_spanning_two_districts_stays_with_the_city(tmp_path: Path, repo: Path) -> None:
    """Through the real pipeline (simulate): a later post naming one of the two districts does not
    move the incident down to it."""
    sim, steps = _simulation(_two_fire_posts("从河西区到城关区，化工厂管道泄漏引发大火，已造成5人死亡，沿线多处居民紧急疏散"),
                             tmp_path, repo)
    try:
        for step in steps:
            sim.run_line(step)
        store = sim.services.store
        first, second = store.get_post("p1"), store.get_post("p2")
        assert first is not None and second is not None and first.incident_id == second.incident_id
        incident = store.get_incident(str(first.incident_id))
        assert incident is not None and incident.owner_unit == "清江市委网信办"
    finally:
        sim.close()


@pytest.mark.integration
def test_a_unit_staff_assigned_stays_when_a_later_post_names_a_district(tmp_path: Path, repo: Path) -> None:
    sim, steps = _simulation(_two_fire_posts("清江市一化工厂管道泄漏引发大火，已造成5人死亡，居民紧急疏散"), tmp_path, repo)
    try:
        sim.run_line(steps[0])
        store = sim.services.store
        first = store.get_post("p1")
        assert first is not None and first.incident_id is not None
        sim.actions.apply(first.incident_id, "assign_unit", "张伟", unit="qingjiang")  # the city leads this one
        sim.run_line(steps[1])
        second = store.get_post("p2")
        incident = store.get_incident(first.incident_id)
        assert second is not None and second.incident_id == first.incident_id
        assert incident is not None and incident.owner_unit == "清江市委网信办"
    finally:
        sim.close()


def test_a_city_incident_merged_with_a_district_one_stays_with_the_city(world: World) -> None:
    a = world.incident("INC-AC", Grade.serious, [("ac1", START, 0)], unit="清江市委网信办")
    b = world.incident("INC-AD", Grade.serious, [("ad1", START, 0)], unit="新港区委网信办")
    assert world.act(1, a, "merge", other=b).owner_unit == "清江市委网信办"


def test_a_release_found_late_after_an_earlier_occurrence_time_counts_late(world: World) -> None:
    inc = world.incident("INC-M", Grade.serious, [("m1", START, 0)])
    world.act(4, inc, "record_release")
    assert timeliness(world.store, world.clock.now()).breaches == []
    world.act(5, inc, "set_occurrence_time", at=(START - timedelta(hours=2)).isoformat())
    release = next(w for w in timeliness(world.store, world.clock.now()).windows if w.window == "release")
    assert (release.on_time, release.late) == (0, 1)  # due 3 h after first_seen now, released at 4 h


def test_an_acknowledged_late_incident_still_gets_the_reminder_it_missed(world: World) -> None:
    """Started 3 h 40 min late: the latest passed step is an escalation, which an acknowledged
    incident skips; the half-time reminder before it is the one to send."""
    world.clock.set(START + timedelta(hours=3, minutes=40))
    inc = Incident(id="INC-N", title="INC-N 化工厂爆炸", topics=(TopicCode.work_safety,), grade=Grade.serious,
                   first_seen=START, last_seen=START, status=IncidentStatus.acknowledged)
    with world.store.tx() as conn:
        world.store.save_incident(conn, inc)
        notes = world.engine.sync_incident(conn, inc)
    release = [n.dedup_key.rsplit(":", 1)[-1] for n in notes if n.window == "release"]
    assert release == ["opened", "reminder@0.5"]


def test_one_unreadable_clock_does_not_hold_back_the_others(world: World) -> None:
    broken = world.incident("INC-O", Grade.serious, [("o1", START, 0)])
    fine = world.incident("INC-P", Grade.serious, [("p1", START + timedelta(minutes=1), 0)])
    clock = next(c for c in world.store.clocks_for(broken) if c.window.value == "release")
    with world.store.tx() as conn:
        world.store.save_clock(conn, clock.model_copy(update={"policy_snapshot": "{not json"}))
    world.clock.set(START + timedelta(hours=5, minutes=2))
    notes = world.engine.tick()
    assert any(n.incident_id == fine and n.kind == EventKind.breach for n in notes)


def test_set_to_none_drops_the_response_window_unless_staff_asked_for_one(world: World) -> None:
    quiet = world.incident("INC-Q", Grade.general, [("q1", START, 0)])
    world.act(1, quiet, "set_grade", grade="none", reason="非突发事件")
    assert world.clocks(quiet)["response"] == ClockStatus.cancelled
    asked = world.incident("INC-R", Grade.general, [("r1", START, 0)])
    world.act(1, asked, "mark_needs_response")
    world.act(2, asked, "set_grade", grade="none")
    assert world.clocks(asked)["response"] == ClockStatus.running
