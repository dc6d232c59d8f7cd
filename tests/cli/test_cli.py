"""The command line as scripts use it: real subprocesses, exit codes, stdout contracts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support import REPO

from sentinel.runtime import pipeline_lock
from sentinel.store.sqlite import SQLiteStore

pytestmark = pytest.mark.integration


def sentinel(*args: str, data_dir: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SENTINEL_DATA_DIR": str(data_dir), "SENTINEL_CONFIG_DIR": str(REPO), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "sentinel.cli", *args], input=stdin, capture_output=True, env=env,
                          timeout=120)


POSTS = [
    {"id": "c1", "source": "news", "text": "青石县柳林镇一煤矿发生透水事故，目前已造成3人死亡、9人被困", "published_at": "2026-11-21T03:00:00+08:00"},
    {"id": "c2", "source": "weibo", "text": "今天的火锅真好吃，周末还来"},
    {"id": "c3", "source": "hotline", "text": "市民来电反映：白沙县某小区物业乱收费，要求相关部门核查"},
]


def test_ingest_gbk_file_with_bad_lines_exits_3_and_keeps_rejects(tmp_path: Path) -> None:
    lines = [json.dumps(p, ensure_ascii=False) for p in POSTS] + ['{"source": "weibo", "text": "坏', '{"source": "x", "text": ""}']
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    result = sentinel("ingest", str(path), "--json", data_dir=tmp_path / "data")
    assert result.returncode == 3, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["stored"] == 3 and report["rejected"] == 2
    rejects = sentinel("rejects", "--json", data_dir=tmp_path / "data")
    assert rejects.returncode == 0
    reasons = [json.loads(line)["reason"] for line in rejects.stdout.decode().splitlines() if line.strip().startswith("{")]
    assert len(reasons) == 2
    found = sentinel("search", "透水", "--json", data_dir=tmp_path / "data")
    assert found.returncode == 0 and "柳林镇" in found.stdout.decode()


def test_ingest_from_stdin_then_process_classifies(tmp_path: Path) -> None:
    body = "\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS).encode()
    result = sentinel("ingest", "-", "--process", data_dir=tmp_path / "data", stdin=body)
    assert result.returncode == 0, result.stderr.decode()
    graded = sentinel("search", "--grade", "serious", "--json", data_dir=tmp_path / "data")
    assert "c1" in graded.stdout.decode()


def test_ingest_process_leaves_the_pipeline_to_the_running_server(tmp_path: Path) -> None:
    """One pipeline runner per data directory: a running `sentinel run` holds the lock."""
    data = tmp_path / "data"
    body = "\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS).encode()
    with pipeline_lock(data) as held:  # as `sentinel run` holds it
        assert held
        result = sentinel("ingest", "-", "--process", "--json", data_dir=data, stdin=body)
        refused = sentinel("run", "--port", "1", data_dir=data)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["stored"] == 3
    assert "running server" in result.stderr.decode()
    store = SQLiteStore(data / "sentinel.db")
    stored = store.get_post("c1")
    assert stored is not None and stored.classification is None  # stored, left for the server to process
    store.close()
    assert refused.returncode == 1 and "another process runs the pipeline" in refused.stderr.decode()


def test_classify_contract_one_line_per_input_same_order(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(POSTS[0], ensure_ascii=False), "not json", "", json.dumps(POSTS[1], ensure_ascii=False),
             json.dumps({"source": "weibo", "text": "<p>" + "🔥" * 50 + "</p>"}, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = sentinel("classify", str(path), "-o", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 3  # two lines could not be classified
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["id"] == "c1" and rows[0]["topics"][0] == "work_safety" and rows[0]["grade"] == "serious"  # 3 dead + 9 trapped
    assert "error" in rows[1] and "error" in rows[2]
    assert rows[3]["id"] == "c2" and rows[3]["topics"] == ["other"] and rows[3]["grade"] == "none"
    assert rows[4]["grade"] == "none" and "error" not in rows[4]


def test_schema_post_is_the_input_contract(tmp_path: Path) -> None:
    result = sentinel("schema", "post", data_dir=tmp_path)
    schema = json.loads(result.stdout)
    assert result.returncode == 0
    assert "text" in schema["required"] and "source" in schema["required"]
    assert {"id", "url", "published_at", "metrics", "region"} <= set(schema["properties"])
    assert sentinel("schema", "nonsense", data_dir=tmp_path).returncode == 2  # a usage error


@pytest.mark.parametrize("command", ["run", "ingest", "search", "rejects", "schema", "classify", "token"])
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    result = sentinel(command, "--help", data_dir=tmp_path)
    assert result.returncode == 0 and b"Usage" in result.stdout


def test_missing_file_is_a_clear_failure(tmp_path: Path) -> None:
    result = sentinel("ingest", str(tmp_path / "nope.jsonl"), data_dir=tmp_path)
    assert result.returncode == 1 and "not found" in result.stderr.decode()


def assert_clear_failure(result: subprocess.CompletedProcess[bytes], *words: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "错误 / error" in stderr and all(w in stderr for w in words), stderr


def assert_usage_error(result: subprocess.CompletedProcess[bytes], *words: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr and all(w in stderr for w in words), stderr


def test_folders_and_unwritable_outputs_are_clear_failures(tmp_path: Path) -> None:
    good = tmp_path / "in.jsonl"
    good.write_text(json.dumps(POSTS[1], ensure_ascii=False) + "\n", encoding="utf-8")
    assert_clear_failure(sentinel("classify", str(tmp_path), data_dir=tmp_path / "data"), "folder")
    assert_clear_failure(sentinel("simulate", str(tmp_path), data_dir=tmp_path / "data"), "folder")
    missing = tmp_path / "nonexistent" / "out.jsonl"
    assert_clear_failure(sentinel("classify", str(good), "-o", str(missing), data_dir=tmp_path / "data"), str(missing))
    assert_clear_failure(sentinel("simulate", str(good), "-o", str(missing), data_dir=tmp_path / "data"), str(missing))


def test_a_lone_surrogate_is_replaced_in_classify_and_ingest(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    odd = '{"id": "odd", "source": "weibo", "text": "青石县煤矿透水\\ud800事故"}'
    path.write_text(json.dumps(POSTS[0], ensure_ascii=False) + "\n" + odd + "\n", encoding="utf-8")
    classified = sentinel("classify", str(path), data_dir=tmp_path / "data")
    assert classified.returncode == 0, classified.stderr.decode()
    assert [json.loads(line)["id"] for line in classified.stdout.decode().splitlines()] == ["c1", "odd"]
    ingested = sentinel("ingest", str(path), "--json", data_dir=tmp_path / "data")
    assert ingested.returncode == 0, ingested.stderr.decode()
    assert json.loads(ingested.stdout)["stored"] == 2


def test_search_shows_a_stored_far_future_time(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from sentinel.domain.timeutil import FakeClock
    from sentinel.ingest.normalize import Normaliser
    from sentinel.store.sqlite import SQLiteStore

    # Stored before ingest refused such times: the display must not fail on it.
    post = Normaliser(FakeClock(datetime(2026, 11, 20, tzinfo=UTC))).from_object(POSTS[0], "test")
    store = SQLiteStore(tmp_path / "data" / "sentinel.db")
    store.add_posts([post.model_copy(update={"published_at": datetime(9999, 12, 31, 20, tzinfo=UTC)})], 24.0)  # type: ignore[union-attr]
    store.close()
    found = sentinel("search", "透水", data_dir=tmp_path / "data")
    assert found.returncode == 0, found.stderr.decode()
    assert "12-31T20:00" in found.stdout.decode()


def test_act_refuses_a_blank_actor_and_a_missing_parameter(tmp_path: Path) -> None:
    assert_usage_error(sentinel("act", "INC-x", "acknowledge", "--actor", "   ", data_dir=tmp_path), "actor")
    assert_usage_error(sentinel("act", "INC-x", "set_grade", "--actor", "张伟", data_dir=tmp_path), "set_grade 需要参数 grade")
    assert_usage_error(sentinel("act", "INC-x", "fly", "--actor", "张伟", data_dir=tmp_path), "action")
    assert_usage_error(sentinel("act", "INC-x", "record_release", "--actor", "张伟", "--at", "tomorrow-ish",
                                data_dir=tmp_path), "bad time")


def test_token_rotation_is_refused_while_the_environment_sets_the_token(tmp_path: Path) -> None:
    """The next start writes SENTINEL_API_TOKEN's hash back, which would revive the old token."""
    env = {**os.environ, "SENTINEL_DATA_DIR": str(tmp_path), "SENTINEL_CONFIG_DIR": str(REPO),
           "SENTINEL_API_TOKEN": "office-token-from-env"}
    result = subprocess.run([sys.executable, "-m", "sentinel.cli", "token", "--rotate"], capture_output=True,
                            env=env, timeout=60)
    assert_clear_failure(result, "SENTINEL_API_TOKEN")
    assert sentinel("token", "--rotate", data_dir=tmp_path).returncode == 0  # without it, rotation works


