"""`sentinel simulate` (ARCHITECTURE §5): the real pipeline on a virtual clock, exact deadlines,
staff actions, a restart from the store, and the output contract."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

import sentinel.simulate as simulate_module
from sentinel.domain.classification import Classification, TopicScore
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.post import Post
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser
from sentinel.settings import Settings
from sentinel.simulate import BackgroundClassifier, Prefetched, ScenarioError, Step, commit_groups, simulate
from tests.support import REPO

EXPLOSION = {"id": "s1", "source": "weibo", "text": "新港区化工园区一化工厂发生爆炸，目前已造成12人死亡，现场浓烟滚滚",
             "published_at": "2026-11-20T14:37:00+08:00"}


def run(tmp_path: Path, lines: list[dict[str, object]], until: str | None = None) -> list[dict[str, object]]:
    path = tmp_path / "scenario.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    sink = io.StringIO()
    from sentinel.domain.timeutil import parse_iso

    simulate(path, REPO, sink, parse_iso(until) if until else None)
    return [json.loads(line) for line in sink.getvalue().splitlines()]


def test_unanswered_serious_incident_breaches_at_exactly_five_and_24_hours(tmp_path: Path) -> None:
    out = run(tmp_path, [{"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}])
    assert out[0]["kind"] == "opened" and out[0]["deadline"] == "release"
    breaches = {o["deadline"]: o["at"] for o in out if o["kind"] == "breach"}
    assert breaches == {"release": "2026-11-20T19:37:00+08:00", "press_conference": "2026-11-21T14:37:00+08:00"}
    assert [o["at"] for o in out] == sorted(o["at"] for o in out)  # time order
    assert all({"at", "kind", "incident", "deadline", "due", "recipients"} <= set(o) for o in out)
    assert max(o["at"] for o in out) <= "2026-11-23T14:40:00+08:00"  # 72 h after the last line
    escalations = [o for o in out if o["kind"] == "escalation"]
    assert escalations and escalations[0]["at"] == "2026-11-20T14:52:00+08:00"  # first_seen + 15 min


def test_actions_fulfil_stop_escalation_and_close(tmp_path: Path) -> None:
    out = run(tmp_path, [
        {"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION},
        {"at": "2026-11-20T14:45:00+08:00", "action": "acknowledge", "post_id": "s1"},
        {"at": "2026-11-20T19:36:59+08:00", "action": "record_release", "post_id": "s1", "url": "https://gov.cn/1"},
        {"at": "2026-11-21T09:00:00+08:00", "action": "record_press_conference", "post_id": "s1"},
        {"at": "2026-11-21T10:00:00+08:00", "action": "close", "post_id": "s1"},
    ])
    kinds = [(o["kind"], o["deadline"]) for o in out]
    assert ("escalation", "release") not in kinds  # acknowledged within 15 minutes
    assert ("breach", "release") not in kinds and ("fulfilled", "release") in kinds
    assert ("fulfilled", "press_conference") in kinds and ("breach", "press_conference") not in kinds
    assert kinds[-1] == ("closed", None)
    assert not [o for o in out if o["at"] > "2026-11-21T10:00:00+08:00"]  # nothing after closing


def test_restart_mid_scenario_neither_loses_nor_repeats_steps(tmp_path: Path) -> None:
    base = [{"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}]
    plain = run(tmp_path, base, until="2026-11-21T20:00:00+08:00")
    restarted = run(tmp_path, [*base, {"at": "2026-11-20T17:00:00+08:00", "action": "restart"}],
                    until="2026-11-21T20:00:00+08:00")
    assert [(o["at"], o["kind"], o["step"]) for o in restarted] == [(o["at"], o["kind"], o["step"]) for o in plain]


def test_the_output_is_the_same_whatever_the_commit_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines run in groups, one transaction each (a restart line alone), and the outbox is read after
    each group: the grouping decides when the store commits, never what comes out or in what order."""
    lines: list[dict[str, object]] = [
        {"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION},
        {"at": "2026-11-20T14:45:00+08:00", "action": "acknowledge", "post_id": "s1"},
        {"at": "2026-11-20T17:00:00+08:00", "action": "restart"},
        {"at": "2026-11-20T18:00:00+08:00", "action": "record_release", "post_id": "s1", "url": "https://gov.cn/1"},
        {"at": "2026-11-21T10:00:00+08:00", "action": "close", "post_id": "s1"},
    ]
    outputs = []
    for size in (1, 2, 200):
        monkeypatch.setattr(simulate_module, "COMMIT_EVERY", size)
        outputs.append(run(tmp_path, lines, until="2026-11-21T20:00:00+08:00"))
    assert outputs[0] == outputs[1] == outputs[2]
    assert [o["kind"] for o in outputs[0]][:1] == ["opened"] and outputs[0][-1]["kind"] == "closed"


def test_upgrade_by_staff_starts_release_clock_from_first_seen(tmp_path: Path) -> None:
    post = {"id": "f1", "source": "news", "text": "白沙县一仓库发生火灾，消防正在扑救，暂无人员伤亡",
            "published_at": "2026-11-20T08:00:00+08:00"}
    out = run(tmp_path, [
        {"at": "2026-11-20T08:05:00+08:00", "post": post},
        {"at": "2026-11-20T14:00:00+08:00", "action": "set_grade", "post_id": "f1", "grade": "serious"},
    ], until="2026-11-20T15:00:00+08:00")
    release = [o for o in out if o["deadline"] == "release"]
    assert release[0]["kind"] == "opened" and release[0]["due"] == "2026-11-20T13:00:00+08:00"
    assert ("breach", "2026-11-20T14:00:00+08:00") in [(o["kind"], o["at"]) for o in release]  # at once, late


def test_bad_scenario_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"at": "2026-11-20T08:00:00+08:00", "post": {"source": "weibo", "text": "x"}}\n{"at": "nope"}\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.jsonl:2"):
        simulate(path, REPO, io.StringIO())


