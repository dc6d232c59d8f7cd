"""SQLite tables for incidents, response clocks, the notification outbox and the audit log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sentinel.domain.alerting import ClockStatus, Notification, ResponseClock
from sentinel.domain.audit import AuditEvent
from sentinel.domain.incident import Incident
from sentinel.store.parsed import ParsedBodies


def _ts(value: datetime) -> float:
    return value.timestamp()


INCIDENTS = ParsedBodies(Incident, 4096)  # every step of an incident's clocks reads it
NOTIFICATIONS = ParsedBodies(Notification, 1024)  # the outbox, then `simulate`, read each soon after
CLOCKS = ParsedBodies(ResponseClock, 4096)  # the engine reads each clock again when its next step is due


class IncidentTables:
    """Mixed into SQLiteStore; `tx()` and `read()` come from there."""

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:  # pragma: no cover - provided by SQLiteStore
        raise NotImplementedError

    def read(self) -> sqlite3.Connection:  # pragma: no cover - provided by SQLiteStore
        raise NotImplementedError

    # -- incidents -------------------------------------------------------------------------------
    @staticmethod
    def save_incident(conn: sqlite3.Connection, incident: Incident, signature: str | None = "") -> None:
        """signature: the incident's grouping profile (JSON); "" drops it (rebuilt from its posts),
        None keeps the stored one (a staff action changes the incident, not what it is about)."""
        body = incident.model_dump_json()
        keep = signature is None
        conn.execute(
            """INSERT INTO incidents(id, body, grade, status, region, primary_topic, first_seen, last_seen, heat, signature)
               VALUES(?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET body=excluded.body, grade=excluded.grade, status=excluded.status,
                 region=excluded.region, primary_topic=excluded.primary_topic, first_seen=excluded.first_seen,
                 last_seen=excluded.last_seen, heat=excluded.heat,
                 signature=CASE WHEN ? THEN signature ELSE excluded.signature END""",
            (
                incident.id, body, incident.grade.value, incident.status.value, incident.region,
                incident.topics[0].value if incident.topics else None, _ts(incident.first_seen),
                _ts(incident.last_seen), incident.heat.score, signature or "", keep,
            ),
        )
        INCIDENTS.remember(body, incident)

    @staticmethod
    def load_incident(conn: sqlite3.Connection, incident_id: str) -> Incident | None:
        """The incident as this transaction sees it."""
        row = conn.execute("SELECT body FROM incidents WHERE id=?", (incident_id,)).fetchone()
        return None if row is None else INCIDENTS.parse(row[0])

    @staticmethod
    def attach_post(conn: sqlite3.Connection, post_id: str, incident_id: str) -> None:
        conn.execute("UPDATE posts SET incident_id=? WHERE id=?", (incident_id, post_id))

    def get_incident(self, incident_id: str) -> Incident | None:
        row = self.read().execute("SELECT body FROM incidents WHERE id=?", (incident_id,)).fetchone()
        return None if row is None else INCIDENTS.parse(row[0])

    def incident_titles(self, incident_ids: Iterable[str]) -> dict[str, tuple[str, str | None, str | None]]:
        """Title, owner unit and `merged_into` of each incident, read from the stored bodies without
        parsing them (statistics name every incident with a clock: thousands in a month)."""
        ids = list(incident_ids)
        found: dict[str, tuple[str, str | None, str | None]] = {}
        for start in range(0, len(ids), 500):  # under SQLite's limit on bound parameters
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))  # placeholders only: the ids are bound, never spliced in
            sql = ("SELECT id, json_extract(body, '$.title'), json_extract(body, '$.owner_unit'), "  # noqa: S608
                   f"json_extract(body, '$.merged_into') FROM incidents WHERE id IN ({marks})")
            rows = self.read().execute(sql, chunk).fetchall()
            found.update((str(r[0]), (str(r[1]), r[2], r[3])) for r in rows)
        return found

    def incident_signature(self, incident_id: str) -> str:
        row = self.read().execute("SELECT signature FROM incidents WHERE id=?", (incident_id,)).fetchone()
        return "" if row is None else str(row[0])

    def list_incidents(
        self,
        *,
        status: str | None = None,
        grade: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
        order: str = "last_seen",
    ) -> tuple[list[Incident], int]:
        where, args = [], []  # type: list[str], list[Any]
        if status:
            where.append("status = ?")
            args.append(status)
        if grade:
            where.append("grade = ?")
            args.append(grade)
        if since:
            where.append("last_seen >= ?")
            args.append(_ts(since))
        clause = " WHERE " + " AND ".join(where) if where else ""
        order_by = {"last_seen": "last_seen DESC", "heat": "heat DESC", "first_seen": "first_seen DESC"}[order]
        conn = self.read()
        total = int(conn.execute(f"SELECT count(*) FROM incidents{clause}", args).fetchone()[0])  # noqa: S608
        rows = conn.execute(
            f"SELECT body FROM incidents{clause} ORDER BY {order_by} LIMIT ? OFFSET ?", [*args, limit, offset]  # noqa: S608
        ).fetchall()
        return [Incident.model_validate_json(r[0]) for r in rows], total

    def incidents_seen_since(self, since: datetime) -> list[tuple[Incident, str]]:
        rows = self.read().execute(
            "SELECT body, signature FROM incidents WHERE last_seen >= ? AND status != 'closed'", (_ts(since),)
        ).fetchall()
        return [(Incident.model_validate_json(r[0]), str(r[1])) for r in rows]

    @staticmethod
    def regroup(conn: sqlite3.Connection, *incident_ids: str) -> None:
        """Tell the incidents stage that these incidents' grouping profiles changed (closed, reopened,
        merged, split, opened by staff): it reloads them on its next pass."""
        conn.executemany("INSERT INTO grouping_changes(incident_id) VALUES(?)", [(i,) for i in incident_ids])

    def regroup_after(self, seq: int) -> list[tuple[int, str]]:
        rows = self.read().execute(
            "SELECT seq, incident_id FROM grouping_changes WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def last_regroup(self) -> int:
        return int(self.read().execute("SELECT coalesce(max(seq), 0) FROM grouping_changes").fetchone()[0])

    def incident_of_post(self, post_id: str) -> str | None:
        """The incident holding a post; None for an unknown or ungrouped post."""
        row = self.read().execute("SELECT incident_id FROM posts WHERE id=?", (post_id,)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def incident_post_ids(self, incident_id: str) -> list[str]:
        rows = self.read().execute("SELECT id FROM posts WHERE incident_id=? ORDER BY seq", (incident_id,)).fetchall()
        return [str(r[0]) for r in rows]

    # -- clocks ----------------------------------------------------------------------------------
    @staticmethod
    def save_clock(conn: sqlite3.Connection, clock: ResponseClock) -> None:
        body = clock.model_dump_json()
        conn.execute(
            """INSERT INTO clocks(id, incident_id, window, status, due_at, next_fire_at, body) VALUES(?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET status=excluded.status, due_at=excluded.due_at,
                 next_fire_at=excluded.next_fire_at, body=excluded.body""",
            (
                clock.id, clock.incident_id, clock.window.value, clock.status.value, _ts(clock.due_at),
                _ts(clock.next_fire_at) if clock.next_fire_at else None, body,
            ),
        )
        CLOCKS.remember(body, clock)

    def clocks_for(self, incident_id: str) -> list[ResponseClock]:
        rows = self.read().execute("SELECT body FROM clocks WHERE incident_id=? ORDER BY due_at", (incident_id,)).fetchall()
        return [CLOCKS.parse(r[0]) for r in rows]

    def clocks_due(self, now: datetime, limit: int = 500) -> list[str]:
        """Ids of the clocks with a step due by `now`, soonest first (the engine rereads each in its
        transaction, so the body is not parsed here)."""
        rows = self.read().execute(
            "SELECT id FROM clocks WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?",
            (_ts(now), limit),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def next_fire_time(self) -> datetime | None:
        row = self.read().execute("SELECT min(next_fire_at) FROM clocks WHERE next_fire_at IS NOT NULL").fetchone()
        return None if row[0] is None else datetime.fromtimestamp(row[0], UTC)

    def list_clocks(self, status: str | None = None, limit: int = 200, offset: int = 0) -> list[ResponseClock]:
        """Soonest due first; without a status, running and overdue clocks come before finished ones."""
        if status:
            rows = self.read().execute(
                "SELECT body FROM clocks WHERE status=? ORDER BY due_at LIMIT ? OFFSET ?", (status, limit, offset)
            ).fetchall()
        else:
            rows = self.read().execute(
                "SELECT body FROM clocks ORDER BY status NOT IN ('running', 'breached'), due_at LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [ResponseClock.model_validate_json(r[0]) for r in rows]

    def incidents_with_open_clocks(self) -> list[Incident]:
        """Every incident with a deadline running or overdue, soonest due first: these are never
        paged off a list by newer incidents."""
        rows = self.read().execute(
            "SELECT i.body FROM incidents i JOIN (SELECT incident_id, min(due_at) AS due FROM clocks"
            " WHERE status IN ('running', 'breached') GROUP BY incident_id) c ON c.incident_id = i.id ORDER BY c.due"
        ).fetchall()
        return [Incident.model_validate_json(r[0]) for r in rows]

    def count_clocks(self, status: ClockStatus) -> int:
        return int(self.read().execute("SELECT count(*) FROM clocks WHERE status=?", (status.value,)).fetchone()[0])

    # -- notification outbox ---------------------------------------------------------------------
    @staticmethod
    def enqueue_notification(conn: sqlite3.Connection, notification: Notification) -> bool:
        """Store before sending; the dedup key makes a replayed step a no-op. Returns True if new."""
        body = notification.model_dump_json()
        cur = conn.execute(
            "INSERT OR IGNORE INTO notifications(dedup_key, at, incident_id, kind, body) VALUES(?,?,?,?,?)",
            (notification.dedup_key, _ts(notification.at), notification.incident_id, notification.kind.value, body),
        )
        if cur.rowcount != 1:
            return False
        NOTIFICATIONS.remember(body, notification)
        return True

    def pending_notifications(self, limit: int = 100) -> list[Notification]:
        rows = self.read().execute(
            # Fewest attempts first: rows whose channel keeps failing sink back and cannot starve new alerts.
            "SELECT body FROM notifications WHERE delivered_at IS NULL ORDER BY attempts, seq LIMIT ?", (limit,)
        ).fetchall()
        return [NOTIFICATIONS.parse(r[0]) for r in rows]

    def notifications_after(self, seq: int) -> list[tuple[int, Notification]]:
        """The outbox in order from `seq` on, with each row's seq (delivered or not)."""
        rows = self.read().execute("SELECT seq, body FROM notifications WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
        return [(int(r[0]), NOTIFICATIONS.parse(r[1])) for r in rows]

    def mark_delivered(self, dedup_key: str, at: datetime, error: str | None = None) -> None:
        with self.tx() as conn:
            conn.execute(
                "UPDATE notifications SET delivered_at=?, attempts=attempts+1, last_error=? WHERE dedup_key=?",
                (_ts(at), error, dedup_key),
            )

    def mark_delivered_many(self, delivered: Sequence[tuple[str, datetime]]) -> None:
        with self.tx() as conn:
            conn.executemany(
                "UPDATE notifications SET delivered_at=?, attempts=attempts+1, last_error=NULL WHERE dedup_key=?",
                [(_ts(at), key) for key, at in delivered],
            )

    def mark_attempt_failed(self, dedup_key: str, error: str) -> None:
        with self.tx() as conn:
            conn.execute(
                "UPDATE notifications SET attempts=attempts+1, last_error=? WHERE dedup_key=?", (error[:2000], dedup_key)
            )

    def list_notifications(
        self, incident_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[tuple[Notification, datetime | None, str | None]]:
        sql = "SELECT body, delivered_at, last_error FROM notifications"
        args: list[Any] = []
        if incident_id:
            sql += " WHERE incident_id=?"
            args.append(incident_id)
        sql += " ORDER BY seq DESC LIMIT ? OFFSET ?"
        rows = self.read().execute(sql, [*args, limit, offset]).fetchall()
        return [
            (Notification.model_validate_json(r[0]), None if r[1] is None else datetime.fromtimestamp(r[1], UTC), r[2])
            for r in rows
        ]

    # -- audit -----------------------------------------------------------------------------------
    @staticmethod
    def add_audit(conn: sqlite3.Connection, event: AuditEvent) -> None:
        conn.execute(
            "INSERT INTO audit(at, actor, action, incident_id, details) VALUES(?,?,?,?,?)",
            (_ts(event.at), event.actor, event.action, event.incident_id,
             json.dumps(event.details, ensure_ascii=False, default=str)),
        )

    def list_audit(self, incident_id: str | None = None, limit: int = 200) -> list[AuditEvent]:
        if incident_id:  # the latest `limit`, oldest first: what was done last matters most
            rows = self.read().execute(
                "SELECT * FROM (SELECT * FROM audit WHERE incident_id=? ORDER BY id DESC LIMIT ?) ORDER BY id",
                (incident_id, limit),
            ).fetchall()
        else:
            rows = self.read().execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_audit(r) for r in rows]

    def iter_audit(self) -> Iterator[AuditEvent]:
        for row in self.read().execute("SELECT * FROM audit ORDER BY id"):
            yield _audit(row)


def _audit(row: sqlite3.Row) -> AuditEvent:
    return AuditEvent(
        id=row["id"], at=datetime.fromtimestamp(row["at"], UTC), actor=row["actor"], action=row["action"],
        incident_id=row["incident_id"], details=json.loads(row["details"]),
    )
