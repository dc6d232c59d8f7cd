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
"""

from __future__ import annotations

import logging
import random
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


class FailureLog(Protocol):
    def record(self, failure: DeliveryFailure) -> None: ...

    def items(self) -> Sequence[DeliveryFailure]: ...


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
        return all(o.delivered for o in self.outcomes)


class Dispatcher:
    def __init__(
        self,
        notifiers: Mapping[str, Notifier],
        *,
        default_chain: Sequence[str] = (),
        broadcast: Sequence[str] = (),
        retry: RetryConfig | None = None,
        failures: FailureLog | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.notifiers = dict(notifiers)
        self.default_chain = tuple(default_chain)
        self.broadcast = tuple(broadcast)
        self.retry = retry or RetryConfig()
        self.failures: FailureLog = failures if failures is not None else InMemoryFailureLog()
        self._clock = clock or SystemClock()
        self._sleep = sleep
        # Jitter only spreads retries out; it needs no cryptographic randomness.
        self._rng = rng or random.Random()  # noqa: S311

    def dispatch(self, notification: Notification) -> DispatchReport:
        sent: dict[tuple[str, str], DeliveryResult] = {}
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
        self._record(notification, recipient.name, failed("", f"所有渠道均未送达 (undelivered): {summary}"))
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
        if not result.ok:
            self._record(notification, recipient_name, result)
        return result

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
        self.failures.record(failure)

    def close(self) -> None:
        for notifier in self.notifiers.values():
            notifier.close()
