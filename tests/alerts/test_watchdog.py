"""The watchdog raises one alarm per stall through its own path, and /readyz-style health fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sentinel.alerts.watchdog import Watchdog
from sentinel.domain.alerting import Notification
from sentinel.domain.timeutil import FakeClock
from sentinel.health import Health


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
