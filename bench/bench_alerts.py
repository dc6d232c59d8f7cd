"""Alert timing: HTTP post → first notification for a serious incident, how late a step fires after
its due time in real time, and `simulate` of many incidents over 30 virtual days.

    .venv/bin/python bench/bench_alerts.py [--latency 50] [--steps 10] [--incidents 10000]

Prints figures and appends them to bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _repo_places() -> frozenset[str]:
    from sentinel.incidents.ownership import Ownership

    return frozenset(Ownership.load(REPO / "alerts" / "units.yaml").local_words)


REPO_PLACES = _repo_places()
TOKEN = "bench-alerts"  # noqa: S105 - a throwaway token for a local test server
# Distinct place names, so every post is its own incident (grouping compares words).
# No 柏: random names must not spell a foreign place (柏林), which makes a post a non-event.
CHARS = "东南西北上下前后左右金银铜铁山水石木林森河湖海江溪泉峰岭坡岗桥湾港洲岛田园村庄屯堡寨坊杨柳松梅兰竹菊青红白黄"
EVENTS = ["化工厂发生爆炸，已造成{n}人死亡", "煤矿发生透水事故，{n}人被困井下", "一辆客车坠桥，已致{n}人遇难",
          "居民楼发生火灾，{n}人死亡", "山体滑坡掩埋民房，{n}人失联"]
COMPLAINTS = ["{where}{town}一工地拖欠农民工工资，要求尽快解决", "{where}{town}小区夜间施工噪音扰民，多次反映无果",
              "{where}{town}养殖场污水直排河道，气味难闻", "{where}{town}自来水停水三天没有通知，居民生活困难",
              "{where}{town}物业擅自涨价还停电梯", "{where}{town}一家餐馆后厨卫生脏乱，吃完腹泻",
              "{where}{town}的道路坑洼积水多年没人修", "{where}{town}公交线路被取消，老人出行不便",
              "{where}{town}学校违规收取补课费，家长不满", "{where}{town}一家培训机构跑路，预付学费退不回来"]


def place(rng: random.Random) -> str:
    """A random town name that spells none of the repository's own places (河西, 青石 …): such a
    post would be about two units at once, and join another county's incident."""
    while True:
        name = "".join(rng.choice(CHARS) for _ in range(4)) + rng.choice(["镇", "乡", "村", "街道"])
        if not any(word in name for word in REPO_PLACES):
            return name


def serious_post(rng: random.Random, i: int, published: datetime, where: str | None = None) -> dict[str, object]:
    text = f"{where or place(rng)}{place(rng)}" + rng.choice(EVENTS).format(n=10 + i % 15)
    post: dict[str, object] = {"id": f"bench-{i}", "source": "news", "text": text, "published_at": published.isoformat()}
    if where:
        post["region"] = where
    return post


