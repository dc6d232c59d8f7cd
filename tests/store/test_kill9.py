"""An acknowledged post is never lost: a subprocess is SIGKILLed mid-ingest, restarted, and
everything it acknowledged is there — and the resumed run stores every line exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sentinel.store.sqlite import SQLiteStore

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from sentinel.domain.timeutil import SystemClock
    from sentinel.ingest.follow import ingest_file_from_position
    from sentinel.ingest.normalize import Normaliser
    from sentinel.ingest.service import IngestService
    from sentinel.store.sqlite import SQLiteStore

    store = SQLiteStore(Path(sys.argv[1]), synchronous="FULL")
    def acked():
        # Runs after each committed batch: what we print here has been acknowledged.
        print("ACK", store.max_seq(), flush=True)
    service = IngestService(store, Normaliser(SystemClock()), on_stored=acked, batch_size=25)
    ingest_file_from_position(Path(sys.argv[2]), service, store, batch=25)
    print("DONE", flush=True)
    """
)

LINES = 3000


@pytest.mark.integration
def test_kill9_mid_ingest_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data = tmp_path / "posts.jsonl"
    with data.open("w", encoding="utf-8") as handle:
        for i in range(LINES):
            handle.write(json.dumps({"id": f"p{i}", "source": "weibo", "text": f"第{i}条帖子：清江市某地群众反映问题{i}"},
                                    ensure_ascii=False) + "\n")
    db = tmp_path / "store.db"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(data)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    acked = 0
    for line in child.stdout:
        if line.startswith("ACK"):
            acked = int(line.split()[1])
            if acked >= 500:
                child.send_signal(signal.SIGKILL)
                break
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the child finished before it could be killed"

    store = SQLiteStore(db)
    ids = {row[0] for row in store.read().execute("SELECT id FROM posts")}
    assert {f"p{i}" for i in range(acked)} <= ids, "an acknowledged post was lost"
    store.close()

    resumed = subprocess.run([sys.executable, "-c", CHILD, str(db), str(data)], capture_output=True, text=True,
                             env=env, timeout=120, check=True)
    assert "DONE" in resumed.stdout
    store = SQLiteStore(db)
    assert store.count_posts() == LINES  # every line once: re-read lines count as duplicates, not new posts
    assert {row[0] for row in store.read().execute("SELECT id FROM posts")} == {f"p{i}" for i in range(LINES)}
