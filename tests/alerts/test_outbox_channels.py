"""The outbox sending through the configured channels (alerts/channels.yaml, as the runtime builds
them) to real HTTP receivers: a retry sends only what was not delivered yet, also after a restart;
a failed broadcast channel keeps the row pending; a recipient nobody can reach closes the row with
an entry in the failure list instead of re-posting to the duty group forever."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.alerts.test_notifiers_support import (
    Receiver,
    Reply,
    Seen,
    receiver_fixture,  # noqa: F401 - the `receiver` fixture
)
from tests.support import free_port

from sentinel.alerts.outbox import OutboxDispatcher, OutboxLog, list_delivery_failures
from sentinel.domain.alerting import EventKind, Notification, Recipient
from sentinel.domain.timeutil import FakeClock
from sentinel.store.sqlite import SQLiteStore
from sentinel.wiring import build_sender

pytestmark = pytest.mark.integration


def channels(tmp_path: Path, receiver: Receiver, broadcast: str) -> Path:
    path = tmp_path / "channels.yaml"
    path.write_text(f"""
default_chain: [group]
broadcast: [{broadcast}]
retry: {{max_attempts: 1}}
channels:
  console: {{type: console}}
  group: {{type: wecom, url: "{receiver.url('/group?key=group-robot-key')}", allow_private: true}}
  leaders: {{type: wecom, url: "{receiver.url('/leaders?key=leaders-robot-key')}", allow_private: true}}
  mail: {{type: email, host: 127.0.0.1, port: {free_port()}, sender: duty@example.gov.cn, starttls: false}}
""", encoding="utf-8")
    return path


def outbox(path: Path, store: SQLiteStore, clock: FakeClock, ticks: list[float]) -> OutboxDispatcher:
    """What build_services wires up; a second call is the same process after a restart."""
    sender = build_sender(path, clock, OutboxLog(store, clock))
    return OutboxDispatcher(store, clock, sender, monotonic=lambda: ticks[0])


def alert(clock: FakeClock, *recipients: Recipient) -> Notification:
    item = Notification(
        dedup_key="inc-1:release:opened", kind=EventKind.opened, incident_id="inc-1",
        incident_title="新港区化工园区爆炸", at=clock.now(), title_zh="【重大】新港区化工园区爆炸",
        body_zh="网民反映化工园区发生爆炸。", recipients=recipients,
    )
    return item


def enqueue(store: SQLiteStore, item: Notification) -> None:
    with store.tx() as conn:
        store.enqueue_notification(conn, item)


def paths(receiver: Receiver) -> list[str]:
    return [seen.path for seen in receiver.seen]


def test_an_unreachable_recipient_closes_the_row_without_re_posting_to_the_group(
    tmp_path: Path, receiver: Receiver, store: SQLiteStore, clock: FakeClock
) -> None:
    ticks = [0.0]
    dispatcher = outbox(channels(tmp_path, receiver, "console"), store, clock, ticks)
    officer = Recipient(name="值班员", role="duty_officer")
    head = Recipient(name="王五", role="office_head", channels=("mail",))  # no e-mail address configured
    enqueue(store, alert(clock, officer, head))
    for _ in range(10):  # ten minutes of outbox passes
        dispatcher.run_once()
        ticks[0] += 61
    assert paths(receiver) == ["/group"]  # the duty group got it once
    assert store.pending_notifications() == []
    [(_, closed_at, error)] = store.list_notifications()
    assert closed_at is not None and error is not None and "王五" in error and "无联系方式" in error
    failures = list_delivery_failures(store, open_only=True)
    assert {(f.recipient, f.channel) for f in failures} == {("王五", ""), ("", "")}
    assert all(f.permanent for f in failures)


def test_a_failed_broadcast_is_retried_alone_also_after_a_restart(
    tmp_path: Path, receiver: Receiver, store: SQLiteStore, clock: FakeClock
) -> None:
    down = [True]

    def leaders_robot(seen: Seen) -> Reply | None:
        return Reply(status=503) if seen.path == "/leaders" and down[0] else None

    receiver.verify = leaders_robot
    path, ticks = channels(tmp_path, receiver, "leaders"), [0.0]
    enqueue(store, alert(clock, Recipient(name="值班员", role="duty_officer")))
    assert outbox(path, store, clock, ticks).run_once() == 0  # the leaders' robot is down
    assert paths(receiver) == ["/leaders", "/group"]  # broadcast first
    assert len(store.pending_notifications()) == 1
    [failure] = list_delivery_failures(store)
    assert (failure.recipient, failure.channel, failure.http_status) == ("*", "leaders", 503)
    assert not failure.permanent and failure.resolved_at is None

    down[0] = False
    restarted = outbox(path, store, clock, ticks)  # a restart: only the store is left
    assert restarted.run_once() == 1
    assert paths(receiver) == ["/leaders", "/group", "/leaders"]  # the group robot was not posted again
    assert store.pending_notifications() == []
    assert list_delivery_failures(store, open_only=True) == []
    assert list_delivery_failures(store)[0].resolved_at is not None  # history, no longer an open problem
