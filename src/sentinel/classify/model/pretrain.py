"""Masked-language-model pretraining of the small encoder on People's Daily 1998 + training posts.

A from-scratch encoder has only a few thousand labelled posts to learn Chinese from; a few minutes
of MLM on ~1.8M characters of newspaper text (and the unlabelled-looking side of the training
posts) gives its character embeddings and attention some grammar first. Whether it pays is
measured on dev (MODEL_CARD.md); the step count is a budget, fixed in the config for
reproducibility rather than a wall-clock limit.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from typing import Any

import torch
from transformers import BertConfig, BertForMaskedLM

from sentinel.classify.model.predict import pad

log = logging.getLogger(__name__)
IGNORE = -100


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


def pretrain_mlm(
    config: BertConfig,
    tokenizer: Any,
    texts: Sequence[str],
    *,
    steps: int,
    batch_size: int,
    max_length: int,
    lr: float,
    seed: int,
) -> tuple[BertForMaskedLM, dict[str, float]]:
    """Train an MLM for `steps` batches; returns it and {seconds, first/last loss}."""
    torch.manual_seed(seed)
    model = BertForMaskedLM(config)
    model.train()
    rows = [list(r) for r in tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]]
    rng = random.Random(seed)  # noqa: S311 - reproducible batch order, not a secret
    gen = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    special = len(tokenizer.all_special_tokens)  # the vocab starts with the specials
    started = time.perf_counter()
    losses: list[float] = []
    order: list[int] = []
    for step in range(steps):
        if len(order) < batch_size:
            order = list(range(len(rows)))
            rng.shuffle(order)
        batch = [rows[order.pop()] for _ in range(batch_size)]
        ids, attention = pad(batch)
        inputs, labels = mask_tokens(ids, attention, config.vocab_size, special, tokenizer.mask_token_id, gen)
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
        losses.append(loss.item())
        if step % 100 == 0:
            log.info("mlm step %d/%d loss %.3f (%.0fs)", step, steps, losses[-1], time.perf_counter() - started)
    head = sum(losses[:50]) / max(1, len(losses[:50]))
    tail = sum(losses[-50:]) / max(1, len(losses[-50:]))
    return model, {"seconds": round(time.perf_counter() - started, 1), "loss_first": head, "loss_last": tail}
