"""Deliver one notification to all its recipients: retry, fall back, record failures.

For each recipient the channels are tried in order (the recipient's own `channels`, else the
configured `default_chain`); the first delivery wins. One (channel, target) pair is sent at most
once per dispatch, so five people routed to the same duty-group robot produce one message.

Retry policy per channel: only retryable results (429, 5xx, network errors, timeouts, robot
rate-limit codes) are retried, with exponential backoff and jitter, or exactly the server's
Retry-After. Retrying stops at max_attempts or at the deadline: the notification's due time
when that is still ahead, else `max_total_s` after the first attempt. A permanent failure
(4xx other than 429) is not retried. Every channel that did not deliver is written to the
FailureLog, and a recipient no channel reached gets its own entry: failures are visible, never
silent.

The DeliveryLedger remembers, per notification, each (channel, target) pair that delivered or
failed for good. A later dispatch of the same notification (the outbox retrying what is still
undelivered) sends only the rest: a group robot that already has the message is not posted to
again, and a recipient with no address is not tried again.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from sentinel.alerts.notifiers.base import GROUP_TARGET, DeliveryResult, DeliveryStatus, Notifier, failed
from sentinel.alerts.notifiers.config import RetryConfig
from sentinel.domain.alerting import Notification, Recipient
from sentinel.domain.timeutil import Clock, SystemClock, ensure_aware

log = logging.getLogger("sentinel.alerts.notifiers")

# Stands in for "the duty group" when a notification names no recipients.
DEFAULT_RECIPIENT = Recipient(name="值班群", role="duty_group")


class DeliveryFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: datetime
    dedup_key: str
    incident_id: str
    recipient: str
    channel: str  # "" for the "no channel reached this recipient" entry
    status: DeliveryStatus
    http_status: int | None = None
    error: str = ""
    attempts: int = 0
    permanent: bool = False  # True: not retried (4xx, refused, misconfigured)
    # Filled in by a stored failure list: the latest occurrence, and when the notification was
    # delivered after all (None while it is not).
    last_at: datetime | None = None
    resolved_at: datetime | None = None


class FailureLog(Protocol):
    def record(self, failure: DeliveryFailure) -> None: ...


# A delivery's (channel, target): target is GROUP_TARGET or the recipient's own address.
Pair = tuple[str, str]


class DeliveryLedger(Protocol):
    def settled(self, dedup_key: str) -> Mapping[Pair, DeliveryResult]:
        """The pairs earlier dispatches of this notification delivered or failed for good."""
        ...

    def settle(self, dedup_key: str, pair: Pair, result: DeliveryResult) -> None: ...


class InMemoryLedger:
    """For tests and one-off use; the runtime keeps the ledger in the store (alerts/outbox.py)."""

    def __init__(self) -> None:
        self._items: dict[str, dict[Pair, DeliveryResult]] = {}
        self._lock = threading.Lock()

    def settled(self, dedup_key: str) -> Mapping[Pair, DeliveryResult]:
        with self._lock:
            return dict(self._items.get(dedup_key, {}))

    def settle(self, dedup_key: str, pair: Pair, result: DeliveryResult) -> None:
        with self._lock:
            self._items.setdefault(dedup_key, {})[pair] = result


class InMemoryFailureLog:
    def __init__(self) -> None:
        self._items: list[DeliveryFailure] = []

    def record(self, failure: DeliveryFailure) -> None:
        self._items.append(failure)

    def items(self) -> Sequence[DeliveryFailure]:
        return tuple(self._items)


class RecipientOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    recipient: str
    channel: str | None  # the channel that delivered, None if none did
    tried: tuple[DeliveryResult, ...] = ()

    @property
    def delivered(self) -> bool:
        return self.channel is not None


class DispatchReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    dedup_key: str
    outcomes: tuple[RecipientOutcome, ...] = ()
    broadcast: tuple[DeliveryResult, ...] = ()

    @property
    def all_delivered(self) -> bool:
        return all(o.delivered for o in self.outcomes) and all(b.ok for b in self.broadcast)

    @property
    def retryable(self) -> bool:
        """Something still undelivered may go through on a later attempt (429, 5xx, network)."""
        missed = [r for o in self.outcomes if not o.delivered for r in o.tried]
        missed += [b for b in self.broadcast if not b.ok]
        return any(r.status is DeliveryStatus.retryable for r in missed)

    def undelivered(self) -> str:
        """Who and which broadcast channels were not reached, and why (already redacted)."""
        parts = [
            f"{o.recipient}（{'; '.join(f'{r.channel}: {r.error}' for r in o.tried) or '没有可用渠道'}）"
            for o in self.outcomes
            if not o.delivered
        ]
        parts += [f"广播 {b.channel}（{b.error}）" for b in self.broadcast if not b.ok]
        return "未送达：" + "；".join(parts)


class Dispatcher:
    def __init__(
        self,
        notifiers: Mapping[str, Notifier],
        *,
        default_chain: Sequence[str] = (),
        broadcast: Sequence[str] = (),
        retry: RetryConfig | None = None,
        failures: FailureLog | None = None,
        ledger: DeliveryLedger | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.notifiers = dict(notifiers)
        self.default_chain = tuple(default_chain)
        self.broadcast = tuple(broadcast)
        self.retry = retry or RetryConfig()
        self.failures: FailureLog = failures if failures is not None else InMemoryFailureLog()
        self.ledger: DeliveryLedger = ledger if ledger is not None else InMemoryLedger()
        self._clock = clock or SystemClock()
        self._sleep = sleep
        # Jitter only spreads retries out; it needs no cryptographic randomness.
        self._rng = rng or random.Random()  # noqa: S311

    def dispatch(self, notification: Notification) -> DispatchReport:
        sent = self._settled(notification.dedup_key)  # what earlier attempts finished: not sent again
        broadcast = tuple(
            self._deliver(name, GROUP_TARGET, notification, "*", sent) for name in self.broadcast
        )
        outcomes: list[RecipientOutcome] = []
        for recipient in notification.recipients or (DEFAULT_RECIPIENT,):
            outcomes.append(self._reach(recipient, notification, sent))
        return DispatchReport(dedup_key=notification.dedup_key, outcomes=tuple(outcomes), broadcast=broadcast)

    def _reach(
        self, recipient: Recipient, notification: Notification, sent: dict[tuple[str, str], DeliveryResult]
    ) -> RecipientOutcome:
        tried: list[DeliveryResult] = []
        for name in recipient.channels or self.default_chain:
            notifier = self.notifiers.get(name)
            target = notifier.target(recipient) if notifier is not None else None
            if notifier is None or target is None:
                why = (
                    "渠道未配置或已停用 (channel not configured)"
                    if notifier is None
                    else "无联系方式 (no address)"
                )
                tried.append(failed(name, why, None).model_copy(update={"attempts": 0}))
                continue
            result = self._deliver(name, target, notification, recipient.name, sent, recipient)
            tried.append(result)
            if result.ok:
                return RecipientOutcome(recipient=recipient.name, channel=name, tried=tuple(tried))
        summary = "; ".join(f"{r.channel}: {r.error}" for r in tried) or "没有可用渠道 (no channels)"
        missed = failed("", f"所有渠道均未送达 (undelivered): {summary}")
        if any(r.status is DeliveryStatus.retryable for r in tried):
            missed = missed.model_copy(update={"status": DeliveryStatus.retryable})
        self._record(notification, recipient.name, missed)
        return RecipientOutcome(recipient=recipient.name, channel=None, tried=tuple(tried))

    def _deliver(
        self,
        name: str,
        target: str,
        notification: Notification,
        recipient_name: str,
        sent: dict[tuple[str, str], DeliveryResult],
        recipient: Recipient | None = None,
    ) -> DeliveryResult:
        key = (name, target)
        if key in sent:
            return sent[key]
        notifier = self.notifiers.get(name)
        if notifier is None:
            result = failed(name, "渠道未配置或已停用 (channel not configured)").model_copy(
                update={"attempts": 0}
            )
        else:
            # Personal channels get only this recipient; a group channel gets everyone named.
            one = (
                notification
                if target == GROUP_TARGET or recipient is None
                else (notification.model_copy(update={"recipients": (recipient,)}))
            )
            result = self.send_with_retry(notifier, one)
        sent[key] = result
        if result.status is not DeliveryStatus.retryable:
            self._settle(notification.dedup_key, key, result)
        if not result.ok:
            self._record(notification, recipient_name, result)
        return result

    # The ledger and the failure list live in the store: when it is busy, sending goes on (a
    # duplicate is tolerable, a missed alert is not) and the problem is logged.
    def _settled(self, dedup_key: str) -> dict[Pair, DeliveryResult]:
        try:
            return dict(self.ledger.settled(dedup_key))
        except Exception:  # noqa: BLE001 - see above
            log.exception("reading the delivery ledger for %s failed; sending to every channel", dedup_key)
            return {}

    def _settle(self, dedup_key: str, pair: Pair, result: DeliveryResult) -> None:
        try:
            self.ledger.settle(dedup_key, pair, result)
        except Exception:  # noqa: BLE001 - see above
            log.exception("recording the delivery %s %s failed", dedup_key, pair[0])

    def deadline(self, notification: Notification, start: datetime) -> datetime:
        limit = start + timedelta(seconds=self.retry.max_total_s)
        due = ensure_aware(notification.due) if notification.due is not None else None
        if due is not None and due > start:
            return min(limit, due)
        return limit

    def backoff(self, attempt: int) -> float:
        """Equal jitter: half the exponential step fixed, half random, so retries from many
        workers do not arrive in lockstep, yet never come back too soon."""
        step = min(self.retry.max_delay_s, self.retry.base_delay_s * 2.0 ** (attempt - 1))
        return step / 2 + self._rng.uniform(0, step / 2)

    def send_with_retry(self, notifier: Notifier, notification: Notification) -> DeliveryResult:
        start = self._clock.now()
        deadline = self.deadline(notification, start)
        attempt = 0
        while True:
            attempt += 1
            try:
                result = notifier.send(notification, self._clock.now())
            except Exception as exc:  # a notifier bug must not stop the other channels
                result = failed(notifier.name, f"发送异常 (unexpected {type(exc).__name__})")
            result = result.model_copy(update={"attempts": attempt})
            log.info(
                "notify channel=%s key=%s status=%s http=%s attempt=%d %s",
                notifier.name,
                notification.dedup_key,
                result.status.value,
                result.http_status,
                attempt,
                result.error,
            )
            if result.status is not DeliveryStatus.retryable:
                return result
            if attempt >= self.retry.max_attempts:
                return result.model_copy(update={"error": f"{result.error}（已重试{attempt}次）"})
            delay = result.retry_after_s if result.retry_after_s is not None else self.backoff(attempt)
            if self._clock.now() + timedelta(seconds=delay) > deadline:
                return result.model_copy(update={"error": f"{result.error}（重试截止时间已到）"})
            self._sleep(delay)

    def _record(self, notification: Notification, recipient: str, result: DeliveryResult) -> None:
        failure = DeliveryFailure(
            at=self._clock.now(),
            dedup_key=notification.dedup_key,
            incident_id=notification.incident_id,
            recipient=recipient,
            channel=result.channel,
            status=result.status,
            http_status=result.http_status,
            error=result.error,
            attempts=result.attempts,
            permanent=result.status is DeliveryStatus.failed,
        )
        log.warning(
            "notify failed channel=%s recipient=%s key=%s status=%s: %s",
            failure.channel or "-",
            recipient,
            failure.dedup_key,
            failure.status.value,
            failure.error,
        )
        try:
            self.failures.record(failure)
        except Exception:  # noqa: BLE001 - see _settled; the warning above still shows it
            log.exception("storing the failure of %s failed", failure.dedup_key)

    def close(self) -> None:
        for notifier in self.notifiers.values():
            notifier.close()
