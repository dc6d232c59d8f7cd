"""The shipped model run by ONNX Runtime scores exactly as PyTorch does, and any doubt leaves it on PyTorch."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("onnxruntime")

from sentinel.classify.data import load_splits  # noqa: E402
from sentinel.classify.model import onnx_forward  # noqa: E402
from sentinel.classify.model.predict import ModelScorer  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "classify" / "model"


def test_onnx_scores_match_pytorch_on_real_posts() -> None:
    texts = [example.text for example in load_splits(REPO / "classify" / "data")["test"][:96]]
    texts += ["", "😭" * 50, "事故" * 400]  # empty, emoji only, longer than the model reads
    onnx, torch_only = ModelScorer(MODEL), ModelScorer(MODEL, backend="torch")
    assert (onnx.backend, torch_only.backend) == ("onnx", "torch")
    got, want = onnx.score(texts), torch_only.score(texts)
    for name in ("topics", "grades", "sentiments"):
        assert np.abs(getattr(got, name) - getattr(want, name)).max() < 1e-5, name


def test_a_failing_export_falls_back_to_pytorch(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: Any, **__: Any) -> bytes:
        raise RuntimeError("exporter crashed")

    monkeypatch.setattr(onnx_forward, "_export", broken)
    with caplog.at_level(logging.WARNING):
        scorer = ModelScorer(MODEL)
    assert scorer.backend == "torch"
    assert "exporter crashed" in caplog.text
    assert scorer.score(["化工厂爆炸"]).topics.shape == (1, len(scorer.labels.topics))
    with pytest.raises(RuntimeError, match="ONNX Runtime"):
        ModelScorer(MODEL, backend="onnx")


def test_a_graph_that_disagrees_with_pytorch_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real_call = onnx_forward.OnnxForward.__call__

    def off_by_a_little(self: onnx_forward.OnnxForward, ids: Any, mask: Any) -> onnx_forward.Probabilities:
        topics, grades, sentiments = real_call(self, ids, mask)
        return topics + 0.01, grades, sentiments

    monkeypatch.setattr(onnx_forward.OnnxForward, "__call__", off_by_a_little)
    assert ModelScorer(MODEL).backend == "torch"
