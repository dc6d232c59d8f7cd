"""Staff actions on incidents (API, CLI and `simulate`): each one changes the incident, lets the
clock engine start, fulfil or cancel clocks, and is written to the audit log with who and when —
all in one transaction."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from enum import StrEnum
from typing import Any

from sentinel.alerts.engine import ClockEngine
from sentinel.domain.alerting import EventKind, Notification
from sentinel.domain.audit import AuditEvent
from sentinel.domain.codes import Grade
from sentinel.domain.incident import Incident, IncidentStatus
from sentinel.domain.timeutil import Clock
from sentinel.incidents.ownership import Ownership
from sentinel.incidents.stage import GROUPING_EPOCH
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


class ActionError(ValueError):
    """The action cannot apply (unknown incident, bad parameter); nothing was changed."""


_FULFILS = {
    Action.record_release: IncidentStatus.released,
    Action.record_press_conference: IncidentStatus.press_conference_held,
    Action.record_response: IncidentStatus.responding,
}


class IncidentActions:
    def __init__(self, store: SQLiteStore, engine: ClockEngine, ownership: Ownership, clock: Clock) -> None:
        self.store = store
        self.engine = engine
        self.ownership = ownership
        self.clock = clock

    def apply(self, incident_id: str, action: Action | str, actor: str, **params: Any) -> Incident:
        action = Action(action)
        now = self.clock.now()
        with self.store.tx() as conn:
            incident = _load(conn, incident_id)
            if incident is None:
                raise ActionError(f"no such incident: {incident_id}")
            updated, details = self._change(conn, incident, action, actor, now, params)
            self.store.save_incident(conn, updated, self.store_signature(conn, updated.id))
            self.store.add_audit(conn, AuditEvent(at=now, actor=actor, action=action.value, incident_id=incident_id,
                                                  details=details))
            return updated

    @staticmethod
    def store_signature(conn: sqlite3.Connection, incident_id: str) -> str:
        row = conn.execute("SELECT signature FROM incidents WHERE id=?", (incident_id,)).fetchone()
        return "" if row is None else str(row[0])

    def _change(
        self, conn: sqlite3.Connection, inc: Incident, action: Action, actor: str, now: datetime, p: dict[str, Any]
    ) -> tuple[Incident, dict[str, Any]]:
        engine = self.engine
        if action == Action.acknowledge:
            acknowledged = IncidentStatus.acknowledged if inc.status == IncidentStatus.new else inc.status
            return inc.model_copy(update={"status": acknowledged}), {}
        if action == Action.set_grade:
            grade = Grade(p["grade"])
            updated = inc.model_copy(update={"grade": grade, "grade_source": "staff",
                                             "needs_response": inc.needs_response or grade in (Grade.relatively_serious, Grade.general)})
            engine.sync_incident(conn, updated, actor)
            return updated, {"from": inc.grade.value, "to": grade.value, "reason": p.get("reason", "")}
        if action == Action.set_occurrence_time:
            at = _aware(p["at"])
            if at > now:
                raise ActionError("occurrence time is in the future")
            updated = inc.model_copy(update={"occurred_at": at})
            self.engine.restart_clocks(conn, updated, actor)
            return updated, {"occurred_at": at.isoformat()}
        if action in _FULFILS:
            at = _aware(p.get("at") or now)
            engine.fulfil(conn, inc, action.value, at, actor)
            status: IncidentStatus = inc.status if inc.status == IncidentStatus.closed else _FULFILS[action]
            details = {k: v for k, v in p.items() if k in ("url", "channel", "note")} | {"at": at.isoformat()}
            return inc.model_copy(update={"status": status}), details
        if action == Action.mark_rumour_refuted:
            return inc.model_copy(update={"rumour": True}), {"url": p.get("url")}
        if action == Action.mark_needs_response:
            updated = inc.model_copy(update={"needs_response": True})
            engine.sync_incident(conn, updated, actor)
            return updated, {}
        if action == Action.assign_unit:
            unit = self.ownership.units.get(str(p["unit"]))
            if unit is None:
                raise ActionError(f"unknown unit {p['unit']!r}")
            return inc.model_copy(update={"owner_unit": unit.name, "region": unit.regions[0] if unit.regions else None}), {
                "unit": unit.id}
        if action == Action.close:
            engine.close(conn, inc, actor)
            self._emit_closed(conn, inc, now)
            self._bump_epoch(conn)  # a closed incident stops collecting posts; new ones open anew
            return inc.model_copy(update={"status": IncidentStatus.closed}), {"note": p.get("note", "")}
        if action == Action.reopen:
            updated = inc.model_copy(update={"status": IncidentStatus.acknowledged})
            self.engine.restart_clocks(conn, updated, actor, only_cancelled=True)
            self._bump_epoch(conn)
            return updated, {}
        if action == Action.merge:
            return self._merge(conn, inc, str(p["other"]), actor)
        if action == Action.split_incident:
            return self._split(conn, inc, [str(x) for x in p["post_ids"]], actor, now)
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
        other = _load(conn, other_id)
        if other is None or other_id == inc.id:
            raise ActionError(f"cannot merge {other_id!r} into {inc.id}")
        conn.execute("UPDATE posts SET incident_id=? WHERE incident_id=?", (inc.id, other_id))
        self.engine.close(conn, other, actor)
        self.store.save_incident(conn, other.model_copy(update={"status": IncidentStatus.closed,
                                                                "title": f"{other.title}（已并入 {inc.id}）"}))
        merged = inc.model_copy(update={
            "first_seen": min(inc.first_seen, other.first_seen), "last_seen": max(inc.last_seen, other.last_seen),
            "grade": Grade.max(inc.grade, other.grade), "topics": tuple(dict.fromkeys((*inc.topics, *other.topics))),
            "heat": inc.heat.model_copy(update={"posts": inc.heat.posts + other.heat.posts,
                                                "authors": inc.heat.authors + other.heat.authors}),
            "needs_response": inc.needs_response or other.needs_response,
        })
        self._regroup(conn, inc.id)
        self.engine.restart_clocks(conn, merged, actor)
        return merged, {"merged": other_id}

    def _split(
        self, conn: sqlite3.Connection, inc: Incident, post_ids: list[str], actor: str, now: datetime
    ) -> tuple[Incident, dict[str, Any]]:
        rows = conn.execute(
            f"SELECT id, effective_at FROM posts WHERE incident_id=? AND id IN ({','.join('?' * len(post_ids))}) ORDER BY seq",  # noqa: S608
            (inc.id, *post_ids),
        ).fetchall()
        if not rows:
            raise ActionError("none of those posts belong to this incident")
        splits = int(conn.execute("SELECT count(*) FROM audit WHERE action='split'").fetchone()[0])
        new_id = f"{inc.id}-S{splits + 1}"
        first = min(datetime.fromtimestamp(r[1], inc.first_seen.tzinfo) for r in rows)
        conn.executemany("UPDATE posts SET incident_id=? WHERE id=?", [(new_id, r[0]) for r in rows])
        part = inc.model_copy(update={"id": new_id, "title": f"{inc.title}（拆分）", "first_seen": first,
                                      "status": IncidentStatus.new, "version": 0, "occurred_at": None,
                                      "heat": inc.heat.model_copy(update={"posts": len(rows)})})
        self.store.save_incident(conn, part)  # no signature: rebuilt from its posts, like inc's
        self.engine.sync_incident(conn, part, actor)
        self._regroup(conn, inc.id)
        return inc.model_copy(update={"heat": inc.heat.model_copy(update={"posts": max(0, inc.heat.posts - len(rows))})}), {
            "new_incident": new_id, "post_ids": [r[0] for r in rows]}

    @classmethod
    def _regroup(cls, conn: sqlite3.Connection, incident_id: str) -> None:
        """A merge or split changed which posts the incident holds: its grouping profile (the
        signature) is dropped, and the incident stage rebuilds it from the posts it holds now, so
        the next post about a merged-in event joins the merged incident, and one about a split-off
        event joins the split-off part."""
        conn.execute("UPDATE incidents SET signature='' WHERE id=?", (incident_id,))
        cls._bump_epoch(conn)

    @staticmethod
    def _bump_epoch(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (GROUPING_EPOCH,),
        )


def _load(conn: sqlite3.Connection, incident_id: str) -> Incident | None:
    row = conn.execute("SELECT body FROM incidents WHERE id=?", (incident_id,)).fetchone()
    return None if row is None else Incident.model_validate_json(row[0])


def _aware(value: datetime | str) -> datetime:
    from sentinel.domain.timeutil import parse_iso

    if isinstance(value, str):
        return parse_iso(value)
    if value.tzinfo is None:
        raise ActionError("time must carry a timezone")
    return value
