"""The clock engine: starts, fulfils, cancels and ticks response clocks; state lives in the store.

Commit order (written once, here): a step's notification is put in the outbox and the clock's
`next_step` advanced in ONE transaction; the dispatcher sends from the outbox afterwards with the
notification's dedup key (incident, window, step). A crash between the two re-sends at most once
more (tolerable); nothing is ever skipped.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from sentinel.alerts.messages import compose
from sentinel.alerts.policies import PolicySet, WindowPolicy, policy_from_snapshot
from sentinel.alerts.schedule import Step, schedule_for
from sentinel.domain.alerting import (
    ClockStatus,
    EventKind,
    Notification,
    Recipient,
    ResponseClock,
    WindowKind,
)
from sentinel.domain.audit import AuditEvent
from sentinel.domain.codes import Grade
from sentinel.domain.incident import Incident, IncidentStatus
from sentinel.domain.timeutil import Clock, to_shanghai
from sentinel.store.sqlite import SQLiteStore
from sentinel.store.sqlite_incidents import CLOCKS

log = logging.getLogger(__name__)
LATE_GRACE = timedelta(seconds=60)  # a step fired later than this after its time is marked late
ACKNOWLEDGED = {
    IncidentStatus.acknowledged, IncidentStatus.responding, IncidentStatus.released,
    IncidentStatus.press_conference_held, IncidentStatus.closed,
}


class WorkdayCalculator(Protocol):
    def add_workdays(self, start: datetime, n: int) -> tuple[datetime, list[str]]: ...


RecipientResolver = Callable[[tuple[str, ...], Incident], tuple[Recipient, ...]]


def default_recipients(policies: PolicySet) -> RecipientResolver:
    @lru_cache(maxsize=16384)  # every step of every clock asks; the answer depends on these two only (a few roles × units)
    def for_unit(roles: tuple[str, ...], unit: str | None) -> tuple[Recipient, ...]:
        # No channels of their own: the dispatcher uses channels.yaml's default chain (console last).
        return tuple(Recipient(name=policies.role_zh(role), role=role, unit=unit) for role in roles)

    def resolve(roles: tuple[str, ...], incident: Incident) -> tuple[Recipient, ...]:
        return for_unit(roles, incident.owner_unit)

    return resolve


class ClockEngine:
    def __init__(
        self,
        store: SQLiteStore,
        policies: PolicySet,
        clock: Clock,
        workdays: WorkdayCalculator | None = None,
        recipients: RecipientResolver | None = None,
        link_base: str = "",
        late_grace: timedelta = LATE_GRACE,
    ) -> None:
        self.store = store
        self.policies = policies
        self.clock = clock
        self.workdays = workdays
        self.recipients = recipients or default_recipients(policies)
        self.link_base = link_base
        self.late_grace = late_grace
        # Clocks the last tick could not fire (id → error). The pipeline reports them: no heartbeat,
        # /readyz fails and the watchdog pages, rather than a deadline passing with only a log line.
        self.failing: dict[str, str] = {}
        self._snapshots: dict[int, tuple[WindowPolicy, str]] = {}  # see _snapshot

    # -- which windows an incident requires ------------------------------------------------------
    def required_windows(self, incident: Incident) -> list[WindowPolicy]:
        if incident.status == IncidentStatus.closed:
            return []
        needed = [window for window in self.policies.windows if _applies(window, incident)]
        # A serious+ incident's release/press windows supersede the generic 48 h response window.
        if any(w.starts_on == "grade" for w in needed):
            needed = [w for w in needed if w.starts_on != "needs_response"]
        return needed

    def _still_required(self, clock: ResponseClock, incident: Incident, required: dict[WindowKind, WindowPolicy]) -> bool:
        """Judged by the policy the clock started under, not today's file: editing policies.yaml
        changes new incidents, never running clocks. Only a change of the incident (its grade, its
        need for a response, a stricter window superseding it) ends one."""
        if clock.window in required:
            return True
        snapshot = policy_from_snapshot(clock.policy_snapshot) if clock.policy_snapshot else None
        if snapshot is None or incident.status == IncidentStatus.closed or not _applies(snapshot, incident):
            return False
        superseded = snapshot.starts_on == "needs_response" and any(w.starts_on == "grade" for w in required.values())
        return not superseded

    # -- changes driven by the incident stage and staff actions ----------------------------------
    def sync_incident(self, conn: sqlite3.Connection, incident: Incident, actor: str = "system",
                      horizon: datetime | None = None) -> list[Notification]:
        """Start clocks the incident now requires; cancel ones it no longer requires (audited).
        `horizon`: see start_clock."""
        now = self.clock.now()
        existing = {c.window: c for c in self._clocks(conn, incident.id, first_only=True)}
        required = {w.kind: w for w in self.required_windows(incident)}
        out: list[Notification] = []
        for kind, policy in required.items():
            clock = existing.get(kind)
            if clock is None:
                out += self.start_clock(conn, incident, policy, incident.clock_start, now, actor, horizon=horizon)
            elif clock.status == ClockStatus.cancelled:
                # Required again (upgraded after a downgrade, reopened): counted from the incident's
                # start under its first policy and id, so steps already sent are not sent again.
                out += self.start_clock(conn, incident, policy_from_snapshot(clock.policy_snapshot) if clock.policy_snapshot
                                        else policy, incident.clock_start, now, actor, clock_id=clock.id, horizon=horizon)
        for clock in existing.values():
            if clock.status in (ClockStatus.running, ClockStatus.breached) and _event_window(clock) and (
                    not self._still_required(clock, incident, required)):
                out += self.cancel_clock(conn, incident, clock, now, actor, reason="grade_or_need_changed")
        out += self._sync_follow_ups(conn, incident, existing, required, now, actor)
        return out

    def _sync_follow_ups(
        self, conn: sqlite3.Connection, incident: Incident, existing: dict[WindowKind, ResponseClock],
        required: dict[WindowKind, WindowPolicy], now: datetime, actor: str,
    ) -> list[Notification]:
        """持续发布 follows its release window: cancelled when a downgrade ends that window (an
        exercise after all), resumed from now when an upgrade brings it back."""
        out: list[Notification] = []
        for policy in self.policies.windows:
            if not policy.starts_on.startswith("fulfilled:"):
                continue
            source = existing.get(WindowKind(policy.starts_on.removeprefix("fulfilled:")))
            if source is None or source.status != ClockStatus.fulfilled:
                continue  # nothing follows yet: no release recorded
            if self._still_required(source, incident, required):
                out += self.resume_follow_ups(conn, incident, actor, reasons=("grade_or_need_changed",))
                continue
            for clock in self._clocks(conn, incident.id, open_only=True):
                if clock.window == policy.kind:
                    out += self.cancel_clock(conn, incident, clock, now, actor, reason="grade_or_need_changed")
        return out

    def start_clock(
        self, conn: sqlite3.Connection, incident: Incident, policy: WindowPolicy, start: datetime, now: datetime,
        actor: str = "system", clock_id: str | None = None, horizon: datetime | None = None,
    ) -> list[Notification]:
        """`horizon`: replaying the past (a merge carrying releases over), steps after it are left
        for `catch_up`, so that a later replayed release can still meet them."""
        due, warnings = self.due_for(policy, start)
        snapshot = self._snapshot(policy)
        steps = schedule_for(snapshot, start, due)
        # `opened` always goes out at once. Of the later steps already in the past (late ingestion,
        # an upgrade counted from the original start) only the latest of each kind and rung fires,
        # at once and marked late (`_catch_up_plan`); older ones would only be noise. Steps missed
        # during downtime are another matter: tick() fires every one of them.
        acknowledged = incident.status in ACKNOWLEDGED
        chosen, next_step, breached, skipped = _catch_up_plan(steps, 1, horizon or now, acknowledged)
        clock = ResponseClock(
            id=clock_id or f"{incident.id}:{policy.kind.value}",
            incident_id=incident.id,
            window=policy.kind,
            started_at=start,
            due_at=due,
            policy_name=policy.name,
            policy_snapshot=snapshot,
            next_step=next_step,
            next_fire_at=steps[next_step].at if next_step < len(steps) else None,
            status=ClockStatus.breached if breached else ClockStatus.running,
            warning="；".join(warnings),
        )
        self.store.save_clock(conn, clock)
        opened = self._emit(conn, incident, clock, steps[0], now)
        for i in chosen:
            opened += self._emit(conn, incident, clock, steps[i], now)
        self.store.add_audit(conn, AuditEvent(
            at=now, actor=actor, action="clock_started", incident_id=incident.id,
            details={"window": policy.kind.value, "start": start.isoformat(), "due": due.isoformat(),
                     "skipped_past_steps": [steps[i].id for i in skipped], "warnings": warnings},
        ))
        if horizon is not None:
            return opened
        return opened + self._fire_due(conn, incident, clock, now)

    def catch_up(self, conn: sqlite3.Connection, incident: Incident, actor: str) -> list[Notification]:
        """After a replay (`horizon`), each open clock's steps now past fire as a late start's do."""
        now = self.clock.now()
        out: list[Notification] = []
        for clock in self._clocks(conn, incident.id, open_only=True):
            steps = schedule_for(clock.policy_snapshot, clock.started_at, clock.due_at)
            chosen, next_step, breached, skipped = _catch_up_plan(steps, clock.next_step, now, incident.status in ACKNOWLEDGED)
            if next_step == clock.next_step:
                continue
            status = ClockStatus.breached if breached else clock.status
            clock = clock.model_copy(update={"next_step": next_step, "status": status,
                                             "next_fire_at": steps[next_step].at if next_step < len(steps) else None})
            self.store.save_clock(conn, clock)
            for i in chosen:
                out += self._emit(conn, incident, clock, steps[i], now)
            if skipped:
                self.store.add_audit(conn, AuditEvent(
                    at=now, actor=actor, action="clock_caught_up", incident_id=incident.id,
                    details={"window": clock.window.value, "skipped_past_steps": [steps[i].id for i in skipped]}))
        return out

    def open_document_clocks(self, conn: sqlite3.Connection, incident_id: str) -> list[ResponseClock]:
        """The running or breached windows a staff action started (依申请公开, 政策解读)."""
        return [c for c in self._clocks(conn, incident_id, first_only=True, open_only=True) if _document_window(c)]

    def resume_documents(self, conn: sqlite3.Connection, incident: Incident, actor: str) -> list[Notification]:
        """A reopen gives back the document windows closing stopped, with their own start and
        deadline (a 依申请公开 reply is owed whatever became of the incident); steps that fell due
        while it was closed fire as a late start's do."""
        now = self.clock.now()
        for clock in self._clocks(conn, incident.id, first_only=True):
            if clock.status != ClockStatus.cancelled or clock.cancel_reason != "incident_closed" or not _document_window(clock):
                continue
            steps = schedule_for(clock.policy_snapshot, clock.started_at, clock.due_at)
            self.store.save_clock(conn, clock.model_copy(update={
                "status": ClockStatus.breached if clock.due_at < now else ClockStatus.running,
                "cancelled_at": None, "cancel_reason": None,
                "next_fire_at": steps[clock.next_step].at if clock.next_step < len(steps) else None}))
            self.store.add_audit(conn, AuditEvent(at=now, actor=actor, action="clock_resumed", incident_id=incident.id,
                                                  details={"window": clock.window.value}))
        return self.catch_up(conn, incident, actor)

    def adopt(self, conn: sqlite3.Connection, incident: Incident, clocks: list[ResponseClock], actor: str) -> list[str]:
        """A merge moves the merged-in incident's document windows (依申请公开, 政策解读: a staff
        action started them, nothing about the event will start them again) onto the incident it
        joins, with their start, deadline, extension and the steps already sent. Where both have
        one, the earlier deadline is kept: one window per incident. Returns the windows moved."""
        now = self.clock.now()
        existing = {c.window: c for c in self._clocks(conn, incident.id, first_only=True)}
        moved = []
        for clock in clocks:
            mine = existing.get(clock.window)
            if mine is not None and mine.status != ClockStatus.cancelled:
                if mine.status not in (ClockStatus.running, ClockStatus.breached) or mine.due_at <= clock.due_at:
                    continue
                self.cancel_clock(conn, incident, mine, now, actor, reason="merged")
            adopted = clock.model_copy(update={"id": f"{incident.id}:{clock.window.value}", "incident_id": incident.id})
            self.store.save_clock(conn, adopted)
            self.store.add_audit(conn, AuditEvent(
                at=now, actor=actor, action="clock_moved", incident_id=incident.id,
                details={"window": clock.window.value, "from": clock.incident_id, "due": clock.due_at.isoformat()}))
            moved.append(clock.window.value)
        return moved

    def restart_clocks(self, conn: sqlite3.Connection, incident: Incident, actor: str, only_cancelled: bool = False,
                       horizon: datetime | None = None) -> None:
        """Recount clocks from the incident's (new) start — an earlier occurrence time, a merge, a
        reopen. A restarted clock keeps its id, so steps already notified keep their dedup keys and
        are not sent again. `horizon`: see start_clock."""
        now = self.clock.now()
        required = {w.kind: w for w in self.required_windows(incident)}
        for clock in self._clocks(conn, incident.id, first_only=True):
            if clock.status == ClockStatus.fulfilled or clock.status == ClockStatus.cancelled and (
                    clock.cancel_reason == "incident_closed" and incident.status == IncidentStatus.closed):
                # Facts settled after the event (the after-action review finds it began earlier)
                # move a finished clock's deadline too, whether or not the incident is still open.
                if _event_window(clock):
                    self._recount_fulfilled(conn, clock, incident.clock_start)
                continue
            if clock.window not in required:
                continue
            if only_cancelled != (clock.status == ClockStatus.cancelled):
                continue
            if not only_cancelled and clock.started_at == incident.clock_start:
                continue
            # A running clock keeps the policy it started with (editing policies never moves it).
            policy = policy_from_snapshot(clock.policy_snapshot) if clock.policy_snapshot else required[clock.window]
            self.start_clock(conn, incident, policy, incident.clock_start, now, actor, clock_id=clock.id, horizon=horizon)
        self.sync_incident(conn, incident, actor, horizon=horizon)

    def _recount_fulfilled(self, conn: sqlite3.Connection, clock: ResponseClock, start: datetime) -> None:
        """A finished clock (fulfilled, or stopped by closing) whose event turns out to have begun
        earlier: nothing to send, but its deadline moves, so a release that was in fact late is
        counted late."""
        if clock.started_at == start:
            return
        due, _ = self.due_for(policy_from_snapshot(clock.policy_snapshot), start)
        self.store.save_clock(conn, clock.model_copy(update={"started_at": start, "due_at": due}))

    def cancel_clock(
        self, conn: sqlite3.Connection, incident: Incident, clock: ResponseClock, now: datetime, actor: str, reason: str
    ) -> list[Notification]:
        # When and why are kept: a clock cancelled after its deadline still counts as a breach.
        cancelled = clock.model_copy(update={"status": ClockStatus.cancelled, "next_fire_at": None,
                                             "cancelled_at": now, "cancel_reason": reason})
        self.store.save_clock(conn, cancelled)
        self.store.add_audit(conn, AuditEvent(
            at=now, actor=actor, action="clock_cancelled", incident_id=incident.id,
            details={"window": clock.window.value, "reason": reason},
        ))
        return []

    def fulfil(
        self, conn: sqlite3.Connection, incident: Incident, action: str, at: datetime, actor: str,
        window: str | None = None, *, events_only: bool = False, horizon: datetime | None = None,
    ) -> list[Notification]:
        """A staff action (record_release, …) fulfils the matching open clocks; may start follow-ups.
        `window` names the one window meant; without it, a document window (started by a staff
        action: 依申请公开, 政策解读) is fulfilled only when no event window shares the action, since
        answering the public on 微博 is not the written reply an applicant is owed."""
        now = self.clock.now()
        out: list[Notification] = []
        # A release entered after closing, made while its window was still open, is on the record too.
        candidates = [c for c in self._clocks(conn, incident.id) if c.status in (ClockStatus.running, ClockStatus.breached)
                      or c.status == ClockStatus.cancelled and c.cancel_reason == "incident_closed"
                      and c.cancelled_at is not None and c.started_at <= at <= c.cancelled_at]
        matching = [(clock, policy_from_snapshot(clock.policy_snapshot)) for clock in candidates]
        matching = [(c, p) for c, p in matching if p.fulfilled_by == action]
        if window is not None:
            matching = [(c, p) for c, p in matching if c.window.value == window]
            if not matching:
                raise ValueError(f"no open {window!r} window on {incident.id} that {action} fulfils")
        if not matching and incident.status == IncidentStatus.closed:
            raise ValueError(f"{incident.id} is closed and none of its windows that {action} fulfils was open at {at.isoformat()}")
        if events_only or any(not p.starts_on.startswith("action:") for _, p in matching):
            matching = [(c, p) for c, p in matching if not p.starts_on.startswith("action:")]
        for clock, _ in matching:
            done = clock.model_copy(update={"status": ClockStatus.fulfilled, "fulfilled_at": at, "next_fire_at": None})
            self.store.save_clock(conn, done)
            # A fulfilment entered after the fact can be on time although the breach already went out.
            note = "逾期完成" if at > clock.due_at else (
                "截止前已完成，此前的超时通知作废" if clock.status == ClockStatus.breached else "")
            out += self._emit(conn, incident, done, Step("fulfilled", at, EventKind.fulfilled, ("duty_officer",)), now, note)
        # Follow-up windows (持续发布 after a release), restarted by each new release, for incidents
        # that have the window they follow (a release recorded on a 48 h response incident starts none).
        for policy in self.policies.windows:
            source = policy.starts_on.removeprefix("fulfilled:")
            if window is not None and window not in (source, policy.kind.value):
                continue  # a document window named: no 持续发布 follows from it
            if policy.starts_on.startswith("fulfilled:") and self.policies.window(WindowKind(source)) is not None:
                source_policy = self.policies.window(WindowKind(source))
                if (source_policy and source_policy.fulfilled_by == action and incident.status != IncidentStatus.closed
                        and self._has_window(conn, incident.id, source)):
                    n = int(conn.execute("SELECT count(*) FROM clocks WHERE incident_id=? AND window=?",
                                         (incident.id, policy.kind.value)).fetchone()[0]) + 1
                    out += self.start_clock(conn, incident, policy, at, now, actor,
                                            clock_id=f"{incident.id}:{policy.kind.value}:{n}", horizon=horizon)
        return out

    def start_on_action(self, conn: sqlite3.Connection, incident: Incident, action: str, at: datetime, actor: str) -> list[str]:
        """Windows a staff action starts (a policy published, a 依申请公开 request), counted from `at`."""
        if incident.status == IncidentStatus.closed:
            raise ValueError(f"{incident.id} is closed")
        now = self.clock.now()
        existing = {c.window: c for c in self._clocks(conn, incident.id, first_only=True)}
        started = []
        for policy in self.policies.windows:
            if policy.starts_on != f"action:{action}":
                continue
            clock = existing.get(policy.kind)
            if clock is not None and clock.status != ClockStatus.cancelled:
                continue  # already running or done: one window per incident
            self.start_clock(conn, incident, policy, at, now, actor)
            started.append(policy.kind.value)
        return started

    def extend(self, conn: sqlite3.Connection, incident: Incident, window: str, actor: str) -> datetime:
        """The one extension a window's policy allows (依申请公开: 20 more working days), recorded and
        announced; only before the deadline. Returns the new deadline."""
        now = self.clock.now()
        clock = next((c for c in self._clocks(conn, incident.id, first_only=True, open_only=True)
                      if c.window.value == window), None)
        if clock is None:
            raise ValueError(f"no open {window!r} window on {incident.id}")
        policy = policy_from_snapshot(clock.policy_snapshot)
        if policy.extension is None:
            raise ValueError(f"the {policy.name} window allows no extension")
        if clock.extended_from is not None:
            raise ValueError(f"the {policy.name} window was already extended once")
        if now > clock.due_at:
            raise ValueError(f"the {policy.name} deadline has passed; an extension must be decided before it")
        due, warnings = self.due_for(policy.model_copy(update={"length": policy.extension}), clock.due_at)
        steps = schedule_for(clock.policy_snapshot, clock.started_at, due)
        index = next((i for i, step in enumerate(steps) if i > 0 and step.at > now), len(steps))
        extended = clock.model_copy(update={
            "due_at": due, "extended_from": clock.due_at, "next_step": index,
            "next_fire_at": steps[index].at if index < len(steps) else None,
            "warning": "；".join(x for x in (clock.warning, *warnings) if x)})
        self.store.save_clock(conn, extended)
        self._emit(conn, incident, extended, steps[0], now, f"已延长答复期限（原截止 {to_shanghai(clock.due_at):%m月%d日 %H:%M}）")
        self.store.add_audit(conn, AuditEvent(
            at=now, actor=actor, action="clock_extended", incident_id=incident.id,
            details={"window": window, "from": clock.due_at.isoformat(), "to": due.isoformat(), "warnings": warnings},
        ))
        return due

    def resume_follow_ups(self, conn: sqlite3.Connection, incident: Incident, actor: str,
                          reasons: tuple[str, ...] = ("incident_closed",)) -> list[Notification]:
        """After a reopen (or an upgrade back), 持续发布 resumes where closing (or the downgrade)
        stopped it, counted from now."""
        now = self.clock.now()
        out: list[Notification] = []
        for policy in self.policies.windows:
            if not policy.starts_on.startswith("fulfilled:"):
                continue
            clocks = [c for c in self._clocks(conn, incident.id) if c.window == policy.kind]
            latest = max(clocks, key=lambda c: c.started_at, default=None)
            if latest is not None and latest.status == ClockStatus.cancelled and latest.cancel_reason in reasons:
                snapshot = policy_from_snapshot(latest.policy_snapshot) if latest.policy_snapshot else policy
                out += self.start_clock(conn, incident, snapshot, now, now, actor,
                                        clock_id=f"{incident.id}:{policy.kind.value}:{len(clocks) + 1}")
        return out

    def close(self, conn: sqlite3.Connection, incident: Incident, actor: str, reason: str = "incident_closed") -> list[Notification]:
        now = self.clock.now()
        for clock in self._clocks(conn, incident.id, open_only=True):
            self.cancel_clock(conn, incident, clock, now, actor, reason=reason)
        return []

    # -- the tick --------------------------------------------------------------------------------
    def tick(self) -> list[Notification]:
        """Fire every step that is due, each exactly once; a step missed during downtime fires late."""
        now = self.clock.now()
        out: list[Notification] = []
        self.failing = {}
        for clock_id in self.store.clocks_due(now):
            try:
                with self.store.tx() as conn:
                    fresh = self._clock(conn, clock_id)  # another tick may have advanced it meanwhile
                    if fresh is None or fresh.next_fire_at is None or fresh.next_fire_at > now:
                        continue
                    incident = self.store.get_incident(fresh.incident_id)
                    if incident is None:
                        continue
                    out += self._fire_due(conn, incident, fresh, now)
            except Exception as exc:  # one unreadable clock must not hold back every clock due after it
                log.exception("clock %s could not fire; it is retried on the next tick", clock_id)
                self.failing[clock_id] = f"{type(exc).__name__}: {exc}"
        return out

    def _fire_due(self, conn: sqlite3.Connection, incident: Incident, clock: ResponseClock, now: datetime) -> list[Notification]:
        steps = schedule_for(clock.policy_snapshot, clock.started_at, clock.due_at)
        out: list[Notification] = []
        index = clock.next_step
        status = clock.status
        while index < len(steps) and steps[index].at <= now:
            step = steps[index]
            index += 1
            if step.only_if_unacknowledged and incident.status in ACKNOWLEDGED:
                continue
            if step.kind == EventKind.breach:
                status = ClockStatus.breached
            out += self._emit(conn, incident, clock, step, now)
        next_fire_at = steps[index].at if index < len(steps) else None
        if (index, status, next_fire_at) == (clock.next_step, clock.status, clock.next_fire_at):
            return out  # nothing was due (a clock just started): the stored clock already says so
        self.store.save_clock(conn, clock.model_copy(update={"next_step": index, "status": status, "next_fire_at": next_fire_at}))
        return out

    def _emit(
        self, conn: sqlite3.Connection, incident: Incident, clock: ResponseClock, step: Step, now: datetime, note: str = ""
    ) -> list[Notification]:
        late = now - step.at > self.late_grace
        link = f"{self.link_base}/incidents/{incident.id}" if self.link_base else None
        extra = "；".join(x for x in (clock.warning, note) if x)
        if step.kind == EventKind.opened and clock.due_at - now < (clock.due_at - clock.started_at) / 2:
            extra = (extra + "；" if extra else "") + "注意：信息迟到，时限已过半，请立即处置"
        title, body = compose(step.kind, incident, clock.window, clock.due_at, now, extra=extra)
        notification = Notification(
            # An extended clock's steps are new steps (the reminder a day before the new deadline).
            dedup_key=f"{clock.id}{':extended' if clock.extended_from else ''}:{step.id}",
            kind=step.kind,
            incident_id=incident.id,
            incident_title=incident.title,
            grade_zh=incident.grade.zh,
            window=clock.window.value,
            window_zh=clock.policy_name,
            due=clock.due_at,
            at=step.at,
            fired_at=now,
            late=late,
            recipients=self.recipients(step.roles, incident),
            owner_unit=incident.owner_unit,
            title_zh=title,
            body_zh=body,
            link=link,
        )
        return [notification] if self.store.enqueue_notification(conn, notification) else []

    # -- helpers ---------------------------------------------------------------------------------
    def due_for(self, policy: WindowPolicy, start: datetime) -> tuple[datetime, list[str]]:
        if policy.length.hours is not None:
            return start + timedelta(hours=policy.length.hours), []
        assert policy.length.working_days is not None  # noqa: S101 - validated by Length
        if self.workdays is None:
            raise RuntimeError(f"window {policy.kind} counts working days but no calendar is configured")
        return self.workdays.add_workdays(start, policy.length.working_days)

    def _snapshot(self, policy: WindowPolicy) -> str:
        """The policy as JSON, as a clock keeps it; written once per policy object, not per clock
        started (policies are long-lived and frozen). The entry holds the object, so its id is not
        reused while it is kept; the table is emptied when it grows past what policies.yaml and the
        snapshot cache produce."""
        known = self._snapshots.get(id(policy))
        if known is None or known[0] is not policy:
            if len(self._snapshots) >= 1024:
                self._snapshots.clear()
            known = self._snapshots[id(policy)] = (policy, policy.model_dump_json())
        return known[1]

    @staticmethod
    def _clocks(conn: sqlite3.Connection, incident_id: str, *, first_only: bool = False, open_only: bool = False) -> list[ResponseClock]:
        """first_only: one clock per window (id incident:window), not the 持续发布 repeats;
        open_only: running or breached. Filtered in SQL: an incident can collect many clocks."""
        sql = "SELECT body FROM clocks WHERE incident_id=?"
        if first_only:
            sql += " AND id = incident_id || ':' || window"
        if open_only:
            sql += " AND status IN ('running', 'breached')"
        rows = conn.execute(sql + " ORDER BY id", (incident_id,)).fetchall()
        return [CLOCKS.parse(r[0]) for r in rows]

    @staticmethod
    def _has_window(conn: sqlite3.Connection, incident_id: str, window: str) -> bool:
        return conn.execute("SELECT 1 FROM clocks WHERE incident_id=? AND window=? AND status != 'cancelled' LIMIT 1",
                            (incident_id, window)).fetchone() is not None

    @staticmethod
    def _clock(conn: sqlite3.Connection, clock_id: str) -> ResponseClock | None:
        row = conn.execute("SELECT body FROM clocks WHERE id=?", (clock_id,)).fetchone()
        return None if row is None else CLOCKS.parse(row[0])


