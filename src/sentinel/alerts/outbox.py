"""Sends what the clock engine put in the outbox, then marks it delivered.

Sending happens after the step was committed (see engine.py), with the notification's dedup key,
so a crash between send and mark re-sends once: tolerable. Undelivered items stay in the outbox
and are retried on the next pass — an alert is never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sentinel.domain.alerting import Notification
from sentinel.domain.timeutil import Clock
from sentinel.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)

# Returns None when delivered (to at least one channel of every recipient), else an error text.
Sender = Callable[[Notification, datetime], str | None]


def console_only(notification: Notification, now: datetime) -> str | None:
    """The console inbox is the outbox table itself: storing it was delivery."""
    return None


class OutboxDispatcher:
    def __init__(self, store: SQLiteStore, clock: Clock, sender: Sender = console_only, batch: int = 50) -> None:
        self.store = store
        self.clock = clock
        self.sender = sender
        self.batch = batch

    def run_once(self) -> int:
        sent = 0
        for notification in self.store.pending_notifications(self.batch):
            now = self.clock.now()
            try:
                error = self.sender(notification, now)
            except Exception as exc:  # noqa: BLE001 - a failing channel must not stop the others
                log.exception("sending %s failed", notification.dedup_key)
                error = f"{type(exc).__name__}: {exc}"
            if error is None:
                self.store.mark_delivered(notification.dedup_key, now)
                sent += 1
            else:
                self.store.mark_attempt_failed(notification.dedup_key, error)
        return sent
