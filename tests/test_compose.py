"""docker-compose.yml is what production runs; no Docker engine runs here, so it is checked against
the Compose Specification JSON schema (vendored by check-jsonschema) and for what it must contain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml


def test_compose_file_matches_the_compose_spec(repo: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(repo / "docker-compose.yml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_service_runs_sentinel_with_a_persistent_store(repo: Path) -> None:
    compose = yaml.safe_load((repo / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["sentinel"]
    assert service["environment"]["SENTINEL_DATA_DIR"] == "/data"
    assert any(v.endswith(":/data") for v in service["volumes"])
    assert "sentinel-data" in compose["volumes"]
    dockerfile = (repo / "Dockerfile").read_text(encoding="utf-8")
    assert '"sentinel", "run"' in dockerfile
    assert '".[ml]"' in dockerfile  # without the model's extra the container would classify by rules only
    assert "SENTINEL_MODEL_CACHE=" in dockerfile and "ModelScorer(" in dockerfile  # the graph exported at build


def test_broken_compose_file_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  sentinel:\n    ports: 8000\n    restart: sometimes\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(bad)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
