"""Grouping merges two incidents it finds to be one event, through the real pipeline and store: as
staff would merge them (clocks from the earlier start, audited), never one staff grouped by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.support import REPO

from sentinel.api.app import create_app
from sentinel.domain.timeutil import FakeClock
from sentinel.incidents.actions import IncidentActions
from sentinel.settings import Settings
from sentinel.wiring import Services, build_services

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
WITNESS = "吓死了，新港这边砰的一声巨响，窗户玻璃都震碎了，东边天上全是黑烟"
REPORT = ("新港区临港化工园区宏润化工有限公司发生爆炸", "11月20日9时许，新港区临港化工园区宏润化工有限公司发生爆炸，已致12人死亡，救援正在进行。")
TIE = "新港宏润化工爆炸了？我家窗户玻璃都震碎了，东边黑烟好大"


def feed(services: Services, clock: FakeClock, post_id: str, text: str, minutes: int,
         source: str = "weibo", title: str | None = None) -> str | None:
    clock.set(T0 + timedelta(minutes=minutes))
    body = {"id": post_id, "source": source, "text": text, "published_at": clock.now().isoformat(),
            **({"title": title} if title else {})}
    services.ingest.ingest_objects([body], "test")
    services.pipeline.drain()
    return services.store.incident_of_post(post_id)


def test_a_witness_incident_and_the_report_incident_merge_once_a_post_ties_them(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    services = build_services(Settings(data_dir=tmp_path, config_dir=REPO), clock)
    store = services.store
    witness = feed(services, clock, "w1", WITNESS, 0)
    report = feed(services, clock, "n1", REPORT[1], 50, source="news", title=REPORT[0])
    assert witness and report and witness != report  # nothing in common yet: two incidents

    feed(services, clock, "w2", TIE, 60)
    held = {store.incident_of_post(p) for p in ("w1", "n1", "w2")}
    assert len(held) == 1
    survivor = held.pop()
    absorbed = report if survivor == witness else witness
    gone = store.get_incident(str(absorbed))
    assert gone is not None and gone.merged_into == survivor and gone.status.value == "closed"
    merged = store.get_incident(str(survivor))
    assert merged is not None and merged.grade.value == "serious"
    assert merged.title == REPORT[0]  # the 通报's title, not the witness's 吓死了
    assert merged.first_seen == T0  # the law counts from the event: the witness's post
    audit = [e for e in store.list_audit(str(survivor)) if e.action == "merge"]
    assert [(e.actor, e.details["merged"], e.details["by"]) for e in audit] == [("system", absorbed, "grouping")]
    clocks = {c.window: c for c in store.clocks_for(str(survivor)) if c.status.value == "running"}
    assert clocks["release"].started_at == T0 and clocks["release"].due_at == T0 + timedelta(hours=5)
    with TestClient(create_app(services)) as client:  # the console's 处置记录 says who merged what, and why
        page = client.get(f"/incidents/{survivor}").text
        assert f"<td>系统</td><td>合并事件</td><td>并入 {absorbed}；系统判定为同一事件，自动合并</td>" in page
    store.close()


def test_grouping_never_merges_an_incident_staff_split(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    services = build_services(Settings(data_dir=tmp_path, config_dir=REPO), clock)
    store = services.store
    witness = feed(services, clock, "w1", WITNESS, 0)
    feed(services, clock, "w2", "砰的一声，窗户玻璃都震碎了，东边黑烟", 5)
    assert store.incident_of_post("w2") == witness
    IncidentActions(store, services.engine, services.ownership, clock).apply(str(witness), "split", "张伟",
                                                                             post_ids=["w2"])
    part = store.incident_of_post("w2")
    assert part not in (None, witness)
    feed(services, clock, "w3", TIE, 10)  # ties both to each other, as above; staff said they differ
    assert store.incident_of_post("w2") == part and store.incident_of_post("w1") == witness
    assert not [e for e in store.list_audit(str(witness)) if e.action == "merge"]
    store.close()


def test_an_incident_staff_closed_while_the_stage_runs_is_not_merged_and_nothing_fails(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The stage's grouper still holds the report's incident staff have just closed (run_once rereads
    staff changes first; process alone does not): the merge into it is refused, the closed incident
    is forgotten, and the witness's incident stays open to later posts."""
    clock = FakeClock(T0)
    services = build_services(Settings(data_dir=tmp_path, config_dir=REPO), clock)
    stage, store = services.pipeline.incidents, services.store
    witness = feed(services, clock, "w1", WITNESS, 0)
    report = feed(services, clock, "n1", REPORT[1], 50, source="news", title=REPORT[0])
    for n, minutes in ((2, 52), (3, 54)):  # the report's incident is the larger: the one merged into
        assert feed(services, clock, f"n{n}", "【通报】" + REPORT[1], minutes, source="gov_site", title=REPORT[0]) == report
    assert witness and report and witness != report
    IncidentActions(store, services.engine, services.ownership, clock).apply(str(report), "close", "张伟")
    clock.set(T0 + timedelta(minutes=60))
    services.ingest.ingest_objects([{"id": "w2", "source": "weibo", "text": TIE, "published_at": clock.now().isoformat()}],
                                   "test")
    services.pipeline.classify.run_once()
    post, classification = store.classified_after(store.cursor("incidents"), 10)[0]
    with store.tx() as conn:  # as run_once would, had the close landed after it read the changes
        held = stage.process(conn, post, classification)
    assert held == store.incident_of_post("w2") and held != report
    assert "grouping could not merge" in caplog.text
    closed = store.get_incident(str(report))
    assert closed is not None and closed.merged_into is None and closed.status.value == "closed"
    assert report not in stage.grouper.profiles and held in stage.grouper.profiles
    store.close()
