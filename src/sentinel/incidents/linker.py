"""How likely a post reports the same event as an open incident: a logistic model over a few
features a duty officer would weigh — shared rare words, a shared place or organisation name, the
same kind of event (the taxonomy's monitoring schemes), the same district or county, how recent
the incident is and how big, and how much of the post the incident does not explain.

A second, smaller model weighs two open incidents against each other (`merge_features`): a post
that joins or opens one incident may show that it and another are one event whose first reports
found nothing in common (a witness's 吓死了 and a later 通报). Both models are learned from the
labelled grouping sets (tests/data/grouping_set*.jsonl) by `python -m sentinel.incidents.train_linker`,
and shipped as link_model.json next to this module: reading them needs no ML library, only a dot product.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel.incidents.grouping import Profile

MODEL_FILE = Path(__file__).with_name("link_model.json")
NEAR_DUPLICATE = 0.8  # containment at which a post is a repost or light edit of the incident's posts


@dataclass(frozen=True)
class PostSignal:
    """What grouping needs to know about one classified post."""

    weights: dict[str, float]  # its bigrams, weighted (grouping.weighted)
    units: frozenset[str]  # the most specific units it names or comes from
    anchors: frozenset[str]  # specific place / organisation names
    kinds: frozenset[str]  # monitoring schemes it matches (爆炸, 矿难, 欠薪 …)
    topics: frozenset[str]
    at: datetime
    on_topic: bool  # could open an incident of its own
    official: bool  # a titled report: news, government site, WeChat article
    non_event: str | None = None
    total: float = field(init=False, repr=False, compare=False)  # the weights' sum, used for every candidate

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", sum(self.weights.values()))


FEATURES = (
    "containment", "sqrt_containment", "shared_anchor", "anchor_conflict", "shared_kind", "kind_conflict",
    "same_unit", "no_unit", "gap_days", "recency", "log_size", "local_prior", "shared_topic", "topic_conflict",
    "on_topic", "official", "near_duplicate", "uncovered",
)


def features(post: PostSignal, profile: Profile) -> list[float]:
    weights = post.weights
    total = post.total
    seen = profile.grams
    covered = sum(w for g, w in weights.items() if g in seen)
    containment = covered / total if total else 0.0
    uncovered = math.log1p(total - covered)
    gap_hours = abs((post.at - profile.last_seen).total_seconds()) / 3600
    units = profile.unit_ids
    same_unit = bool(post.units & units)
    shared_anchor = bool(post.anchors & profile.anchors)
    kinds = profile.kind_ids
    shared_kind = bool(post.kinds & kinds)
    shared_topic = bool(post.topics & profile.topics)
    log_size = math.log2(profile.posts + 1)
    return [
        containment,
        math.sqrt(min(containment, NEAR_DUPLICATE)),
        float(shared_anchor),
        float(bool(post.anchors and profile.anchors and not shared_anchor)),
        float(shared_kind),
        float(bool(post.kinds and kinds and not shared_kind)),
        float(same_unit),
        float(not post.units),
        min(gap_hours, 72.0) / 24,
        math.exp(-gap_hours / 6),
        log_size,
        same_unit * log_size * math.exp(-gap_hours / 12),
        float(shared_topic),
        float(bool(post.topics and profile.topics and not shared_topic)),
        float(post.on_topic),
        float(post.official),
        float(containment >= NEAR_DUPLICATE),
        uncovered,
    ]


MERGE_FEATURES = (
    "cosine", "sqrt_cosine", "containment_small", "containment_large", "log_shared_anchors", "anchor_conflict",
    "shared_kind", "kind_conflict", "shared_topic", "topic_conflict", "same_unit", "no_unit", "gap_days",
    "recency", "overlap", "log_size_small", "log_size_large",
)


def merge_features(small: Profile, large: Profile) -> list[float]:
    """Two open incidents, the smaller first: how alike their words (each bigram weighted by its
    rarity and by the share of the incident's posts that use it), names, kinds, topics and places are,
    and how close in time."""
    a, b = small.vector(), large.vector()
    (norm_a, total_a), (norm_b, total_b) = small.vector_sums(), large.vector_sums()
    shared = sorted(a.keys() & b.keys())  # sorted: sums, and so decisions, must not vary with the hash seed
    dot = sum(a[g] * b[g] for g in shared)
    cosine = dot / (norm_a * norm_b) if norm_a and norm_b else 0.0
    shared_anchors = len(small.anchors & large.anchors)
    kinds_a, kinds_b = small.kind_ids, large.kind_ids
    units_a, units_b = small.unit_ids, large.unit_ids
    gap_hours = abs((small.first_seen - large.first_seen).total_seconds()) / 3600
    return [
        cosine,
        math.sqrt(cosine),
        sum(a[g] for g in shared) / total_a if total_a else 0.0,
        sum(b[g] for g in shared) / total_b if total_b else 0.0,
        math.log1p(shared_anchors),
        float(bool(small.anchors and large.anchors and not shared_anchors)),
        float(bool(kinds_a & kinds_b)),
        float(bool(kinds_a and kinds_b and not kinds_a & kinds_b)),
        float(bool(small.topics & large.topics)),
        float(bool(small.topics and large.topics and not small.topics & large.topics)),
        float(bool(units_a & units_b)),
        float(not units_a or not units_b),
        min(gap_hours, 72.0) / 24,
        math.exp(-gap_hours / 12),
        float(small.first_seen <= large.last_seen and large.first_seen <= small.last_seen),
        math.log2(small.posts + 1),
        math.log2(large.posts + 1),
    ]


def _logistic(bias: float, weights: tuple[float, ...], values: list[float]) -> float:
    z = bias + sum(w * v for w, v in zip(weights, values, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class MergeModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # merge two incidents at or above this probability

    def probability(self, values: list[float]) -> float:
        return _logistic(self.bias, self.weights, values)

    def to_json(self) -> dict[str, object]:
        return {"features": list(MERGE_FEATURES), "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6), "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> MergeModel:
        if data.get("features") != list(MERGE_FEATURES):
            raise ValueError(f"merge model features {data.get('features')} do not match this code's "
                             f"{list(MERGE_FEATURES)}: retrain it")
        weights = data["weights"]
        if not isinstance(weights, list):
            raise ValueError("merge model weights must be a list")
        return cls(tuple(float(w) for w in weights), float(str(data["bias"])), float(str(data["threshold"])))


@dataclass(frozen=True)
class LinkModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # join the best incident at or above this probability
    trained_on: tuple[str, ...] = ()
    merge: MergeModel | None = None  # None: incidents are never merged by grouping itself

    def probability(self, values: list[float]) -> float:
        return _logistic(self.bias, self.weights, values)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "features": list(FEATURES), "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6), "threshold": self.threshold, "trained_on": list(self.trained_on)}
        if self.merge is not None:
            out["merge"] = self.merge.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LinkModel:
        names = data.get("features")
        if names != list(FEATURES):
            raise ValueError(f"link model features {names} do not match this code's {list(FEATURES)}: retrain it")
        weights = data["weights"]
        if not isinstance(weights, list):
            raise ValueError("link model weights must be a list")
        trained_on = data.get("trained_on", [])
        merge = data.get("merge")
        return cls(tuple(float(w) for w in weights), float(str(data["bias"])), float(str(data["threshold"])),
                   tuple(str(t) for t in trained_on) if isinstance(trained_on, list) else (),
                   MergeModel.from_json(merge) if isinstance(merge, dict) else None)

    def save(self, path: Path = MODEL_FILE) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_link_model(path: Path = MODEL_FILE) -> LinkModel:
    return LinkModel.from_json(json.loads(path.read_text(encoding="utf-8")))