def test_cli_simulate_writes_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sentinel.cli", "simulate", str(path), "--until", "2026-11-20T20:00:00+08:00"],
                            capture_output=True, text=True, timeout=120, env={"SENTINEL_CONFIG_DIR": str(REPO), "PATH": ""})
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[-1]["kind"] == "breach" and rows[-1]["at"] == "2026-11-20T19:37:00+08:00"
    # The summary goes to stderr, so stdout stays JSON lines: the release window is past due,
    # the press conference (24 h) is not yet.
    assert "帖子 1 条，事件 1 个（1 个启动了响应时限）" in result.stderr
    assert f"时限 2 个：按时完成 0 个，逾期完成 0 个，超时未完成 1 个；通知 {len(rows)} 条" in result.stderr


def trial_policies(tmp_path: Path, release_hours: int) -> Path:
    """The repository's policies.yaml with another length for the 权威信息发布 window."""
    text = (REPO / "alerts" / "policies.yaml").read_text(encoding="utf-8")
    assert text.count("length: {hours: 5}") == 1
    path = tmp_path / "trial_policies.yaml"
    path.write_text(text.replace("length: {hours: 5}", f"length: {{hours: {release_hours}}}"), encoding="utf-8")
    return path


def test_a_policy_trial_runs_the_drill_with_the_candidate_windows(tmp_path: Path) -> None:
    scenario = tmp_path / "s.jsonl"
    scenario.write_text(json.dumps({"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    until = datetime(2026, 11, 21, 20, tzinfo=UTC)

    def release_breach(policies: Path | None) -> str:
        sink = io.StringIO()
        simulate(scenario, REPO, sink, until, policies=policies)
        rows = [json.loads(line) for line in sink.getvalue().splitlines()]
        return next(str(o["at"]) for o in rows if o["kind"] == "breach" and o["deadline"] == "release")

    assert release_breach(None) == "2026-11-20T19:37:00+08:00"  # the configured 5 hours
    assert release_breach(trial_policies(tmp_path, 3)) == "2026-11-20T17:37:00+08:00"  # the candidate's 3
    assert "length: {hours: 5}" in (REPO / "alerts" / "policies.yaml").read_text(encoding="utf-8")  # left as it was


def test_cli_a_broken_trial_policy_is_reported_before_the_drill_starts(tmp_path: Path) -> None:
    scenario = tmp_path / "s.jsonl"
    scenario.write_text(json.dumps({"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    broken = trial_policies(tmp_path, 3)
    broken.write_text(broken.read_text(encoding="utf-8").replace("length: {hours: 3}", "length: {weeks: 3}"),
                      encoding="utf-8")
    env = {"SENTINEL_CONFIG_DIR": str(REPO), "PATH": ""}
    result = subprocess.run([sys.executable, "-m", "sentinel.cli", "simulate", str(scenario), "--policies", str(broken)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode != 0 and result.stdout == ""
    assert "trial_policies.yaml" in result.stderr and "weeks" in result.stderr
    missing = subprocess.run([sys.executable, "-m", "sentinel.cli", "simulate", str(scenario), "--policies",
                              str(tmp_path / "nope.yaml")], capture_output=True, text=True, timeout=120, env=env)
    assert missing.returncode != 0 and "找不到时限规则文件" in missing.stderr


def test_cli_compare_prints_the_configured_and_the_trial_summaries(tmp_path: Path) -> None:
    scenario = tmp_path / "s.jsonl"
    scenario.write_text(json.dumps({"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    trial = trial_policies(tmp_path, 3)
    env = {"SENTINEL_CONFIG_DIR": str(REPO), "PATH": ""}
    # Four hours after the explosion: past a 3-hour release deadline, not past the configured 5 hours.
    command = [sys.executable, "-m", "sentinel.cli", "simulate", str(scenario), "--until", "2026-11-20T18:37:00+08:00",
               "--policies", str(trial)]
    result = subprocess.run([*command, "--compare"], capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr
    current, candidate = (line for line in result.stderr.splitlines() if "演练结束" in line)
    assert current.startswith("现行规则 alerts/policies.yaml：") and "超时未完成 0 个" in current
    assert candidate.startswith(f"试行规则 {trial}：") and "超时未完成 1 个" in candidate
    assert "  权威信息发布：按时完成 0 个，逾期完成 0 个，超时未完成 1 个" in result.stderr.splitlines()  # which window
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # stdout: the trial's drill only
    assert [o["at"] for o in rows if o["kind"] == "breach"] == ["2026-11-20T17:37:00+08:00"]
    # SENTINEL_POLICIES_FILE is the configured policy for a plain drill, as for `sentinel run`.
    plain = subprocess.run(command[:-2], capture_output=True, text=True, timeout=180,
                           env={**env, "SENTINEL_POLICIES_FILE": str(trial)})
    assert plain.returncode == 0 and "超时未完成 1 个" in plain.stderr
    lonely = subprocess.run([*command[:-2], "--compare"], capture_output=True, text=True, timeout=60, env=env)
    assert lonely.returncode != 0 and "--compare 需要 --policies" in lonely.stderr


def test_the_summary_counts_a_deadline_missed_before_the_incident_was_closed(tmp_path: Path) -> None:
    from sentinel.simulate import DrillSummary

    scenario = tmp_path / "s.jsonl"
    lines = [{"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION},
             {"at": "2026-11-20T16:00:00+08:00", "action": "record_release", "post_id": "s1"},
             {"at": "2026-11-21T20:00:00+08:00", "action": "close", "post_id": "s1"}]
    scenario.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    summaries: list[DrillSummary] = []
    simulate(scenario, REPO, io.StringIO(), on_summary=summaries.append)
    # Released on time; the press conference (due 14:37 the next day) never held, and the incident
    # closed after that: still a missed deadline. 持续发布 (6 h after the release) missed too.
    (summary,) = summaries
    assert (summary.incidents, summary.on_time, summary.late) == (1, 1, 0)
    assert summary.overdue == summary.clocks - 1 >= 2
    by_window = {name: (on_time, late, overdue) for name, on_time, late, overdue in summary.by_window}
    assert summary.by_window[0][0] == "权威信息发布"  # the release window first
    assert by_window["权威信息发布"] == (1, 0, 0) and by_window["新闻发布会"] == (0, 0, 1)
    assert sum(overdue for _, _, _, overdue in summary.by_window) == summary.overdue
    assert "\n  新闻发布会：按时完成 0 个，逾期完成 0 个，超时未完成 1 个" in summary.zh()


def test_a_drill_never_pages_anyone_on_the_configured_channels(tmp_path: Path) -> None:
    """An office's alerts/channels.yaml names real robots and SMS gateways; simulate must not use them."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    hits: list[str] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp_path / "config"
    (config / "alerts").mkdir(parents=True)
    for name in ("classify", "ingest"):
        (config / name).symlink_to(REPO / name)
    for item in (REPO / "alerts").iterdir():
        (config / "alerts" / item.name).symlink_to(item)
    (config / "alerts" / "channels.yaml").write_text(
        "version: 1\nbroadcast: [hook]\nchannels:\n  hook:\n    type: webhook\n"
        f"    url: http://127.0.0.1:{server.server_port}/alerts\n    secret: s3cret-for-test\n    allow_private: true\n",
        encoding="utf-8")
    scenario = tmp_path / "scenario.jsonl"
    scenario.write_text(json.dumps({"at": EXPLOSION["published_at"], "post": EXPLOSION}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    sink = io.StringIO()
    try:
        assert simulate(scenario, config, sink) > 0  # the drill produced its notifications …
    finally:
        server.shutdown()
    assert hits == []  # … and none of them left the machine


# -- classification ahead of the pipeline (Prefetched, BackgroundClassifier) ---------------------


class Echo:
    """A stand-in classifier whose answer tells which batch (its size) and which process gave it."""

    name = "echo"

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]:
        return [Classification(post_id=p.id, topics=(TopicScore(code=TopicCode.other, score=0.0),), grade=Grade.none,
                               explanation_zh=f"{p.text_norm}|{len(posts)}|{os.getpid()}") for p in posts]


def echo(settings: Settings) -> Echo:
    return Echo()


def broken(settings: Settings) -> Echo:
    raise RuntimeError("no model in this process")


def scenario_posts(count: int) -> list[Post]:
    normaliser = Normaliser(FakeClock(datetime(2026, 11, 20, tzinfo=UTC)))
    posts = [normaliser.from_object({"id": f"p{i}", "source": "weibo", "text": f"第{i}条"}, "test") for i in range(count)]
    assert all(isinstance(p, Post) for p in posts)
    return posts  # type: ignore[return-value]


def test_background_answers_come_from_the_second_process_in_the_same_batches(tmp_path: Path) -> None:
    posts = scenario_posts(40)  # batches of 32 and 8
    background = BackgroundClassifier(Settings(data_dir=tmp_path, config_dir=REPO), echo)
    prefetched = Prefetched(posts, Echo, background)
    try:
        answers = prefetched.classify_batch([posts[35], posts[0]])
    finally:
        prefetched.close()
    texts, sizes, pids = zip(*(a.explanation_zh.split("|") for a in answers), strict=True)
    assert texts == ("第35条", "第0条") and sizes == ("8", "32")
    assert [a.post_id for a in answers] == ["p35", "p0"]
    assert set(pids) != {str(os.getpid())}


def test_a_post_seen_twice_gets_the_answer_of_the_last_batch_holding_it(tmp_path: Path) -> None:
    posts = scenario_posts(40)
    posts[39] = posts[0].model_copy(update={"id": "again"})  # the same text, in the second batch
    prefetched = Prefetched(posts, Echo)
    assert prefetched.classify_batch([posts[0]])[0].explanation_zh.split("|")[1] == "8"


def test_a_failed_background_process_leaves_classification_to_this_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    posts = scenario_posts(3)
    prefetched = Prefetched(posts, Echo, BackgroundClassifier(Settings(data_dir=tmp_path, config_dir=REPO), broken))
    try:
        answer = prefetched.classify_batch([posts[2]])[0]
    finally:
        prefetched.close()
    assert answer.explanation_zh == f"第2条|3|{os.getpid()}"
    assert "no model in this process" in caplog.text


def test_background_classification_gives_the_same_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real model in a second process: the drill's output is the same as classifying here."""
    lines: list[dict[str, object]] = [{"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}]
    for i, text in enumerate(["白沙县一仓库发生火灾，消防正在扑救，暂无人员伤亡", "市民反映青石镇一工地拖欠农民工工资",
                              "新港区化工厂爆炸事故已造成15人死亡，另有3人失联"]):
        lines.append({"at": f"2026-11-20T15:0{i}:00+08:00",
                      "post": {"id": f"b{i}", "source": "news", "text": text, "published_at": "2026-11-20T15:00:00+08:00"}})
    here = run(tmp_path, lines, until="2026-11-21T20:00:00+08:00")
    monkeypatch.setattr(simulate_module, "BACKGROUND_FROM", 0)
    assert run(tmp_path, lines, until="2026-11-21T20:00:00+08:00") == here


def test_lines_commit_in_groups_and_a_restart_alone() -> None:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    steps = [Step(i, at, {"action": "restart"} if i in (3, 4) else {"post": {}}) for i in range(1, 9)]
    groups = [[s.line for s in group] for group in commit_groups(steps, size=2)]
    assert groups == [[1, 2], [3], [4], [5, 6], [7, 8]]


def test_a_clock_that_cannot_fire_stops_the_drill_with_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It stays due, so the drill would wait on it for ever: it stops and names the clock."""
    from sentinel.alerts.engine import ClockEngine

    def unreadable(*_: object) -> None:
        raise RuntimeError("unreadable snapshot")

    monkeypatch.setattr(ClockEngine, "_clock", unreadable)  # read by the tick only
    with pytest.raises(ScenarioError, match="could not fire .*unreadable snapshot"):
        run(tmp_path, [{"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}])


def test_cli_a_rejected_post_line_is_named_and_the_exit_code_says_so(tmp_path: Path) -> None:
    scenario = tmp_path / "s.jsonl"
    lines = [{"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION},
             {"at": "2026-11-20T14:41:00+08:00", "post": {"id": "e1", "source": "weibo", "text": "   "}}]
    scenario.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    env = {"SENTINEL_CONFIG_DIR": str(REPO), "PATH": ""}
    result = subprocess.run([sys.executable, "-m", "sentinel.cli", "simulate", str(scenario), "--until",
                             "2026-11-20T15:00:00+08:00"], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 3, result.stderr  # done, with input rejected
    assert "拒收 第 2 行" in result.stderr and "text is empty" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["kind"] == "opened"  # the drill ran without it


def test_a_gbk_scenario_is_read_and_a_bad_time_names_its_line(tmp_path: Path) -> None:
    from sentinel.simulate import read_scenario

    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes((json.dumps({"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}, ensure_ascii=False) + "\n")
                    .encode("gb18030"))
    assert read_scenario(gbk)[0].body["post"]["text"] == EXPLOSION["text"]
    for at in (None, 5):
        bad = tmp_path / "bad.jsonl"
        bad.write_text(json.dumps({"at": "2026-11-20T14:40:00+08:00", "post": EXPLOSION}) + "\n"
                       + json.dumps({"at": at, "action": "acknowledge", "post_id": "s1"}) + "\n", encoding="utf-8")
        with pytest.raises(ScenarioError, match="bad.jsonl:2:"):
            read_scenario(bad)