def test_run_on_a_busy_port_fails_clearly_before_announcing_a_start(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = sentinel("run", "--port", str(port), data_dir=tmp_path)
    assert_clear_failure(result, "端口已被占用")
    assert "已启动" not in result.stdout.decode()


def test_channel_and_environment_mistakes_are_clear_failures(tmp_path: Path) -> None:
    import shutil

    config = tmp_path / "config"
    for folder in ("alerts", "classify", "ingest"):
        shutil.copytree(REPO / folder, config / folder)
    channels = config / "alerts" / "channels.yaml"
    shutil.copy(config / "alerts" / "channels.example.yaml", channels)
    env = {**os.environ, "SENTINEL_DATA_DIR": str(tmp_path / "var"), "SENTINEL_CONFIG_DIR": str(config)}
    env = {k: v for k, v in env.items() if not k.startswith("SENTINEL_WECOM")}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "sentinel.cli", *args], capture_output=True,
                              env={**env, **extra}, timeout=120)

    assert_clear_failure(run("incidents"), "channels.yaml", "SENTINEL_WECOM_DUTY_URL")
    channels.write_text("default_chain: [hook]\nchannels:\n  hook:\n    type: webhook\n"
                        "    url: https://hooks.example.gov.cn/x\n    bogus: 1\n", encoding="utf-8")
    assert_clear_failure(run("incidents"), "channels.yaml:4:", "bogus")
    assert_clear_failure(run("incidents", SENTINEL_PORT="eighty"), "SENTINEL_PORT")
