"""Long-running sources for `sentinel run`: JSONL files followed as they grow (and across log
rotation), folders of JSONL files, and RSS/Atom feeds polled with ETag/Last-Modified. Positions
(byte offsets into one file generation, see position.py) live in the store's meta table."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import BinaryIO

from sentinel.ingest.decode import PROBE_BYTES, LineCodec
from sentinel.ingest.position import (
    FileCursor,
    FilePosition,
    cursor_after_lines,
    cursor_at,
    iter_complete_lines,
    load_position,
    position_key,
    read_at,
    same_file,
)
from sentinel.ingest.service import IngestService
from sentinel.ingest.sources import (
    FeedSource,
    FeedState,
    FileSource,
    FolderSource,
    dump_state,
    feed_state_key,
    fetch_feed,
)
from sentinel.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)
# A rotated-away generation is watched until it is fully read and unmodified for this long: its
# writer may append a last line before it reopens the path.
ROTATED_QUIET_S = 300.0
TAIL_QUIET_S = 60.0  # a last line without newline, unchanged this long, is complete


def ingest_file_from_position(path: Path, ingest: IngestService, store: SQLiteStore, batch: int = 500) -> int:
    """Ingest the complete lines past the stored position of `path`; returns how many were read.

    The position (see position.py) is a byte offset into one file generation, advanced after each
    stored batch: a crash between storing and advancing re-reads that batch, which deduplication
    absorbs. A last line without its newline may still be being written: it is left for the next
    pass. A file replaced at the path (new inode) or truncated/rewritten (shorter than the offset,
    or different bytes before it) is read from its start. A generation renamed away in the same
    folder (log rotation) is first drained of the lines written to it after the last pass.
    """
    key = position_key(path)
    raw = store.get_meta(key)
    position, legacy = load_position(raw)
    follower = _Follower(path, ingest, store, key, batch, position)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        # Renamed away and not (yet) recreated: its last lines can still be read where it went.
        follower.retire_cursor()
        follower.drain_rotated()
        follower.save_if_changed(raw)
        return follower.count
    with stream:
        stat = os.fstat(stream.fileno())
        codec = LineCodec.for_file(read_at(stream, 0, PROBE_BYTES))
        cursor = position.cursor
        if legacy is not None:
            cursor = cursor_after_lines(stream, stat, legacy, codec)
        elif cursor is None or not same_file(stream, stat, cursor):
            if cursor is not None:
                log.info("file %s was replaced, truncated or rewritten: reading it from the start", path)
                if cursor.ino != stat.st_ino:
                    follower.retire_cursor()  # renamed away, perhaps with lines not yet read
            cursor = cursor_at(stream, stat, codec.bom, 0)
        if cursor.offset < codec.bom:  # first seen empty; its byte-order mark came with its first line
            cursor = cursor_at(stream, stat, codec.bom, cursor.line)
        follower.set_cursor(cursor)
        follower.drain_rotated()  # older lines first
        follower.read(stream, stat, codec, path.name, cursor, current=True)
    follower.save_if_changed(raw)
    return follower.count


class _Follower:
    """One pass over a followed path: the file there and its rotated-away generations."""

    def __init__(self, path: Path, ingest: IngestService, store: SQLiteStore, key: str, batch: int,
                 position: FilePosition) -> None:
        self.path, self.ingest, self.store, self.key, self.batch = path, ingest, store, key, batch
        self.cursor = position.cursor
        self.rotated = list(position.rotated)
        self.count = 0

    def position(self) -> FilePosition:
        return FilePosition(cursor=self.cursor, rotated=tuple(self.rotated))

    def save(self) -> None:
        self.store.set_meta(self.key, self.position().dump())

    def save_if_changed(self, raw: str | None) -> None:
        dumped = self.position().dump()
        if dumped != raw and not (raw is None and dumped == FilePosition().dump()):
            self.save()

    def set_cursor(self, cursor: FileCursor) -> None:
        self.cursor = cursor

    def retire_cursor(self) -> None:
        """The generation at the path is gone from it; if it was renamed, its unread tail is drained."""
        if self.cursor is not None and all(r.ino != self.cursor.ino for r in self.rotated):
            self.rotated.append(self.cursor)
        self.cursor = None

    def drain_rotated(self) -> None:
        if not self.rotated:
            return
        found = _files_by_inode(self.path.parent, {r.ino for r in self.rotated})
        for old in list(self.rotated):
            where = found.get(old.ino)
            keep = False
            if where is not None:
                try:
                    keep = self._drain_one(where, old)
                except OSError as exc:
                    log.warning("rotated file %s: %s", where, exc)
                    keep = True
            if not keep:
                self.rotated = [r for r in self.rotated if r.ino != old.ino]

    def _drain_one(self, where: Path, old: FileCursor) -> bool:
        """Read what was appended to a rotated generation; True while it may still get more."""
        with where.open("rb") as stream:
            stat = os.fstat(stream.fileno())
            if not same_file(stream, stat, old):
                return False  # the inode was reused by another file: the old generation is gone
            codec = LineCodec.for_file(read_at(stream, 0, PROBE_BYTES))
            # The writer may still hold the renamed file open for a moment (until it reopens the
            # path): keep watching it until it is complete and quiet, or removed.
            quiet = time.time() - stat.st_mtime > ROTATED_QUIET_S
            end = self.read(stream, stat, codec, where.name, old, current=False, tail=quiet)
        return not (end.offset >= stat.st_size and quiet)

    def read(self, stream: BinaryIO, stat: os.stat_result, codec: LineCodec, name: str, cursor: FileCursor,
             current: bool, tail: bool | None = None) -> FileCursor:
        """`tail`: also take a last line without its newline (default: once the file has been unchanged
        for TAIL_QUIET_S, so a finished export's last record is not left unread for ever)."""
        if tail is None:
            tail = time.time() - stat.st_mtime > TAIL_QUIET_S
        pending: list[tuple[str, str]] = []
        offset, line = cursor.offset, cursor.line
        for text, end in iter_complete_lines(stream, cursor.offset, codec, tail=tail):
            line += 1
            offset = end
            if not text.strip():  # blank, e.g. the newline a writer adds before appending to a taken tail
                continue
            pending.append((text, f"{name}:{line}"))
            if len(pending) >= self.batch:
                cursor = self._commit(pending, stream, stat, offset, line, current, cursor)
                pending = []
        if pending:
            cursor = self._commit(pending, stream, stat, offset, line, current, cursor)
        return cursor

    def _commit(self, pending: list[tuple[str, str]], stream: BinaryIO, stat: os.stat_result, offset: int,
                line: int, current: bool, before: FileCursor) -> FileCursor:
        """Store the lines, then advance the position past them (never before: at-least-once)."""
        self.ingest.ingest_lines(pending)
        self.count += len(pending)
        after = cursor_at(stream, stat, offset, line)
        if current:
            self.cursor = after
        else:
            self.rotated = [after if r.ino == before.ino else r for r in self.rotated]
        self.save()
        return after


def _files_by_inode(folder: Path, inodes: set[int]) -> dict[int, Path]:
    found: dict[int, Path] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_file(follow_symlinks=False):
                        ino = entry.stat(follow_symlinks=False).st_ino
                        if ino in inodes:
                            found[ino] = Path(entry.path)
                except OSError:
                    continue
    except OSError as exc:
        log.warning("cannot look for rotated files in %s: %s", folder, exc)
    return found


class SourceRunner:
    def __init__(self, ingest: IngestService, store: SQLiteStore) -> None:
        self.ingest = ingest
        self.store = store

    def run_file(self, source: FileSource, stop: threading.Event, poll: float = 2.0) -> None:
        while not stop.is_set():
            # Called even while the path is missing: a file renamed away still has its tail drained.
            if source.path.exists() or self.store.get_meta(position_key(source.path)):
                self._guard(lambda: ingest_file_from_position(source.path, self.ingest, self.store), source.path)
            stop.wait(poll)

    def run_folder(self, source: FolderSource, stop: threading.Event) -> None:
        missing = False
        while not stop.is_set():
            if not source.path.is_dir() and not missing:  # a misspelt path would otherwise read nothing, silently
                log.warning("source folder %s does not exist (yet); watching for it", source.path)
            missing = not source.path.is_dir()
            for path in sorted(source.path.glob(source.pattern)):
                self._guard(partial(ingest_file_from_position, path, self.ingest, self.store), path)
            stop.wait(source.poll_seconds)

    def run_feed(self, feed: FeedSource, stop: threading.Event) -> None:
        key = feed_state_key(feed)
        while not stop.is_set():
            try:
                raw = self.store.get_meta(key)
                state = FeedState.model_validate(json.loads(raw)) if raw else FeedState()
                posts, state = fetch_feed(feed, state)
                if posts:
                    self.ingest.ingest_objects(posts, f"rss:{feed.url}", keep_results=False)
                self.store.set_meta(key, dump_state(state))
            except Exception as exc:  # noqa: BLE001 - a source thread must outlive a bad entry or a busy store
                log.exception("feed %s: poll failed", feed.url)
                state = FeedState(last_error=f"{type(exc).__name__}: {exc}", failures=8)
            if state.last_error:
                log.warning("feed %s failed (%d in a row): %s", feed.url, state.failures, state.last_error)
            # Back off on repeated failures, up to 8× the interval.
            stop.wait(feed.poll_seconds * min(8, 2 ** min(state.failures, 3)))

    @staticmethod
    def _guard(work: Callable[[], object], where: Path) -> None:
        try:
            work()
        except OSError as exc:
            log.warning("source %s: %s", where, exc)
        except Exception:  # noqa: BLE001 - a source thread must outlive one bad pass; retried next poll
            log.exception("source %s failed", where)
