"""SQLite schema and its migrations: each entry runs once, in order, tracked by PRAGMA user_version."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: posts as an append-only log (seq is the queue offset), rejects, cursors, classifications
    """
    CREATE TABLE posts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT,
        author TEXT,
        title TEXT,
        text TEXT NOT NULL,
        text_norm TEXT NOT NULL,
        published_at REAL NOT NULL,
        ingested_at REAL NOT NULL,
        effective_at REAL NOT NULL,
        region TEXT,
        metrics TEXT NOT NULL,
        flags TEXT NOT NULL,
        duplicate_of TEXT,
        content_hash TEXT NOT NULL,
        extra TEXT NOT NULL,
        dup_count INTEGER NOT NULL DEFAULT 0,
        topics TEXT,            -- ',code1,code2,' once classified
        grade TEXT,
        incident_id TEXT
    );
    CREATE INDEX posts_hash ON posts(content_hash, effective_at);
    CREATE INDEX posts_published ON posts(published_at);
    CREATE INDEX posts_source ON posts(source, published_at);
    CREATE INDEX posts_incident ON posts(incident_id);
    CREATE VIRTUAL TABLE posts_fts USING fts5(
        title, text_norm, content='posts', content_rowid='seq', tokenize='trigram'
    );
    -- posts_fts is filled by the index stage (SQLiteStore.index_pending), not a trigger: trigram
    -- indexing costs more than the insert itself, and keeping it out of the ingest transaction
    -- roughly doubles acknowledged posts/s. Search scans the not-yet-indexed tail, so nothing is missed.
    CREATE TABLE duplicate_sightings (
        post_id TEXT NOT NULL,
        seen_at REAL NOT NULL,
        origin TEXT
    );
    CREATE INDEX dup_post ON duplicate_sightings(post_id);
    CREATE TABLE rejects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL,
        post_id TEXT
    );
    CREATE TABLE cursors (
        stage TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    );
    CREATE TABLE classifications (
        post_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: incidents, their posts, response clocks, the notification outbox, deliveries and the audit log
    """
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        grade TEXT NOT NULL,
        status TEXT NOT NULL,
        region TEXT,
        primary_topic TEXT,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        heat REAL NOT NULL DEFAULT 0,
        signature TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX incidents_last_seen ON incidents(last_seen);
    CREATE TABLE clocks (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        window TEXT NOT NULL,
        status TEXT NOT NULL,
        due_at REAL NOT NULL,
        next_fire_at REAL,
        body TEXT NOT NULL
    );
    CREATE INDEX clocks_fire ON clocks(status, next_fire_at);
    CREATE INDEX clocks_incident ON clocks(incident_id);
    CREATE TABLE notifications (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        dedup_key TEXT NOT NULL UNIQUE,
        at REAL NOT NULL,
        incident_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        delivered_at REAL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE INDEX notifications_pending ON notifications(delivered_at, seq);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        incident_id TEXT,
        details TEXT NOT NULL
    );
    CREATE INDEX audit_incident ON audit(incident_id, at);
    """,
    # 3: the clock engine asks "which steps are due?" every tick; without this index that was a
    # scan of every clock ever started (clocks_fire leads with status, which the query leaves open)
    """
    CREATE INDEX clocks_next_fire ON clocks(next_fire_at) WHERE next_fire_at IS NOT NULL;
    """,
    # 4: incidents whose grouping profile a staff action changed (close, reopen, merge, split, open):
    # the incidents stage reloads those, where it used to reload every open incident on each action
    """
    CREATE TABLE grouping_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id TEXT NOT NULL
    );
    """,
    # 5: clocks_fire (status, next_fire_at) served no query once clocks_next_fire answered "which
    # steps are due?", yet every step a clock fires rewrote it; a count by status scans the clocks
    """
    DROP INDEX IF EXISTS clocks_fire;
    """,
]
