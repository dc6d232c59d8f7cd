"""Long-running sources for `sentinel run`: JSONL files followed as they grow, folders of JSONL
files, and RSS/Atom feeds polled with ETag/Last-Modified. Positions live in the store's meta table."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sentinel.ingest.service import IngestService
from sentinel.ingest.sources import (
    FeedSource,
    FeedState,
    FileSource,
    FolderSource,
    dump_state,
    feed_state_key,
    fetch_feed,
    iter_file_lines,
)
from sentinel.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)


def ingest_file_from_position(path: Path, ingest: IngestService, store: SQLiteStore, batch: int = 500) -> int:
    """Ingest lines past the stored position; the position is advanced after each stored batch.

    A last line without its newline may still be being written: it is left for the next pass.
    """
    key = f"file:{path.resolve()}"
    done = int(store.get_meta(key) or 0)
    complete = _ends_with_newline(path)
    pending: list[tuple[str, str]] = []
    count = 0
    held: tuple[str, str] | None = None
    for item in iter_file_lines(path, start_line=done):
        if held is not None:
            pending.append(held)
        held = item
        if len(pending) >= batch:
            ingest.ingest_lines(pending)
            done, count = done + len(pending), count + len(pending)
            store.set_meta(key, str(done))
            pending = []
    if held is not None and complete and held[0] != "":
        pending.append(held)
    if pending:
        ingest.ingest_lines(pending)
        done, count = done + len(pending), count + len(pending)
        store.set_meta(key, str(done))
    return count


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as stream:
        stream.seek(0, 2)
        if stream.tell() == 0:
            return True
        stream.seek(-1, 2)
        return stream.read(1) == b"\n"


class SourceRunner:
    def __init__(self, ingest: IngestService, store: SQLiteStore) -> None:
        self.ingest = ingest
        self.store = store

    def run_file(self, source: FileSource, stop: threading.Event, poll: float = 2.0) -> None:
        while not stop.is_set():
            if source.path.exists():
                self._guard(lambda: ingest_file_from_position(source.path, self.ingest, self.store), source.path)
            stop.wait(poll)

    def run_folder(self, source: FolderSource, stop: threading.Event) -> None:
        while not stop.is_set():
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
