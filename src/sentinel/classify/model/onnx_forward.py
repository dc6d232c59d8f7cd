"""The saved model run by ONNX Runtime instead of PyTorch: the same network, the same numbers, less CPU.

Why: the encoder is small, so most of its time goes to many small matrix products, where ONNX
Runtime's fused CPU kernels beat PyTorch's eager ops (bench/bench_classify.py measures both side
by side). Dynamic int8 was tried as well and measured no faster on this project's AVX2 CPUs, so
the graph stays float32 and scores match PyTorch to ~1e-7.

The graph is exported from the loaded PyTorch model when the scorer starts (about a second), not
shipped: the safetensors weights stay the one artefact, and nothing is written to disk. Before it
is used, the graph's scores are compared with PyTorch's on a probe batch; any difference beyond
float rounding, a missing onnxruntime, or a failed export leaves the scorer on PyTorch, with a
warning in the log.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray

log = logging.getLogger(__name__)
Array = NDArray[np.float32]
Probabilities = tuple[Array, Array, Array]
TOLERANCE = 1e-4  # largest allowed difference from PyTorch's probabilities on the probe batch


class _Probabilities(torch.nn.Module):
    """The model with its output activations, so the graph returns what the scorer stores."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.model(input_ids, attention_mask)
        return (torch.sigmoid(out.topic_logits), torch.softmax(out.grade_logits, dim=-1),
                torch.softmax(out.sentiment_logits, dim=-1))


def torch_forward(model: Any) -> Any:
    """PyTorch's forward as (ids, mask) → probabilities, the shape OnnxForward has."""

    def forward(ids: torch.Tensor, mask: torch.Tensor) -> Probabilities:
        with torch.inference_mode():
            out = model(ids, mask)
            return (torch.sigmoid(out.topic_logits).float().numpy(),
                    torch.softmax(out.grade_logits, dim=-1).float().numpy(),
                    torch.softmax(out.sentiment_logits, dim=-1).float().numpy())

    return forward


class OnnxForward:
    def __init__(self, model: Any, threads: int | None = 2) -> None:
        import onnxruntime as ort  # optional: the caller falls back to PyTorch without it

        graph = _export(model)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: the same speed alone (1.96 ms a post either way),
        # 8% less CPU, and the pipeline and API threads beside the scorer get the cores back.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: the console should not fill with graph notes
        self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def __call__(self, ids: torch.Tensor, mask: torch.Tensor) -> Probabilities:
        topics, grades, sentiments = self.session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
        return topics, grades, sentiments


def _export(model: Any) -> bytes:
    wrapper = _Probabilities(model).eval()
    ids = torch.tensor([[2, 5, 6, 3], [2, 7, 3, 0]], dtype=torch.long)  # two rows, one padded
    mask = (ids != 0).long()
    with tempfile.TemporaryDirectory(prefix="sentinel-onnx-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing; the probe below is the check
        path = Path(tmp) / "model.onnx"
        torch.onnx.export(
            wrapper, (ids, mask), str(path), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["topics", "grades", "sentiments"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        )
        return path.read_bytes()


def onnx_forward_or_none(model: Any, probe: tuple[torch.Tensor, torch.Tensor], threads: int | None = 2) -> OnnxForward | None:
    """An ONNX Runtime forward that agrees with PyTorch on `probe`, or None (and why, in the log)."""
    try:
        forward = OnnxForward(model, threads)
        got = forward(*probe)
    except Exception as exc:  # noqa: BLE001 - any failure means "stay on PyTorch", never "fail to classify"
        log.warning("ONNX Runtime not used (%s: %s); scoring with PyTorch", type(exc).__name__, exc)
        return None
    want = torch_forward(model)(*probe)
    worst = max(float(np.abs(g - w).max()) for g, w in zip(got, want, strict=True))
    if worst > TOLERANCE:
        log.warning("ONNX Runtime scores differ from PyTorch by %.2g on the probe batch; scoring with PyTorch", worst)
        return None
    return forward
