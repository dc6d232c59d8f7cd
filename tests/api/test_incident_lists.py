"""Incident lists (console overview, `sentinel incidents`, the API): an incident with a running or
overdue deadline is always listed, however many newer incidents arrived since; filters refuse
values that are no status or grade instead of answering "nothing"."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sentinel.api.app import create_app
from sentinel.api.console import overview
from sentinel.cli import app as cli
from sentinel.domain.alerting import ClockStatus
from sentinel.domain.codes import Grade
from sentinel.settings import Settings
from sentinel.wiring import build_services
from tests.support import REPO


def test_an_overdue_incident_stays_listed_behind_sixty_newer_ones(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = build_services(Settings(data_dir=tmp_path, config_dir=REPO, sqlite_synchronous="NORMAL"))
    hours_ago = (datetime.now(UTC) - timedelta(hours=7)).isoformat()
    services.ingest.ingest_objects([{"id": "mine", "source": "news", "published_at": hours_ago,
                                     "text": "青石县柳林镇兴旺煤矿发生透水事故，12名矿工被困井下"}], "test")
    services.pipeline.drain()
    mine = services.store.get_incident(str(services.store.get_post("mine").incident_id))  # type: ignore[union-attr]
    assert mine is not None and mine.grade is Grade.serious
    with services.store.tx() as conn:  # sixty newer incidents without deadlines, written directly
        for i in range(60):
            later = datetime.now(UTC) - timedelta(minutes=i)
            other = mine.model_copy(update={"id": f"INC-quiet-{i:02d}", "title": f"平静事件{i}", "grade": Grade.none,
                                            "last_seen": later, "first_seen": later})
            services.store.save_incident(conn, other)
    page = overview(services)
    assert mine.id in page and "已超时" in page
    monkeypatch.setenv("SENTINEL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SENTINEL_CONFIG_DIR", str(REPO))
    listed = CliRunner().invoke(cli, ["incidents", "--json", "--limit", "5"])
    assert listed.exit_code == 0, listed.output
    ids = [json.loads(line)["id"] for line in listed.stdout.splitlines()]
    assert ids[0] == mine.id and len(ids) == 5
    typo = CliRunner().invoke(cli, ["incidents", "--status", "open"])
    assert typo.exit_code == 2
    client = TestClient(create_app(services))
    assert client.get("/api/v1/incidents", params={"status": "open"}).status_code == 422
    assert client.get("/api/v1/incidents", params={"grade": "serious"}).json()["total"] == 1
    # clocks: open ones first, paged; three finished clocks due earlier wait behind them
    done = services.store.clocks_for(mine.id)[0]
    with services.store.tx() as conn:
        for i in range(3):
            services.store.save_clock(conn, done.model_copy(update={
                "id": f"{done.id}-old{i}", "incident_id": "INC-quiet-00", "status": ClockStatus.fulfilled,
                "due_at": done.due_at - timedelta(days=1 + i)}))
    first, second = (client.get("/api/v1/clocks", params={"limit": 1, "offset": i}).json() for i in (0, 1))
    assert len(first) == len(second) == 1 and first[0]["clock"]["id"] != second[0]["clock"]["id"]
    assert {first[0]["clock"]["status"], second[0]["clock"]["status"]} <= {"running", "breached"}
    services.store.close()
