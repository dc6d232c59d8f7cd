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
no record of is, by definition, fresh work; a row the table no longer shows as pending is never
claimed, however old the list it was read from.

Retrying is bounded: a failure the sender calls permanent (no address, HTTP 4xx), or one still
failing `max_age` after the notification fired, closes the row with its error and an entry in
the failure list. Closing is how the row leaves the pending queue (the store marks it done, the
error stays on the row); it is never dropped.

`OutboxLog` keeps, beside the outbox in the same database, what the channels need to retry only
what is missing (each notification's (channel, target) pairs that delivered or failed for good)
and the failure list staff read through `list_delivery_failures`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sentinel.alerts.notifiers.base import DeliveryResult, DeliveryStatus
from sentinel.alerts.notifiers.dispatch import DeliveryFailure, Pair
from sentinel.domain.alerting import Notification
from sentinel.domain.timeutil import Clock, SystemClock, ensure_aware
from sentinel.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE = timedelta(hours=24)  # an alert still failing a day after it fired is given up, visibly


@dataclass(frozen=True)
class Undelivered:
    """A send that did not reach everyone. `permanent`: another attempt cannot help (no address,
    HTTP 4xx), so the row is closed with this error instead of being retried."""

    error: str
    permanent: bool = False


# Returns None when delivered (to at least one channel of every recipient, and every broadcast
# channel), else what was not; a plain string is a failure worth retrying.
Sender = Callable[[Notification, datetime], Undelivered | str | None]


def console_only(notification: Notification, now: datetime) -> Undelivered | str | None:
    """The console inbox is the outbox table itself: storing it was delivery (for rows of the
    outbox only: a notification that is not in the table has not been delivered by this)."""
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
        max_age: timedelta = DEFAULT_MAX_AGE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.log = OutboxLog(store, clock)
        self.max_age = max_age
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
        closed: list[str] = []
        try:
            for notification in self._pending():
                key = notification.dedup_key
                if not (self._claim(key, retrying=False) or self._claim(key, retrying=True)):
                    continue
                claimed.append(key)
                now, failure = self._send(notification)
                if failure is None:
                    delivered.append((key, now))
                elif self._closes(notification, now, failure):
                    closed.append(key)
                else:
                    self.last_pass_failures += 1
        finally:
            try:
                self._mark_delivered(delivered)
            finally:
                self._release(claimed, [*closed, *(key for key, _ in delivered)])
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
        # The pending list may predate a delivery another sender thread finished (and released)
        # since: only a row the table still shows as pending is sent.
        try:
            pending = self._still_pending(key)
        except BaseException:
            self._release([key], [])
            raise
        if not pending:
            self._release([key], [key])
        return pending

    def _still_pending(self, key: str) -> bool:
        row = self.store.read().execute(
            "SELECT delivered_at IS NULL FROM notifications WHERE dedup_key=?", (key,)
        ).fetchone()
        return row is not None and bool(row[0])

    def _attempt(self, notification: Notification) -> bool:
        """Send one claimed notification and record the outcome; True when delivered."""
        key = notification.dedup_key
        done: list[str] = []
        try:
            now, failure = self._send(notification)
            if failure is None:
                # If marking fails (a busy store), the row stays pending and is sent again: a duplicate.
                self._mark_delivered([(key, now)])
                done.append(key)
                return True
            if self._closes(notification, now, failure):
                done.append(key)
            return False
        finally:
            self._release([key], done)

    def _send(self, notification: Notification) -> tuple[datetime, Undelivered | None]:
        now = self.clock.now()
        try:
            result = self.sender(notification, now)
        except Exception as exc:  # noqa: BLE001 - a failing channel must not stop the others
            log.exception("sending %s failed", notification.dedup_key)
            result = f"{type(exc).__name__}: {exc}"
        return now, Undelivered(result) if isinstance(result, str) else result

    def _closes(self, notification: Notification, now: datetime, failure: Undelivered) -> bool:
        """Record a failed attempt. True when the row is closed: the failure is permanent, or the
        notification is older than `max_age`; then the failure list says so, and the row keeps
        the error. Otherwise it is retried after its back-off."""
        key = notification.dedup_key
        fired = ensure_aware(notification.fired_at or notification.at)
        if not failure.permanent and now - fired < self.max_age:
            self._record_failure(key)
            self.store.mark_attempt_failed(key, failure.error)
            return False
        why = "无法送达" if failure.permanent else f"超过 {self.max_age.total_seconds() / 3600:g} 小时仍未送达"
        error = f"已停止重试（{why}）：{failure.error}"
        log.error("outbox: %s closed undelivered: %s", key, error)
        self.log.record(DeliveryFailure(
            at=now, dedup_key=key, incident_id=notification.incident_id, recipient="", channel="",
            status=DeliveryStatus.failed, error=error, permanent=True,
        ))
        self.store.mark_delivered(key, now, error[:2000])
        return True

    def _mark_delivered(self, delivered: list[tuple[str, datetime]]) -> None:
        if not delivered:
            return
        self.store.mark_delivered_many(delivered)
        try:
            self.log.resolve([key for key, _ in delivered], delivered[-1][1])
        except Exception:  # noqa: BLE001 - the deliveries stand; only the failure list lags
            log.exception("outbox: marking failures resolved failed")

    def _release(self, claimed: list[str], done: list[str]) -> None:
        """End the claims; the back-off of a row that is done (delivered or closed) is forgotten."""
        with self._lock:
            for key in done:
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


# -- delivery records and the failure list ---------------------------------------------------------
# Tables of the outbox's own, created here (the store's migrations belong to the store).
_LOG_TABLES = (
    """CREATE TABLE IF NOT EXISTS outbox_deliveries (
        dedup_key TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,
        status TEXT NOT NULL, result TEXT NOT NULL, at REAL NOT NULL,
        PRIMARY KEY (dedup_key, channel, target))""",
    """CREATE TABLE IF NOT EXISTS outbox_failures (
        dedup_key TEXT NOT NULL, recipient TEXT NOT NULL, channel TEXT NOT NULL,
        incident_id TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, error TEXT NOT NULL,
        attempts INTEGER NOT NULL, permanent INTEGER NOT NULL,
        first_at REAL NOT NULL, last_at REAL NOT NULL, resolved_at REAL,
        PRIMARY KEY (dedup_key, recipient, channel))""",
    "CREATE INDEX IF NOT EXISTS outbox_failures_recent ON outbox_failures(last_at)",
)


class OutboxLog:
    """The channels' DeliveryLedger and FailureLog, stored beside the outbox.

    A failure is one entry per (notification, recipient, channel): a repeat updates its error,
    time and attempt count instead of adding a row. Recipient "*" is a broadcast channel;
    channel "" is the recipient (or, with recipient "", the notification) as a whole."""

    def __init__(self, store: SQLiteStore, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        with store.tx() as conn:
            for statement in _LOG_TABLES:
                conn.execute(statement)

    def settled(self, dedup_key: str) -> Mapping[Pair, DeliveryResult]:
        rows = self.store.read().execute(
            "SELECT channel, target, result FROM outbox_deliveries WHERE dedup_key=?", (dedup_key,)
        ).fetchall()
        return {(r[0], r[1]): DeliveryResult.model_validate_json(r[2]) for r in rows}

    def settle(self, dedup_key: str, pair: Pair, result: DeliveryResult) -> None:
        with self.store.tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO outbox_deliveries VALUES(?,?,?,?,?,?)",
                (dedup_key, *pair, result.status.value, result.model_dump_json(), self.clock.now().timestamp()),
            )

    def record(self, failure: DeliveryFailure) -> None:
        at = failure.at.timestamp()
        with self.store.tx() as conn:
            conn.execute(
                """INSERT INTO outbox_failures VALUES(?,?,?,?,?,?,?,?,?,?,?,NULL)
                   ON CONFLICT(dedup_key, recipient, channel) DO UPDATE SET
                     status=excluded.status, http_status=excluded.http_status, error=excluded.error,
                     attempts=attempts + excluded.attempts, permanent=excluded.permanent,
                     last_at=excluded.last_at, resolved_at=NULL""",
                (failure.dedup_key, failure.recipient, failure.channel, failure.incident_id,
                 failure.status.value, failure.http_status, failure.error[:2000], failure.attempts,
                 int(failure.permanent), at, at),
            )

    def resolve(self, dedup_keys: list[str], at: datetime) -> None:
        """The notifications were delivered after all: their failures are history, not open problems."""
        read = self.store.read()
        unresolved = "SELECT 1 FROM outbox_failures WHERE dedup_key=? AND resolved_at IS NULL LIMIT 1"
        keys = [k for k in dedup_keys if read.execute(unresolved, (k,)).fetchone()]  # most never failed
        if keys:
            with self.store.tx() as conn:
                conn.executemany(
                    "UPDATE outbox_failures SET resolved_at=? WHERE dedup_key=? AND resolved_at IS NULL",
                    [(at.timestamp(), key) for key in keys],
                )


def list_delivery_failures(
    store: SQLiteStore, *, incident_id: str | None = None, open_only: bool = False, limit: int = 200
) -> list[DeliveryFailure]:
    """The failure list, latest first, for the API and the console. `open_only`: leave out the
    failures of notifications that were delivered after all."""
    sql = "SELECT * FROM outbox_failures WHERE 1=1"
    args: list[object] = []
    if incident_id:
        sql += " AND incident_id=?"
        args.append(incident_id)
    if open_only:
        sql += " AND resolved_at IS NULL"
    try:
        rows = store.read().execute(sql + " ORDER BY last_at DESC LIMIT ?", [*args, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []  # nothing was ever sent through this database's outbox
        raise
    return [_failure(row) for row in rows]


def _failure(row: sqlite3.Row) -> DeliveryFailure:
    def when(value: float | None) -> datetime | None:
        return None if value is None else datetime.fromtimestamp(value, UTC)

    return DeliveryFailure(
        at=datetime.fromtimestamp(row["first_at"], UTC), dedup_key=row["dedup_key"],
        incident_id=row["incident_id"], recipient=row["recipient"], channel=row["channel"],
        status=DeliveryStatus(row["status"]), http_status=row["http_status"], error=row["error"],
        attempts=row["attempts"], permanent=bool(row["permanent"]),
        last_at=when(row["last_at"]), resolved_at=when(row["resolved_at"]),
    )
