"""The embedded pipeline loop: classify → incidents → clock tick → notification dispatch."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sentinel.alerts.engine import ClockEngine
from sentinel.alerts.outbox import OutboxDispatcher
from sentinel.classify.stage import ClassifyStage
from sentinel.domain.timeutil import Clock, ScaledClock
from sentinel.health import Health
from sentinel.incidents.stage import IncidentStage
from sentinel.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)
IDLE_WAIT = 0.5  # seconds; a new post wakes the loop at once through `wake`
MAX_ERROR_WAIT = 5.0  # seconds; the back-off after loop errors stays short, clocks are waiting


class ClockFailure(RuntimeError):
    """Clocks that were due could not fire."""

    def __init__(self, failing: dict[str, str]) -> None:
        first, error = next(iter(failing.items()))
        super().__init__(f"{len(failing)} 个计时无法触发 / clocks could not fire, e.g. {first}: {error}")


@dataclass
class Pipeline:
    store: SQLiteStore
    classify: ClassifyStage
    incidents: IncidentStage
    engine: ClockEngine
    outbox: OutboxDispatcher
    clock: Clock
    health: Health
    inline_outbox: bool = True  # False when the runtime runs the outbox in its own thread
    search_index: bool = True  # False in a drill: its store is thrown away, nobody searches it

    def step(self) -> int:
        """One pass over every stage; returns how much work was done (0 = idle).

        Each stage runs on its own: a stage that fails (a locked database, a bug on one post) is
        logged and shown in /readyz, and the clock tick still runs — reminders and breaches must
        not wait for ingest or grouping to recover.
        """
        stages: list[Callable[[], int]] = [self.classify.run_once, self.incidents.run_once, self._tick]
        if self.search_index:
            stages.insert(0, self.store.index_pending)
        if self.inline_outbox:
            stages.append(self.outbox.run_once)
        work = 0
        failed = False
        for stage in stages:
            try:
                work += stage()
            except Exception as exc:  # noqa: BLE001 - isolate the stage; the error is visible in /readyz
                log.exception("pipeline stage failed")
                self.health.error(f"{type(exc).__name__}: {exc}")
                failed = True
        if not failed:
            self.health.beat()
        return work

    def _tick(self) -> int:
        fired = len(self.engine.tick())
        if self.engine.failing:  # the other clocks have fired; this marks the pass failed
            raise ClockFailure(self.engine.failing)
        return fired

    def drain(self, max_steps: int = 100_000) -> None:
        for _ in range(max_steps):
            if self.step() == 0:
                return

    def run(self, stop: threading.Event, wake: threading.Event) -> None:
        failures = 0
        while not stop.is_set():
            try:
                if self.step():
                    continue
                # A clock that cannot fire stays due: retry it at the error pace, not in a busy loop.
                wait = MAX_ERROR_WAIT if self.engine.failing else self._idle_wait()
                failures = 0
            except Exception as exc:  # noqa: BLE001 - a busy store must not end the loop for good
                failures += 1
                log.exception("pipeline loop failed (%d in a row); trying again", failures)
                self.health.error(f"{type(exc).__name__}: {exc}")
                wait = min(MAX_ERROR_WAIT, IDLE_WAIT * 2 ** (failures - 1))
            wake.wait(wait)
            wake.clear()

    def _idle_wait(self) -> float:
        upcoming = self.store.next_fire_time()
        if upcoming is None:
            return IDLE_WAIT
        delta = (upcoming - self.clock.now()).total_seconds()
        if isinstance(self.clock, ScaledClock):
            delta /= self.clock.speed
        return max(0.0, min(IDLE_WAIT, delta))
