"""`sentinel simulate SCENARIO.jsonl [--until ISO]`: the real pipeline on a virtual clock.

Scenario lines, in time order (ARCHITECTURE §5): {"at", "post"} ingests a post; {"at", "action",
"post_id", …} applies a staff action to the incident holding that post; {"at", "action": "restart"}
drops every in-memory object and rebuilds from the store, as after kill -9. Between lines the
virtual clock jumps from one due step to the next, so each step fires at its exact time.

Output: JSON lines in time order — every notification the engine produced (the outbox is read in
order): at, kind, incident, deadline, due, recipients (plus title, step and late).

Two things make a long drill fast without changing what it computes: the posts are classified
ahead of the pipeline, for a big scenario in a second process (`Prefetched`, `BackgroundClassifier`;
a script that calls `simulate` needs the usual `if __name__ == "__main__":` guard, as the second
process imports it), and the store commits once per group of lines (`commit_groups`).
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import multiprocessing.queues
import os
import queue
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sentinel.alerts.outbox import console_only
from sentinel.alerts.policies import load_policies
from sentinel.alerts.stats import timeliness
from sentinel.classify.stage import Classifier
from sentinel.domain.alerting import Notification, WindowKind
from sentinel.domain.classification import Classification
from sentinel.domain.post import Post
from sentinel.domain.timeutil import FakeClock, iso, parse_iso
from sentinel.incidents.actions import ActionError, IncidentActions
from sentinel.ingest.decode import LineCodec, UndecodableLine
from sentinel.settings import Settings
from sentinel.store.sqlite import SQLiteStore
from sentinel.wiring import Services, build_classifier, build_services, normaliser_for

TAIL = timedelta(hours=72)
COMMIT_EVERY = 200  # scenario lines per store transaction (see commit_groups)
BATCH = 32  # posts per classifier call (see Prefetched)
# From this many posts the scenario is classified in a second process (BackgroundClassifier):
# below it, that process's start (a fresh interpreter loading torch and the model) costs more
# than it hides.
BACKGROUND_FROM = 500
log = logging.getLogger(__name__)
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False)  # what json.dumps(…, ensure_ascii=False) builds on every call
Key = tuple[str, str | None, str | None, str]


class ScenarioError(ValueError):
    """A scenario line is malformed; the message names the line."""


@dataclass(frozen=True)
class DrillSummary:
    """What a drill left in its store at the end: how big it was, and how its deadlines went
    (counted as `sentinel stats` counts them for leaders)."""

    posts: int
    incidents: int
    clocked_incidents: int  # incidents on which at least one response window started
    clocks: int
    on_time: int
    late: int  # fulfilled after the deadline
    overdue: int  # deadline passed unfulfilled: still open, or cancelled (closed, downgraded) after it
    notifications: int
    # (window name, on time, late, overdue) per kind of window (release first): what a policy trial
    # changes is usually one window, and the totals hide which
    by_window: tuple[tuple[str, int, int, int], ...] = ()
    # Scenario lines the pipeline refused, (line, reason): the drill ran without them.
    rejected: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, store: SQLiteStore, now: datetime) -> DrillSummary:
        conn = store.read()

        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        windows = timeliness(store, now).windows
        order = [kind.value for kind in WindowKind]
        per_window: dict[str, list[int]] = {}
        for w in sorted(windows, key=lambda w: order.index(w.window)):  # rows per (unit, window): add the units up
            counts = per_window.setdefault(w.window_zh, [0, 0, 0])
            for i, value in enumerate((w.on_time, w.late, w.overdue)):
                counts[i] += value
        return cls(
            posts=count("SELECT count(*) FROM posts"),
            incidents=count("SELECT count(*) FROM incidents"),
            clocked_incidents=count("SELECT count(DISTINCT incident_id) FROM clocks"),
            clocks=count("SELECT count(*) FROM clocks"),
            on_time=sum(w.on_time for w in windows),
            late=sum(w.late for w in windows),
            overdue=sum(w.overdue for w in windows),
            notifications=count("SELECT count(*) FROM notifications"),
            by_window=tuple((name, c[0], c[1], c[2]) for name, c in per_window.items()),
            rejected=tuple((str(source).removeprefix("scenario:"), str(reason)) for source, reason in
                           conn.execute("SELECT source, reason FROM rejects ORDER BY id").fetchall()),
        )

    def zh(self) -> str:
        return (f"演练结束：帖子 {self.posts} 条，事件 {self.incidents} 个（{self.clocked_incidents} 个启动了响应时限），"
                f"时限 {self.clocks} 个：按时完成 {self.on_time} 个，逾期完成 {self.late} 个，超时未完成 {self.overdue} 个；"
                f"通知 {self.notifications} 条"
                + "".join(f"\n  {name}：按时完成 {a} 个，逾期完成 {b} 个，超时未完成 {c} 个" for name, a, b, c in self.by_window)
                + "".join(f"\n  拒收 第 {line} 行 / rejected line {line}：{reason[:200]}" for line, reason in self.rejected))


@dataclass
class Step:
    line: int
    at: datetime
    body: dict[str, Any]


def read_scenario(path: Path) -> list[Step]:
    steps: list[Step] = []
    data = path.read_bytes()
    codec = LineCodec.for_file(data, complete=True)  # UTF-8, GBK/GB18030 or Big5, line by line
    for number, line in enumerate(data[codec.bom:].split(codec.newline), start=1):
        raw = codec.decode(line)
        if isinstance(raw, UndecodableLine):
            raise ScenarioError(f"{path.name}:{number}: 无法解码 / cannot decode this line (not UTF-8, GB18030 or Big5)")
        if not raw.strip():
            continue
        try:
            body = json.loads(raw)
            at = parse_iso(body["at"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ScenarioError(f"{path.name}:{number}: {type(exc).__name__}: {exc}") from exc
        if "post" not in body and "action" not in body:
            raise ScenarioError(f"{path.name}:{number}: a line needs `post` or `action`")
        if steps and at < steps[-1].at:
            raise ScenarioError(f"{path.name}:{number}: lines must be in time order")
        steps.append(Step(number, at, body))
    return steps


def notification_line(n: Notification) -> dict[str, Any]:
    return {
        "at": iso(n.fired_at or n.at),
        "kind": n.kind.value,
        "incident": n.incident_id,
        "deadline": n.window,
        "due": iso(n.due) if n.due else None,
        "recipients": [r.name for r in n.recipients],
        "step": n.dedup_key.rsplit(":", 1)[-1],
        "late": n.late,
        "title": n.title_zh,
    }


class Prefetched:
    """The scenario's classifier, asked once for all of its posts, in batches.

    A scenario feeds posts one at a time, and a model scores a batch of 32 several times faster
    than 32 single posts; classification depends only on the post, not on the clock. So every post
    is classified up front, in the scenario's batches, and the classify stage is answered from that.
    With `background`, the batches are classified in a second process while the pipeline runs
    (the classify stage waits only where it overtakes it); its answers are the same, from the same
    classifier on the same batches. A post not seen up front (it should not happen) goes to the
    classifier as usual."""

    name = "prefetched"

    def __init__(self, posts: list[Post], classifier: Callable[[], Classifier],
                 background: BackgroundClassifier | None = None, batch: int = BATCH) -> None:
        self._classifier = classifier
        self._inner: Classifier | None = None
        self._batches = [posts[start : start + batch] for start in range(0, len(posts), batch)]
        # A post asked for twice gets the answer of the last batch holding it, as when every batch's
        # answers were added to one dict in turn.
        self._answered_by = {key: index for index, chunk in enumerate(self._batches) for key in map(_key, chunk)}
        self.known: dict[Key, Classification] = {}
        self._done = 0  # batches whose answers are in `known`
        self._background = background
        if background is not None:
            background.send(self._batches)
        else:
            self._fetch_through(len(self._batches) - 1)

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]:
        self._fetch_through(max((self._answered_by.get(_key(p), -1) for p in posts), default=-1))
        missing = [p for p in posts if _key(p) not in self.known]
        if missing:
            self.known.update(zip(map(_key, missing), self.inner.classify_batch(missing), strict=True))
        return [self.known[_key(p)].model_copy(update={"post_id": p.id}) for p in posts]

    @property
    def inner(self) -> Classifier:
        """The classifier in this process, built when first needed."""
        if self._inner is None:
            self._inner = self._classifier()
        return self._inner

    def close(self) -> None:
        if self._background is not None:
            self._background.close()

    def _fetch_through(self, index: int) -> None:
        while self._done <= index:
            chunk = self._batches[self._done]
            answers = self._background.next_batch() if self._background is not None else None
            if answers is None:  # no second process, or it failed (logged): classify here
                answers = self.inner.classify_batch(chunk)
            self.known.update(zip(map(_key, chunk), answers, strict=True))
            self._done += 1


def _key(post: Post) -> Key:
    return post.text_norm, post.title, post.region, post.source


class BackgroundClassifier:
    """The scenario's classifier in a second process.

    It starts at once and loads the model (seconds: torch, the network, its ONNX graph) while this
    process reads the scenario and builds the pipeline; then it classifies the batches it is sent,
    in order, and queues the answers. A spawned interpreter, not a fork: no torch or thread state
    is copied from this process. If it fails, `next_batch` says so and the caller classifies in
    this process instead."""

    def __init__(self, settings: Settings, classifier: Callable[[Settings], Classifier] = build_classifier) -> None:
        context = multiprocessing.get_context("spawn")
        self._posts: multiprocessing.queues.Queue[list[list[Post]]] = context.Queue()
        self._posts.cancel_join_thread()  # exiting never waits on a process that stopped reading
        self._answers: multiprocessing.queues.Queue[list[Classification] | str] = context.Queue()
        self._process = context.Process(target=_classify_in_background, args=(classifier, settings, self._posts, self._answers),
                                        name="sentinel-simulate-classify", daemon=True)
        self._process.start()
        self._failed = False

    def send(self, batches: list[list[Post]]) -> None:
        self._posts.put(batches)  # written by the queue's own thread: this one goes on at once

    def next_batch(self) -> list[Classification] | None:
        """The next batch's answers, or None once the process has failed."""
        while not self._failed:
            try:
                answer = self._answers.get(timeout=1.0)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                answer = f"exited with code {self._process.exitcode}"
            if isinstance(answer, list):
                return answer
            log.warning("background classification failed (%s): classifying in this process", answer)
            self._failed = True
            self.close()
        return None

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)
        if self._process.is_alive():  # stuck in native code past the SIGTERM
            self._process.kill()
        self._process.join()
        self._posts.close()
        self._answers.close()


