"""The watchdog: if the pipeline loop stops ticking, say so by a path that does not depend on it.

It runs in its own thread, reads only the in-memory heartbeat, and sends straight through the
channels (not the outbox, which the stalled loop may be holding). /readyz fails at the same time.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sentinel.alerts.outbox import Sender
from sentinel.domain.alerting import EventKind, Notification, Recipient
from sentinel.domain.timeutil import Clock, iso
from sentinel.health import Health

log = logging.getLogger(__name__)


class Watchdog:
    def __init__(self, health: Health, sender: Sender, clock: Clock, check_every: float = 10.0) -> None:
        self.health = health
        self.sender = sender
        self.clock = clock
        self.check_every = check_every
        self.alerted_for: datetime | None = None  # the heartbeat we already raised the alarm about

    def check_once(self) -> Notification | None:
        if not self.health.stalled():
            self.alerted_for = None
            return None
        last = self.health.last_tick or self.health.created
        if last is None or self.alerted_for == last:
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
        log.critical("pipeline stalled since %s; raising the watchdog alarm", iso(last))
        try:
            error = self.sender(notification, now)
        except Exception as exc:  # noqa: BLE001 - a failed alarm is retried on the next check
            error = f"{type(exc).__name__}: {exc}"
        if error is None:
            self.alerted_for = last
        else:
            log.error("watchdog alarm not delivered: %s", error)
        return notification

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.check_every):
            self.check_once()
