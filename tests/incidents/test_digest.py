"""A news roundup (【天气】…【要闻】…【民生】…) that joins one of the events it lists lends that incident
neither the other events' toll nor its own title: the demo's morning digest made the 3-death
幸福里 fire a 重大 incident, in breach of its 5-hour release at once, with the explosion's 7 dead."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.support import REPO

from sentinel.domain.codes import Grade
from sentinel.domain.timeutil import FakeClock
from sentinel.incidents.stage import is_digest
from sentinel.settings import Settings
from sentinel.wiring import build_services


def demo_posts() -> list[dict[str, object]]:
    posts = []
    for line in (REPO / "ingest" / "samples" / "demo.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue  # the demo stream carries bad lines on purpose
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            posts.append(item)
    return posts


def test_a_digest_joining_an_incident_does_not_regrade_or_retitle_it(tmp_path: Path) -> None:
    clock = FakeClock(datetime.fromisoformat("2026-11-21T08:00:00+08:00"))
    services = build_services(Settings(data_dir=tmp_path, config_dir=REPO, sqlite_synchronous="NORMAL"), clock)
    posts = demo_posts()
    fire = [p for p in posts if "幸福里" in str(p["text"]) and "死亡" in str(p["text"])][:3]
    digest = next(p for p in posts if p.get("id") == "wx-76QJSwVdFXLHar")
    assert is_digest(str(digest["text"])) and not any(is_digest(str(p["text"])) for p in fire)
    services.ingest.ingest_objects(fire, "test")
    services.pipeline.drain()
    services.ingest.ingest_objects([digest], "test")
    services.pipeline.drain()
    joined = services.store.get_post("wx-76QJSwVdFXLHar")
    assert joined is not None and joined.incident_id is not None
    incident = services.store.get_incident(joined.incident_id)
    assert incident is not None and incident.heat.posts == 4  # it joined the fire …
    assert incident.grade is Grade.relatively_serious and "幸福里" in incident.title  # … and changed neither
    services.store.close()
