"""Scoring texts with a saved model, fast on a small CPU.

What makes it fast (measured in bench/bench_classify.py): one model call per batch of 32; texts
sorted by token length first, so each batch pads only to its own longest text (the classify stage
hands over 64 posts at a time); two threads; texts cut to a few times the model's length before
tokenising, so a 200k-character post costs no more than a long news story; and the network run by
ONNX Runtime where it is installed (onnx_forward.py), PyTorch otherwise. With the graph cached from
an earlier start, scoring needs neither PyTorch nor the network's code, and neither is imported.

Dynamic int8 quantisation of the Linear layers is available (`quantised=True`) but off by default:
on this project's AVX2 CPUs (no VNNI) it was measured no faster than float32 at every size tried,
from the shipped 2x128 encoder to a 12x768 bert-base shape, while changing scores slightly
(MODEL_CARD.md).
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from sentinel.classify.model.features import mark_numbers
from sentinel.classify.model.labels import LabelMap
from sentinel.classify.model.linear import LinearHead
from sentinel.classify.model.onnx_forward import (
    GraphCache,
    Ids,
    Probabilities,
    onnx_forward_or_none,
    torch_forward,
)
from sentinel.classify.model.scores import Scores

if TYPE_CHECKING:
    import torch

    from sentinel.classify.model.network import MultiTaskBert

log = logging.getLogger(__name__)
CHARS_PER_TOKEN_BOUND = 4  # a token is at most a few characters (latin words); cut before tokenising
Array = NDArray[np.float32]
Forward = Callable[[Ids, Ids], Probabilities]
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


def pad_arrays(rows: Sequence[Sequence[int]], pad_id: int = 0) -> tuple[Ids, Ids]:
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def pad(rows: Sequence[Sequence[int]], pad_id: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """pad_arrays as PyTorch tensors, for training."""
    import torch

    ids, mask = pad_arrays(rows, pad_id)
    return torch.from_numpy(ids), torch.from_numpy(mask)


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
        ids, mask = pad_arrays([rows[i] for i in batch], pad_id)
        topics[batch], grades[batch], sentiments[batch] = forward(ids, mask)
    return Scores(topics, grades, sentiments)


def quantise(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 quantisation of Linear layers; the model unchanged where torch lacks it."""
    import torch

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
    from sentinel.classify.model.network import MultiTaskBert

    tokenizer = load_tokenizer(folder)
    model = MultiTaskBert.from_pretrained(str(folder), local_files_only=True)
    model.eval()  # type: ignore[no-untyped-call]
    return model, tokenizer


def load_tokenizer(folder: Path) -> Any:
    """The model's tokenizer; never touches the network.

    From its tokenizer.json where there is one (every folder `sentinel train` saves): that needs
    no PyTorch, while AutoTokenizer reads the model's config through code that imports it."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if (folder / "tokenizer.json").exists():
        from transformers import PreTrainedTokenizerFast

        return PreTrainedTokenizerFast.from_pretrained(str(folder), local_files_only=True)
    from transformers import AutoTokenizer  # its import reads configs, which imports PyTorch

    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


def read_config(folder: Path) -> dict[str, Any]:
    """The saved config.json as it is: what scoring needs to know without building the network."""
    config: dict[str, Any] = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return config


def max_length(config: dict[str, Any]) -> int:
    """Tokens the model reads: its own setting with a pretrained base, else its positions
    (network.max_length_of, from the saved config)."""
    return int(config.get("sentinel_max_length") or config["max_position_embeddings"])


class ModelScorer:
    """Scores batches of texts with a saved model.

    backend: "auto" runs the network with ONNX Runtime when it is installed and agrees with
    PyTorch on a probe batch (onnx_forward.py), else with PyTorch; "torch" or "onnx" choose.
    `quantised` (dynamic int8, PyTorch only) implies "torch"."""

    def __init__(
        self, folder: Path, *, quantised: bool = False, threads: int | None = 2, batch_size: int = 32,
        backend: Backend = "auto", cache: GraphCache | None | Literal["default"] = "default",
    ) -> None:
        self.folder = folder
        self.labels = LabelMap.load(folder)
        config = read_config(folder)
        self.max_length = max_length(config)
        self.markers = bool(config.get("sentinel_number_markers", False))
        self.widths = (int(config.get("num_topics", len(self.labels.topics))),  # network.MultiTaskBert's defaults
                       int(config.get("num_grades", len(self.labels.grades))),
                       int(config.get("num_sentiments", len(self.labels.sentiments))))
        self.quantised = quantised
        self.batch_size = batch_size
        self.tokenizer = load_tokenizer(folder)
        self.pad_id = int(self.tokenizer.pad_token_id or 0)
        self.model: Any = None  # the PyTorch network; not loaded when a cached graph is used
        graphs = GraphCache.default(folder) if cache == "default" else cache
        use_onnx = backend != "torch" and not quantised
        probe = pad_arrays(encode(self.tokenizer, PROBE_TEXTS, self.max_length, self.markers), self.pad_id)
        cached = graphs.load(probe, threads) if use_onnx and graphs is not None else None
        if cached is not None:
            self.forward: Forward = cached
            self.backend = "onnx"
        else:
            self._load_network(threads, probe if use_onnx else None, graphs, backend)
        self.linear = LinearHead.load(folder)  # the char n-gram head saved beside the model, if any
        if self.linear is not None and self.linear.labels != self.labels:
            log.warning("linear head in %s has another label order than the model: not used", folder)
            self.linear = None

    def _load_network(self, threads: int | None, probe: tuple[Ids, Ids] | None, graphs: GraphCache | None,
                      backend: Backend) -> None:
        """PyTorch and the network: scored by PyTorch, or exported to ONNX Runtime when `probe` is given."""
        import torch

        if threads:
            torch.set_num_threads(threads)
        model, _ = load_model(self.folder)
        self.model = quantise(model) if self.quantised else model
        self.forward = torch_forward(self.model)
        self.backend = "torch"
        if probe is not None:
            onnx = onnx_forward_or_none(model, probe, threads, graphs)
            if onnx is not None:
                self.forward, self.backend = onnx, "onnx"
            elif backend == "onnx":
                raise RuntimeError("ONNX Runtime was asked for but cannot run this model (see the log)")

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
