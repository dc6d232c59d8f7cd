"""The SQLite store on a real file: dedup, search (including 1–2 character words), filters, paging."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from sentinel.domain.post import Post, PostFlag
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser
from sentinel.store.base import AddStatus, PostQuery
from sentinel.store.sqlite import SQLiteStore


def make(clock: FakeClock, text: str, **fields: object) -> Post:
    payload: dict[str, object] = {"source": "weibo", "text": text, "published_at": clock.now().isoformat()}
    payload.update(fields)
    post = Normaliser(clock).from_object(payload, "test")
    assert isinstance(post, Post)
    return post


def test_same_id_same_text_is_counted_not_stored_twice(store: SQLiteStore, clock: FakeClock) -> None:
    post = make(clock, "新港区化工园区发生爆炸", id="wb-1")
    assert store.add_posts([post])[0].status == AddStatus.stored
    again = store.add_posts([post])[0]
    assert again.status == AddStatus.duplicate_id and again.duplicate_of == "wb-1"
    stored = store.get_post("wb-1")
    assert stored is not None and stored.dup_count == 1
    assert store.count_posts() == 1


def test_same_id_different_text_keeps_both_linked(store: SQLiteStore, clock: FakeClock) -> None:
    store.add_posts([make(clock, "第一版：爆炸致3人受伤", id="wb-2")])
    result = store.add_posts([make(clock, "更新：爆炸致3人死亡", id="wb-2")])[0]
    assert result.status == AddStatus.id_conflict and result.post_id.startswith("wb-2~")
    conflict = store.get_post(result.post_id)
    assert conflict is not None and conflict.post.duplicate_of == "wb-2"
    assert PostFlag.id_conflict in conflict.post.flags
    assert store.count_posts() == 2


def test_same_text_within_window_is_stored_and_linked_outside_window_not(store: SQLiteStore, clock: FakeClock) -> None:
    store.add_posts([make(clock, "白沙县大桥坍塌，一辆客车坠河", id="a")])
    clock.advance(timedelta(hours=2))
    twin = store.add_posts([make(clock, "白沙县大桥坍塌，一辆客车坠河", id="b")], duplicate_window_hours=24)[0]
    assert twin.status == AddStatus.duplicate_text and twin.duplicate_of == "a"
    clock.advance(timedelta(hours=30))
    later = store.add_posts([make(clock, "白沙县大桥坍塌，一辆客车坠河", id="c")], duplicate_window_hours=24)[0]
    assert later.status == AddStatus.stored


def test_search_finds_long_and_short_chinese_words_and_traditional_input(store: SQLiteStore, clock: FakeClock) -> None:
    store.add_posts([
        make(clock, "新港區化工園區發生爆炸", id="1", region="新港区"),
        make(clock, "青石县柳林镇煤矿透水，12人被困", id="2", source="news", region="青石县"),
        make(clock, "今天天气不错", id="3"),
    ])
    long = store.search_posts(PostQuery(text="化工园区"))
    assert [p.post.id for p in long.items] == ["1"] and long.note == "fts5-trigram"
    short = store.search_posts(PostQuery(text="爆炸"))
    assert [p.post.id for p in short.items] == ["1"] and short.note == "scan"
    one = store.search_posts(PostQuery(text="矿"))
    assert [p.post.id for p in one.items] == ["2"]
    mixed = store.search_posts(PostQuery(text="柳林镇 被困"))
    assert [p.post.id for p in mixed.items] == ["2"]
    assert store.search_posts(PostQuery(text='"引号 OR ('))  .total == 0  # FTS syntax is quoted away


def test_filters_and_pagination(store: SQLiteStore, clock: FakeClock) -> None:
    posts = []
    for i in range(25):
        clock.advance(timedelta(minutes=10))
        posts.append(make(clock, f"第{i}条：梅岭县学校食堂问题反映，编号{i}", id=f"p{i}",
                          source="hotline" if i % 2 else "weibo", region="梅岭县"))
    store.add_posts(posts)
    page1 = store.search_posts(PostQuery(source="hotline", limit=5))
    page2 = store.search_posts(PostQuery(source="hotline", limit=5, offset=5))
    assert page1.total == 12
    assert {p.post.id for p in page1.items}.isdisjoint({p.post.id for p in page2.items})
    assert page1.items[0].post.published_at > page1.items[-1].post.published_at  # newest first
    since = posts[20].published_at
    assert store.search_posts(PostQuery(since=since)).total == 5
    assert store.search_posts(PostQuery(region="白沙县")).total == 0


def test_rejects_are_listed_newest_first(store: SQLiteStore, clock: FakeClock) -> None:
    n = Normaliser(clock)
    rejects = [n.from_line("{bad", f"f:{i}") for i in range(3)]
    store.add_rejects(rejects)  # type: ignore[arg-type]
    page = store.list_rejects()
    assert page.total == 3 and page.items[0].source == "f:2"
    assert all(r.reason.startswith("invalid_json") for r in page.items)


def test_reopening_the_file_keeps_everything_and_migrations_run_once(tmp_path, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite"
    first = SQLiteStore(path)
    first.add_posts([make(clock, "一条帖子", id="x")])
    first.close()
    second = SQLiteStore(path)
    assert second.count_posts() == 1
    assert second.read().execute("PRAGMA user_version").fetchone()[0] >= 2


def test_search_covers_indexed_and_not_yet_indexed_posts(store: SQLiteStore, clock: FakeClock) -> None:
    store.add_posts([make(clock, "新港区化工园区发生爆炸", id="old")])
    assert store.index_pending() == 1
    assert store.index_pending() == 0
    store.add_posts([make(clock, "化工园区再次传出巨响", id="new")])  # not indexed yet
    found = store.search_posts(PostQuery(text="化工园区"))
    assert {p.post.id for p in found.items} == {"old", "new"}
    store.index_pending()
    assert store.read().execute("SELECT count(*) FROM posts_fts").fetchone()[0] == 2
    assert {p.post.id for p in store.search_posts(PostQuery(text="化工园区")).items} == {"old", "new"}


def test_search_folds_traditional_and_full_width_queries_and_drops_control_characters(
        store: SQLiteStore, clock: FakeClock) -> None:
    store.add_posts([make(clock, "青石县柳林镇煤矿透水，X305国道封闭", id="mine"), make(clock, "今天天气不错", id="other")])
    store.index_pending()
    for query in ("煤礦透水", "Ｘ３０５", "煤矿\x00透水", "\u200b煤矿透水\t", "柳林鎮"):
        found = store.search_posts(PostQuery(text=query))
        assert [p.post.id for p in found.items] == ["mine"], repr(query)
    assert store.search_posts(PostQuery(text="\x00\x00\x00")).total == 2  # nothing left to search for


def test_a_failing_transaction_rolls_back_and_frees_the_store_for_other_threads(store: SQLiteStore) -> None:
    with pytest.raises(RuntimeError), store.tx() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES('lost', '1')")
        raise RuntimeError("a stage fails half-way")
    assert store.get_meta("lost") is None
    writer = threading.Thread(target=store.set_meta, args=("other", "1"))
    writer.start()
    writer.join(timeout=10)
    assert not writer.is_alive() and store.get_meta("other") == "1"


def test_an_older_database_loses_the_unused_clock_index_and_due_clocks_use_the_partial_one(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as old:  # as a version-4 database left it
        old.execute("CREATE INDEX clocks_fire ON clocks(status, next_fire_at)")
        old.execute("PRAGMA user_version=4")
    store = SQLiteStore(path)
    indexes = {r[0] for r in store.read().execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='clocks'")}
    assert "clocks_fire" not in indexes and "clocks_next_fire" in indexes
    plan = store.read().execute(
        "EXPLAIN QUERY PLAN SELECT id FROM clocks WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?",
        (0.0, 10)).fetchall()
    assert "clocks_next_fire" in " ".join(str(row[-1]) for row in plan)


def test_an_incidents_audit_lists_its_latest_entries_oldest_first(store: SQLiteStore, clock: FakeClock) -> None:
    from sentinel.domain.audit import AuditEvent

    with store.tx() as conn:
        for i in range(205):
            store.add_audit(conn, AuditEvent(at=clock.now() + timedelta(minutes=i), actor="张伟", action=f"a{i}",
                                             incident_id="INC-1"))
    listed = [e.action for e in store.list_audit("INC-1")]
    assert listed == [f"a{i}" for i in range(5, 205)]  # the last action is never the one cut off


def test_a_staff_correction_made_before_the_model_ran_is_not_overwritten(store: SQLiteStore, clock: FakeClock) -> None:
    from sentinel.domain.classification import Classification, TopicScore
    from sentinel.domain.codes import Grade, TopicCode

    store.add_posts([make(clock, "青石县柳林镇煤矿透水，12人被困", id="c1"), make(clock, "今天天气不错", id="c2")])
    staff = Classification(post_id="c1", topics=(TopicScore(code=TopicCode.work_safety, score=1.0),),
                           grade=Grade.serious, classifier="staff")
    store.save_classifications([staff], "correction", 0)
    model = [Classification(post_id=p, topics=(TopicScore(code=TopicCode.other, score=0.4),), grade=Grade.none,
                            classifier="ensemble-v1") for p in ("c1", "c2")]
    store.save_classifications(model, "classify", 2)
    kept, fresh = store.get_classification("c1"), store.get_classification("c2")
    assert kept is not None and kept.classifier == "staff" and kept.grade is Grade.serious
    assert fresh is not None and fresh.classifier == "ensemble-v1"
    assert [p.post.id for p in store.search_posts(PostQuery(grade="serious")).items] == ["c1"]
