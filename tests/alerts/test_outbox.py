"""The outbox against the real SQLite store, with a failing channel injected as the sender: a
channel that keeps failing backs off per row, and a new notification (a fresh 重大 alert) is still
sent at once; nothing undelivered is ever dropped, and a failure that cannot be cured (or is still
failing after `max_age`) closes the row with an entry in the failure list instead of being retried
forever."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from sentinel.alerts.notifiers.dispatch import DeliveryFailure
from sentinel.alerts.outbox import OutboxDispatcher, Undelivered, list_delivery_failures
from sentinel.domain.alerting import EventKind, Notification
from sentinel.domain.timeutil import FakeClock
from sentinel.store.sqlite import SQLiteStore


def notification(incident: str, clock: FakeClock) -> Notification:
    return Notification(
        dedup_key=f"{incident}:opened:0", kind=EventKind.opened, incident_id=incident,
        incident_title=f"{incident} 化工园区爆炸", grade_zh="重大(Ⅱ级)", at=clock.now(),
        title_zh="【重大】新港区化工园区爆炸", body_zh="网民反映化工园区发生爆炸，现场有浓烟。",
    )


def enqueue(store: SQLiteStore, item: Notification) -> None:
    with store.tx() as conn:
        assert store.enqueue_notification(conn, item)


def delivered_at(store: SQLiteStore, key: str) -> float | None:
    row = store.read().execute("SELECT delivered_at FROM notifications WHERE dedup_key=?", (key,)).fetchone()
    return None if row[0] is None else float(row[0])


def attempts(store: SQLiteStore, key: str) -> int:
    return int(store.read().execute("SELECT attempts FROM notifications WHERE dedup_key=?", (key,)).fetchone()[0])


class FailingChannel:
    """Fails every notification of `broken` slowly (as a channel does while the sender retries
    inside), delivers the others at once; `heal()` makes it work again."""

    def __init__(self, broken: str, slow_s: float) -> None:
        self.broken = broken
        self.slow_s = slow_s
        self.healed = threading.Event()
        self.broken_calls = 0
        self.sending_broken = threading.Event()
        self.delivered: dict[str, float] = {}

    def heal(self) -> None:
        self.healed.set()

    def __call__(self, item: Notification, now: datetime) -> str | None:
        if item.incident_id == self.broken:
            self.broken_calls += 1
            self.sending_broken.set()
            time.sleep(self.slow_s)
            if not self.healed.is_set():
                return "HTTP 500 企业微信服务端错误"
        self.delivered[item.dedup_key] = time.monotonic()
        return None


def wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.02)
    return False


def test_a_new_alert_is_sent_at_once_while_a_channel_keeps_failing(store: SQLiteStore, clock: FakeClock) -> None:
    channel = FailingChannel("inc-broken", slow_s=1.5)
    dispatcher = OutboxDispatcher(store, clock, channel)
    stuck = notification("inc-broken", clock)
    enqueue(store, stuck)
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=dispatcher.run, args=(stop, wake), name="outbox")
    thread.start()
    try:
        assert channel.sending_broken.wait(5)  # the failing send is in progress
        fresh = notification("inc-new", clock)
        enqueue(store, fresh)  # nobody sets `wake`: the dispatcher finds it by itself
        created = time.monotonic()
        assert wait_for(lambda: fresh.dedup_key in channel.delivered, 5)
        assert channel.delivered[fresh.dedup_key] - created < 2.0
        assert wait_for(lambda: delivered_at(store, fresh.dedup_key) is not None, 2)
        # The failing row is retried on its own back-off and stays in the outbox meanwhile.
        assert wait_for(lambda: channel.broken_calls >= 2, 10)
        assert delivered_at(store, stuck.dedup_key) is None and attempts(store, stuck.dedup_key) >= 1
        channel.heal()  # the channel recovers: the waiting alert goes out, it was never dropped
        assert wait_for(lambda: delivered_at(store, stuck.dedup_key) is not None, 15)
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=15)
    assert not thread.is_alive()


def test_wake_sends_without_waiting_for_the_poll(store: SQLiteStore, clock: FakeClock) -> None:
    channel = FailingChannel("none", slow_s=0)
    dispatcher = OutboxDispatcher(store, clock, channel, poll_s=30)
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=dispatcher.run, args=(stop, wake), name="outbox")
    thread.start()
    try:
        time.sleep(0.2)  # the dispatcher is idle, waiting on `wake`
        enqueue(store, notification("inc-1", clock))
        wake.set()
        assert wait_for(lambda: "inc-1:opened:0" in channel.delivered, 2)
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=15)


class StepClock:
    """Monotonic seconds advanced by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failing_rows_back_off_per_row_and_new_rows_go_first(store: SQLiteStore, clock: FakeClock) -> None:
    channel = FailingChannel("inc-broken", slow_s=0)
    ticks = StepClock()
    dispatcher = OutboxDispatcher(store, clock, channel, monotonic=ticks)
    stuck = notification("inc-broken", clock)
    enqueue(store, stuck)
    assert dispatcher.run_once() == 0 and channel.broken_calls == 1
    enqueue(store, notification("inc-new", clock))
    assert dispatcher.run_once() == 1  # the new row is sent; the failing one waits out its 2 s
    assert channel.broken_calls == 1 and "inc-new:opened:0" in channel.delivered
    ticks.now += 2.0
    assert dispatcher.run_once() == 0 and channel.broken_calls == 2  # retried; next wait 4 s
    ticks.now += 3.0
    dispatcher.run_once()
    assert channel.broken_calls == 2
    ticks.now += 1.0
    dispatcher.run_once()
    assert channel.broken_calls == 3
    ticks.now += 500.0
    dispatcher.run_once()
    assert channel.broken_calls == 4
    ticks.now += 60.0  # the back-off never grows past 60 s
    dispatcher.run_once()
    assert channel.broken_calls == 5 and attempts(store, stuck.dedup_key) == 5
    # A restart forgets the back-off but not the row: it is tried again at once and delivered.
    channel.heal()
    assert OutboxDispatcher(store, clock, channel, monotonic=ticks).run_once() == 1
    assert delivered_at(store, stuck.dedup_key) is not None and store.pending_notifications() == []


