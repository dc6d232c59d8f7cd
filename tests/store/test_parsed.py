"""The store hands out the model it wrote (or last parsed) for a body read back: equal to a fresh parse."""

from __future__ import annotations

from datetime import timedelta

from sentinel.domain.alerting import EventKind, Notification, ResponseClock, WindowKind
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.incident import Incident
from sentinel.domain.timeutil import FakeClock
from sentinel.store.parsed import ParsedBodies
from sentinel.store.sqlite import SQLiteStore


def test_a_row_read_back_is_the_model_written_and_equals_its_parse(store: SQLiteStore, clock: FakeClock) -> None:
    now = clock.now()
    incident = Incident(id="INC-1", title="新港区化工园区爆炸", topics=(TopicCode.work_safety,), grade=Grade.serious,
                        first_seen=now, last_seen=now)
    response = ResponseClock(id="INC-1:release", incident_id="INC-1", window=WindowKind.release, started_at=now,
                             due_at=now + timedelta(hours=5), next_fire_at=now + timedelta(minutes=15))
    notification = Notification(dedup_key="INC-1:release:opened", kind=EventKind.opened, incident_id="INC-1",
                                incident_title=incident.title, at=now, fired_at=now, title_zh="开始计时", body_zh="事件")
    with store.tx() as conn:
        store.save_incident(conn, incident)
        store.save_clock(conn, response)
        store.enqueue_notification(conn, notification)
    read = (store.get_incident("INC-1"), store.clocks_for("INC-1")[0], store.pending_notifications()[0])
    assert read[0] is incident and read[1] is response and read[2] is notification
    bodies = [r[0] for r in (store.read().execute(f"SELECT body FROM {t}").fetchone()  # noqa: S608 - fixed names
                             for t in ("incidents", "clocks", "notifications"))]
    assert [Incident.model_validate_json(bodies[0]), ResponseClock.model_validate_json(bodies[1]),
            Notification.model_validate_json(bodies[2])] == list(read)


def test_only_the_last_bodies_are_kept_and_others_are_parsed(clock: FakeClock) -> None:
    bodies = ParsedBodies(Incident, size=2)
    written = [Incident(id=f"INC-{i}", title="火灾", topics=(TopicCode.work_safety,), grade=Grade.general,
                        first_seen=clock.now(), last_seen=clock.now()) for i in range(3)]
    for incident in written:
        bodies.remember(incident.model_dump_json(), incident)
    assert bodies.parse(written[2].model_dump_json()) is written[2]
    assert bodies.parse(written[1].model_dump_json()) is written[1]
    first = bodies.parse(written[0].model_dump_json())  # gone: parsed again
    assert first == written[0] and first is not written[0]
