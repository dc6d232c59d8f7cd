"""The ensemble tuner's choice of the serious+ dials: when dev cannot tell them apart, and when real
news says the model alone is too eager."""

from __future__ import annotations

from sentinel.classify.data import LabelledPost
from sentinel.classify.ensemble_model import EnsembleWeights
from sentinel.classify.model.background import BENCH_SIZES, bench_sample, tuning_background
from sentinel.classify.model.tune import (
    BACKGROUND_BUDGET,
    _middle_of_tie,
    _quiet_on_background,
    _word_only_key,
    model_only_rate,
)
from sentinel.domain.classification import Classification, TopicScore
from sentinel.domain.codes import Grade, TopicCode


def test_the_dial_moves_to_the_middle_of_the_dials_that_tie_on_false_alarms_and_recall() -> None:
    dials = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
    grid = [EnsembleWeights(serious_threshold=s, linear_grade=m) for m in (0.0, 0.5) for s in dials]
    recall = {0.1: 0.95, 0.2: 0.93, 0.3: 0.93, 0.4: 0.93, 0.5: 0.93, 0.6: 0.93}
    keys = {id(w): (1.0, recall[w.serious_threshold] if w.linear_grade == 0.5 else 0.9, w.serious_threshold)
            for w in grid}
    best = grid[-1]  # what accuracy alone picks: the top of the tied stretch (0.2-0.6)
    chosen = _middle_of_tie(best, grid, keys)
    assert chosen.serious_threshold == 0.4 and chosen.linear_grade == 0.5  # middle of 0.2..0.6
    alone = _middle_of_tie(grid[6], grid, keys)  # 0.1 with recall 0.95 ties with nothing
    assert alone.serious_threshold == 0.1


def test_the_dials_rise_until_real_news_is_quiet_and_no_further() -> None:
    # Real news is quiet once either dial is high enough; dev recall falls past a main dial of 0.4.
    def news_rate(w: EnsembleWeights) -> float:
        return 0.0005 if w.unsupported_serious_threshold >= 0.5 or w.serious_threshold >= 0.5 else 0.004

    def dev_key(w: EnsembleWeights) -> tuple[float, ...]:
        return (1.0, 0.93 if w.serious_threshold <= 0.4 else 0.90, 0.89)

    best = EnsembleWeights(serious_threshold=0.25, unsupported_serious_threshold=0.3)
    chosen = _quiet_on_background(best, dev_key, news_rate)
    assert news_rate(chosen) <= BACKGROUND_BUDGET
    assert (chosen.serious_threshold, chosen.unsupported_serious_threshold) == (0.25, 0.5)  # the lowest quiet pair
    # Already quiet: nothing moves.
    assert _quiet_on_background(best, dev_key, lambda w: 0.0) == best
    # Never quiet: the quietest pair, not a crash.
    loud = _quiet_on_background(best, dev_key, lambda w: 2.41 - w.serious_threshold - w.unsupported_serious_threshold)
    assert (loud.serious_threshold, loud.unsupported_serious_threshold) == (0.7, 0.7)


def test_a_network_eager_on_real_news_is_quieted_by_mixing_in_the_linear_head() -> None:
    # The network alone (linear_grade 0) calls real news 重大 at every dial; mixing the linear head in
    # quiets it, at a small cost on dev. Raising the dials alone would not have been enough.
    def news_rate(w: EnsembleWeights) -> float:
        return 0.0 if w.linear_grade >= 0.5 else 0.003

    def dev_key(w: EnsembleWeights) -> tuple[float, ...]:
        return (1.0, 0.93, 0.93 - w.linear_grade / 10)

    best = EnsembleWeights(linear_grade=0.0, serious_threshold=0.7, unsupported_serious_threshold=0.3)
    chosen = _quiet_on_background(best, dev_key, news_rate, (0.0, 0.2, 0.5, 0.8))
    assert (chosen.linear_grade, chosen.serious_threshold, chosen.unsupported_serious_threshold) == (0.5, 0.7, 0.3)
    # Without other mixes to try, the quietest dials of the network alone.
    assert _quiet_on_background(best, dev_key, news_rate).linear_grade == 0.0


def test_the_tuning_sample_of_real_news_never_overlaps_the_bench_samples() -> None:
    tuning = set(tuning_background())
    assert len(tuning) == 3000
    for size in BENCH_SIZES:
        assert not tuning & set(bench_sample(size))


def test_model_only_rate_counts_serious_grades_without_supporting_figures() -> None:
    def graded(grade: Grade, model_only: bool = False) -> Classification:
        return Classification(post_id="p", topics=(TopicScore(code=TopicCode.work_safety, score=0.9),), grade=grade,
                              needs_confirmation=model_only)

    flagged, supported, small = graded(Grade.serious, True), graded(Grade.particularly_serious), graded(Grade.general)
    assert model_only_rate([flagged, supported, small, small]) == 0.25
    assert model_only_rate([]) == 0.0


def test_the_word_only_dial_pays_more_for_a_lost_incident_than_it_gains_for_a_nuisance() -> None:
    """Five real incidents and five non-events: fixing two nuisances at the cost of one incident (a
    missed 48-hour clock) loses to leaving both nuisances; fixing them for free wins."""
    gold = [Grade.general] * 5 + [Grade.none] * 5
    dev = [LabelledPost(event=f"e{i}", text="楼下起火了", topics=(TopicCode.work_safety,), grade=g)
           for i, g in enumerate(gold)]

    def run(grades: list[Grade]) -> list[Classification]:
        return [Classification(post_id=str(i), topics=(TopicScore(code=TopicCode.work_safety, score=0.9),), grade=g)
                for i, g in enumerate(grades)]

    kept = run([Grade.general] * 5 + [Grade.none] * 3 + [Grade.general] * 2)  # 8 of 10 right
    trade = run([Grade.general] * 4 + [Grade.none] * 6)  # 9 of 10 right, one incident lost
    free = run([Grade.general] * 5 + [Grade.none] * 5)
    assert _word_only_key(dev, kept) > _word_only_key(dev, trade)
    assert _word_only_key(dev, free) > _word_only_key(dev, kept)
