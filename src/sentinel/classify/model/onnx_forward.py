"""The saved model run by ONNX Runtime instead of PyTorch: the same network, the same numbers, less CPU.

Why: the encoder is small, so most of its time goes to many small matrix products, where ONNX
Runtime's fused CPU kernels beat PyTorch's eager ops (bench/bench_classify.py measures both side
by side). Dynamic int8 was tried as well and measured no faster on this project's AVX2 CPUs, so
the graph stays float32 and scores match PyTorch to ~1e-7.

The graph is exported from the loaded PyTorch model when the scorer first starts (about a second),
not shipped: the safetensors weights stay the one artefact. Before it is used, the graph's scores
are compared with PyTorch's on a probe batch; any difference beyond float rounding, a missing
onnxruntime, or a failed export leaves the scorer on PyTorch, with a warning in the log.

The exported graph is then kept in a cache folder (`GraphCache`), under a digest of the weights,
with PyTorch's probabilities on the probe batch. A later start loads the graph from there and
checks it against those probabilities, and never imports PyTorch or the network's code: that
import is most of a start (about 6 of 8 seconds), and a start is paid by every `sentinel
classify`, every restart of the service and every drill's classifier process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)
Array = NDArray[np.float32]
Ids = NDArray[np.int64]
Probabilities = tuple[Array, Array, Array]
TOLERANCE = 1e-4  # largest allowed difference from PyTorch's probabilities on the probe batch
CACHE_ENV = "SENTINEL_MODEL_CACHE"  # a folder for exported graphs; empty: no cache
KEEP_GRAPHS = 4


def _probabilities_module(model: Any) -> torch.nn.Module:
    """The model with its output activations, so the graph returns what the scorer stores."""
    import torch

    class Wrapped(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
            out = self.model(input_ids, attention_mask)
            return (torch.sigmoid(out.topic_logits), torch.softmax(out.grade_logits, dim=-1),
                    torch.softmax(out.sentiment_logits, dim=-1))

    return Wrapped()


def torch_forward(model: Any) -> Any:
    """PyTorch's forward as (ids, mask) → probabilities, the shape OnnxForward has."""
    import torch

    def forward(ids: Ids, mask: Ids) -> Probabilities:
        with torch.inference_mode():
            out = model(torch.from_numpy(ids), torch.from_numpy(mask))
            return (torch.sigmoid(out.topic_logits).float().numpy(),
                    torch.softmax(out.grade_logits, dim=-1).float().numpy(),
                    torch.softmax(out.sentiment_logits, dim=-1).float().numpy())

    return forward


class OnnxForward:
    def __init__(self, graph: bytes, threads: int | None = 2) -> None:
        import onnxruntime as ort  # optional: the caller falls back to PyTorch without it

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: the same speed alone (1.96 ms a post either way),
        # 8% less CPU, and the pipeline and API threads beside the scorer get the cores back.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: the console should not fill with graph notes
        self.graph = graph
        self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    @classmethod
    def exported(cls, model: Any, threads: int | None = 2) -> OnnxForward:
        return cls(_export(model), threads)

    def __call__(self, ids: Ids, mask: Ids) -> Probabilities:
        topics, grades, sentiments = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return topics, grades, sentiments


def _export(model: Any) -> bytes:
    import torch

    wrapper = _probabilities_module(model).eval()
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


def _agrees(got: Probabilities, want: Sequence[Array]) -> float:
    """The largest difference between two sets of probabilities (inf when their shapes differ)."""
    if any(g.shape != w.shape for g, w in zip(got, want, strict=True)):
        return float("inf")
    return max(float(np.abs(g - w).max()) for g, w in zip(got, want, strict=True))