def start_server(data_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SENTINEL_DATA_DIR": data_dir, "SENTINEL_API_TOKEN": TOKEN, "SENTINEL_CONFIG_DIR": str(REPO),
           "SENTINEL_LATE_GRACE_SECONDS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "sentinel.cli", "run", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def wait_incident(client: httpx.Client, post_id: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        incident = client.get(f"/api/v1/posts/{post_id}").json().get("incident_id")
        if incident:
            return str(incident)
        time.sleep(0.002)
    raise SystemExit(f"post {post_id} opened no incident within {timeout:g} s")


def bench_latency(count: int, steps: int) -> dict[str, float]:
    rng = random.Random(7)
    latencies, lateness = [], []
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(tmp)
        try:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10) as client:
                for i in range(count):
                    post = serious_post(rng, i, datetime.now(UTC))
                    start = time.perf_counter()
                    client.post("/api/v1/posts", json=post).raise_for_status()
                    incident = wait_incident(client, str(post["id"]))
                    while not client.get(f"/api/v1/incidents/{incident}").json()["notifications"]:
                        time.sleep(0.002)
                    latencies.append((time.perf_counter() - start) * 1000)
                    client.post(f"/api/v1/incidents/{incident}/actions", json={"action": "close", "actor": "bench"})
                for i in range(steps):
                    # Its 5-hour release deadline falls 2 s from now: how late does the breach fire?
                    due = datetime.now(UTC) + timedelta(seconds=2)
                    post = serious_post(rng, 10_000 + i, due - timedelta(hours=5))
                    client.post("/api/v1/posts", json=post).raise_for_status()
                    incident = wait_incident(client, str(post["id"]))
                    while True:
                        notes = [n["notification"] for n in client.get(f"/api/v1/incidents/{incident}").json()["notifications"]]
                        breach = [n for n in notes if n["kind"] == "breach" and n["window"] == "release"]
                        if breach:
                            fired = datetime.fromisoformat(breach[0]["fired_at"])
                            lateness.append((fired - datetime.fromisoformat(breach[0]["at"])).total_seconds() * 1000)
                            break
                        time.sleep(0.01)
                    client.post(f"/api/v1/incidents/{incident}/actions", json={"action": "close", "actor": "bench"})
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    latencies.sort()
    return {
        "post_to_first_notification_p50_ms": round(statistics.median(latencies), 1),
        "post_to_first_notification_p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1),
        "step_lateness_median_ms": round(statistics.median(lateness), 1) if lateness else None,
        "step_lateness_max_ms": round(max(lateness), 1) if lateness else None,
        "samples": count, "step_samples": steps,
    }


