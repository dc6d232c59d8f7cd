"""How the ensemble settles a grade between the extracted figures and the model (decide_grade)."""

from __future__ import annotations

import numpy as np

from sentinel.classify.ensemble_model import EnsembleWeights, decide_grade
from sentinel.classify.grading import grade_text
from sentinel.classify.model.labels import LabelMap
from sentinel.domain.codes import Grade, TopicCode

LABELS = LabelMap()
WEIGHTS = EnsembleWeights(serious_threshold=0.15)


def probs(**by_grade: float) -> np.ndarray:
    return np.array([by_grade.get(g.value, 0.0) for g in LABELS.grades], dtype=np.float32)


MODEL_SAYS_SERIOUS = probs(none=0.05, general=0.1, relatively_serious=0.15, serious=0.6, particularly_serious=0.1)


def test_figures_below_serious_are_not_overruled_by_the_model() -> None:
    graded = grade_text("某化工厂发生爆炸，造成2人死亡、3人受伤", [TopicCode.work_safety])
    assert graded.grade is Grade.general and graded.evidence
    grade, confirm, reason = decide_grade(graded, MODEL_SAYS_SERIOUS, LABELS, WEIGHTS)
    assert grade is Grade.relatively_serious  # the model's best grade below 重大, higher than the figures'
    assert not confirm
    assert "低于重大标准" in reason


def test_without_figures_the_model_may_call_serious_for_confirmation() -> None:
    graded = grade_text("研学旅行出事了，十个初二的孩子，家长都在群里找名字", [TopicCode.education])
    assert not graded.evidence
    grade, confirm, _ = decide_grade(graded, MODEL_SAYS_SERIOUS, LABELS, WEIGHTS)
    assert grade is Grade.serious and confirm


def test_figures_at_serious_stand_whatever_the_model_says() -> None:
    graded = grade_text("煤矿透水事故已造成12人死亡", [TopicCode.work_safety])
    grade, confirm, _ = decide_grade(graded, probs(none=0.9, general=0.1), LABELS, WEIGHTS)
    assert grade is Grade.serious and not confirm
