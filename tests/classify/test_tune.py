"""The ensemble tuner's choice of the serious+ dial when dev cannot tell dials apart."""

from __future__ import annotations

from sentinel.classify.ensemble_model import EnsembleWeights
from sentinel.classify.model.tune import _middle_of_tie


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