def bench_config(tmp: Path, places: list[str]) -> Path:
    """The repository's configuration for a big jurisdiction: every bench place is a county of its own.

    Grouping joins posts of one place, kind of event and time (that is its job), so 10,000 template
    posts about a handful of places would be a few incidents. A province with many counties is
    what 10,000 incidents in a month looks like."""
    import yaml

    config = tmp / "config"
    (config / "alerts").mkdir(parents=True)
    for name in ("classify", "ingest"):
        (config / name).symlink_to(REPO / name)
    for item in (REPO / "alerts").iterdir():
        if item.name != "units.yaml":
            (config / "alerts" / item.name).symlink_to(item)
    units = yaml.safe_load((REPO / "alerts" / "units.yaml").read_text(encoding="utf-8"))
    units["units"] += [{"id": f"bench{i}", "name": f"{p}网信办", "level": "county", "parent": "qingjiang",
                        "regions": [p]} for i, p in enumerate(places)]
    (config / "alerts" / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    return config


def scenario_lines(rng: random.Random, i: int, at: datetime, where: str, template: str) -> list[dict[str, object]]:
    """One incident's lines: its post, then what the duty staff did about it, some of it late.

    A third are serious (release due in 5 h, press conference in 24 h, then 持续发布 every 6 h
    until closed); the rest are complaints that staff mark as needing a response (48 h). Each gets
    its own kind of event and town, so that it opens an incident of its own and its clocks run.
    Most are acknowledged within the hour (one in ten is not, and its escalation repeats); one in
    ten is never released or answered, and breaches."""
    town = place(rng)
    if template in EVENTS:
        post = {"id": f"bench-{i}", "source": "news", "published_at": at.isoformat(), "region": where,
                "text": f"{where}{town}" + template.format(n=10 + i % 15)}
        acts = [("record_release", rng.uniform(1, 6)), ("record_press_conference", rng.uniform(12, 30))]
    else:
        post = {"id": f"bench-{i}", "source": "hotline", "published_at": at.isoformat(), "region": where,
                "text": "市民反映" + template.format(where=where, town=town)}
        acts = [("mark_needs_response", 0.2), ("record_response", rng.uniform(2, 60))]
    if rng.random() < 0.1:
        del acts[0 if template in EVENTS else 1]  # never released, or never answered
    if rng.random() < 0.9:
        acts.append(("acknowledge", rng.uniform(0.25, 1)))
    acts.append(("close", rng.uniform(72, 120)))
    lines: list[dict[str, object]] = [{"at": at.isoformat(), "post": post}]
    lines += [{"at": (at + timedelta(hours=hours)).isoformat(), "action": action, "post_id": post["id"]}
              for action, hours in sorted(acts, key=lambda act: act[1])]
    return lines


def incident_plan(rng: random.Random, times: list[datetime], places: list[str]) -> Iterator[tuple[datetime, str, str]]:
    """Time, county and kind of each incident: a third serious, the rest complaints.

    Two reports of the same kind of event in one county within days are one incident (grouping
    joins them: the random town names are no place it knows), and so may be two complaints on one
    topic; the scenario's staff would then close that incident twice, which the drill refuses.
    So a county has one serious incident of each kind and one complaint a week at most."""
    last: dict[tuple[str, str], datetime] = {}
    for i, at in enumerate(times):
        templates = EVENTS if i % 3 == 0 else COMPLAINTS
        while True:
            where, template = rng.choice(places), rng.choice(templates)
            kind = "complaint" if template in COMPLAINTS else template
            if at - last.get((where, kind), at - timedelta(days=8)) > timedelta(days=7):
                break
        last[where, kind] = at
        yield at, where, template


def bench_simulate(incidents: int) -> dict[str, object]:
    from sentinel.classify.model.onnx_forward import GraphCache
    from sentinel.simulate import DrillSummary, simulate

    # The drill's classifier process starts faster from a graph cached by an earlier start
    # (onnx_forward.GraphCache): say which start this run had.
    cache = GraphCache.default(REPO / "classify" / "model")
    cached = cache is not None and cache.path.exists()
    rng = random.Random(11)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    span = timedelta(days=30)
    places = sorted({place(rng) for _ in range(max(10, incidents // 4))})
    with tempfile.TemporaryDirectory() as tmp:
        config = bench_config(Path(tmp), places)
        path = Path(tmp) / "scenario.jsonl"
        times = sorted(start + span * rng.random() for _ in range(incidents))
        lines: list[dict[str, object]] = []
        serious: set[str] = set()
        for i, (at, where, template) in enumerate(incident_plan(rng, times, places)):
            lines += scenario_lines(rng, i, at, where, template)
            if template in EVENTS:
                serious.add(f"bench-{i}")
        lines = [line for line in lines if datetime.fromisoformat(str(line["at"])) < start + span]
        # Owed a notification within the drill: every serious report, and every complaint whose staff
        # marking (12 minutes after it) falls inside the 30 days. A complaint the classifier grades 一般 by
        # itself is notified without the marking, so `incidents_notified` may exceed this.
        owed = sum(1 for line in lines if line.get("action") == "mark_needs_response"
                   or (isinstance(post := line.get("post"), dict) and post.get("id") in serious))
        lines.sort(key=lambda line: datetime.fromisoformat(str(line["at"])))  # stable: a post before its actions
        path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        sink = io.StringIO()
        summaries: list[DrillSummary] = []
        began = time.perf_counter()
        events = simulate(path, config, sink, start + span, on_summary=summaries.append)
        elapsed = time.perf_counter() - began
    opened = {json.loads(line)["incident"] for line in sink.getvalue().splitlines()}
    return {"posts": incidents, "lines": len(lines), "places": len(places), "virtual_days": 30, "seconds": round(elapsed, 1),
            "events_out": events, "incidents_owed": owed, "incidents_notified": len(opened), "model_graph_cached": cached,
            "store": dataclasses.asdict(summaries[0])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--incidents", type=int, default=10_000)
    args = parser.parse_args()
    result: dict[str, object] = {"bench": "alerts", "date": datetime.now(UTC).isoformat(timespec="seconds"),
                                 "machine": f"{platform.machine()} {os.cpu_count()} cores"}
    if args.latency or args.steps:
        result["latency"] = bench_latency(args.latency, args.steps)
        print(json.dumps(result["latency"]))
    if args.incidents:
        result["simulate"] = bench_simulate(args.incidents)
        print(json.dumps(result["simulate"]))
    with (REPO / "bench" / "results.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
