"""The watchdog raises one alarm per stall through its own path and leaves it in the outbox, where
the console shows it; /readyz-style health fails."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.alerts.test_notifiers_support import (
    Receiver,
    receiver_fixture,  # noqa: F401 - the `receiver` fixture
)

from sentinel.alerts.outbox import OutboxDispatcher, OutboxLog, console_only
from sentinel.alerts.watchdog import BoundedLog, StoreCalls, Watchdog
from sentinel.domain.alerting import Notification
from sentinel.domain.timeutil import FakeClock
from sentinel.health import Health
from sentinel.store.sqlite import SQLiteStore
from sentinel.wiring import build_sender


def test_one_alarm_per_stall_and_retry_when_sending_fails() -> None:
    clock = FakeClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))
    health = Health(clock=clock, stall_after=timedelta(minutes=2))
    sent: list[Notification] = []
    failing = [True]

    def sender(n: Notification, now: datetime) -> str | None:
        if failing[0]:
            return "HTTP 500"
        sent.append(n)
        return None

    dog = Watchdog(health, sender, clock)
    health.beat()
    clock.advance(timedelta(minutes=1))
    assert dog.check_once() is None and not health.stalled()
    clock.advance(timedelta(minutes=2))
    assert health.stalled()
    assert dog.check_once() is not None and sent == []  # the channel failed: try again next check
    failing[0] = False
    dog.check_once()
    dog.check_once()
    assert len(sent) == 1 and "停止运行" in sent[0].title_zh
    health.beat()  # recovered
    assert dog.check_once() is None
    clock.advance(timedelta(minutes=5))
    dog.check_once()
    assert len(sent) == 2  # a new stall, a new alarm


def stalled(clock: FakeClock) -> Health:
    health = Health(clock=clock, stall_after=timedelta(minutes=2))
    health.beat()
    clock.advance(timedelta(minutes=5))
    return health


def test_without_channels_the_alarm_is_stored_not_claimed_delivered(store: SQLiteStore) -> None:
    """console_only stores nothing by itself: the alarm must end up in the outbox (the console's
    inbox), and until it does, it is not counted as raised."""
    clock = FakeClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))
    health = stalled(clock)
    nowhere = Watchdog(health, console_only, clock)  # no store either: nothing can be delivered
    assert nowhere.check_once() is not None and nowhere.alerted_for is None
    assert nowhere.check_once() is not None  # so it is tried again

    dog = Watchdog(health, console_only, clock, store=store)
    alarm = dog.check_once()
    assert alarm is not None and dog.check_once() is None  # raised once
    [(stored, delivered_at, _)] = store.list_notifications()
    assert stored.dedup_key == alarm.dedup_key and "停止运行" in stored.title_zh
    assert delivered_at is None  # the outbox sends it (to the console inbox: marks it) from here
    assert OutboxDispatcher(store, clock, console_only).run_once() == 1


@pytest.mark.integration
def test_the_direct_alarm_is_not_posted_again_by_the_outbox(
    tmp_path: Path, receiver: Receiver, store: SQLiteStore
) -> None:
    clock = FakeClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))
    path = tmp_path / "channels.yaml"
    url = receiver.url("/duty?key=duty-robot-key")
    path.write_text(f"default_chain: [duty]\nchannels:\n  duty: {{type: wecom, url: '{url}', allow_private: true}}\n",
                    encoding="utf-8")
    sender = build_sender(path, clock, OutboxLog(store, clock))
    dog = Watchdog(stalled(clock), sender, clock, store=store)
    assert dog.check_once() is not None and dog.check_once() is None
    assert len(receiver.seen) == 1 and len(store.list_notifications()) == 1
    assert OutboxDispatcher(store, clock, sender).run_once() == 1  # delivered already: marked, not re-posted
    assert len(receiver.seen) == 1 and store.pending_notifications() == []


def test_the_alarm_reaches_every_channel_while_a_stuck_writer_holds_the_store(
    tmp_path: Path, receiver: Receiver, store: SQLiteStore
) -> None:
    """The pipeline hangs inside a transaction (a COMMIT stuck on the disk): the watchdog's own
    channels still deliver, the console channel first in the list notwithstanding, and the check
    returns instead of waiting for the store."""
    clock = FakeClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))
    path = tmp_path / "channels.yaml"
    path.write_text(
        "broadcast: [console, duty, backup]\nchannels:\n  console: {type: console}\n"
        f"  duty: {{type: wecom, url: '{receiver.url('/duty?key=a')}', allow_private: true}}\n"
        f"  backup: {{type: webhook, url: '{receiver.url('/backup')}', secret: s3cret-value, allow_private: true}}\n",
        encoding="utf-8")
    calls = StoreCalls(wait=0.5)
    sender = build_sender(path, clock, BoundedLog(OutboxLog(store, clock), calls))
    entered, release = threading.Event(), threading.Event()

    def stuck_writer() -> None:
        with store.tx():
            entered.set()
            release.wait(30)

    writer = threading.Thread(target=stuck_writer, daemon=True)
    writer.start()
    assert entered.wait(5)
    try:
        dog = Watchdog(stalled(clock), sender, clock, store=store, store_calls=calls)
        checker = threading.Thread(target=dog.check_once, daemon=True)
        checker.start()
        checker.join(10)
        assert not checker.is_alive()
        assert sorted(seen.path for seen in receiver.seen) == ["/backup", "/duty"]
    finally:
        release.set()
        writer.join(5)
