"""Liveness of the pipeline loop, for /readyz and the watchdog."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sentinel.domain.timeutil import Clock, SystemClock


@dataclass
class Health:
    clock: Clock = field(default_factory=SystemClock)  # real time: a stalled engine is a real-time fact
    stall_after: timedelta = timedelta(minutes=2)
    last_tick: datetime | None = None
    last_error: str | None = None
    started: bool = False
    created: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.created = self.clock.now()

    def beat(self) -> None:
        with self._lock:
            self.last_tick = self.clock.now()
            self.started = True

    def error(self, message: str) -> None:
        with self._lock:
            self.last_error = message

    def stalled(self) -> bool:
        with self._lock:
            # Never having ticked counts from creation: a loop that fails from its first step is stalled too.
            since = self.last_tick or self.created
            return since is not None and self.clock.now() - since > self.stall_after

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "pipeline_started": self.started,
                "last_tick": self.last_tick.isoformat() if self.last_tick else None,
                "last_error": self.last_error,
            }