def _classify_in_background(
    classifier: Callable[[Settings], Classifier], settings: Settings,
    posts: multiprocessing.queues.Queue[list[list[Post]]], answers: multiprocessing.queues.Queue[list[Classification] | str],
) -> None:
    """The second process: the model first (the long part; the posts arrive meanwhile), then the batches."""
    # Stopped early (close), it exits as from a return, releasing what it holds: else the
    # semaphore of the model loader's progress bar is reported leaked at shutdown.
    signal.signal(signal.SIGTERM, _exit)
    _keep_to_one_cpu()
    gc.disable()  # loading torch and the model allocates a great deal and frees little: a second saved
    try:
        model = classifier(settings)
        gc.freeze()  # all that stays for the process's life: later collections need not walk it
        gc.enable()
        for chunk in posts.get():
            answers.put(model.classify_batch(chunk))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which classifies instead
        answers.put(f"{type(exc).__name__}: {exc}")


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _keep_to_one_cpu() -> None:
    """Keep this process (and the threads it starts) to the last CPU it may use.

    The model scores with two threads; let loose, they take turns on the pipeline's CPU as well,
    and on two cores that made the pipeline about a tenth slower. Without affinity (macOS) or
    with a single CPU, it runs wherever the system puts it."""
    if not hasattr(os, "sched_setaffinity"):
        return
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[-1]})


