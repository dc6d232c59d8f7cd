"""Scoring texts with a saved model, fast on a small CPU.

What makes it fast (measured in bench/bench_classify.py): one model call per batch of 32; texts
sorted by token length first, so each batch pads only to its own longest text (the classify stage
hands over 64 posts at a time); two threads; texts cut to a few times the model's length before
tokenising, so a 200k-character post costs no more than a long news story; and the network run by
ONNX Runtime where it is installed (onnx_forward.py), PyTorch otherwise.

Dynamic int8 quantisation of the Linear layers is available (`quantised=True`) but off by default:
on this project's AVX2 CPUs (no VNNI) it was measured no faster than float32 at every size tried,
from the shipped 2x128 encoder to a 12x768 bert-base shape, while changing scores slightly
(MODEL_CARD.md).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from numpy.typing import NDArray

from sentinel.classify.model.features import mark_numbers
from sentinel.classify.model.labels import LabelMap
from sentinel.classify.model.linear import LinearHead
from sentinel.classify.model.network import MultiTaskBert, max_length_of
from sentinel.classify.model.onnx_forward import Probabilities, onnx_forward_or_none, torch_forward
from sentinel.classify.model.scores import Scores

log = logging.getLogger(__name__)
CHARS_PER_TOKEN_BOUND = 4  # a token is at most a few characters (latin words); cut before tokenising
Array = NDArray[np.float32]
Forward = Callable[[torch.Tensor, torch.Tensor], Probabilities]
Backend = Literal["auto", "torch", "onnx"]
# Texts the ONNX graph must score as PyTorch does before it is used (numbers, Traditional, padding).
PROBE_TEXTS = ("化工厂爆炸致12人死亡、3人失联，直接经济损失约1.2亿元", "市民反映小区噪音扰民",
               "颱風過境，三千餘人緊急轉移", "#热搜# 今天天气不错😀")


def encode(tokenizer: Any, texts: Sequence[str], max_length: int, markers: bool = False) -> list[list[int]]:
    """Token ids (truncated, unpadded); with `markers`, number-magnitude markers first."""
    cut = max_length * CHARS_PER_TOKEN_BOUND
    prepared = [mark_numbers(t, cut) for t in texts] if markers else [t[:cut] for t in texts]
    encoded = tokenizer(prepared, truncation=True, max_length=max_length)
    return [list(ids) for ids in encoded["input_ids"]]


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (shortest first)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def pad(rows: Sequence[Sequence[int]], pad_id: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, : len(row)] = 1
    return ids, mask


def score_ids(model: Any, rows: Sequence[Sequence[int]], batch_size: int = 32, pad_id: int = 0) -> Scores:
    """Run a PyTorch model over token ids in length-sorted batches; results in input order."""
    widths = (int(model.num_topics), int(model.num_grades), int(model.num_sentiments))
    return score_batches(torch_forward(model), widths, rows, batch_size, pad_id)


def score_batches(
    forward: Forward, widths: tuple[int, int, int], rows: Sequence[Sequence[int]], batch_size: int = 32, pad_id: int = 0
) -> Scores:
    """`forward` (PyTorch or ONNX Runtime) over token ids in length-sorted batches; results in input order."""
    n = len(rows)
    topics, grades, sentiments = (np.zeros((n, k), dtype=np.float32) for k in widths)
    for batch in length_batches([len(r) for r in rows], batch_size):
        ids, mask = pad([rows[i] for i in batch], pad_id)
        topics[batch], grades[batch], sentiments[batch] = forward(ids, mask)
    return Scores(topics, grades, sentiments)


def quantise(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 quantisation of Linear layers; the model unchanged where torch lacks it."""
    try:
        from torch.ao.quantization import quantize_dynamic
    except ImportError:  # pragma: no cover - a torch without the eager quantisation API
        log.warning("torch.ao.quantization unavailable; scoring in float32")
        return model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecation notices for the eager API, once per load
        quantised: torch.nn.Module = quantize_dynamic(  # type: ignore[no-untyped-call]
            model, {torch.nn.Linear}, dtype=torch.qint8
        )
    return quantised


def load_model(folder: Path) -> tuple[MultiTaskBert, Any]:
    """Model and tokenizer from a local folder; never touches the network."""
    from transformers import AutoTokenizer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = MultiTaskBert.from_pretrained(str(folder), local_files_only=True)
    model.eval()  # type: ignore[no-untyped-call]
    return model, tokenizer


class ModelScorer:
    """Scores batches of texts with a saved model.

    backend: "auto" runs the network with ONNX Runtime when it is installed and agrees with
    PyTorch on a probe batch (onnx_forward.py), else with PyTorch; "torch" or "onnx" choose.
    `quantised` (dynamic int8, PyTorch only) implies "torch"."""

    def __init__(
        self, folder: Path, *, quantised: bool = False, threads: int | None = 2, batch_size: int = 32,
        backend: Backend = "auto",
    ) -> None:
        if threads:
            torch.set_num_threads(threads)
        self.folder = folder
        self.labels = LabelMap.load(folder)
        model, self.tokenizer = load_model(folder)
        self.max_length = max_length_of(model)
        self.markers = bool(getattr(model.config, "sentinel_number_markers", False))
        self.model: Any = quantise(model) if quantised else model
        self.quantised = quantised
        self.batch_size = batch_size
        self.pad_id = int(self.tokenizer.pad_token_id or 0)
        self.widths = (int(model.num_topics), int(model.num_grades), int(model.num_sentiments))
        self.forward: Forward = torch_forward(self.model)
        self.backend = "torch"
        if backend != "torch" and not quantised:
            probe = pad(encode(self.tokenizer, PROBE_TEXTS, self.max_length, self.markers), self.pad_id)
            onnx = onnx_forward_or_none(model, probe, threads)
            if onnx is not None:
                self.forward, self.backend = onnx, "onnx"
            elif backend == "onnx":
                raise RuntimeError("ONNX Runtime was asked for but cannot run this model (see the log)")
        self.linear = LinearHead.load(folder)  # the char n-gram head saved beside the model, if any
        if self.linear is not None and self.linear.labels != self.labels:
            log.warning("linear head in %s has another label order than the model: not used", folder)
            self.linear = None

    def score(self, texts: Sequence[str]) -> Scores:
        if not texts:
            return Scores(*(np.zeros((0, k), dtype=np.float32) for k in self._widths()))
        rows = encode(self.tokenizer, texts, self.max_length, self.markers)
        return score_batches(self.forward, self.widths, rows, self.batch_size, self.pad_id)

    def score_parts(self, texts: Sequence[str]) -> tuple[Scores, Scores | None]:
        """The model's scores and the linear head's (None without one), for the ensemble to mix."""
        if self.linear is None or not texts:
            return self.score(texts), None
        probs = self.linear.probabilities(texts)
        return self.score(texts), Scores(probs["topics"], probs["grades"], probs["sentiments"])

    def _widths(self) -> tuple[int, int, int]:
        return len(self.labels.topics), len(self.labels.grades), len(self.labels.sentiments)
