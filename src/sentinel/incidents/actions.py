"""Staff actions on incidents (API, CLI and `simulate`): each one changes the incident, lets the
clock engine start, fulfil or cancel clocks, and is written to the audit log with who and when —
all in one transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from enum import StrEnum
from typing import Any

from sentinel.alerts.engine import ClockEngine
from sentinel.alerts.policies import policy_from_snapshot
from sentinel.domain.alerting import EventKind, Notification, ResponseClock
from sentinel.domain.audit import AuditEvent
from sentinel.domain.classification import Classification
from sentinel.domain.codes import Grade, Sentiment
from sentinel.domain.incident import Heat, Incident, IncidentStatus
from sentinel.domain.post import Post
from sentinel.domain.timeutil import Clock
from sentinel.incidents.ownership import Ownership
from sentinel.incidents.stage import TITLED_SOURCES, heat_of, title_of
from sentinel.store.sqlite import SQLiteStore


class Action(StrEnum):
    acknowledge = "acknowledge"
    set_grade = "set_grade"
    set_occurrence_time = "set_occurrence_time"
    record_release = "record_release"
    record_press_conference = "record_press_conference"
    record_response = "record_response"
    mark_rumour_refuted = "mark_rumour_refuted"
    mark_needs_response = "mark_needs_response"
    assign_unit = "assign_unit"
    merge = "merge"
    split_incident = "split"
    close = "close"
    reopen = "reopen"
    # Document windows (alerts/policies.yaml, starts_on: action:<name>), counted in working days.
    policy_published = "policy_published"  # a policy document was issued: interpretation due
    disclosure_request = "disclosure_request"  # a 依申请公开 request was received: reply due
    extend_deadline = "extend_deadline"  # the one extension a window allows (依申请公开 +20 working days)


class ActionError(ValueError):
    """The action cannot apply (unknown incident, bad parameter); nothing was changed."""


_FULFILS = {
    Action.record_release: IncidentStatus.released,
    Action.record_press_conference: IncidentStatus.press_conference_held,
    Action.record_response: IncidentStatus.responding,
}
_PROGRESS = (IncidentStatus.new, IncidentStatus.acknowledged, IncidentStatus.responding, IncidentStatus.released,
             IncidentStatus.press_conference_held)


def _furthest(*statuses: IncidentStatus) -> IncidentStatus:
    """Statuses only move forward: a response recorded after the press conference does not undo it."""
    return max((s for s in statuses if s in _PROGRESS), key=_PROGRESS.index, default=IncidentStatus.acknowledged)


class IncidentActions:
    def __init__(self, store: SQLiteStore, engine: ClockEngine, ownership: Ownership, clock: Clock) -> None:
        self.store = store
        self.engine = engine
        self.ownership = ownership
        self.clock = clock

    def apply(self, incident_id: str, action: Action | str, actor: str, **params: Any) -> Incident:
        with self.store.tx() as conn:
            return self.apply_in(conn, incident_id, action, actor, **params)

    def apply_in(self, conn: sqlite3.Connection, incident_id: str, action: Action | str, actor: str,
                 why: dict[str, Any] | None = None, **params: Any) -> Incident:
        """`apply` inside a transaction the caller holds (the incidents stage merging two incidents
        grouping found to be one event); `why` is added to the audit record's details."""
        action = Action(action)
        now = self.clock.now()
        incident = self.store.load_incident(conn, incident_id)
        if incident is None:
            raise ActionError(f"no such incident: {incident_id}")
        if incident.merged_into:  # its posts and clocks are the other incident's now
            raise ActionError(f"{incident_id} was merged into {incident.merged_into}: act on {incident.merged_into}")
        try:
            updated, details = self._change(conn, incident, action, actor, now, params)
        except ValueError as exc:  # the engine's refusals (no such window, already extended …)
            raise exc if isinstance(exc, ActionError) else ActionError(str(exc)) from exc
        self.store.save_incident(conn, updated, signature=None)
        self.store.add_audit(conn, AuditEvent(at=now, actor=actor, action=action.value, incident_id=incident_id,
                                              details={**details, **(why or {})}))
        return updated

    def _change(
        self, conn: sqlite3.Connection, inc: Incident, action: Action, actor: str, now: datetime, p: dict[str, Any]
    ) -> tuple[Incident, dict[str, Any]]:
        engine = self.engine
        if action == Action.acknowledge:
            if inc.status == IncidentStatus.closed:
                raise ActionError(f"{inc.id} is closed")
            acknowledged = IncidentStatus.acknowledged if inc.status == IncidentStatus.new else inc.status
            return inc.model_copy(update={"status": acknowledged}), {}
        if action == Action.set_grade:
            grade = Grade(_param(p, "grade"))
            needs = inc.needs_response or grade in (Grade.relatively_serious, Grade.general)
            if grade == Grade.none:  # not an incident after all: only staff or heat keep the 48 h response
                needs = self._marked(conn, inc.id, "mark_needs_response") or inc.heat.score >= engine.policies.heat_threshold
            updated = inc.model_copy(update={"grade": grade, "grade_source": "staff", "needs_response": needs})
            engine.sync_incident(conn, updated, actor)
            return updated, {"from": inc.grade.value, "to": grade.value, "reason": p.get("reason", "")}
        if action == Action.set_occurrence_time:
            at = _aware(_param(p, "at"))
            if at > now:
                raise ActionError("occurrence time is in the future")
            updated = inc.model_copy(update={"occurred_at": at})
            self.engine.restart_clocks(conn, updated, actor)
            return updated, {"occurred_at": at.isoformat()}
        if action in _FULFILS:
            at = _aware(p.get("at") or now)
            if at > now:
                raise ActionError("the time given is in the future")
            engine.fulfil(conn, inc, action.value, at, actor, window=p.get("window") or None)
            status = inc.status if inc.status == IncidentStatus.closed else _furthest(inc.status, _FULFILS[action])
            details = {k: v for k, v in p.items() if k in ("url", "channel", "note", "window") and v} | {"at": at.isoformat()}
            return inc.model_copy(update={"status": status}), details
        if action == Action.mark_rumour_refuted:
            return inc.model_copy(update={"rumour": True}), {"url": p.get("url")}
        if action == Action.mark_needs_response:
            updated = inc.model_copy(update={"needs_response": True})
            engine.sync_incident(conn, updated, actor)
            return updated, {}
        if action == Action.assign_unit:
            unit = self.ownership.units.get(str(_param(p, "unit")))
            if unit is None:
                raise ActionError(f"unknown unit {p['unit']!r}")
            return inc.model_copy(update={"owner_unit": unit.name, "region": unit.regions[0] if unit.regions else None}), {
                "unit": unit.id}
        if action == Action.close:
            if inc.status == IncidentStatus.closed:
                raise ActionError(f"{inc.id} is already closed")
            engine.close(conn, inc, actor)
            self._emit_closed(conn, inc, now)
            self.store.regroup(conn, inc.id)  # a closed incident stops collecting posts; new ones open anew
            return inc.model_copy(update={"status": IncidentStatus.closed}), {"note": p.get("note", ""),
                                                                              "from_status": inc.status.value}
        if action == Action.reopen:
            if inc.status != IncidentStatus.closed:
                raise ActionError(f"{inc.id} is not closed")
            updated = inc.model_copy(update={"status": self._status_before_close(conn, inc.id)})
            engine.restart_clocks(conn, updated, actor, only_cancelled=True)
            engine.resume_follow_ups(conn, updated, actor)
            engine.resume_documents(conn, updated, actor)
            self.store.regroup(conn, inc.id)
            return updated, {"status": updated.status.value}
        if action in (Action.policy_published, Action.disclosure_request):
            at = _aware(p.get("at") or now)
            if at > now:
                raise ActionError("the time given is in the future")
            started = engine.start_on_action(conn, inc, action.value, at, actor)
            if not started:
                raise ActionError(f"no window starts on {action.value}, or it is already running for {inc.id}")
            return inc, {"at": at.isoformat(), "windows": started} | {k: v for k, v in p.items() if k in ("url", "note")}
        if action == Action.extend_deadline:
            window = str(p.get("window", ""))
            due = engine.extend(conn, inc, window, actor)
            return inc, {"window": window, "due": due.isoformat(), "reason": p.get("reason", "")}
        if action == Action.merge:
            return self._merge(conn, inc, str(_param(p, "other")), actor)
        if action == Action.split_incident:
            return self._split(conn, inc, [str(x) for x in _param(p, "post_ids")], actor, now)
        raise ActionError(f"unsupported action {action}")  # pragma: no cover - the enum is exhaustive

    # -- helpers ---------------------------------------------------------------------------------
    def _emit_closed(self, conn: sqlite3.Connection, inc: Incident, now: datetime) -> None:
        count = conn.execute("SELECT count(*) FROM audit WHERE incident_id=? AND action='close'", (inc.id,)).fetchone()[0]
        self.store.enqueue_notification(conn, Notification(
            dedup_key=f"{inc.id}:closed:{count + 1}", kind=EventKind.closed, incident_id=inc.id,
            incident_title=inc.title, grade_zh=inc.grade.zh, at=now, fired_at=now, owner_unit=inc.owner_unit,
            recipients=self.engine.recipients(("duty_officer",), inc),
            title_zh=f"【已关闭】{inc.title[:40]}", body_zh=f"事件：{inc.title}\n已由值班人员关闭。",
        ))

    def _merge(self, conn: sqlite3.Connection, inc: Incident, other_id: str, actor: str) -> tuple[Incident, dict[str, Any]]:
        other = self.store.load_incident(conn, other_id)
        if other is None or other_id == inc.id:
            raise ActionError(f"cannot merge {other_id!r} into {inc.id}")
        if inc.status == IncidentStatus.closed:
            raise ActionError(f"{inc.id} is closed: reopen it before merging into it")
        if other.merged_into:  # merging it again would hand its releases to a second, unrelated incident
            raise ActionError(f"{other_id} was already merged into {other.merged_into}")
        if other.status == IncidentStatus.closed:
            raise ActionError(f"{other_id} is closed: reopen it before merging it")
        fulfilments = self._fulfilments(conn, other_id)  # read before merging cancels the other's clocks
        documents = self.engine.open_document_clocks(conn, other_id)
        conn.execute("UPDATE posts SET incident_id=? WHERE incident_id=?", (inc.id, other_id))
        self.engine.close(conn, other, actor, reason="merged")
        self.store.save_incident(conn, other.model_copy(update={
            "status": IncidentStatus.closed, "title": f"{other.title}（已并入 {inc.id}）", "merged_into": inc.id,
            "heat": Heat()}))  # its posts, and so its heat, are the merged incident's now
        starts = [t for t in (inc.occurred_at, other.occurred_at) if t is not None]
        inc = self._titled_by(conn, inc, other)
        merged = self._recounted(conn, inc.model_copy(update={
            "grade": Grade.max(inc.grade, other.grade), "topics": tuple(dict.fromkeys((*inc.topics, *other.topics))),
            "needs_response": inc.needs_response or other.needs_response,
            "occurred_at": min(starts) if starts else None,
            "status": _furthest(inc.status, other.status),
            "rumour": inc.rumour or other.rumour,
            "owner_unit": self._common_owner(inc, other),
        }))
        self._regroup(conn, inc.id, other_id)
        # Replayed in time order, as if the two had been one incident from the start: the clocks
        # from the earliest start, then what was done on the merged-in incident (a release recorded
        # there fulfils this one's release window, and its 持续发布 follows from it), and only then
        # what is still due fires — no breach sent and withdrawn a moment later.
        self.engine.restart_clocks(conn, merged, actor, horizon=merged.clock_start)
        for action, at in fulfilments:
            self.engine.fulfil(conn, merged, action, at, actor, events_only=True, horizon=at)
        moved = self.engine.adopt(conn, merged, documents, actor)
        self.engine.catch_up(conn, merged, actor)
        return merged, {"merged": other_id, "fulfilments_carried": [f"{a}@{t.isoformat()}" for a, t in fulfilments],
                        "windows_moved": moved}

    def _titled_by(self, conn: sqlite3.Connection, inc: Incident, other: Incident) -> Incident:
        """The merged incident takes the other's title when only the other's came from a titled report
        (a witness's 吓死了 opened one, the 通报 the other)."""
        posts = {p.id: p for p in self.store.posts_of(conn, inc.id)}
        mine, theirs = posts.get(inc.representative_post_id or ""), posts.get(other.representative_post_id or "")
        if theirs is None or not _is_titled(theirs) or (mine is not None and _is_titled(mine)):
            return inc
        return inc.model_copy(update={"title": title_of(theirs), "representative_post_id": theirs.id})

    def _split(
        self, conn: sqlite3.Connection, inc: Incident, post_ids: list[str], actor: str, now: datetime
    ) -> tuple[Incident, dict[str, Any]]:
        rows = conn.execute(
            f"SELECT id, effective_at FROM posts WHERE incident_id=? AND id IN ({','.join('?' * len(post_ids))}) ORDER BY seq",  # noqa: S608
            (inc.id, *post_ids),
        ).fetchall()
        if not rows:
            raise ActionError("none of those posts belong to this incident")
        if len(rows) == len(self.store.posts_of(conn, inc.id)):
            raise ActionError("a split must leave at least one post in the incident")
        n = 1
        while self.store.load_incident(conn, f"{inc.id}-S{n}") is not None:
            n += 1
        new_id = f"{inc.id}-S{n}"
        conn.executemany("UPDATE posts SET incident_id=? WHERE id=?", [(new_id, r[0]) for r in rows])
        # Each side is what its own posts say: the part is not the parent's 重大 because it left it.
        part = self._regraded(conn, inc.model_copy(update={
            "id": new_id, "status": IncidentStatus.new, "version": 0, "occurred_at": None, "merged_into": None,
            "representative_post_id": None, "grade_source": "auto", "needs_response": False, "rumour": False}))
        part = part.model_copy(update={"title": f"{part.title}（拆分）"})
        self.store.save_incident(conn, part)  # no signature: rebuilt from its posts, like inc's
        self.engine.sync_incident(conn, part, actor)
        self._regroup(conn, inc.id, new_id)
        remainder = self._regraded(conn, inc)
        if remainder.clock_start != inc.clock_start:
            self.engine.restart_clocks(conn, remainder, actor)  # its earliest posts may have left with the part
        else:
            self.engine.sync_incident(conn, remainder, actor)  # the post that made it 重大 may have left
        return remainder, {"new_incident": new_id, "post_ids": [r[0] for r in rows],
                           "grades": {inc.id: remainder.grade.value, new_id: part.grade.value}}

    def _recounted(self, conn: sqlite3.Connection, inc: Incident) -> Incident:
        """first_seen, last_seen, heat, the share of negative posts and the title counted again from
        the posts the incident holds now (after a merge or split)."""
        posts = self.store.posts_of(conn, inc.id)
        if not posts:
            return inc
        classified = _classifications(conn, inc.id)
        negative = sum(1 for p in posts if (c := classified.get(p.id)) is not None and c.sentiment == Sentiment.negative)
        update: dict[str, Any] = {
            "first_seen": posts[0].effective_at, "last_seen": max(p.effective_at for p in posts),
            "heat": heat_of(posts), "sentiment_negative": round(negative / len(posts), 3),
        }
        if inc.representative_post_id not in {p.id for p in posts}:  # its title left with its post
            titled = next((p for p in posts if _is_titled(p)), posts[0])
            update |= {"representative_post_id": titled.id, "title": title_of(titled)}
        return inc.model_copy(update=update)

    def _regraded(self, conn: sqlite3.Connection, inc: Incident) -> Incident:
        """_recounted, and the grade (unless staff set it), topics, rumour flag and need for a response
        judged again from the posts' classifications, as the incidents stage judged them."""
        inc = self._recounted(conn, inc)
        by_post = _classifications(conn, inc.id)
        classified = [c for p in self.store.posts_of(conn, inc.id) if (c := by_post.get(p.id)) is not None]
        if not classified:
            return inc
        update: dict[str, Any] = {"topics": tuple(t.code for t in classified[0].topics) or inc.topics,
                                  "rumour": any(c.non_event == "rumour_refuted" for c in classified)
                                  or self._marked(conn, inc.id, "mark_rumour_refuted")}
        if inc.grade_source != "staff":
            events = [c for c in classified if c.non_event is None]
            top = max(events, key=lambda c: c.grade.rank, default=None)
            update |= {"grade": top.grade if top else Grade.none, "grade_evidence": top.explanation_zh if top else ""}
        grade = update.get("grade", inc.grade)
        update["needs_response"] = (grade in (Grade.relatively_serious, Grade.general) or self._marked(conn, inc.id, "mark_needs_response")
                                    or inc.heat.score >= self.engine.policies.heat_threshold)
        return inc.model_copy(update=update)

    def _common_owner(self, inc: Incident, other: Incident) -> str | None:
        """Two incidents of two places merged: the level above both owns the event (属地管理)."""
        if not inc.owner_unit or not other.owner_unit or inc.owner_unit == other.owner_unit:
            return inc.owner_unit or other.owner_unit
        ids = {unit.name: key for key, unit in self.ownership.units.items()}
        if inc.owner_unit not in ids or other.owner_unit not in ids:
            return inc.owner_unit
        owner = self.ownership.common_owner([ids[inc.owner_unit], ids[other.owner_unit]])
        return owner.name if owner else inc.owner_unit

    @staticmethod
    def _fulfilments(conn: sqlite3.Connection, incident_id: str) -> list[tuple[str, datetime]]:
        """(action, time) of every fulfilled event clock of an incident, oldest first, once each. A
        document window's reply (依申请公开) answered one applicant, not the incident it joins."""
        found: set[tuple[str, datetime]] = set()
        for row in conn.execute("SELECT body FROM clocks WHERE incident_id=? AND status='fulfilled'", (incident_id,)):
            clock = ResponseClock.model_validate_json(row[0])
            policy = policy_from_snapshot(clock.policy_snapshot)
            if clock.fulfilled_at is not None and not policy.starts_on.startswith("action:"):
                found.add((policy.fulfilled_by, clock.fulfilled_at))
        return sorted(found, key=lambda f: (f[1], f[0]))

    @staticmethod
    def _marked(conn: sqlite3.Connection, incident_id: str, action: str) -> bool:
        """Whether staff took this action on the incident (what they decided outlives a regrading)."""
        return conn.execute("SELECT 1 FROM audit WHERE incident_id=? AND action=? LIMIT 1",
                            (incident_id, action)).fetchone() is not None

    @staticmethod
    def _status_before_close(conn: sqlite3.Connection, incident_id: str) -> IncidentStatus:
        row = conn.execute("SELECT details FROM audit WHERE incident_id=? AND action='close' ORDER BY id DESC LIMIT 1",
                           (incident_id,)).fetchone()
        before = str(json.loads(row[0]).get("from_status")) if row else ""
        return _furthest(IncidentStatus(before)) if before in IncidentStatus.__members__ else IncidentStatus.acknowledged

    def _regroup(self, conn: sqlite3.Connection, incident_id: str, other_id: str) -> None:
        """A merge or split changed which posts the incident holds: its grouping profile (the
        signature) is dropped, and the incident stage rebuilds it from the posts it holds now, so
        the next post about a merged-in event joins the merged incident, and one about a split-off
        event joins the split-off part (`other_id`: the merged-in incident, now closed, or the part)."""
        conn.execute("UPDATE incidents SET signature='' WHERE id=?", (incident_id,))
        self.store.regroup(conn, incident_id, other_id)


def _is_titled(post: Post) -> bool:
    return bool(post.title) and post.source in TITLED_SOURCES


def _classifications(conn: sqlite3.Connection, incident_id: str) -> dict[str, Classification]:
    """The stored classification of each post the incident holds, read in the action's transaction."""
    rows = conn.execute("SELECT c.post_id, c.body FROM classifications c JOIN posts p ON p.id = c.post_id "
                        "WHERE p.incident_id=?", (incident_id,)).fetchall()
    return {str(r[0]): Classification.model_validate_json(r[1]) for r in rows}


def _param(params: dict[str, Any], name: str) -> Any:
    if params.get(name) in (None, "", []):
        raise ActionError(f"missing parameter {name!r}")
    return params[name]


def _aware(value: datetime | str) -> datetime:
    """A time staff give: naive means Asia/Shanghai (as everywhere); before 1990 is a typo."""
    from sentinel.domain.timeutil import EARLIEST_PLAUSIBLE, ensure_aware, parse_iso

    at = ensure_aware(parse_iso(value) if isinstance(value, str) else value)
    if at < EARLIEST_PLAUSIBLE:
        raise ActionError(f"time {at.isoformat()} is before {EARLIEST_PLAUSIBLE:%Y-%m-%d}")
    return at
