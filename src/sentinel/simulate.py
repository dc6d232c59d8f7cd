"""`sentinel simulate SCENARIO.jsonl [--until ISO]`: the real pipeline on a virtual clock.

Scenario lines, in time order (ARCHITECTURE §5): {"at", "post"} ingests a post; {"at", "action",
"post_id", …} applies a staff action to the incident holding that post; {"at", "action": "restart"}
drops every in-memory object and rebuilds from the store, as after kill -9. Between lines the
virtual clock jumps from one due step to the next, so each step fires at its exact time.

Output: JSON lines in time order — every notification the engine produced (the outbox is read in
order): at, kind, incident, deadline, due, recipients (plus title, step and late).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sentinel.alerts.outbox import console_only
from sentinel.classify.stage import Classifier
from sentinel.domain.alerting import Notification
from sentinel.domain.classification import Classification
from sentinel.domain.post import Post
from sentinel.domain.timeutil import FakeClock, iso, parse_iso
from sentinel.incidents.actions import ActionError, IncidentActions
from sentinel.settings import Settings
from sentinel.wiring import Services, build_services

TAIL = timedelta(hours=72)


class ScenarioError(ValueError):
    """A scenario line is malformed; the message names the line."""


@dataclass
class Step:
    line: int
    at: datetime
    body: dict[str, Any]


def read_scenario(path: Path) -> list[Step]:
    steps: list[Step] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            body = json.loads(raw)
            at = parse_iso(body["at"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
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
    is classified up front and the classify stage is answered from that. A post not seen up front
    (it should not happen) goes to the classifier as usual."""

    def __init__(self, inner: Classifier, posts: list[Post], batch: int = 32) -> None:
        self.inner = inner
        self.name = inner.name
        self.known: dict[tuple[str, str | None, str | None, str], Classification] = {}
        for start in range(0, len(posts), batch):
            chunk = posts[start : start + batch]
            self.known.update(zip(map(_key, chunk), inner.classify_batch(chunk), strict=True))

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]:
        missing = [p for p in posts if _key(p) not in self.known]
        if missing:
            self.known.update(zip(map(_key, missing), self.inner.classify_batch(missing), strict=True))
        return [self.known[_key(p)].model_copy(update={"post_id": p.id}) for p in posts]


def _key(post: Post) -> tuple[str, str | None, str | None, str]:
    return post.text_norm, post.title, post.region, post.source


class Simulation:
    def __init__(self, config_dir: Path, data_dir: Path, start: datetime, steps: Sequence[Step] = ()) -> None:
        # The store is a throwaway temp folder: no fsync. A `restart` line still rebuilds everything
        # from it, as the real runtime would after kill -9 (process death doesn't lose OS buffers).
        self.settings = Settings(data_dir=data_dir, config_dir=config_dir, sqlite_synchronous="OFF",
                                 public_url="http://sentinel.local")
        self.clock = FakeClock(start)
        self._prefetched: Prefetched | None = None
        self.services = self._boot()
        posts = [self.services.normaliser.from_object(s.body["post"], f"scenario:{s.line}") for s in steps if "post" in s.body]
        stage = self.services.pipeline.classify
        self._prefetched = Prefetched(stage.classifier, [p for p in posts if isinstance(p, Post)])
        stage.classifier = self._prefetched
        self._emitted = 0

    def _boot(self) -> Services:
        services = build_services(self.settings, self.clock)
        # A drill must not page anyone: notifications go to the console inbox (and this output),
        # never to the 企业微信, SMS or webhook channels an office has configured.
        services.pipeline.outbox.sender = console_only
        if self._prefetched is not None:  # after a restart: the same answers, not a second pass
            services.pipeline.classify.classifier = self._prefetched
        self.actions = IncidentActions(services.store, services.engine, services.ownership, self.clock)
        return services

    def restart(self) -> None:
        """Everything in memory is dropped; only the store survives, as after kill -9."""
        self.services.store.close()
        self.services = self._boot()

    def advance(self, until: datetime) -> Iterator[dict[str, Any]]:
        """Fire every due step up to `until`, each at its own time."""
        engine = self.services.engine
        while True:
            upcoming = self.services.store.next_fire_time()
            if upcoming is None or upcoming > until:
                break
            self.clock.set(max(self.clock.now(), upcoming))
            engine.tick()
            yield from self._drain()
        self.clock.set(max(self.clock.now(), until))

    def apply(self, step: Step) -> Iterator[dict[str, Any]]:
        body = step.body
        if "post" in body:
            self.services.ingest.ingest_objects([body["post"]], f"scenario:{step.line}")
            self.services.pipeline.drain()
        elif body["action"] == "restart":
            self.restart()
            self.services.pipeline.drain()
        else:
            self._act(step)
        yield from self._drain()

    def _act(self, step: Step) -> None:
        body = dict(step.body)
        post = self.services.store.get_post(str(body.pop("post_id", "")))
        if post is None or post.incident_id is None:
            raise ScenarioError(f"line {step.line}: post {step.body.get('post_id')!r} is in no incident")
        action = body.pop("action")
        body.pop("at")
        actor = str(body.pop("actor", "值班员"))
        try:
            self.actions.apply(post.incident_id, action, actor, **body)
        except (ActionError, KeyError, ValueError) as exc:
            raise ScenarioError(f"line {step.line}: {action}: {exc}") from exc

    def _drain(self) -> Iterator[dict[str, Any]]:
        rows = self.services.store.read().execute(
            "SELECT seq, body FROM notifications WHERE seq > ? ORDER BY seq", (self._emitted,)
        ).fetchall()
        for seq, body in rows:
            self._emitted = seq
            yield notification_line(Notification.model_validate_json(body))


def simulate(path: Path, config_dir: Path, sink: TextIO, until: datetime | None = None,
             on_progress: Callable[[int], None] | None = None) -> int:
    steps = read_scenario(path)
    if not steps:
        return 0
    end = until or steps[-1].at + TAIL
    count = 0
    with tempfile.TemporaryDirectory(prefix="sentinel-sim-") as tmp:
        sim = Simulation(config_dir, Path(tmp), steps[0].at, steps)
        try:
            for step in steps:
                if step.at > end:
                    break
                for line in (*sim.advance(step.at), *sim.apply(step)):
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                    count += 1
                if on_progress:
                    on_progress(1)
            for line in sim.advance(end):
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
        finally:
            sim.services.store.close()
    return count
