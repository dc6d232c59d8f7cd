"""The training labels' topic order, and the ensemble putting two close topics in that order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sentinel.classify.ensemble_model import EnsembleWeights, combine_topics
from sentinel.classify.model.labels import LabelMap
from sentinel.classify.model.topic_order import TopicOrder
from sentinel.domain.codes import TopicCode

T = TopicCode
LABELS = LabelMap()
BUS = [(T.education, T.transport)] * 8 + [(T.transport, T.education)] * 2  # a school bus: education first, 8 of 10


def probs(**scores: float) -> np.ndarray:
    return np.array([scores.get(code.value, 0.0) for code in LABELS.topics])


def test_counts_every_pair_in_label_order() -> None:
    order = TopicOrder.from_labels([(T.work_safety, T.transport, T.health), (T.transport, T.work_safety)])
    assert order.support(T.work_safety, T.transport) == (1, 2)
    assert order.support(T.transport, T.health) == (1, 1)  # second before third counts too
    assert order.support(T.health, T.transport) == (0, 1)
    assert order.support(T.finance, T.housing) == (0, 0)


def test_puts_first_needs_both_the_share_and_enough_posts() -> None:
    order = TopicOrder.from_labels(BUS)
    assert order.puts_first(T.education, T.transport, share=0.8, min_posts=10)
    assert not order.puts_first(T.education, T.transport, share=0.9, min_posts=10)
    assert not order.puts_first(T.education, T.transport, share=0.8, min_posts=11)
    assert not order.puts_first(T.transport, T.education, share=0.6, min_posts=1)


def test_saved_and_loaded_the_same(tmp_path: Path) -> None:
    order = TopicOrder.from_labels(BUS + [(T.finance, T.public_order, T.other)], "train (11 posts)")
    order.save(tmp_path)
    again = TopicOrder.load(tmp_path)
    assert again == order
    assert TopicOrder.load(tmp_path / "missing") == TopicOrder()  # an older model folder: score order only


@pytest.mark.parametrize(("transport", "education", "margin", "first"), [
    (0.70, 0.60, 0.2, T.education),   # close, and the labels put education first: swapped
    (0.70, 0.60, 0.0, T.transport),   # the dial off
    (0.90, 0.40, 0.2, T.transport),   # too far apart: the scores decide
])
def test_two_close_topics_take_the_labels_order(transport: float, education: float, margin: float, first: TopicCode) -> None:
    weights = EnsembleWeights(scheme_weight=0.0, secondary_threshold=0.3, order_margin=margin, order_share=0.7,
                              order_min_posts=5)
    ranked = combine_topics(probs(transport=transport, education=education), [], LABELS, weights,
                            TopicOrder.from_labels(BUS))
    assert [code for code, _ in ranked] == [first, T.education if first is T.transport else T.transport]


def test_a_topic_under_the_secondary_threshold_is_never_swapped_in() -> None:
    weights = EnsembleWeights(scheme_weight=0.0, secondary_threshold=0.5, order_margin=1.0, order_share=0.7,
                              order_min_posts=5)
    ranked = combine_topics(probs(transport=0.6, education=0.45), [], LABELS, weights, TopicOrder.from_labels(BUS))
    assert [code for code, _ in ranked] == [T.transport]


def test_a_scheme_that_leads_over_the_primary_topic_goes_first() -> None:
    """Staff's convention in taxonomy.yaml (Scheme.leads_over): a dwelling's collapse is housing's before work_safety's,
    however much higher the model scores work_safety; a scheme leading over another topic does nothing here."""
    from sentinel.classify.keywords import KeywordClassifier
    from sentinel.classify.taxonomy import load_taxonomy

    keywords = KeywordClassifier(load_taxonomy())
    weights = EnsembleWeights(scheme_weight=0.3, secondary_threshold=0.3)
    collapse = keywords.classify("城关镇一栋四层自建房突然倒塌，已造成3人死亡")
    ranked = combine_topics(probs(work_safety=0.95, housing=0.2), collapse, LABELS, weights)
    assert [code for code, _ in ranked][:2] == [T.housing, T.work_safety]
    # the model's primary is rural_poverty, not work_safety: the convention does not apply
    ranked = combine_topics(probs(rural_poverty=0.9, housing=0.4), collapse, LABELS, weights)
    assert ranked[0][0] is T.rural_poverty
    # a fire that brought the house down stays 安全生产's
    fire = keywords.classify("居民楼起火后整栋楼坍塌，3人死亡")
    ranked = combine_topics(probs(work_safety=0.95, housing=0.5), fire, LABELS, weights)
    assert ranked[0][0] is T.work_safety


def test_retune_counts_the_train_labels_and_tunes_only_the_rule_dials(tmp_path: Path) -> None:
    """`sentinel train --rule-dials` on a copy of the shipped model, with a small corpus to keep it quick."""
    import json

    pytest.importorskip("torch")
    from tests.support import REPO as repo
    from tests.support import copy_model_with_small_splits

    from sentinel.classify.data import load_jsonl
    from sentinel.classify.train_cli import retune_rule_dials_main
    from sentinel.settings import Settings

    model, data = copy_model_with_small_splits(tmp_path, {"train": 500, "dev": 120, "test": 10})
    before = EnsembleWeights.load(model)
    refit = retune_rule_dials_main(out=model, settings=Settings(data_dir=tmp_path / "store", config_dir=repo),
                                   data_dir=data)
    order = TopicOrder.load(model)
    expected = TopicOrder.from_labels([p.topics for p in load_jsonl(data / "splits" / "train.jsonl")])
    assert order.before == expected.before and order.source == "train (500 posts, 0 corrections)"
    after = EnsembleWeights.load(model)
    unchanged = ("scheme_weight", "secondary_threshold", "serious_threshold", "linear_topics", "lexicon_weight")
    assert all(getattr(after, k) == getattr(before, k) for k in unchanged)
    assert (after.order_margin, after.order_share, after.order_min_posts, after.word_only_none) == (
        refit["order_margin"], refit["order_share"], refit["order_min_posts"], refit["word_only_none"])
    assert "topic order and word-only dials" in after.tuned_on and "dev (120 posts)" in after.tuned_on
    assert json.loads((model / "train_config.json").read_text(encoding="utf-8"))["rule_dials"] == refit
