"""Staff actions through the API: each is applied, audited with who and when, and drives clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.support import Running

pytestmark = pytest.mark.integration


def post(client, post_id: str, text: str, minutes_ago: int = 10) -> str:  # type: ignore[no-untyped-def]
    body = {"id": post_id, "source": "news", "text": text,
            "published_at": (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()}
    assert client.post("/api/v1/posts", json=body).status_code == 202
    return post_id


def incident_of(server: Running, client, post_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(server.wait_for(lambda: client.get(f"/api/v1/posts/{post_id}").json()["incident_id"]))


def act(client, incident: str, **body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/incidents/{incident}/actions", json={"actor": "张伟", **body})


def test_release_press_conference_and_close_are_audited(server: Running) -> None:
    with server.client() as client:
        inc = incident_of(server, client, post(client, "a1", "新港区化工园区一化工厂发生爆炸，已造成12人死亡"))
        assert act(client, inc, action="acknowledge").json()["status"] == "acknowledged"
        released = act(client, inc, action="record_release", url="https://www.qingjiang.gov.cn/tb/1", channel="政务微博")
        assert released.status_code == 200 and released.json()["status"] == "released"
        assert act(client, inc, action="record_press_conference").json()["status"] == "press_conference_held"
        detail = client.get(f"/api/v1/incidents/{inc}").json()
        clocks = {c["clock"]["window"]: c["clock"] for c in detail["clocks"]}
        assert clocks["release"]["status"] == "fulfilled" and clocks["press_conference"]["status"] == "fulfilled"
        assert clocks["continued_release"]["status"] == "running"  # 持续发布 after the first release
        assert act(client, inc, action="close", note="处置完毕").json()["status"] == "closed"
        detail = client.get(f"/api/v1/incidents/{inc}").json()
        assert {c["clock"]["status"] for c in detail["clocks"]} <= {"fulfilled", "cancelled"}
        audit = [(e["actor"], e["action"]) for e in detail["audit"] if not e["action"].startswith("clock_")]
        assert audit == [("system", "incident_opened"), ("张伟", "acknowledge"), ("张伟", "record_release"), ("张伟", "record_press_conference"),
                         ("张伟", "close")]
        assert ("张伟", "clock_cancelled") in [(e["actor"], e["action"]) for e in detail["audit"]]  # by closing
        release = next(e for e in detail["audit"] if e["action"] == "record_release")
        assert release["details"]["url"] == "https://www.qingjiang.gov.cn/tb/1" and release["details"]["channel"] == "政务微博"
        page = client.get(f"/incidents/{inc}").text  # the console's 处置记录: who released what, when
        assert "处置记录" in page and "发布权威信息" in page and "https://www.qingjiang.gov.cn/tb/1；政务微博" in page
        assert "<td>张伟</td><td>召开新闻发布会</td>" in page and "<td>新闻网站</td>" in page
        assert client.get("/incidents/INC-nope").status_code == 404


def test_set_grade_and_occurrence_time_move_clocks(server: Running) -> None:
    with server.client() as client:
        inc = incident_of(server, client, post(client, "b1", "白沙县一仓库发生火灾，消防正在扑救，暂无人员伤亡"))
        upgraded = act(client, inc, action="set_grade", grade="serious", reason="现场核实")
        assert upgraded.json()["grade"] == "serious" and upgraded.json()["grade_source"] == "staff"
        clocks = {c["clock"]["window"]: c["clock"] for c in client.get(f"/api/v1/incidents/{inc}").json()["clocks"]}
        assert clocks["release"]["status"] == "running" and clocks["response"]["status"] == "cancelled"
        earlier = datetime.now(UTC) - timedelta(hours=2)
        assert act(client, inc, action="set_occurrence_time", at=earlier.isoformat()).status_code == 200
        clocks = {c["clock"]["window"]: c for c in client.get(f"/api/v1/incidents/{inc}").json()["clocks"]}
        assert clocks["release"]["remaining_seconds"] < 3 * 3600 + 5  # counted from the occurrence, not ingestion


def test_bad_actions_are_refused_without_changes(server: Running) -> None:
    with server.client() as client:
        inc = incident_of(server, client, post(client, "c1", "青石县柳林镇煤矿透水，9人被困"))
        assert act(client, "INC-nope", action="acknowledge").status_code == 404
        assert act(client, inc, action="fly").status_code == 422
        future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        assert act(client, inc, action="set_occurrence_time", at=future).status_code == 422
        assert act(client, inc, action="assign_unit", unit="atlantis").status_code == 422
        assert client.post(f"/api/v1/incidents/{inc}/actions", json={"action": "acknowledge"}).status_code == 422  # no actor
    with server.client(token="bad") as client:
        assert act(client, inc, action="acknowledge").status_code == 401


def test_merge_and_split(server: Running) -> None:
    with server.client() as client:
        first = incident_of(server, client, post(client, "m1", "梅岭县双河乡一工地拖欠农民工工资三个月，工人聚集讨薪"))
        second = incident_of(server, client, post(client, "m2", "河西区一商场发生火灾，3人受伤送医，消防正在扑救"))
        assert first != second
        merged = act(client, first, action="merge", other=second)
        assert merged.status_code == 200
        assert client.get("/api/v1/posts/m2").json()["incident_id"] == first
        assert client.get(f"/api/v1/incidents/{second}").json()["incident"]["status"] == "closed"
        husk = client.get(f"/incidents/{second}").text  # the console points staff at the surviving incident
        assert f"已并入 <a href='/incidents/{first}'>" in husk
        assert second not in client.get("/").text  # the overview lists the surviving incident only
        split = act(client, first, action="split", post_ids=["m2"])
        assert split.status_code == 200
        moved = client.get("/api/v1/posts/m2").json()["incident_id"]
        assert moved not in (first, second) and moved.startswith(first)


def test_closed_incident_stops_collecting_posts_and_a_reopened_one_collects_again(server: Running) -> None:
    with server.client() as client:
        first = incident_of(server, client, post(client, "z1", "青石县柳林镇兴旺煤矿发生透水事故，12名矿工被困井下"))
        assert act(client, first, action="close").status_code == 200
        assert act(client, first, action="reopen").status_code == 200
        follow_up = incident_of(server, client, post(client, "z2", "青石县柳林镇兴旺煤矿透水事故救援正在进行，12名矿工仍被困井下"))
        assert follow_up == first
        assert act(client, first, action="close").status_code == 200
        again = incident_of(server, client, post(client, "z3", "青石县柳林镇兴旺煤矿发生透水事故，12名矿工被困井下，救援正在进行"))
        assert again != first


def test_after_a_merge_or_split_new_posts_follow_the_staff_decision(server: Running) -> None:
    """Grouping learns the staff's merge and split: the incident's profile is rebuilt from the posts
    it holds, so a follow-up joins the merged incident, and later the split-off part."""
    with server.client() as client:
        wages = incident_of(server, client, post(client, "r1", "梅岭县双河乡一工地拖欠农民工工资三个月，工人聚集讨薪", 30))
        fire = incident_of(server, client, post(client, "r2", "河西区锦华商场发生火灾，3人受伤送医，消防正在扑救", 25))
        assert wages != fire
        assert act(client, wages, action="merge", other=fire).status_code == 200
        follow_up = incident_of(server, client, post(client, "r3", "河西区锦华商场火灾最新：3名伤者已无生命危险，起火原因正在调查", 20))
        assert follow_up == wages  # the merged incident now carries the fire's words and district

        assert act(client, wages, action="split", post_ids=["r2", "r3"]).status_code == 200
        part = client.get("/api/v1/posts/r2").json()["incident_id"]
        assert part != wages
        later = incident_of(server, client, post(client, "r4", "河西区锦华商场火灾调查结果公布，起火原因系电气线路老化", 15))
        assert later == part  # the split-off fire, not the wage dispute it was merged into


def test_an_incident_closed_while_the_stage_runs_takes_no_more_posts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The stage's grouper still holds an incident staff have closed (run_once rereads the staff's
    changes first; process alone does not): the post that would have joined opens its own."""
    from tests.support import REPO

    from sentinel.domain.timeutil import FakeClock
    from sentinel.incidents.actions import IncidentActions
    from sentinel.settings import Settings
    from sentinel.wiring import build_services

    clock = FakeClock(datetime(2026, 11, 20, 6, 0, tzinfo=UTC))
    services = build_services(Settings(data_dir=tmp_path, config_dir=REPO), clock)
    stage, store = services.pipeline.incidents, services.store
    text = "青石县柳林镇兴旺煤矿发生透水事故，12名矿工被困井下"
    for post_id, extra in (("c1", ""), ("c2", "，救援正在进行")):
        body = {"id": post_id, "source": "news", "text": text + extra, "published_at": clock.now().isoformat()}
        services.ingest.ingest_objects([body], "test")
        services.pipeline.classify.run_once()
        if post_id == "c1":
            stage.run_once()
            first = store.incident_of_post("c1")
            IncidentActions(store, services.engine, services.ownership, clock).apply(str(first), "close", "张伟")
    post, classification = store.classified_after(store.cursor("incidents"), 10)[0]
    with store.tx() as conn:  # as run_once would, had the close landed after it read the changes
        stage.process(conn, post, classification)
    assert store.incident_of_post("c2") not in (None, first)
    store.close()
