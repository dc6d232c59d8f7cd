"""Grouping quality on the eight labelled sets (tests/data/GROUPING_SET.md), through the real path.

Regression floors a point or two under the measured figures (2026-11-25, the link and merge models trained
on all eight sets: 0.825, 0.761, 0.817, 0.562, 0.561, 0.582, 0.677, the demo stream 0.795; with the classifier
retrained from the pretrained encoder the same day, the same link model: 0.827, 0.750, 0.850, 0.628, 0.550,
0.635, 0.678, 0.791); the held-out figures (each set scored
by a model trained without it) are in the closing note and printed by
`python -m sentinel.incidents.train_linker`. The goal, F1 ≥ 0.9, is not met."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel.incidents.evaluate import evaluate_grouping, score
from sentinel.incidents.grouping import GroupingConfig
from sentinel.incidents.linker import FEATURES, LinkModel, load_link_model
from sentinel.incidents.train_linker import quiet_replays, signals, wrong_joins

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("name", "posts", "events", "floor"), [
    ("grouping_set.jsonl", 346, 83, 0.80),
    ("grouping_set_2.jsonl", 244, 61, 0.74),
    ("grouping_set_3.jsonl", 351, 92, 0.83),
    # One county each (GROUPING_SET.md, fourth and fifth sets): only the towns listed as `places`
    # in alerts/units.yaml tell their events apart.
    ("grouping_set_4.jsonl", 305, 84, 0.61),
    ("grouping_set_5.jsonl", 312, 85, 0.54),
    # An urban district's stream: its 街道 are listed as `places` in alerts/units.yaml.
    ("grouping_set_6.jsonl", 300, 79, 0.62),
    ("grouping_demo_labels.jsonl", 663, 288, 0.78),
    # Written blind on 2026-11-25: 0.710 with the first merging model, trained without it; 0.620 with
    # the session-start model, which did not merge. The shipped model is trained on it too.
    ("grouping_set_7.jsonl", 234, 63, 0.66),
])
def test_pairwise_f1_on_the_labelled_sets(repo: Path, name: str, posts: int, events: int, floor: float) -> None:
    result = evaluate_grouping(repo / "tests" / "data" / name, repo)
    assert (result.posts, result.events) == (posts, events)
    assert result.precision >= floor - 0.05 and result.recall >= floor - 0.15
    assert result.f1 >= floor


def test_pairwise_scoring() -> None:
    truth = {"a": "e1", "b": "e1", "c": "e1", "d": "e2"}
    perfect = score(truth, {"a": "i1", "b": "i1", "c": "i1", "d": "i2"})
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    split = score(truth, {"a": "i1", "b": "i1"})  # c and d unattached: singletons
    assert split.precision == 1.0 and split.recall == round(1 / 3, 4)
    lumped = score(truth, {k: "i1" for k in truth})
    assert lumped.recall == 1.0 and lumped.precision == 0.5


@pytest.mark.parametrize(("name", "most"), [("grouping_set_4.jsonl", 12), ("grouping_set_5.jsonl", 10)])
def test_a_quiet_county_keeps_two_events_apart(repo: Path, name: str, most: int) -> None:
    # Two events at a time, nothing else open: a model tuned on busy streams may find any overlap
    # telling there. Measured: 12 and 4 posts joined the other event's incident, of about 1,080 (7 and
    # 0 before posts naming only the county could join a town's incident, which raised pairwise F1).
    # With incidents merged by grouping (2026-11-25): 11 and 9 with the first merging model (of the
    # fifth set's 9, 6 from two merges of one-post incidents: a thrown bottle with a stuck fairground
    # ride, a homestay's price with a roadside parking racket), 11 and 7 with the shipped one.
    replays = quiet_replays(signals(repo / "tests" / "data" / name, repo))
    assert len(replays) == 100 and all(len({item.event for item in posts}) == 2 for posts in replays)
    assert wrong_joins(replays, load_link_model(), GroupingConfig()) <= most
    eager = LinkModel(tuple(0.0 for _ in FEATURES), 30.0, 0.0)  # joins whatever the hard rules allow
    assert wrong_joins(replays, eager, GroupingConfig()) > 100
