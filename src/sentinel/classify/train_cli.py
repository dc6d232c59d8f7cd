"""`sentinel train` and `sentinel evaluate`: plain functions the typer CLI calls.

    sentinel train [--base PATH] [--config FILE] [--include-corrections] [--out DIR]
    sentinel train --real-text [--include-corrections] [--out DIR]
    sentinel evaluate DATA.jsonl [--model DIR] [--json]

Both print rich tables to stderr-free stdout (or one JSON document with --json) and return a dict.
torch and transformers are imported inside, so the CLI starts without them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sentinel.classify.data import (
    LabelledPost,
    corrections_as_posts,
    corrections_path,
    default_data_dir,
    load_corrections,
    load_jsonl,
    load_splits,
)
from sentinel.classify.evaluate import TfidfBaseline, metrics, run_classifier
from sentinel.classify.taxonomy import Taxonomy, load_taxonomy
from sentinel.settings import Settings, get_settings

log = logging.getLogger(__name__)
SHOWN = (
    ("topic_top1", "主题Top-1"),
    ("topic_top1_any", "Top-1(任一标注)"),
    ("topic_macro_f1", "主题宏F1"),
    ("grade_accuracy", "分级准确率"),
    ("serious_recall", "重大+召回"),
    ("false_alarm_rate", "误报率"),
    ("sentiment_accuracy", "情感准确率"),
)


def _taxonomy(settings: Settings) -> Taxonomy:
    return load_taxonomy(settings.config_dir / "classify" / "taxonomy.yaml")


def _model_dir(settings: Settings) -> Path:
    return settings.config_dir / "classify" / "model"


def metrics_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    table.add_column("classifier")
    for _, label in SHOWN:
        table.add_column(label, justify="right")
    table.add_column("posts/s", justify="right")
    for name, report in rows.items():
        speed = report.get("posts_per_s")
        # a report saved before a metric existed (an older model's ensemble.json) shows "-" for it
        cells = (f"{report[k]:.3f}" if k in report else "-" for k, _ in SHOWN)
        table.add_row(name, *cells, f"{speed:.0f}" if speed else "-")
    return table


def train_main(
    base: Path | None = None,
    config: Path | None = None,
    include_corrections: bool = False,
    out: Path | None = None,
    *,
    settings: Settings | None = None,
    data_dir: Path | None = None,
    console: Console | None = None,
) -> dict[str, Any]:
    """Train on the train split (+ staff corrections), pick the epoch on dev, tune the ensemble on
    dev, save to `out` (default classify/model/). Returns train_config.json's content."""
    from sentinel.classify.ensemble_model import EnsembleClassifier
    from sentinel.classify.model.background import tuning_background
    from sentinel.classify.model.predict import ModelScorer
    from sentinel.classify.model.real_text import sentiment_tuning_sets
    from sentinel.classify.model.topic_order import TopicOrder
    from sentinel.classify.model.train import TRAIN_CONFIG_FILE, TrainConfig, save, train
    from sentinel.classify.model.tune import tune_weights

    settings = settings or get_settings()
    console = console or Console(width=150)
    cfg = TrainConfig.from_file(config) if config else TrainConfig()
    if base is not None:
        cfg = cfg.model_copy(update={"base": str(base)})
    folder = out or _model_dir(settings)
    splits = load_splits(data_dir)
    train_posts, added = _train_posts(splits, include_corrections, settings)
    console.print(f"训练 train: {len(train_posts)} posts ({added} corrections), dev: {len(splits['dev'])}")
    result = train(_resolved(cfg, settings), train_posts, splits["dev"])
    shown = data_dir or default_data_dir()
    if shown.resolve().is_relative_to(settings.config_dir.resolve()):
        shown = shown.resolve().relative_to(settings.config_dir.resolve())  # no machine paths in a shipped file
    data = {"data_dir": str(shown), "train": len(train_posts), "corrections": added,
            "dev": len(splits["dev"]), "test": len(splits["test"])}
    save(result, cfg, folder, data)
    TopicOrder.from_labels([p.topics for p in train_posts], f"train ({len(train_posts)} posts, {added} corrections)").save(folder)
    weights = tune_weights(EnsembleClassifier(_taxonomy(settings), ModelScorer(folder)), splits["dev"],
                           tuning_background(), sentiment_tuning_sets())
    weights.save(folder)
    record: dict[str, Any] = json.loads((folder / TRAIN_CONFIG_FILE).read_text(encoding="utf-8"))
    record["ensemble"] = weights.model_dump(mode="json")
    console.print(metrics_table("dev", {"model": result.dev, "ensemble": weights.dev | {"posts_per_s": 0}}))
    console.print(f"用时 wall time: {result.seconds}; saved to {folder}")
    return record


