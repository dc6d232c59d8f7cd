"""Ingest: lines or objects from any source → normalised posts stored (acknowledged) or rejects kept."""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sentinel.domain.post import Post, Reject
from sentinel.ingest.normalize import Normaliser
from sentinel.store.base import AddResult, AddStatus
from sentinel.store.sqlite import SQLiteStore


@dataclass
class IngestReport:
    stored: int = 0
    duplicates: int = 0
    id_conflicts: int = 0
    rejected: int = 0
    results: list[AddResult | Reject] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, results: Iterable[AddResult]) -> None:
        for r in results:
            if r.status == AddStatus.stored:
                self.stored += 1
            elif r.status == AddStatus.id_conflict:
                self.id_conflicts += 1
            else:
                self.duplicates += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored, "duplicates": self.duplicates, "id_conflicts": self.id_conflicts,
            "rejected": self.rejected, "reject_reasons": dict(self.reasons),
        }


class IngestService:
    def __init__(
        self,
        store: SQLiteStore,
        normaliser: Normaliser,
        duplicate_window_hours: float = 24.0,
        on_stored: Callable[[], None] | None = None,
        batch_size: int = 500,
    ) -> None:
        self.store = store
        self.normaliser = normaliser
        self.window = duplicate_window_hours
        self.on_stored = on_stored or (lambda: None)
        self.batch_size = batch_size

    def ingest_lines(self, lines: Iterable[tuple[str, str]], keep_results: bool = False,
                     progress: Callable[[int], None] | None = None) -> IngestReport:
        """(line, origin) pairs, streamed; blank lines are skipped, everything else stored or rejected."""
        items = ((self.normaliser.from_line(line, origin), origin) for line, origin in lines if line.strip())
        return self._run(items, keep_results, progress)

    def ingest_objects(self, objects: Iterable[Any], origin: str, keep_results: bool = True) -> IngestReport:
        items = [(self.normaliser.from_object(obj, origin), origin) for obj in objects]
        if len(items) <= self.batch_size:
            # One batch (an HTTP request): write it here; a writer thread would only add latency.
            report = IngestReport()
            self._write([item for item, _ in items], report, keep_results, None)
            return report
        return self._run(items, keep_results, None)

    def ingest_posts(self, posts: Iterable[Post], origin: str) -> IngestReport:
        return self._run(((p, origin) for p in posts), True, None)

    def _write(self, batch: list[Post | Reject], report: IngestReport, keep: bool,
               progress: Callable[[int], None] | None) -> None:
        posts = [x for x in batch if isinstance(x, Post)]
        rejects = [x for x in batch if isinstance(x, Reject)]
        results = self.store.add_posts(posts, self.window) if posts else []
        self.store.add_rejects(rejects)
        report.add(results)
        report.rejected += len(rejects)
        report.reasons.update(r.reason.split(":", 1)[0] for r in rejects)
        if keep:
            it = iter(results)
            report.results.extend(next(it) if isinstance(x, Post) else x for x in batch)
        if progress:
            progress(len(batch))
        if posts:
            self.on_stored()

    def _run(self, items: Iterable[tuple[Post | Reject, str]], keep: bool,
             progress: Callable[[int], None] | None) -> IngestReport:
        """Normalise in this thread while a writer thread stores the previous batch.

        sqlite3 releases the GIL while it works, so parsing and writing overlap on two cores. The
        queue is short, so at most a few batches are in memory; every batch is committed before the
        writer reports it, and a writer error is raised here after the producer stops.
        """
        report = IngestReport()
        batches: queue.Queue[list[Post | Reject] | None] = queue.Queue(maxsize=2)
        failure: list[BaseException] = []

        def writer() -> None:
            while (batch := batches.get()) is not None:
                if not failure:
                    try:
                        self._write(batch, report, keep, progress)
                    except BaseException as exc:  # noqa: BLE001 - handed to the producer thread
                        failure.append(exc)

        thread = threading.Thread(target=writer, name="ingest-writer", daemon=True)
        thread.start()
        batch: list[Post | Reject] = []
        try:
            for item, _origin in items:
                batch.append(item)
                if len(batch) >= self.batch_size:
                    batches.put(batch)
                    batch = []
                    if failure:
                        break
            if batch and not failure:
                batches.put(batch)
        finally:
            batches.put(None)
            thread.join()
        if failure:
            raise failure[0]
        return report
