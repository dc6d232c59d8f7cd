"""Timeliness for leaders: per unit and window kind, on-time rate, median time to fulfil, and the
list of breaches (the 督办 and 通报 list), computed from the clocks in the store."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel

from sentinel.domain.alerting import WINDOW_NAMES_ZH, ClockStatus, ResponseClock
from sentinel.store.sqlite import SQLiteStore


class WindowStats(BaseModel):
    unit: str
    window: str
    window_zh: str
    total: int  # clocks started in the period (cancelled before their deadline excluded)
    on_time: int
    late: int  # fulfilled after the deadline
    overdue: int  # deadline passed, not fulfilled (still open, or cancelled after the deadline)
    running: int
    on_time_rate: float | None  # on_time / (on_time + late + overdue); None when nothing was due yet
    median_minutes_to_fulfil: float | None


class Breach(BaseModel):
    incident_id: str
    title: str
    unit: str
    window: str
    window_zh: str
    due_at: datetime
    fulfilled_at: datetime | None
    minutes_late: float  # until fulfilment, until cancellation, or until now if still open
    cancelled: str | None = None  # why the clock was stopped after its deadline (incident_closed, grade_or_need_changed)


class Timeliness(BaseModel):
    since: datetime | None
    until: datetime | None
    windows: list[WindowStats]
    breaches: list[Breach]


def timeliness(store: SQLiteStore, now: datetime, since: datetime | None = None, until: datetime | None = None) -> Timeliness:
    groups: dict[tuple[str, str], list[ResponseClock]] = defaultdict(list)
    breaches: list[Breach] = []
    every_clock = store.list_clocks(limit=1_000_000)
    titles = store.incident_titles({clock.incident_id for clock in every_clock})
    for clock in every_clock:
        if clock.status == ClockStatus.cancelled and not _cancelled_late(clock):
            continue
        if (since and clock.started_at < since) or (until and clock.started_at >= until):
            continue
        title, owner, merged_into = titles.get(clock.incident_id, ("?", None, None))
        if merged_into:
            continue  # a merged-in incident's releases were carried to the incident it joined, and count there
        unit = owner or "未指定"
        groups[(unit, clock.window.value)].append(clock)
        late_until = clock.fulfilled_at or clock.cancelled_at or (now if clock.due_at < now else None)
        if late_until is not None and late_until > clock.due_at:
            breaches.append(Breach(
                incident_id=clock.incident_id, title=title, unit=unit, window=clock.window.value,
                window_zh=WINDOW_NAMES_ZH[clock.window], due_at=clock.due_at, fulfilled_at=clock.fulfilled_at,
                minutes_late=round((late_until - clock.due_at).total_seconds() / 60, 1), cancelled=clock.cancel_reason,
            ))
    rows = []
    for (unit, window), clocks in sorted(groups.items()):
        on_time = sum(1 for c in clocks if c.fulfilled_at is not None and c.fulfilled_at <= c.due_at)
        late = sum(1 for c in clocks if c.fulfilled_at is not None and c.fulfilled_at > c.due_at)
        overdue = sum(1 for c in clocks if c.fulfilled_at is None and (c.due_at < now or c.cancelled_at is not None))
        decided = on_time + late + overdue
        durations = [(c.fulfilled_at - c.started_at).total_seconds() / 60 for c in clocks if c.fulfilled_at]
        rows.append(WindowStats(
            unit=unit, window=window, window_zh=WINDOW_NAMES_ZH[clocks[0].window], total=len(clocks),
            on_time=on_time, late=late, overdue=overdue, running=len(clocks) - decided,
            on_time_rate=round(on_time / decided, 4) if decided else None,
            median_minutes_to_fulfil=round(statistics.median(durations), 1) if durations else None,
        ))
    breaches.sort(key=lambda b: b.due_at)
    return Timeliness(since=since, until=until, windows=rows, breaches=breaches)


def _cancelled_late(clock: ResponseClock) -> bool:
    """A breach stays on the record when the incident is later closed or downgraded: 督办 must not
    lose it. A clock cancelled by a merge is counted in the incident it joined instead."""
    return (clock.cancelled_at is not None and clock.cancelled_at > clock.due_at
            and clock.cancel_reason != "merged")
