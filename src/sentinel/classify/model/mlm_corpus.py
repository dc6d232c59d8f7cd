"""The text masked-LM pretraining reads, and a folder that `pretrain.py` can train on anywhere.

Real text only, and none that any measurement holds out: People's Daily January 1998 paragraphs
(without the hand-labelled evaluation paragraphs and the real-text bench's samples), the review
sentences' training part, and the train split's posts. Dev and test posts are never read.
Every text is tokenised as the classifier reads it (number-magnitude markers included), cut into
pieces on sentence ends so that every position of the model is trained.

    python -m sentinel.classify.model.mlm_corpus OUT [--config FILE]   # then pretrain.py OUT
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sentinel.classify.model.background import BENCH_SIZES, bench_sample, paragraphs
from sentinel.classify.model.predict import encode
from sentinel.classify.model.pretrain import RECORD_FILE, ROWS_FILE, chunk_texts, write_rows
from sentinel.classify.model.real_text import held_out_texts
from sentinel.classify.model.reviews import review_sentences
from sentinel.classify.model.vocab import SPECIALS

log = logging.getLogger(__name__)


def mlm_texts(train_texts: Sequence[str], real_text: bool = True) -> dict[str, list[str]]:
    """{"newspaper": ..., "reviews": ..., "posts": ...}: what pretraining reads, held-out text removed.
    Without `real_text` (a config with people_daily off, as in the smoke tests), the posts alone."""
    if not real_text:
        return {"newspaper": [], "reviews": [], "posts": list(train_texts)}
    held = set(held_out_texts()) | {text for size in BENCH_SIZES for text in bench_sample(size)}
    reviews = review_sentences()
    return {
        "newspaper": [t for t in paragraphs() if t not in held],
        "reviews": [t for t, _ in (reviews.train if reviews else ()) if t not in held],
        "posts": list(train_texts),
    }


def mlm_rows(tokenizer: Any, train_texts: Sequence[str], max_length: int, markers: bool,
             real_text: bool = True) -> list[list[int]]:
    """Token-id rows of at most `max_length` (with [CLS] and [SEP]) over `mlm_texts`."""
    texts = [t for part in mlm_texts(train_texts, real_text).values() for t in part]
    # Markers add a token per number, so a piece keeps some room under the length.
    pieces = chunk_texts(texts, max_length - 2 - max_length // 8)
    return encode(tokenizer, pieces, max_length, markers)


def prepare(out: Path, cfg: Any, train_texts: Sequence[str], max_length: int | None = None) -> dict[str, Any]:
    """Write the tokenizer, the BertForMaskedLM config and the token rows into `out`."""
    from sentinel.classify.model.train import scratch_tokenizer

    out.mkdir(parents=True, exist_ok=True)
    tokenizer, config = scratch_tokenizer(cfg, train_texts, out)
    length = max_length or cfg.max_length
    rows = mlm_rows(tokenizer, train_texts, length, cfg.number_markers, cfg.people_daily)
    tokenizer.model_max_length = cfg.max_length
    tokenizer.save_pretrained(str(out))
    config.save_pretrained(str(out))
    write_rows(out / ROWS_FILE, rows)
    parts = {k: len(v) for k, v in mlm_texts(train_texts, cfg.people_daily).items()}
    record = {"texts": parts, "rows": len(rows), "tokens": sum(len(r) for r in rows), "max_length": length,
              "special": len(SPECIALS), "mask_id": int(tokenizer.mask_token_id), "vocab": len(tokenizer),
              "config": cfg.model_dump(mode="json")}
    (out / RECORD_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return record


def main(argv: Sequence[str] | None = None) -> None:
    from sentinel.classify.data import load_splits
    from sentinel.classify.model.train import TrainConfig

    parser = argparse.ArgumentParser(description="Prepare a folder for masked-LM pretraining (pretrain.py).")
    parser.add_argument("out", type=Path)
    parser.add_argument("--config", type=Path, help="a TrainConfig JSON (default: the built-in config)")
    args = parser.parse_args(argv)
    cfg = TrainConfig.from_file(args.config) if args.config else TrainConfig()
    record = prepare(args.out, cfg, [p.analysis for p in load_splits()["train"]])
    print(json.dumps({k: v for k, v in record.items() if k != "config"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
