"""The watchdog: if the pipeline loop stops ticking, say so by a path that does not depend on it.

It runs in its own thread and reads only the in-memory heartbeat. The alarm goes two ways: straight
through the channels (the independent path, which works while the store is stuck), and into the
outbox, where the console and API show it and the outbox keeps retrying its channels (the
channels' delivery ledger stops the outbox re-posting what the direct path already delivered).
/readyz fails at the same time.

The alarm counts as raised once a real channel delivered it or the outbox holds it; the
console-only sender delivers nothing by itself (its inbox is the outbox table), so with neither
the alarm is tried again at the next check.

The store may be what stalled (a writer stuck inside a transaction): every store call the watchdog
makes, its channels' delivery ledger included, runs on a helper thread and is given up after
`StoreCalls.wait` seconds (2), so the direct path reaches every channel whatever the store does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypeVar

from sentinel.alerts.notifiers.base import DeliveryResult
from sentinel.alerts.notifiers.dispatch import DeliveryFailure, Pair
from sentinel.alerts.outbox import OutboxLog, Sender, Undelivered, console_only
from sentinel.domain.alerting import EventKind, Notification, Recipient
from sentinel.domain.timeutil import Clock, iso
from sentinel.health import Health
from sentinel.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)
T = TypeVar("T")


class StoreCalls:
    """Store calls off the watchdog's thread, each awaited at most `wait` seconds. While one is
    still stuck, later ones are skipped at once: the store has not recovered."""

    def __init__(self, wait: float = 2.0) -> None:
        self.wait = wait
        self._stuck: threading.Thread | None = None

    def call(self, fn: Callable[[], T], default: T) -> T:
        if self._stuck is not None and self._stuck.is_alive():
            return default
        answer: list[T] = []

        def run() -> None:
            try:
                answer.append(fn())
            except Exception:  # noqa: BLE001 - the watchdog goes on without the store
                log.exception("watchdog: a store call failed")

        worker = threading.Thread(target=run, name="watchdog-store", daemon=True)
        worker.start()
        worker.join(self.wait)
        if worker.is_alive():
            self._stuck = worker
            log.error("watchdog: the store did not answer within %.0f s; going on without it", self.wait)
            return default
        return answer[0] if answer else default


class BoundedLog:
    """The outbox's delivery ledger and failure list for the watchdog's own channels, through
    StoreCalls: with a healthy store the outbox knows what the direct path delivered (and does not
    post it again); with a stuck one the alarm still goes out, at worst twice."""

    def __init__(self, log_: OutboxLog, calls: StoreCalls) -> None:
        self.log = log_
        self.calls = calls

    def settled(self, dedup_key: str) -> Mapping[Pair, DeliveryResult]:
        return self.calls.call(lambda: self.log.settled(dedup_key), {})

    def settle(self, dedup_key: str, pair: Pair, result: DeliveryResult) -> None:
        self.calls.call(lambda: self.log.settle(dedup_key, pair, result), None)

    def record(self, failure: DeliveryFailure) -> None:
        self.calls.call(lambda: self.log.record(failure), None)


class Watchdog:
    def __init__(self, health: Health, sender: Sender, clock: Clock, check_every: float = 10.0,
                 *, store: SQLiteStore | None = None, store_calls: StoreCalls | None = None) -> None:
        self.health = health
        self.store_calls = store_calls or StoreCalls()
        self.sender = sender
        self.clock = clock
        self.check_every = check_every
        self.store = store
        self.alerted_for: datetime | None = None  # the heartbeat we already raised the alarm about
        self.stored_for: datetime | None = None  # … and left in the outbox

    def check_once(self) -> Notification | None:
        if not self.health.stalled():
            self.alerted_for = self.stored_for = None
            return None
        last = self.health.last_tick or self.health.created
        if last is None or (self.alerted_for == last and (self.stored_for == last or self.store is None)):
            return None
        now = self.clock.now()
        notification = Notification(
            dedup_key=f"watchdog:{last.isoformat()}", kind=EventKind.watchdog, incident_id="-",
            incident_title="系统告警", at=now, fired_at=now,
            recipients=(Recipient(name="值班员", role="duty_officer"),),
            title_zh="【系统告警】舆情哨兵时限引擎停止运行",
            body_zh=f"时限引擎自 {iso(last)} 起未再运行，提醒与超时通知可能无法发出。请立即检查服务；"
                    f"恢复前请人工跟踪在办事件的回应时限。最后错误：{self.health.last_error or '无'}",
        )
        if self.alerted_for != last:
            log.critical("pipeline stalled since %s; raising the watchdog alarm", iso(last))
            if self._send(notification, now):
                self.alerted_for = last
        if self.stored_for != last and self._store(notification):
            self.stored_for = self.alerted_for = last  # the outbox delivers and retries it from here
        return notification

    def _send(self, notification: Notification, now: datetime) -> bool:
        """True when a real channel delivered the alarm."""
        if self.sender is console_only:
            log.error("watchdog alarm: no channels configured (alerts/channels.yaml), nothing sent directly")
            return False
        try:
            result = self.sender(notification, now)
        except Exception as exc:  # noqa: BLE001 - a failed alarm is retried on the next check
            result = f"{type(exc).__name__}: {exc}"
        if result is not None:
            log.error("watchdog alarm not delivered: %s",
                      result.error if isinstance(result, Undelivered) else result)
        return result is None

    def _store(self, notification: Notification) -> bool:
        """True when the alarm is in the outbox; the store may be what stalled, so this may fail."""
        store = self.store
        if store is None:
            return False

        def enqueue() -> bool:
            with store.tx() as conn:
                store.enqueue_notification(conn, notification)
            return True

        return self.store_calls.call(enqueue, False)  # tried again on the next check

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.check_every):
            self.check_once()
