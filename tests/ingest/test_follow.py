"""Followed files against real files and the real SQLite store: appended lines are read once, a
rotated (renamed + recreated) or truncated file loses no line, a half-written last line waits, the
position survives a restart, and positions in the old line-count format are converted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.follow import ingest_file_from_position
from sentinel.ingest.normalize import Normaliser
from sentinel.ingest.position import FilePosition, position_key
from sentinel.ingest.service import IngestService
from sentinel.store.sqlite import SQLiteStore


def line(tag: str) -> str:
    return json.dumps({"id": tag, "source": "hotline", "text": f"工单{tag}：市民反映清江路{tag}号路灯不亮"}, ensure_ascii=False)


def lines(*tags: str) -> str:
    return "".join(line(t) + "\n" for t in tags)


def append(path: Path, text: str, encoding: str = "utf-8") -> None:
    with path.open("a", encoding=encoding) as stream:
        stream.write(text)


def ids(store: SQLiteStore) -> set[str]:
    return {str(r[0]) for r in store.read().execute("SELECT id FROM posts")}


def duplicates(store: SQLiteStore) -> int:
    return int(store.read().execute("SELECT count(*) FROM duplicate_sightings").fetchone()[0])


@pytest.fixture
def ingest(store: SQLiteStore, clock: FakeClock) -> IngestService:
    return IngestService(store, Normaliser(clock))


def follow(path: Path, ingest: IngestService, store: SQLiteStore) -> int:
    return ingest_file_from_position(path, ingest, store, batch=2)  # small batches: positions saved mid-file


def test_appended_lines_are_read_once(tmp_path: Path, store: SQLiteStore, ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1", "a2", "a3"), encoding="utf-8")
    assert follow(path, ingest, store) == 3
    assert follow(path, ingest, store) == 0
    append(path, lines("a4", "a5"))
    assert follow(path, ingest, store) == 2
    assert ids(store) == {"a1", "a2", "a3", "a4", "a5"} and duplicates(store) == 0
    position = FilePosition.model_validate_json(store.get_meta(position_key(path)) or "")
    assert position.cursor is not None and position.cursor.offset == path.stat().st_size
    assert position.cursor.ino == path.stat().st_ino and position.cursor.line == 5


def test_a_half_written_last_line_waits_for_its_newline(tmp_path: Path, store: SQLiteStore, ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    whole = line("p2").encode()
    cut = whole.index("清".encode()) + 1  # inside a Chinese character's bytes
    path.write_bytes(lines("p1").encode() + whole[:cut])
    assert follow(path, ingest, store) == 1
    with path.open("ab") as stream:
        stream.write(whole[cut:-3])
    assert follow(path, ingest, store) == 0  # still no newline
    with path.open("ab") as stream:
        stream.write(whole[-3:] + b"\n")
    assert follow(path, ingest, store) == 1
    assert ids(store) == {"p1", "p2"} and store.list_rejects().total == 0
    stored = store.get_post("p2")
    assert stored is not None and "\ufffd" not in stored.post.text


def test_a_finished_file_without_a_final_newline_gives_its_last_line(tmp_path: Path, store: SQLiteStore,
                                                                     ingest: IngestService) -> None:
    """An export whose last record lacks its newline: once the file has been quiet for a while, the
    record is read (and the lines written after it still are)."""
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("q1") + line("q2"), encoding="utf-8")
    assert follow(path, ingest, store) == 1  # just written: the writer may not be done
    day_ago = path.stat().st_mtime - 86400
    os.utime(path, (day_ago, day_ago))
    assert follow(path, ingest, store) == 1 and follow(path, ingest, store) == 0
    append(path, "\n" + lines("q3"))
    assert follow(path, ingest, store) == 1
    assert ids(store) == {"q1", "q2", "q3"} and store.list_rejects().total == 0


def test_rotation_rename_and_recreate_loses_no_line(tmp_path: Path, store: SQLiteStore, ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1", "a2", "a3"), encoding="utf-8")
    assert follow(path, ingest, store) == 3
    append(path, lines("a4"))  # written just before the rotation, not yet read
    rotated = tmp_path / "posts.jsonl.1"
    path.rename(rotated)
    path.write_text(lines("b1", "b2"), encoding="utf-8")  # the new file: fewer bytes than the old offset
    assert follow(path, ingest, store) == 3  # a4 from the rotated file, then b1, b2 from the start
    assert ids(store) == {"a1", "a2", "a3", "a4", "b1", "b2"} and duplicates(store) == 0
    # The writer still held the old file open and added one more line before reopening the path.
    append(rotated, lines("a5"))
    append(path, lines("b3"))
    assert follow(path, ingest, store) == 2
    assert follow(path, ingest, store) == 0
    assert ids(store) == {"a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3"} and duplicates(store) == 0


def test_rotation_to_a_bigger_new_file_is_read_from_its_start(tmp_path: Path, store: SQLiteStore,
                                                              ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1"), encoding="utf-8")
    assert follow(path, ingest, store) == 1
    path.rename(tmp_path / "old.jsonl")
    path.write_text(lines("c1", "c2", "c3", "c4"), encoding="utf-8")  # longer than the old offset
    assert follow(path, ingest, store) == 4
    assert ids(store) == {"a1", "c1", "c2", "c3", "c4"}


def test_the_file_renamed_away_and_not_yet_recreated_is_drained(tmp_path: Path, store: SQLiteStore,
                                                                ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1"), encoding="utf-8")
    assert follow(path, ingest, store) == 1
    append(path, lines("a2"))
    path.rename(tmp_path / "posts.jsonl.1")
    assert follow(path, ingest, store) == 1
    path.write_text(lines("b1"), encoding="utf-8")
    assert follow(path, ingest, store) == 1
    assert ids(store) == {"a1", "a2", "b1"}


def test_truncated_or_rewritten_in_place_is_read_from_the_start(tmp_path: Path, store: SQLiteStore,
                                                               ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1", "a2", "a3"), encoding="utf-8")
    inode = path.stat().st_ino
    assert follow(path, ingest, store) == 3
    with path.open("r+", encoding="utf-8") as stream:  # truncated in place (copytruncate), same inode
        stream.truncate(0)
    append(path, lines("t1"))
    assert path.stat().st_ino == inode
    assert follow(path, ingest, store) == 1
    # Rewritten in place, longer than before, same inode and same size class: the fingerprint tells.
    with path.open("r+", encoding="utf-8") as stream:
        stream.truncate(0)
    append(path, lines("u1", "u2", "u3", "u4"))
    assert path.stat().st_ino == inode
    assert follow(path, ingest, store) == 4
    assert ids(store) == {"a1", "a2", "a3", "t1", "u1", "u2", "u3", "u4"}


def test_the_position_survives_a_restart(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "posts.jsonl"
    db = tmp_path / "restart.db"
    path.write_text(lines("a1", "a2", "a3") + line("a4")[:10], encoding="utf-8")
    first = SQLiteStore(db, synchronous="NORMAL")
    assert ingest_file_from_position(path, IngestService(first, Normaliser(clock)), first, batch=2) == 3
    first.close()
    append(path, line("a4")[10:] + "\n" + lines("a5"))
    second = SQLiteStore(db, synchronous="NORMAL")
    assert ingest_file_from_position(path, IngestService(second, Normaliser(clock)), second) == 2
    assert ids(second) == {"a1", "a2", "a3", "a4", "a5"} and duplicates(second) == 0
    second.close()


def test_old_line_count_positions_are_converted(tmp_path: Path, store: SQLiteStore, ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1", "a2", "a3") + line("a4")[:12], encoding="utf-8")
    store.set_meta(position_key(path), "2")  # the old scheme: two lines ingested
    assert follow(path, ingest, store) == 1  # only a3; a4 is still being written
    assert ids(store) == {"a3"}
    position = FilePosition.model_validate_json(store.get_meta(position_key(path)) or "")
    assert position.cursor is not None and position.cursor.line == 3
    assert position.cursor.offset == len(lines("a1", "a2", "a3").encode())
    append(path, line("a4")[12:] + "\n")
    assert follow(path, ingest, store) == 1 and ids(store) == {"a3", "a4"}


def test_an_old_line_count_past_the_end_means_the_file_was_replaced(tmp_path: Path, store: SQLiteStore,
                                                                     ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("n1", "n2"), encoding="utf-8")
    store.set_meta(position_key(path), "40")
    assert follow(path, ingest, store) == 2
    assert ids(store) == {"n1", "n2"}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_resuming_mid_file_keeps_the_encoding(tmp_path: Path, store: SQLiteStore, ingest: IngestService,
                                              encoding: str) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(lines("e1", "e2").encode(encoding))
    assert follow(path, ingest, store) == 2
    with path.open("ab") as stream:
        data = lines("e3").encode(encoding)
        stream.write(data[2:] if encoding == "utf-16" else data[3:] if encoding == "utf-8-sig" else data)  # no second BOM
    assert follow(path, ingest, store) == 1
    assert ids(store) == {"e1", "e2", "e3"} and store.list_rejects().total == 0
    post = store.get_post("e3")
    assert post is not None and "清江路" in post.post.text


def test_a_rotated_generation_is_forgotten_once_removed(tmp_path: Path, store: SQLiteStore, ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("a1"), encoding="utf-8")
    follow(path, ingest, store)
    rotated = tmp_path / "posts.jsonl.1"
    path.rename(rotated)
    path.write_text(lines("b1"), encoding="utf-8")
    follow(path, ingest, store)
    assert len(FilePosition.model_validate_json(store.get_meta(position_key(path)) or "").rotated) == 1
    os.remove(rotated)
    follow(path, ingest, store)
    assert FilePosition.model_validate_json(store.get_meta(position_key(path)) or "").rotated == ()


def test_a_file_first_seen_empty_keeps_its_byte_order_mark_out_of_the_first_line(
    tmp_path: Path, store: SQLiteStore, ingest: IngestService
) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"")
    assert follow(path, ingest, store) == 0
    path.write_bytes(lines("m1").encode("utf-8-sig"))
    assert follow(path, ingest, store) == 1
    assert ids(store) == {"m1"} and store.list_rejects().total == 0


def test_a_line_with_a_lone_surrogate_does_not_stall_the_file(tmp_path: Path, store: SQLiteStore,
                                                               ingest: IngestService) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(lines("s1") + '{"id": "s2", "source": "weibo", "text": "abc\\ud800def"}\n' + lines("s3"),
                    encoding="utf-8")
    assert follow(path, ingest, store) == 3
    append(path, lines("s4"))
    assert follow(path, ingest, store) == 1
    assert ids(store) == {"s1", "s2", "s3", "s4"}
    assert store.get_post("s2").post.text == "abc\ufffddef"  # type: ignore[union-attr]


def test_a_missing_source_folder_is_logged_once(tmp_path: Path, store: SQLiteStore, ingest: IngestService,
                                                caplog: pytest.LogCaptureFixture) -> None:
    import threading

    from sentinel.ingest.follow import SourceRunner
    from sentinel.ingest.sources import FolderSource

    stop = threading.Event()
    source = FolderSource(type="folder", path=tmp_path / "exprots", poll_seconds=0.05)
    runner = threading.Thread(target=SourceRunner(ingest, store).run_folder, args=(source, stop))
    with caplog.at_level("WARNING"):
        runner.start()
        stop.wait(0.3)
        stop.set()
        runner.join(5)
    warnings = [r.getMessage() for r in caplog.records if "exprots" in r.getMessage()]
    assert len(warnings) == 1 and "does not exist" in warnings[0]
