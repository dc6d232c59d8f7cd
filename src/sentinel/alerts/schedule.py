"""The ordered steps a response clock fires: escalation rungs, reminders, the breach, repeats.

A schedule is a pure function of (policy snapshot, start, due), so a restarted engine recomputes
exactly the same steps and step ids; the clock only stores how far it got (`next_step`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from sentinel.alerts.policies import WindowPolicy, policy_from_snapshot
from sentinel.domain.alerting import EventKind

# Bound for repeats, so a misconfigured policy can never produce an unbounded schedule.
MAX_REPEATS = 200


class Step(NamedTuple):
    """Immutable; a named tuple rather than a frozen dataclass, which costs several times as much to
    build (a serious incident's release window has some 35 steps, built for every clock started)."""

    id: str  # stable within the clock: part of the notification dedup key
    at: datetime
    kind: EventKind
    roles: tuple[str, ...]
    only_if_unacknowledged: bool = False


@lru_cache(maxsize=8192)
def schedule_for(snapshot: str, start: datetime, due: datetime) -> tuple[Step, ...]:
    """The schedule of a clock's policy snapshot, computed once per clock rather than on every
    step it fires (a pure function, so a cached answer is the same answer)."""
    return tuple(build_schedule(policy_from_snapshot(snapshot), start, due))


def build_schedule(policy: WindowPolicy, start: datetime, due: datetime) -> list[Step]:
    steps: list[Step] = []
    span = due - start
    first_roles = policy.escalation[0].to if policy.escalation else ("duty_officer",)
    steps.append(Step("opened", start, EventKind.opened, tuple(first_roles)))
    for index, rung in enumerate(policy.escalation[1:], start=1):
        steps.append(Step(f"escalation#{index}", start + rung.after, EventKind.escalation, rung.to, True))
    if policy.escalation and policy.repeat_every:
        last = policy.escalation[-1]
        at = start + last.after + policy.repeat_every
        limit = due + policy.repeat_until_after_due
        count = 0
        while at <= limit and count < MAX_REPEATS:
            count += 1
            steps.append(Step(f"escalation#{len(policy.escalation) - 1}+{count}", at, EventKind.escalation, last.to, True))
            at += policy.repeat_every
    for reminder in policy.reminders:
        if reminder.fraction is not None:
            at = start + span * reminder.fraction
        else:
            at = due - (reminder.before or timedelta(0))
        if start < at < due:
            steps.append(Step(reminder.step_id, at, EventKind.reminder, ("duty_officer",)))
    steps.append(Step("breach", due, EventKind.breach, policy.on_breach or ("duty_officer",)))
    order = {EventKind.opened: 0, EventKind.reminder: 1, EventKind.escalation: 2, EventKind.breach: 3}
    steps.sort(key=lambda s: (s.at, order.get(s.kind, 9), s.id))
    return steps
