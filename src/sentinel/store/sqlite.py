"""SQLite store (WAL): the embedded runtime's database and durable queue.

Posts form an append-only log whose `seq` is the queue offset; each stage keeps its cursor in the
`cursors` table and advances it in the same transaction as its effects, so a crash (even kill -9)
replays at most the uncommitted batch and loses nothing that was acknowledged.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sentinel.domain.classification import Classification
from sentinel.domain.post import Post, PostFlag, PostMetrics, Reject
from sentinel.ingest.text import normalise_query
from sentinel.store.base import AddResult, AddStatus, Page, PostQuery, StoredPost
from sentinel.store.parsed import ParsedBodies
from sentinel.store.schema import MIGRATIONS
from sentinel.store.sqlite_incidents import IncidentTables

INDEX_STAGE = "search_index"
CLASSIFICATIONS = ParsedBodies(Classification, 1024)  # the incidents stage reads each soon after it is stored


def ts(value: datetime) -> float:
    return value.timestamp()


def dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def dt_req(value: float) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        # A row stored before ingest refused impossible times must not stop every reader of it.
        return datetime.min.replace(tzinfo=UTC) if value < 0 else datetime.max.replace(tzinfo=UTC)


class SQLiteStore(IncidentTables):
    def __init__(self, path: Path | str, synchronous: str = "FULL") -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if synchronous.upper() not in {"FULL", "NORMAL", "EXTRA", "OFF"}:  # OFF: throwaway stores (simulate)
            raise ValueError(f"unsupported synchronous mode {synchronous!r}")
        self._synchronous = synchronous.upper()
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._migrate()

    # -- connections -----------------------------------------------------------------------------
    busy_timeout_s = 30.0  # how long a write waits for another process's lock before giving up

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            # A larger page cache keeps the id and hash indexes hot as the table grows (random keys).
            conn.execute("PRAGMA cache_size=-65536")
            if self._synchronous == "OFF":
                # A throwaway store runs its writes in batched(), as savepoints: keep their statement
                # journals in memory, not in temp files (measured: a fifth less time per write).
                conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
        return conn

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction; one writer at a time inside this process, IMMEDIATE across processes.

        Inside `batched()` it is a savepoint of the batch's transaction instead: it still rolls back
        on its own when it fails, but commits only with the batch."""
        return _Transaction(self)

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Commit every `tx()` this thread opens inside in one transaction, at the end.

        For throwaway stores only (simulate): a crash inside loses the whole batch, where the
        runtime's one commit per stage loses at most the stage's batch. Commits are most of the
        cost of a small transaction, and the simulation runs tens of thousands of them."""
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            self._local.batched = True
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._local.batched = False

    def read(self) -> sqlite3.Connection:
        return self._conn()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        with self.tx() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _split_sql(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={number}")

    # -- meta ------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.read().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.tx() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def set_meta_if_absent(self, key: str, value: str) -> str:
        with self.tx() as conn:
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES(?, ?)", (key, value))
            return str(conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()[0])

    # -- posts -----------------------------------------------------------------------------------
    def add_posts(self, posts: Sequence[Post], duplicate_window_hours: float = 24.0, origin: str = "") -> list[AddResult]:
        results: list[AddResult] = []
        window = timedelta(hours=duplicate_window_hours).total_seconds()
        with self.tx() as conn:
            for post in posts:
                results.append(self._add_one(conn, post, window, origin))
        return results

    def _add_one(self, conn: sqlite3.Connection, post: Post, window: float, origin: str) -> AddResult:
        existing = conn.execute("SELECT content_hash FROM posts WHERE id=?", (post.id,)).fetchone()
        if existing is not None:
            if existing[0] == post.content_hash:
                conn.execute("UPDATE posts SET dup_count = dup_count + 1 WHERE id=?", (post.id,))
                conn.execute(
                    "INSERT INTO duplicate_sightings(post_id, seen_at, origin) VALUES(?,?,?)",
                    (post.id, ts(post.ingested_at), origin or post.source),
                )
                return AddResult(post.id, AddStatus.duplicate_id, None, post.id)
            # Same id, other text: an edit or a broken upstream id. Keep both, linked.
            derived = f"{post.id}~{post.content_hash[:8]}"
            again = conn.execute("SELECT seq FROM posts WHERE id=?", (derived,)).fetchone()
            if again is not None:
                conn.execute("UPDATE posts SET dup_count = dup_count + 1 WHERE id=?", (derived,))
                return AddResult(derived, AddStatus.duplicate_id, None, derived)
            post = post.model_copy(
                update={"id": derived, "duplicate_of": post.id, "flags": (*post.flags, PostFlag.id_conflict)}
            )
            seq = self._insert(conn, post)
            return AddResult(post.id, AddStatus.id_conflict, seq, post.duplicate_of)

        twin = conn.execute(
            "SELECT id FROM posts WHERE content_hash=? AND effective_at >= ? AND effective_at <= ? ORDER BY seq LIMIT 1",
            (post.content_hash, ts(post.effective_at) - window, ts(post.effective_at) + window),
        ).fetchone()
        if twin is not None:
            post = post.model_copy(update={"duplicate_of": twin[0], "flags": (*post.flags, PostFlag.duplicate)})
            conn.execute("UPDATE posts SET dup_count = dup_count + 1 WHERE id=?", (twin[0],))
            seq = self._insert(conn, post)
            return AddResult(post.id, AddStatus.duplicate_text, seq, twin[0])
        return AddResult(post.id, AddStatus.stored, self._insert(conn, post))

    def _insert(self, conn: sqlite3.Connection, post: Post) -> int:
        cur = conn.execute(
            """INSERT INTO posts(id, source, url, author, title, text, text_norm, published_at, ingested_at,
                   effective_at, region, metrics, flags, duplicate_of, content_hash, extra)
               VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                post.id, post.source, post.url, post.author, post.title, post.text, post.text_norm,
                ts(post.published_at), ts(post.ingested_at), ts(post.effective_at), post.region,
                post.metrics.model_dump_json(), json.dumps([f.value for f in post.flags]), post.duplicate_of,
                post.content_hash, json.dumps(post.extra, ensure_ascii=False, default=str),
            ),
        )
        assert cur.lastrowid is not None  # noqa: S101 - sqlite always returns it for INSERT
        return int(cur.lastrowid)

    def count_posts(self) -> int:
        return int(self.read().execute("SELECT count(*) FROM posts").fetchone()[0])

    def get_post(self, post_id: str) -> StoredPost | None:
        row = self.read().execute("SELECT * FROM posts WHERE id=?", (post_id,)).fetchone()
        return None if row is None else self._stored(row)

    def posts_after(self, seq: int, limit: int) -> list[Post]:
        rows = self.read().execute("SELECT * FROM posts WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)).fetchall()
        return [_post(row) for row in rows]

    def max_seq(self) -> int:
        return int(self.read().execute("SELECT coalesce(max(seq), 0) FROM posts").fetchone()[0])

    def _stored(self, row: sqlite3.Row) -> StoredPost:
        body = self.read().execute("SELECT body FROM classifications WHERE post_id=?", (row["id"],)).fetchone()
        classification = Classification.model_validate_json(body[0]) if body else None
        return StoredPost(_post(row), classification, row["incident_id"], int(row["dup_count"]))

    def search_posts(self, query: PostQuery) -> Page[StoredPost]:
        where: list[str] = []
        args: list[Any] = []
        note = "filter"
        text = normalise_query(query.text or "")  # as post texts are folded: one rule for the API and the CLI
        if text:
            indexed = self.cursor(INDEX_STAGE)
            terms = text.split()
            long_terms = [t for t in terms if len(t) >= 3]
            short_terms = [t for t in terms if len(t) < 3]
            contains = "(instr(p.text_norm, ?) > 0 OR instr(coalesce(p.title, ''), ?) > 0)"
            if long_terms:
                # FTS5 trigram for indexed posts (terms phrase-quoted: no query syntax errors);
                # a scan of the few posts the index stage has not reached yet.
                match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
                tail = " AND ".join([contains] * len(long_terms))
                where.append(f"(p.seq IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?) OR (p.seq > ? AND {tail}))")  # noqa: S608 - fixed SQL, values bound
                args += [match, indexed, *[v for t in long_terms for v in (t, t)]]
                note = "fts5-trigram"
            else:
                # Trigram cannot index 1–2 character words (爆炸, 拆迁, 矿): scan, newest first.
                note = "scan"
            for t in short_terms:
                where.append(contains)
                args += [t, t]
        if query.since:
            where.append("p.published_at >= ?")
            args.append(ts(query.since))
        if query.until:
            where.append("p.published_at < ?")
            args.append(ts(query.until))
        if query.topic:
            where.append("p.topics LIKE ?")
            args.append(f"%,{query.topic},%")
        for column, value in (("grade", query.grade), ("source", query.source), ("region", query.region),
                              ("incident_id", query.incident_id)):
            if value:
                where.append(f"p.{column} = ?")
                args.append(value)
        clause = " WHERE " + " AND ".join(where) if where else ""
        conn = self.read()
        try:
            total = int(conn.execute(f"SELECT count(*) FROM posts p{clause}", args).fetchone()[0])  # noqa: S608 - columns fixed
            rows = conn.execute(
                f"SELECT p.* FROM posts p{clause} ORDER BY p.published_at DESC, p.seq DESC LIMIT ? OFFSET ?",  # noqa: S608
                [*args, query.limit, query.offset],
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if note != "fts5-trigram" or "locked" in str(exc) or "busy" in str(exc):
                raise
            # The full-text index refused the terms: the caller's input, not a failure of the store.
            raise ValueError(f"无法检索 {text!r} / the search index cannot take this query: {exc}") from exc
        return Page([self._stored(r) for r in rows], total, query.limit, query.offset, note)

    def index_pending(self, limit: int = 2000) -> int:
        """The index stage: add posts past its cursor to the full-text index, in order."""
        if self.cursor(INDEX_STAGE) >= self.max_seq():
            return 0  # nothing new: don't take the write lock
        with self.tx() as conn:
            start = conn.execute("SELECT coalesce((SELECT seq FROM cursors WHERE stage=?), 0)", (INDEX_STAGE,)).fetchone()[0]
            last = conn.execute(
                "SELECT max(seq), count(*) FROM (SELECT seq FROM posts WHERE seq > ? ORDER BY seq LIMIT ?)", (start, limit)
            ).fetchone()
            if not last[1]:
                return 0
            conn.execute(
                """INSERT INTO posts_fts(rowid, title, text_norm)
                   SELECT seq, coalesce(title, ''), text_norm FROM posts WHERE seq > ? AND seq <= ? ORDER BY seq""",
                (start, last[0]),
            )
            self.set_cursor(conn, INDEX_STAGE, int(last[0]))
            return int(last[1])

    # -- rejects ---------------------------------------------------------------------------------
    def add_rejects(self, rejects: Sequence[Reject]) -> None:
        if not rejects:
            return
        with self.tx() as conn:
            conn.executemany(
                "INSERT INTO rejects(at, source, reason, raw, post_id) VALUES(?,?,?,?,?)",
                [(ts(r.at), r.source, r.reason, r.raw, r.post_id) for r in rejects],
            )

    def list_rejects(self, limit: int = 50, offset: int = 0) -> Page[Reject]:
        conn = self.read()
        total = int(conn.execute("SELECT count(*) FROM rejects").fetchone()[0])
        rows = conn.execute("SELECT * FROM rejects ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        items = [
            Reject(id=r["id"], at=dt_req(r["at"]), source=r["source"], reason=r["reason"], raw=r["raw"], post_id=r["post_id"])
            for r in rows
        ]
        return Page(items, total, limit, offset)

    # -- stage cursors and classifications -------------------------------------------------------
    def cursor(self, stage: str) -> int:
        row = self.read().execute("SELECT seq FROM cursors WHERE stage=?", (stage,)).fetchone()
        return 0 if row is None else int(row[0])

    @staticmethod
    def set_cursor(conn: sqlite3.Connection, stage: str, seq: int) -> None:
        conn.execute(
            "INSERT INTO cursors(stage, seq) VALUES(?, ?) ON CONFLICT(stage) DO UPDATE SET seq=max(seq, excluded.seq)",
            (stage, seq),
        )

    def save_classifications(self, items: Sequence[Classification], stage: str, up_to_seq: int) -> None:
        with self.tx() as conn:
            # A staff correction made before the model got to the post stands: the model's later
            # answer must not overwrite it (corrections.jsonl, the training data, holds the staff's).
            ids = [c.post_id for c in items]
            staff = {r[0] for r in conn.execute(
                f"SELECT post_id FROM classifications WHERE post_id IN ({','.join('?' * len(ids))})"  # noqa: S608
                " AND json_extract(body, '$.classifier') = 'staff'", ids)} if ids else set()
            for c in items:
                if c.post_id in staff and c.classifier != "staff":
                    continue
                body = c.model_dump_json()
                conn.execute(
                    "INSERT INTO classifications(post_id, body) VALUES(?, ?) ON CONFLICT(post_id) DO UPDATE SET body=excluded.body",
                    (c.post_id, body),
                )
                CLASSIFICATIONS.remember(body, c)
                conn.execute(
                    "UPDATE posts SET topics=?, grade=? WHERE id=?",
                    ("," + ",".join(c.topic_codes()) + ",", c.grade.value, c.post_id),
                )
            self.set_cursor(conn, stage, up_to_seq)

    def get_classification(self, post_id: str) -> Classification | None:
        row = self.read().execute("SELECT body FROM classifications WHERE post_id=?", (post_id,)).fetchone()
        return None if row is None else Classification.model_validate_json(row[0])

    def classified_after(self, seq: int, limit: int) -> list[tuple[Post, Classification]]:
        """Posts past `seq` whose classification is stored, in order, stopping at the first gap."""
        rows = self.read().execute(
            """SELECT p.*, c.body AS cbody FROM posts p LEFT JOIN classifications c ON c.post_id = p.id
               WHERE p.seq > ? ORDER BY p.seq LIMIT ?""",
            (seq, limit),
        ).fetchall()
        out: list[tuple[Post, Classification]] = []
        for row in rows:
            if row["cbody"] is None:
                break
            out.append((_post(row), CLASSIFICATIONS.parse(row["cbody"])))
        return out

    def classified_posts_of(self, incident_id: str) -> list[tuple[Post, Classification]]:
        """An incident's posts with their classifications, in order."""
        rows = self.read().execute(
            """SELECT p.*, c.body AS cbody FROM posts p JOIN classifications c ON c.post_id = p.id
               WHERE p.incident_id = ? ORDER BY p.seq""",
            (incident_id,),
        ).fetchall()
        return [(_post(row), Classification.model_validate_json(row["cbody"])) for row in rows]

    @staticmethod
    def posts_of(conn: sqlite3.Connection, incident_id: str) -> list[Post]:
        """An incident's posts as the given transaction sees them, oldest first (merge, split)."""
        rows = conn.execute("SELECT * FROM posts WHERE incident_id=? ORDER BY effective_at, seq", (incident_id,))
        return [_post(row) for row in rows.fetchall()]

    def stats(self) -> dict[str, int]:
        conn = self.read()
        return {
            "posts": int(conn.execute("SELECT count(*) FROM posts").fetchone()[0]),
            "duplicates": int(conn.execute("SELECT coalesce(sum(dup_count), 0) FROM posts").fetchone()[0]),
            "rejects": int(conn.execute("SELECT count(*) FROM rejects").fetchone()[0]),
            "classified": int(conn.execute("SELECT count(*) FROM classifications").fetchone()[0]),
            "incidents": int(conn.execute("SELECT count(*) FROM incidents").fetchone()[0]),
        }


def _post(row: sqlite3.Row) -> Post:
    return Post(
        id=row["id"],
        seq=row["seq"],
        source=row["source"],
        url=row["url"],
        author=row["author"],
        title=row["title"],
        text=row["text"],
        text_norm=row["text_norm"],
        published_at=dt_req(row["published_at"]),
        ingested_at=dt_req(row["ingested_at"]),
        effective_at=dt_req(row["effective_at"]),
        region=row["region"],
        metrics=PostMetrics.model_validate_json(row["metrics"]),
        flags=tuple(PostFlag(f) for f in json.loads(row["flags"])),
        duplicate_of=row["duplicate_of"],
        content_hash=row["content_hash"],
        extra=json.loads(row["extra"]),
    )


class _Transaction:
    """What `tx()` returns. A class rather than two nested generator-based context managers: a drill
    of 10,000 incidents opens some 120,000 transactions, and the generators' bookkeeping was a
    measurable share of each."""

    __slots__ = ("_store", "_conn", "_savepoint")

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        store = self._store
        self._conn = conn = store._conn()
        store._write_lock.acquire()
        try:
            self._savepoint = getattr(store._local, "batched", False)
            conn.execute("SAVEPOINT tx" if self._savepoint else "BEGIN IMMEDIATE")
        except BaseException:
            store._write_lock.release()
            raise
        return conn

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        conn = self._conn
        try:
            if self._savepoint:  # undone on its own when its block fails; committed with the batch
                if kind is not None:
                    conn.execute("ROLLBACK TO tx")
                conn.execute("RELEASE tx")
            else:
                conn.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._store._write_lock.release()


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN … END;) whole."""
    statements: list[str] = []
    buffer: list[str] = []
    in_trigger = False
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        buffer.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(buffer))
            buffer = []
            in_trigger = False
    if buffer:
        statements.append("\n".join(buffer))
    return statements
