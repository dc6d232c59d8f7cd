"""Sources against real things: an RSS feed served over HTTP (ETag/Last-Modified, a failing feed
that does not stop the others), a folder of JSONL files, and a file followed as it grows."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.follow import SourceRunner, ingest_file_from_position
from sentinel.ingest.normalize import Normaliser
from sentinel.ingest.service import IngestService
from sentinel.ingest.sources import FeedSource, FeedState, FolderSource, fetch_feed
from sentinel.store.base import PostQuery
from sentinel.store.sqlite import SQLiteStore

pytestmark = pytest.mark.integration

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>清江市政府信息公开</title>
<item><guid isPermaLink="false">tb-1</guid><title>关于柳林镇煤矿透水事故的情况通报</title><link>https://www.qingjiang.gov.cn/tb/1</link>
<description>&lt;p&gt;11月21日2时40分许，青石县柳林镇一煤矿发生透水事故，14人被困。&lt;/p&gt;</description>
<pubDate>Fri, 20 Nov 2026 19:00:00 GMT</pubDate></item>
<item><guid isPermaLink="false">tb-2</guid><title>清江市住房补贴政策解读</title><link>https://www.qingjiang.gov.cn/zc/2</link>
<description>政策解读：新市民购房补贴申请条件和流程。</description></item>
</channel></rss>"""


NEW_ITEM = """<item><title>柳林镇煤矿透水事故续报</title><link>https://www.qingjiang.gov.cn/tb/3</link>
<description>被困14人中已有9人获救。</description></item>"""


class FeedHandler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        FeedHandler.hits.append((self.path, self.headers.get("If-None-Match")))
        if self.path == "/broken.xml":
            self.send_response(500)
            self.end_headers()
            return
        if self.path == "/plain.xml":  # no validators: the whole feed on every poll
            body = (RSS if len(FeedHandler.hits) < 3 else RSS.replace("</channel>", NEW_ITEM + "</channel>")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        body = RSS.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", '"v1"')
        self.send_header("Last-Modified", "Fri, 20 Nov 2026 19:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FeedHandler.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def service(store: SQLiteStore, clock: FakeClock) -> IngestService:
    return IngestService(store, Normaliser(clock))


def test_feed_entries_become_posts_and_etag_makes_the_next_poll_cheap(feed_server: str) -> None:
    feed = FeedSource(type="rss", url=f"{feed_server}/feed.xml", source="gov_site", region="青石县")
    posts, state = fetch_feed(feed, FeedState())
    assert state.etag == '"v1"' and state.last_error is None
    assert [p["id"] for p in posts] == ["rss-tb-1", "rss-tb-2"]
    assert posts[0]["source"] == "gov_site" and posts[0]["region"] == "青石县"
    assert posts[0]["published_at"].startswith("2026-11-20T19:00:00")
    again, state2 = fetch_feed(feed, state)
    assert again == [] and state2.etag == '"v1"' and state2.failures == 0
    assert FeedHandler.hits[-1] == ("/feed.xml", '"v1"')  # the conditional GET was sent


def test_a_feed_without_validators_yields_each_entry_once(feed_server: str, store: SQLiteStore,
                                                         clock: FakeClock) -> None:
    feed = FeedSource(type="rss", url=f"{feed_server}/plain.xml")
    first, state = fetch_feed(feed, FeedState())
    assert [p["id"] for p in first] == ["rss-tb-1", "rss-tb-2"] and state.etag is None
    again, state = fetch_feed(feed, state)
    assert again == []  # before: both again, counted as duplicate posts on every poll
    newer, state = fetch_feed(feed, state)  # a third entry, with no guid: known by its link
    assert [p["url"] for p in newer] == ["https://www.qingjiang.gov.cn/tb/3"]
    assert [key.split("#")[0] for key in state.seen] == ["rss-tb-1", "rss-tb-2", "https://www.qingjiang.gov.cn/tb/3"]
    report = service(store, clock).ingest_objects(first + newer, "rss")
    assert report.stored == 3 and report.duplicates == 0
    # A 通报 revised in place under its guid (a higher toll) is passed on again, not skipped for good.
    revised = FeedState(seen=[key for key in state.seen if not key.startswith("rss-tb-1#")] + ["rss-tb-1#0000"])
    again, _ = fetch_feed(feed, revised)
    assert [p["id"] for p in again] == ["rss-tb-1"]


def test_a_failing_feed_records_its_error_and_the_others_go_on(feed_server: str, store: SQLiteStore,
                                                              clock: FakeClock) -> None:
    broken = FeedSource(type="rss", url=f"{feed_server}/broken.xml", poll_seconds=5)
    good = FeedSource(type="rss", url=f"{feed_server}/feed.xml", poll_seconds=5)
    runner = SourceRunner(service(store, clock), store)
    stop = threading.Event()
    threads = [threading.Thread(target=runner.run_feed, args=(f, stop)) for f in (broken, good)]
    for t in threads:
        t.start()
    for _ in range(100):
        if store.count_posts() == 2 and store.get_meta(f"feed:{broken.url}"):
            break
        stop.wait(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert store.count_posts() == 2
    state = FeedState.model_validate_json(store.get_meta(f"feed:{broken.url}") or "{}")
    assert state.failures >= 1 and "500" in (state.last_error or "")
    found = store.search_posts(PostQuery(text="透水")).items
    assert found and "<p>" not in found[0].post.text_norm  # HTML in the description is stripped


def test_folder_and_growing_file_resume_where_they_stopped(tmp_path: Path, store: SQLiteStore, clock: FakeClock) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    line = lambda i: json.dumps({"id": f"f{i}", "source": "hotline", "text": f"工单{i}：市民反映路灯不亮"}, ensure_ascii=False)  # noqa: E731
    (folder / "a.jsonl").write_text("\n".join(line(i) for i in range(3)) + "\n", encoding="utf-8")
    growing = folder / "b.jsonl"
    growing.write_text(line(10) + "\n" + line(11)[:20], encoding="utf-8")  # the last line is still being written
    runner = SourceRunner(service(store, clock), store)
    stop = threading.Event()
    thread = threading.Thread(target=runner.run_folder, args=(FolderSource(type="folder", path=folder, poll_seconds=0.05), stop))
    thread.start()
    for _ in range(100):
        if store.count_posts() >= 4:
            break
        stop.wait(0.05)
    assert store.count_posts() == 4 and store.list_rejects().total == 0  # the half line was not taken
    growing.write_text(line(10) + "\n" + line(11) + "\n", encoding="utf-8")
    for _ in range(100):
        if store.count_posts() >= 5:
            break
        stop.wait(0.05)
    stop.set()
    thread.join(timeout=10)
    assert store.count_posts() == 5
    # Read again from the stored positions: nothing new, nothing doubled.
    assert ingest_file_from_position(growing, service(store, clock), store) == 0
    assert store.count_posts() == 5


def test_a_feed_that_never_answers_times_out_as_configured() -> None:
    """A server that accepts the connection and says nothing must not hold the feed's thread."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        feed = FeedSource(type="rss", url=f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml", timeout_seconds=0.5)
        started = time.monotonic()
        posts, state = fetch_feed(feed, FeedState())
        assert posts == [] and state.failures == 1 and "timed out" in str(state.last_error)
        assert time.monotonic() - started < 5
    finally:
        listener.close()