def _resolved(cfg: Any, settings: Settings) -> Any:
    """The config with a relative pretrained-encoder path read from the configuration directory (the
    saved config keeps it relative, so a shipped train_config.json names no machine's path)."""
    if cfg.base or not cfg.pretrained or Path(cfg.pretrained).is_absolute():
        return cfg
    return cfg.model_copy(update={"pretrained": str(settings.config_dir / cfg.pretrained)})


def _train_posts(
    splits: dict[str, list[LabelledPost]], include_corrections: bool, settings: Settings
) -> tuple[list[LabelledPost], int]:
    """The train split, plus staff corrections when asked (never one whose text is held out: dev, test,
    or the real text kept for tuning and reporting)."""
    from sentinel.classify.model.real_text import held_out_texts

    posts = list(splits["train"])
    if not include_corrections:
        return posts, 0
    held_out = [p.text for p in (*splits["dev"], *splits["test"])] + held_out_texts()
    extra = corrections_as_posts(load_corrections(corrections_path(settings.data_dir)), held_out)
    return posts + extra, len(extra)


def refit_real_text_main(
    include_corrections: bool = False,
    out: Path | None = None,
    *,
    settings: Settings | None = None,
    data_dir: Path | None = None,
    console: Console | None = None,
) -> dict[str, Any]:
    """Refit the linear head's topic and sentiment parts of an existing model on the train split (and
    staff corrections when asked) plus the real text at the default config's weights, then retune the
    sentiment dials. The network, the grade and every other dial stay as they are: one or two minutes,
    not a training run. Returns the record added to train_config.json."""
    import time
    from datetime import UTC, datetime

    from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights
    from sentinel.classify.model.linear import LinearHead, fit_sentiment, fit_topics
    from sentinel.classify.model.predict import ModelScorer
    from sentinel.classify.model.real_text import sentiment_tuning_sets
    from sentinel.classify.model.train import TRAIN_CONFIG_FILE, TrainConfig, real_text_examples
    from sentinel.classify.model.tune import real_text_note, retune_sentiment

    settings = settings or get_settings()
    console = console or Console(width=150)
    folder = out or _model_dir(settings)
    head = LinearHead.load(folder)
    if head is None:
        raise ValueError(f"{folder} has no linear head to refit")
    record: dict[str, Any] = json.loads((folder / TRAIN_CONFIG_FILE).read_text(encoding="utf-8"))
    defaults = TrainConfig()
    real = {"review_sentiment_weight": defaults.review_sentiment_weight, "news_weight": defaults.news_weight}
    cfg = TrainConfig.model_validate({**record.get("config", {}), **real})
    splits = load_splits(data_dir)
    posts, added = _train_posts(splits, include_corrections, settings)
    dev, sets = splits["dev"], sentiment_tuning_sets()  # read first: a bad label file fails before any fitting
    started = time.perf_counter()
    extra = real_text_examples(cfg)
    head = fit_topics(head, [*((p.analysis, p.topics, 1.0) for p in posts), *extra["extra_topics"]],
                      c=cfg.linear_c, seed=cfg.seed)
    labelled = [(p.analysis, p.sentiment, 1.0) for p in posts if p.sentiment is not None]
    head = fit_sentiment(head, [*labelled, *extra["extra_sentiment"]], c=cfg.linear_c, seed=cfg.seed)
    scorer = ModelScorer(folder)
    scorer.linear = head  # tuned in memory: the folder is written only once everything has worked
    ensemble = EnsembleClassifier(_taxonomy(settings), scorer, EnsembleWeights.load(folder))
    weights = retune_sentiment(ensemble, dev, sets)
    kept = ensemble.weights.tuned_on.split("; linear head refit")[0]
    refitted_on = f"; linear head refit {datetime.now(UTC).date()}, dev ({len(dev)} posts)" + real_text_note(sets)
    weights = weights.model_copy(update={"tuned_on": kept + refitted_on})
    refit = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "posts": len(posts), "corrections": added,
        "real_text": {"topic_examples": len(extra["extra_topics"]), "sentiment_examples": len(extra["extra_sentiment"]), **real},
        "linear_sentiment": weights.linear_sentiment, "lexicon_weight": weights.lexicon_weight,
        "dev": {k: round(v, 4) for k, v in weights.dev.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    record.setdefault("config", cfg.model_dump(mode="json")).update(real)
    record["real_text_refit"] = refit
    record["ensemble"] = weights.model_dump(mode="json")
    head.save(folder)
    weights.save(folder)
    (folder / TRAIN_CONFIG_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    console.print(f"线性头已按真实文本重训 linear head refitted with real text: {refit}")
    return refit


def retune_rule_dials_main(
    include_corrections: bool = False,
    out: Path | None = None,
    *,
    settings: Settings | None = None,
    data_dir: Path | None = None,
    console: Console | None = None,
) -> dict[str, Any]:
    """Count the training labels' topic order again (topic_order.json) and tune the dials that act on the
    model's output (topic order, word-only grade) on dev; the model and its own dials stay as they are
    (seconds). Returns the record added to train_config.json."""
    from datetime import UTC, datetime

    from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights
    from sentinel.classify.model.predict import ModelScorer
    from sentinel.classify.model.topic_order import TopicOrder
    from sentinel.classify.model.train import TRAIN_CONFIG_FILE
    from sentinel.classify.model.tune import retune_rule_dials

    settings = settings or get_settings()
    console = console or Console(width=150)
    folder = out or _model_dir(settings)
    splits = load_splits(data_dir)
    posts, added = _train_posts(splits, include_corrections, settings)
    order = TopicOrder.from_labels([p.topics for p in posts], f"train ({len(posts)} posts, {added} corrections)")
    ensemble = EnsembleClassifier(_taxonomy(settings), ModelScorer(folder), EnsembleWeights.load(folder), order)
    weights = retune_rule_dials(ensemble, splits["dev"])
    kept = ensemble.weights.tuned_on.split("; topic order")[0]
    note = f"; topic order and word-only dials {datetime.now(UTC).date()}, dev ({len(splits['dev'])} posts)"
    weights = weights.model_copy(update={"tuned_on": kept + note})
    record: dict[str, Any] = json.loads((folder / TRAIN_CONFIG_FILE).read_text(encoding="utf-8"))
    refit = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"), "posts": len(posts), "corrections": added,
        "order_margin": weights.order_margin, "order_share": weights.order_share,
        "order_min_posts": weights.order_min_posts, "word_only_none": weights.word_only_none,
        "dev": {k: round(v, 4) for k, v in weights.dev.items()},
    }
    record["rule_dials"] = refit
    record["ensemble"] = weights.model_dump(mode="json")
    order.save(folder)
    weights.save(folder)
    (folder / TRAIN_CONFIG_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    console.print(f"主题主次与事件词规则参数已重新调优 topic order and word-only dials tuned: {refit}")
    return refit


def evaluate_posts(
    posts: Sequence[LabelledPost],
    model_dir: Path | None,
    settings: Settings,
    *,
    baselines: bool = True,
    data_dir: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Metrics for (a) schemes alone, (b) TF-IDF + LR, (c) the model (and its linear head alone, when it
    has one), (d) the ensemble."""
    from sentinel.classify.ensemble import RuleClassifier

    taxonomy = _taxonomy(settings)
    reports: dict[str, dict[str, Any]] = {}
    if baselines:
        preds, speed = run_classifier(RuleClassifier(taxonomy), posts)
        reports["schemes"] = metrics(posts, preds) | {"posts_per_s": speed}
        baseline = TfidfBaseline().fit(load_splits(data_dir)["train"])
        reports["tfidf_lr"] = metrics(posts, baseline.predict(posts))
    folder = model_dir or _model_dir(settings)
    if (folder / "model.safetensors").is_file():
        from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights
        from sentinel.classify.model.predict import ModelScorer
        from sentinel.classify.model.train import predictions

        scorer = ModelScorer(folder)
        model_scores, linear_scores = scorer.score_parts([p.analysis for p in posts])
        reports["model"] = metrics(posts, predictions(model_scores))
        if linear_scores is not None:
            reports["linear_head"] = metrics(posts, predictions(linear_scores))
        ensemble = EnsembleClassifier(taxonomy, scorer, EnsembleWeights.load(folder))
        preds, speed = run_classifier(ensemble, posts)
        reports["ensemble"] = metrics(posts, preds) | {"posts_per_s": speed}
    else:
        log.warning("no model in %s: evaluating the baselines only", folder)
    return reports


def evaluate_main(
    data: Path,
    model: Path | None = None,
    as_json: bool = False,
    *,
    baselines: bool = True,
    settings: Settings | None = None,
    data_dir: Path | None = None,
    console: Console | None = None,
) -> dict[str, Any]:
    """Evaluate on a labelled JSONL file (e.g. classify/data/splits/test.jsonl)."""
    settings = settings or get_settings()
    posts = load_jsonl(data)
    reports = evaluate_posts(posts, model, settings, baselines=baselines, data_dir=data_dir)
    result = {"data": str(data), "posts": len(posts), "reports": reports}
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return result
    console = console or Console(width=150)
    console.print(metrics_table(f"{data} ({len(posts)} posts)", reports))
    for name in ("ensemble", "model"):
        if name in reports:
            console.print(confusion_table(name, reports[name]))
            break
    return result


def confusion_table(name: str, report: dict[str, Any]) -> Table:
    labels: list[str] = report["grade_labels"]
    table = Table(title=f"{name}: 分级混淆矩阵 (行=标注, 列=预测)")
    table.add_column("gold \\ pred")
    for label in labels:
        table.add_column(label, justify="right")
    for label, row in zip(labels, report["grade_confusion"], strict=True):
        table.add_row(label, *(str(v) for v in row))
    return table
