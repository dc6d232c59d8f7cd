"""The console inbox channel. The store-backed sink arrives with the store; until then (and in
tests) `InMemoryConsoleSink` keeps an append-only list."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Protocol

from sentinel.alerts.notifiers.base import GROUP_TARGET, DeliveryResult, delivered, retryable
from sentinel.domain.alerting import Notification, Recipient


class ConsoleSink(Protocol):
    def add(self, notification: Notification) -> None:
        """Store one notification for the console inbox; must be idempotent on dedup_key."""
        ...


class InMemoryConsoleSink:
    def __init__(self) -> None:
        self._items: list[Notification] = []
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def add(self, notification: Notification) -> None:
        with self._lock:
            if notification.dedup_key in self._keys:
                return  # at-least-once upstream: a redelivery must not show twice
            self._keys.add(notification.dedup_key)
            self._items.append(notification)

    def items(self) -> tuple[Notification, ...]:
        with self._lock:
            return tuple(self._items)


class ConsoleNotifier:
    def __init__(self, name: str, sink: ConsoleSink) -> None:
        self.name = name
        self._sink = sink

    def target(self, recipient: Recipient) -> str | None:
        return GROUP_TARGET

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        try:
            self._sink.add(notification)
        except Exception as exc:  # the sink is a store adapter: any failure of it is transient
            return retryable(self.name, f"控制台写入失败 ({type(exc).__name__})")
        return delivered(self.name)

    def close(self) -> None:
        """Nothing to release; the sink belongs to the runtime."""

    def __repr__(self) -> str:
        return f"ConsoleNotifier(name={self.name!r})"