def _applies(window: WindowPolicy, incident: Incident) -> bool:
    """Whether an incident's grade or need for a response calls for this window."""
    if window.starts_on == "grade":
        return incident.grade in window.grades
    if window.starts_on == "needs_response":
        return incident.needs_response and (not window.grades or incident.grade in window.grades or incident.grade == Grade.none)
    return False


def _event_window(clock: ResponseClock) -> bool:
    """A window the incident's grade or need starts (not a document or follow-up window)."""
    if not clock.policy_snapshot:
        return True
    return policy_from_snapshot(clock.policy_snapshot).starts_on in ("grade", "needs_response")


def _catch_up_plan(
    steps: tuple[Step, ...], first: int, horizon: datetime, acknowledged: bool
) -> tuple[list[int], int, bool, list[int]]:
    """Of the steps from `first` on that are already past at `horizon`: which to send now (the
    breach if the deadline has passed, since it goes to every rung; else the latest of each kind
    and rung, so the office head's escalation is not lost behind the leader's), the next step, whether
    the deadline passed, and the steps passed over."""
    past = [i for i in range(first, len(steps)) if steps[i].at <= horizon]
    applicable = [i for i in past if not (steps[i].only_if_unacknowledged and acknowledged)]
    breach = [i for i in applicable if steps[i].kind == EventKind.breach]
    if breach:
        chosen = breach[-1:]
    else:
        latest = {(steps[i].kind, steps[i].roles): i for i in applicable}
        chosen = sorted(latest.values())
    next_step = past[-1] + 1 if past else first
    return chosen, next_step, bool(breach), [i for i in past if i not in chosen]


def _document_window(clock: ResponseClock) -> bool:
    """A window a staff action started (starts_on: action:…), not the incident's grade or need."""
    return bool(clock.policy_snapshot) and policy_from_snapshot(clock.policy_snapshot).starts_on.startswith("action:")
