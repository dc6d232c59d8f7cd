"""Sends what the clock engine put in the outbox, then marks it delivered.

Sending happens after the step was committed (see engine.py), with the notification's dedup key,
so a crash between send and mark re-sends once: tolerable. Undelivered items stay in the outbox
and are retried on the next pass — an alert is never dropped.
"""

from __future__ import annotations

import logging
import threading
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
    """Runs beside the pipeline (its own thread): a slow or failing channel, retried with backoff
    inside `sender`, must never hold up the clock ticks."""

    def __init__(self, store: SQLiteStore, clock: Clock, sender: Sender = console_only, batch: int = 50) -> None:
        self.store = store
        self.clock = clock
        self.sender = sender
        self.batch = batch
        self.last_pass_failures = 0

    def run(self, stop: threading.Event, wake: threading.Event) -> None:
        failures_in_a_row = 0
        while not stop.is_set():
            try:
                self.run_once()
                failures_in_a_row = 0 if self.last_pass_failures == 0 else failures_in_a_row + 1
            except Exception:  # noqa: BLE001 - the store may be busy; try again
                log.exception("outbox pass failed")
                failures_in_a_row += 1
            # Undelivered items wait with backoff (2 s … 60 s); a new notification wakes us at once.
            wake.wait(min(60.0, 2.0**failures_in_a_row) if failures_in_a_row else 1.0)
            wake.clear()

    def run_once(self) -> int:
        self.last_pass_failures = 0
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
                self.last_pass_failures += 1
                self.store.mark_attempt_failed(notification.dedup_key, error)
        return sent