class Simulation:
    def __init__(self, config_dir: Path, data_dir: Path, start: datetime, steps: Sequence[Step] = (),
                 policies: Path | None = None) -> None:
        # The store is a throwaway temp folder: no fsync. A `restart` line still rebuilds everything
        # from it, as the real runtime would after kill -9 (process death doesn't lose OS buffers).
        self.settings = Settings(data_dir=data_dir, config_dir=config_dir, sqlite_synchronous="OFF",
                                 public_url="http://sentinel.local", policies_file=policies)
        self.clock = FakeClock(start)
        lines = [s for s in steps if "post" in s.body]
        # Started first, so that the model loads while the posts are read and the pipeline is built.
        background = BackgroundClassifier(self.settings) if len(lines) >= BACKGROUND_FROM else None
        normaliser = normaliser_for(self.settings, self.clock)
        posts = [normaliser.from_object(s.body["post"], f"scenario:{s.line}") for s in lines]
        self._prefetched = Prefetched([p for p in posts if isinstance(p, Post)],
                                      lambda: build_classifier(self.settings), background)
        self.services = self._boot()
        self._emitted = 0

    def _boot(self) -> Services:
        # After a restart too: the same prefetched answers, not a second pass.
        services = build_services(self.settings, self.clock, classifier=self._prefetched)
        # A drill must not page anyone: notifications go to the console inbox (and this output),
        # never to the 企业微信, SMS or webhook channels an office has configured. The console inbox
        # is the outbox table itself, so the dispatcher has nothing to do here; nor has the search
        # index, in a store that is thrown away at the end.
        services.pipeline.outbox.sender = console_only
        services.pipeline.inline_outbox = False
        services.pipeline.search_index = False
        self.actions = IncidentActions(services.store, services.engine, services.ownership, self.clock)
        return services

    def close(self) -> None:
        self.services.store.close()
        self._prefetched.close()

    def restart(self) -> None:
        """Everything in memory is dropped; only the store survives, as after kill -9."""
        self.services.store.close()
        self.services = self._boot()

    def run_line(self, step: Step) -> None:
        """The steps due before the line, then the line itself (a restart line: see `restart_line`)."""
        self.advance(step.at)
        self.apply(step)

    def run_group(self, group: Sequence[Step], on_progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
        """Lines in one store transaction, then what they added to the outbox, in order.

        The output is the outbox in order, so it is read once per group of lines, not once per
        line or step: the same lines in the same order, for a few hundred queries instead of one
        per line."""
        with self.services.store.batched():
            for step in group:
                self.run_line(step)
                if on_progress:
                    on_progress(1)
            return self.drain()

    def restart_line(self, step: Step) -> list[dict[str, Any]]:
        """The steps due before a restart line, then the restart; outside any open batch."""
        with self.services.store.batched():
            self.advance(step.at)
        self.restart()
        with self.services.store.batched():
            self.apply(step)
            return self.drain()

    def finish(self, until: datetime) -> list[dict[str, Any]]:
        """The steps due after the last line, up to `until`."""
        with self.services.store.batched():
            self.advance(until)
            return self.drain()

    def advance(self, until: datetime) -> None:
        """Fire every due step up to `until`, each at its own time."""
        engine = self.services.engine
        while True:
            upcoming = self.services.store.next_fire_time()
            if upcoming is None or upcoming > until:
                break
            self.clock.set(max(self.clock.now(), upcoming))
            engine.tick()
            if engine.failing:  # it would stay due for ever: stop the drill and say which
                clock_id, error = next(iter(engine.failing.items()))
                raise ScenarioError(f"clock {clock_id} could not fire at {upcoming.isoformat()}: {error}")
        self.clock.set(max(self.clock.now(), until))

    def apply(self, step: Step) -> None:
        body = step.body
        if "post" in body:
            self.services.ingest.ingest_objects([body["post"]], f"scenario:{step.line}")
            self.services.pipeline.drain()
        elif body["action"] == "restart":  # restart_line has restarted: resume from the store
            self.services.pipeline.drain()
        else:
            self._act(step)

    def _act(self, step: Step) -> None:
        body = dict(step.body)
        incident_id = self.services.store.incident_of_post(str(body.pop("post_id", "")))
        if incident_id is None:
            raise ScenarioError(f"line {step.line}: post {step.body.get('post_id')!r} is in no incident")
        action = body.pop("action")
        body.pop("at")
        actor = str(body.pop("actor", "值班员"))
        try:
            self.actions.apply(incident_id, action, actor, **body)
        except (ActionError, KeyError, ValueError) as exc:
            raise ScenarioError(f"line {step.line}: {action}: {exc}") from exc

    def drain(self) -> list[dict[str, Any]]:
        """Notifications added to the outbox since the last call, in order."""
        rows = self.services.store.notifications_after(self._emitted)
        if rows:
            self._emitted = rows[-1][0]
        return [notification_line(notification) for _, notification in rows]


def is_restart(step: Step) -> bool:
    return step.body.get("action") == "restart"


def commit_groups(steps: Sequence[Step], size: int = COMMIT_EVERY) -> Iterator[list[Step]]:
    """Consecutive lines to run in one transaction (`SQLiteStore.batched`); a restart line alone.

    The simulation's store is a throwaway, and what a restart finds is the same as with the
    runtime's commit per stage: a simulated kill only happens between lines, after a commit."""
    group: list[Step] = []
    for step in steps:
        if is_restart(step) or len(group) >= size:
            if group:
                yield group
            group = []
        if is_restart(step):
            yield [step]
        else:
            group.append(step)
    if group:
        yield group


def write_lines(sink: TextIO, lines: Sequence[dict[str, Any]]) -> int:
    for line in lines:
        sink.write(_LINE_ENCODER.encode(line) + "\n")
    return len(lines)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often, then as before.

    A drill allocates millions of short-lived objects over a heap that keeps growing (the
    prefetched classifications, caches, the store's rows), and the default thresholds walk that
    heap again and again: 3 s of a 50 s run of 10,000 posts, a quarter of that with these."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def simulate(path: Path, config_dir: Path, sink: TextIO, until: datetime | None = None,
             on_progress: Callable[[int], None] | None = None,
             on_summary: Callable[[DrillSummary], None] | None = None, policies: Path | None = None) -> int:
    """Run a scenario; `policies` is a policies.yaml to try instead of the configured one."""
    steps = read_scenario(path)
    if policies is not None:
        load_policies(policies)  # a mistake in the trial file is reported before anything starts
    if not steps:
        return 0
    end = until or steps[-1].at + TAIL
    count = 0
    with tempfile.TemporaryDirectory(prefix="sentinel-sim-") as tmp, fewer_collections():
        sim = Simulation(config_dir, Path(tmp), steps[0].at, steps, policies)
        try:
            for group in commit_groups([s for s in steps if s.at <= end], COMMIT_EVERY):
                if is_restart(group[0]):
                    count += write_lines(sink, sim.restart_line(group[0]))
                    if on_progress:
                        on_progress(1)
                    continue
                count += write_lines(sink, sim.run_group(group, on_progress))
            count += write_lines(sink, sim.finish(end))
            if on_summary:
                on_summary(DrillSummary.of(sim.services.store, sim.clock.now()))
        finally:
            sim.close()
    return count
