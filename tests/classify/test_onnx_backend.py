"""The shipped model run by ONNX Runtime scores exactly as PyTorch does, and any doubt leaves it on PyTorch."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
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


_SCORE_IN_A_FRESH_PROCESS = """
import json, sys
from pathlib import Path
from sentinel.classify.model.predict import ModelScorer
scorer = ModelScorer(Path(sys.argv[1]))
scores = scorer.score(json.loads(sys.argv[2]))
print(json.dumps({"backend": scorer.backend, "torch": "torch" in sys.modules, "network": scorer.model is not None,
                  "topics": scores.topics.tolist(), "grades": scores.grades.tolist()}))
"""


def test_a_later_start_scores_from_the_cached_graph_without_pytorch(tmp_path: Path) -> None:
    texts = ["化工厂爆炸致12人死亡", "市民反映小区噪音扰民", "颱風過境，三千餘人緊急轉移"]
    first = ModelScorer(MODEL, cache=onnx_forward.GraphCache(tmp_path, MODEL))
    assert first.backend == "onnx"
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".npz", ".onnx"]
    env = {**os.environ, "SENTINEL_MODEL_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", _SCORE_IN_A_FRESH_PROCESS, str(MODEL), json.dumps(texts)],
                         env=env, capture_output=True, text=True, check=True, timeout=120)
    later = json.loads(out.stdout.strip().splitlines()[-1])
    assert (later["backend"], later["torch"], later["network"]) == ("onnx", False, False)
    want = first.score(texts)
    assert np.abs(np.array(later["topics"]) - want.topics).max() < 1e-6
    assert np.abs(np.array(later["grades"]) - want.grades).max() < 1e-6


def test_a_damaged_or_disagreeing_cache_is_exported_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = onnx_forward.GraphCache(tmp_path, MODEL)
    ModelScorer(MODEL, cache=cache)
    with np.load(cache.answers) as stored:
        answers = {key: stored[key] for key in stored.files}
    np.savez(cache.answers, **{**answers, "topics": answers["topics"] + 0.01})  # not what PyTorch said
    with caplog.at_level(logging.WARNING):
        scorer = ModelScorer(MODEL, cache=cache)
    assert scorer.backend == "onnx" and scorer.model is not None  # exported again from the network
    assert "differs from PyTorch" in caplog.text
    with np.load(cache.answers) as stored:
        assert np.array_equal(stored["topics"], answers["topics"])  # and the cache repaired
    cache.path.write_bytes(b"not a graph")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert ModelScorer(MODEL, cache=cache).backend == "onnx"
    assert "cached ONNX graph" in caplog.text
    assert ModelScorer(MODEL, cache=cache).model is None  # the repaired graph is used again


def test_the_saved_config_gives_the_network_s_own_length() -> None:
    from sentinel.classify.model.network import max_length_of
    from sentinel.classify.model.predict import load_model, max_length, read_config

    model, _ = load_model(MODEL)
    assert max_length(read_config(MODEL)) == max_length_of(model)


def test_the_torch_free_tokenizer_reads_as_autotokenizer_does() -> None:
    from transformers import AutoTokenizer

    from sentinel.classify.model.predict import encode, load_tokenizer

    texts = [example.text for example in load_splits(REPO / "classify" / "data")["dev"][:300]]
    texts += ["", "ABC abc １２３", "颱風過境", "事故" * 400]
    auto = AutoTokenizer.from_pretrained(str(MODEL), local_files_only=True)
    light = load_tokenizer(MODEL)
    assert light.pad_token_id == auto.pad_token_id
    assert encode(light, texts, 160, markers=True) == encode(auto, texts, 160, markers=True)


def test_the_cache_keeps_only_the_most_recent_graphs(tmp_path: Path) -> None:
    for n in range(onnx_forward.KEEP_GRAPHS + 2):  # graphs of earlier trainings
        (tmp_path / f"old{n}.onnx").write_bytes(b"g")
        (tmp_path / f"old{n}.probe.npz").write_bytes(b"a")
        os.utime(tmp_path / f"old{n}.onnx", (n, n))
    cache = onnx_forward.GraphCache(tmp_path, MODEL)
    ModelScorer(MODEL, cache=cache)
    kept = sorted(p.name for p in tmp_path.glob("*.onnx"))
    assert cache.path.name in kept and len(kept) == onnx_forward.KEEP_GRAPHS
    assert not (tmp_path / "old0.onnx").exists() and not (tmp_path / "old0.probe.npz").exists()
    assert len(list(tmp_path.glob("*.probe.npz"))) == onnx_forward.KEEP_GRAPHS