def test_a_row_delivered_after_the_pending_read_is_not_claimed_again(store: SQLiteStore, clock: FakeClock) -> None:
    """The fresh lane reads the pending list while a sender thread delivers and releases the same
    row: the row must not be claimed and sent a second time from that stale list."""
    item = notification("inc-1", clock)
    enqueue(store, item)
    sends: list[str] = []

    def sender(n: Notification, now: datetime) -> str | None:
        sends.append(n.dedup_key)
        return None

    read = store.pending_notifications
    reads = [0]

    def slow_pending(limit: int = 100) -> list[Notification]:
        rows = read(limit)
        reads[0] += 1
        if rows and reads[0] > 1:  # a read that returns only after the first send was marked and released
            wait_for(lambda: delivered_at(store, item.dedup_key) is not None, 5)
            time.sleep(0.1)
        return rows

    store.pending_notifications = slow_pending  # type: ignore[method-assign]
    dispatcher = OutboxDispatcher(store, clock, sender, poll_s=0.05)
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=dispatcher.run, args=(stop, wake), name="outbox")
    thread.start()
    try:
        assert wait_for(lambda: reads[0] >= 3, 5)
        assert not wait_for(lambda: len(sends) > 1, 1.0)  # a second send would start at once
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=15)
    assert sends == [item.dedup_key]


def failures_of(store: SQLiteStore, key: str) -> list[DeliveryFailure]:
    return [f for f in list_delivery_failures(store) if f.dedup_key == key]


def test_a_permanent_failure_closes_the_row_and_is_listed(store: SQLiteStore, clock: FakeClock) -> None:
    item = notification("inc-1", clock)
    enqueue(store, item)
    calls: list[str] = []

    def sender(n: Notification, now: datetime) -> Undelivered:
        calls.append(n.dedup_key)
        return Undelivered("王五: 无联系方式 (no address)", permanent=True)

    ticks = StepClock()
    dispatcher = OutboxDispatcher(store, clock, sender, monotonic=ticks)
    assert dispatcher.run_once() == 0
    ticks.now += 3600
    dispatcher.run_once()
    assert calls == [item.dedup_key]  # not retried
    assert store.pending_notifications() == []
    [(_, closed_at, error)] = store.list_notifications()
    assert closed_at is not None and error is not None and "已停止重试" in error and "王五" in error
    [entry] = failures_of(store, item.dedup_key)
    assert entry.permanent and "王五" in entry.error and entry.resolved_at is None


def test_retries_stop_at_the_max_age_and_the_failure_stays_visible(store: SQLiteStore, clock: FakeClock) -> None:
    channel = FailingChannel("inc-broken", slow_s=0)
    ticks = StepClock()
    dispatcher = OutboxDispatcher(store, clock, channel, monotonic=ticks, max_age=timedelta(hours=6))
    stuck = notification("inc-broken", clock)
    enqueue(store, stuck)
    for _ in range(5):  # an hour of failures: still retried, with back-off
        dispatcher.run_once()
        ticks.now += 60
        clock.advance(timedelta(minutes=12))
    assert channel.broken_calls == 5 and store.pending_notifications() != []
    assert failures_of(store, stuck.dedup_key) == []  # the row's last_error shows it meanwhile
    clock.advance(timedelta(hours=6))
    dispatcher.run_once()  # one more try; still failing after 6 h: given up, visibly
    ticks.now += 3600
    dispatcher.run_once()
    assert channel.broken_calls == 6 and store.pending_notifications() == []
    [entry] = failures_of(store, stuck.dedup_key)
    assert "超过 6 小时仍未送达" in entry.error and "HTTP 500" in entry.error
