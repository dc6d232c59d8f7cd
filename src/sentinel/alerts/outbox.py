"""Sends what the clock engine put in the outbox, then marks it delivered.

Sending happens after the step was committed (see engine.py), with the notification's dedup key,
so a crash between send and mark re-sends once: tolerable. Undelivered items stay in the outbox
and are retried — an alert is never dropped.

A failing channel must not delay a new alert. In its own thread (`run`) the dispatcher works in
two lanes:

- the *fresh* lane sends every notification this process has not tried yet, as soon as it is
  seen (the outbox is polled every `poll_s`, or at once when `wake` is set), each in a sender
  thread of its own (up to `senders` at once), so one first attempt stuck on a failing channel
  does not hold up the next;
- the *retry* lane re-sends failed notifications, each on its own back-off (2 s, 4 s … 60 s after
  its own last failure), one at a time, so a row that keeps failing is tried at its own pace and
  a slow failing send (the sender retries inside, possibly for minutes) blocks only that lane.

The back-off is kept in memory only: after a restart every undelivered row is tried once at
once, then backs off again. The outbox table stays the one source of truth: a row the lanes have
no record of is, by definition, fresh work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Backoff:
    failures: int
    next_at: float  # monotonic seconds


class OutboxDispatcher:
    """Runs beside the pipeline (its own thread): a slow or failing channel, retried with backoff
    inside `sender`, must never hold up the clock ticks — nor the next notification."""

    def __init__(
        self,
        store: SQLiteStore,
        clock: Clock,
        sender: Sender = console_only,
        batch: int = 50,
        *,
        poll_s: float = 0.5,
        senders: int = 8,
        min_backoff_s: float = 2.0,
        max_backoff_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.clock = clock
        self.sender = sender
        self.batch = batch
        self.poll_s = poll_s
        self.min_backoff_s = min_backoff_s
        self.max_backoff_s = max_backoff_s
        self.monotonic = monotonic
        self.last_pass_failures = 0
        self._lock = threading.Lock()
        self._backoff: dict[str, _Backoff] = {}  # failed rows: the retry lane's
        self._in_flight: set[str] = set()
        self._retry_wake = threading.Event()
        self._senders = threading.BoundedSemaphore(senders)  # first attempts in flight at once

    # -- the dispatcher thread -------------------------------------------------------------------
    def run(self, stop: threading.Event, wake: threading.Event) -> None:
        """The fresh lane runs here; the retry lane in a thread of its own, stopped with it."""
        retry = threading.Thread(target=self._retry_lane, args=(stop,), daemon=True,
                                 name=f"{threading.current_thread().name}-retry")
        retry.start()
        try:
            while not stop.is_set():
                try:
                    if self._start_next_fresh():
                        continue  # more may be waiting: look again at once
                except Exception:  # noqa: BLE001 - the store may be busy; try again
                    log.exception("outbox pass failed")
                wake.wait(self.poll_s)
                wake.clear()
        finally:
            self._retry_wake.set()
            retry.join(timeout=10)

    def _start_next_fresh(self) -> bool:
        """Start sending the oldest notification not tried yet, in a sender thread of its own: a
        first attempt that hits a failing channel can take minutes (the sender retries inside) and
        must not hold up the next alert. False when there is none, or every sender is busy."""
        if not self._senders.acquire(timeout=self.poll_s):
            return False
        try:
            for notification in self._pending():
                if self._claim(notification.dedup_key, retrying=False):
                    threading.Thread(target=self._send_and_release, args=(notification,), daemon=True,
                                     name=f"outbox-send-{notification.incident_id}").start()
                    return True
        except BaseException:
            self._senders.release()
            raise
        self._senders.release()
        return False

    def _send_and_release(self, notification: Notification) -> None:
        try:
            self._attempt(notification)
        except Exception:  # noqa: BLE001 - the row stays pending and is tried again
            log.exception("outbox: recording the outcome for %s failed", notification.dedup_key)
        finally:
            self.store.close()  # this thread's own connection: close it now, not at garbage collection
            self._senders.release()

    def _retry_lane(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self._retry_due(stop)
            except Exception:  # noqa: BLE001 - the store may be busy; try again
                log.exception("outbox retry pass failed")
            self._retry_wake.wait(self._until_next_retry())
            self._retry_wake.clear()

    def _retry_due(self, stop: threading.Event) -> None:
        with self._lock:
            if not any(b.next_at <= self.monotonic() for b in self._backoff.values()):
                return
        rows, complete = self._pending_window()
        keys = {n.dedup_key for n in rows}
        with self._lock:
            for key in [k for k in self._backoff if k not in keys and k not in self._in_flight]:
                if complete:  # every pending row was seen: this one was delivered or removed meanwhile
                    del self._backoff[key]
                else:  # beyond this window (a burst of new rows ahead of it): look again after its delay
                    self._backoff[key] = self._later(self._backoff[key].failures)
        for notification in rows:
            if stop.is_set():
                return
            if self._claim(notification.dedup_key, retrying=True):
                self._attempt(notification)

    def _until_next_retry(self) -> float:
        with self._lock:
            upcoming = min((b.next_at for b in self._backoff.values()), default=None)
        if upcoming is None:
            return 1.0
        return max(0.0, min(1.0, upcoming - self.monotonic()))

    # -- one pass, in the caller's thread (the pipeline's step, simulate, tests) -----------------
    def run_once(self) -> int:
        """Try every pending notification that is not waiting out its back-off; returns how many were sent.

        Deliveries are marked in one transaction at the end of the pass, not one per row: a crash
        in between re-sends those rows once (a duplicate, never a loss)."""
        self.last_pass_failures = 0
        delivered: list[tuple[str, datetime]] = []
        claimed: list[str] = []
        try:
            for notification in self._pending():
                key = notification.dedup_key
                if not (self._claim(key, retrying=False) or self._claim(key, retrying=True)):
                    continue
                claimed.append(key)
                now, error = self._send(notification)
                if error is None:
                    delivered.append((key, now))
                else:
                    self._failed(key, error)
                    self.last_pass_failures += 1
        finally:
            try:
                if delivered:
                    self.store.mark_delivered_many(delivered)
            finally:
                self._release(claimed, delivered)
        return len(delivered)

    # -- shared ----------------------------------------------------------------------------------
    def _pending_window(self) -> tuple[list[Notification], bool]:
        """Pending rows, enough of them that rows waiting out a back-off cannot hide the others.

        Never-tried rows sort first (fewest attempts), so a new alert is always in the window."""
        with self._lock:
            limit = self.batch + len(self._backoff) + len(self._in_flight)
        rows = self.store.pending_notifications(limit)
        return rows, len(rows) < limit

    def _pending(self) -> list[Notification]:
        return self._pending_window()[0]

    def _claim(self, key: str, retrying: bool) -> bool:
        """Reserve `key` for one attempt: fresh rows have no back-off, due retries have an expired one."""
        with self._lock:
            if key in self._in_flight:
                return False
            backoff = self._backoff.get(key)
            if retrying != (backoff is not None):
                return False
            if backoff is not None and backoff.next_at > self.monotonic():
                return False
            self._in_flight.add(key)
            return True

    def _attempt(self, notification: Notification) -> bool:
        """Send one claimed notification and record the outcome; True when delivered."""
        key = notification.dedup_key
        delivered: list[tuple[str, datetime]] = []
        try:
            now, error = self._send(notification)
            if error is None:
                # If marking fails (a busy store), the row stays pending and is sent again: a duplicate.
                self.store.mark_delivered(key, now)
                delivered.append((key, now))
                return True
            self._failed(key, error)
            return False
        finally:
            self._release([key], delivered)

    def _send(self, notification: Notification) -> tuple[datetime, str | None]:
        now = self.clock.now()
        try:
            return now, self.sender(notification, now)
        except Exception as exc:  # noqa: BLE001 - a failing channel must not stop the others
            log.exception("sending %s failed", notification.dedup_key)
            return now, f"{type(exc).__name__}: {exc}"

    def _failed(self, key: str, error: str) -> None:
        self._record_failure(key)
        self.store.mark_attempt_failed(key, error)

    def _release(self, claimed: list[str], delivered: list[tuple[str, datetime]]) -> None:
        """End the claims; a delivered row's back-off is forgotten."""
        with self._lock:
            for key, _ in delivered:
                self._backoff.pop(key, None)
            self._in_flight.difference_update(claimed)

    def _record_failure(self, key: str) -> None:
        with self._lock:
            failures = self._backoff[key].failures + 1 if key in self._backoff else 1
            self._backoff[key] = self._later(failures)
        self._retry_wake.set()

    def _later(self, failures: int) -> _Backoff:
        delay = min(self.max_backoff_s, self.min_backoff_s * 2 ** (failures - 1))
        return _Backoff(failures, self.monotonic() + delay)
