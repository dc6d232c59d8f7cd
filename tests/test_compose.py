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


def test_the_installed_package_carries_every_data_file_the_code_reads(repo: Path, tmp_path: Path) -> None:
    """The image installs a wheel, not the editable checkout the tests use: a data file left out of
    package-data (the grouping link model) made every post fail the incidents stage there."""
    import zipfile

    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                             str(tmp_path), str(repo)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    wheel = next(tmp_path.glob("sentinel-*.whl"))
    packaged = set(zipfile.ZipFile(wheel).namelist())
    needed = {f"sentinel/{p.relative_to(repo / 'src' / 'sentinel').as_posix()}"
              for p in (repo / "src" / "sentinel").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
              and "__pycache__" not in p.parts}
    assert needed and needed <= packaged, needed - packaged


def test_every_bind_mount_names_a_path_the_repository_has(repo: Path) -> None:
    """Docker creates a missing bind source as a folder: a mounted sources.yaml that the repository
    does not ship became a directory, and the container restart-looped on "Is a directory"."""
    service = yaml.safe_load((repo / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["sentinel"]
    binds = [v.split(":")[0] for v in service["volumes"] if v.startswith("./")]
    assert binds and all((repo / b).exists() for b in binds), [b for b in binds if not (repo / b).exists()]