def onnx_forward_or_none(model: Any, probe: tuple[Ids, Ids], threads: int | None = 2,
                         cache: GraphCache | None = None) -> OnnxForward | None:
    """An ONNX Runtime forward that agrees with PyTorch on `probe`, or None (and why, in the log).
    With a cache, the graph that passed is kept there for the next start."""
    try:
        forward = OnnxForward.exported(model, threads)
        got = forward(*probe)
    except Exception as exc:  # noqa: BLE001 - any failure means "stay on PyTorch", never "fail to classify"
        log.warning("ONNX Runtime not used (%s: %s); scoring with PyTorch", type(exc).__name__, exc)
        return None
    want = torch_forward(model)(*probe)
    worst = _agrees(got, want)
    if worst > TOLERANCE:
        log.warning("ONNX Runtime scores differ from PyTorch by %.2g on the probe batch; scoring with PyTorch", worst)
        return None
    if cache is not None:
        cache.save(forward.graph, probe, want)
    return forward


class GraphCache:
    """An exported graph kept for one set of weights, with PyTorch's answers on the probe batch.

    Keyed by a digest of the model folder's weights and config: retraining the model, or another
    model folder, misses. A cached graph is used only when the probe batch is the same and the
    graph still gives PyTorch's answers on it, so a stale or damaged file costs one export, never a
    wrong score. Writing is best effort: a read-only disk only means exporting at every start."""

    def __init__(self, folder: Path, model_dir: Path) -> None:
        digest = hashlib.sha256()
        for name in ("config.json", "model.safetensors"):
            digest.update((model_dir / name).read_bytes())
        self.path = folder / f"{digest.hexdigest()[:32]}.onnx"
        self.answers = self.path.with_suffix(".probe.npz")

    @classmethod
    def default(cls, model_dir: Path) -> GraphCache | None:
        """$SENTINEL_MODEL_CACHE (empty: none), else the user's cache folder; None if the model has no weights file."""
        configured = os.environ.get(CACHE_ENV)
        if configured == "":
            return None
        base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sentinel" / "onnx"
        try:
            return cls(base, model_dir)
        except OSError:
            return None

    def load(self, probe: tuple[Ids, Ids], threads: int | None = 2) -> OnnxForward | None:
        """The cached graph if it is there and still answers the probe as PyTorch did; else None."""
        if not (self.path.exists() and self.answers.exists()):
            return None
        try:
            with np.load(self.answers) as stored:
                if not (np.array_equal(stored["ids"], probe[0]) and np.array_equal(stored["mask"], probe[1])):
                    return None
                want = (stored["topics"], stored["grades"], stored["sentiments"])
            forward = OnnxForward(self.path.read_bytes(), threads)
            worst = _agrees(forward(*probe), want)
        except Exception as exc:  # noqa: BLE001 - a bad cache file means "export again", never "fail to classify"
            log.warning("cached ONNX graph %s not used (%s: %s)", self.path, type(exc).__name__, exc)
            return None
        if worst > TOLERANCE:
            log.warning("cached ONNX graph %s differs from PyTorch by %.2g on the probe batch: exporting again", self.path, worst)
            return None
        return forward

    def save(self, graph: bytes, probe: tuple[Ids, Ids], want: Probabilities) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.answers, lambda handle: np.savez(handle, ids=probe[0], mask=probe[1], topics=want[0],
                                                                    grades=want[1], sentiments=want[2]))
            _write_atomically(self.path, lambda handle: handle.write(graph))
            self._forget_old_graphs()
        except OSError as exc:
            log.info("ONNX graph not cached in %s (%s): it is exported at each start", self.path.parent, exc)

    def _forget_old_graphs(self) -> None:
        """Each retraining leaves a graph of its own weights (~13 MB): keep the most recent few."""
        graphs = sorted(self.path.parent.glob("*.onnx"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in graphs[KEEP_GRAPHS:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".probe.npz").unlink(missing_ok=True)


def _write_atomically(path: Path, write: Any) -> None:
    """Written beside and renamed: a reader never sees half a file, and two starts at once both succeed."""
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)  # noqa: SIM115
    try:
        with handle:
            write(handle)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
