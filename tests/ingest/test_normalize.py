"""Bad input gets a clear reason and loses nothing else (ARCHITECTURE §5 post contract)."""

import json
from datetime import timedelta

from sentinel.domain.post import Post, PostFlag, Reject
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser


def line(**fields: object) -> str:
    base: dict[str, object] = {"source": "weibo", "text": "新港区化工园区发生爆炸"}
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


def test_malformed_json_is_rejected_with_reason_and_raw_kept(clock: FakeClock) -> None:
    result = Normaliser(clock).from_line('{"source": "weibo", "text": "爆炸', "demo.jsonl:7")
    assert isinstance(result, Reject)
    assert result.reason.startswith("invalid_json")
    assert result.source == "demo.jsonl:7"
    assert '"text": "爆炸' in result.raw


def test_missing_or_empty_text_is_rejected(clock: FakeClock) -> None:
    n = Normaliser(clock)
    for payload in ('{"source": "weibo"}', line(text=""), line(text="   \n ")):
        result = n.from_line(payload, "x")
        assert isinstance(result, Reject), payload
        assert result.reason.startswith("invalid_post") and "text" in result.reason


def test_not_an_object_is_rejected(clock: FakeClock) -> None:
    result = Normaliser(clock).from_line("[1, 2, 3]", "x")
    assert isinstance(result, Reject) and result.reason.startswith("not_object")


def test_naive_timestamp_means_shanghai_and_is_flagged(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line(line(published_at="2026-11-20 07:30:00"), "x")
    assert isinstance(post, Post)
    assert PostFlag.naive_time in post.flags
    assert post.published_at.utcoffset() == timedelta(hours=8)
    assert post.published_at.hour == 7


def test_future_timestamp_is_flagged_and_clocks_use_ingestion_time(clock: FakeClock) -> None:
    future = (clock.now() + timedelta(minutes=11)).isoformat()
    post = Normaliser(clock).from_line(line(published_at=future), "x")
    assert isinstance(post, Post)
    assert PostFlag.future_time in post.flags
    assert post.effective_at == clock.now()
    near = Normaliser(clock).from_line(line(published_at=(clock.now() + timedelta(minutes=9)).isoformat()), "x")
    assert isinstance(near, Post) and PostFlag.future_time not in near.flags


def test_missing_timestamp_uses_ingestion_time_and_is_flagged(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line(line(), "x")
    assert isinstance(post, Post)
    assert PostFlag.missing_time in post.flags and post.published_at == clock.now()


def test_unknown_fields_are_kept(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line(line(crawler="spider-3", lang="zh"), "x")
    assert isinstance(post, Post)
    assert post.extra == {"crawler": "spider-3", "lang": "zh"}


def test_huge_post_is_flagged_truncated_and_still_accepted(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line(line(text="爆" * 200_000), "x")
    assert isinstance(post, Post)
    assert PostFlag.truncated in post.flags
    assert len(post.text) == 100_000 and len(post.text_norm) < 11_000


def test_nul_bytes_are_removed(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line(line(text="爆\u0000炸"), "x")
    assert isinstance(post, Post) and post.text == "爆炸" and PostFlag.control_chars in post.flags


def test_ids_given_derived_from_url_or_from_content(clock: FakeClock) -> None:
    n = Normaliser(clock)
    given = n.from_line(line(id="wb-1"), "x")
    by_url = n.from_line(line(url="HTTPS://Weibo.com/1/Ab#frag"), "x")
    by_url_again = n.from_line(line(url="https://weibo.com/1/Ab"), "x")
    by_text = n.from_line(line(), "x")
    assert isinstance(given, Post) and given.id == "wb-1"
    assert isinstance(by_url, Post) and isinstance(by_url_again, Post) and by_url.id == by_url_again.id
    assert isinstance(by_text, Post) and by_text.id.startswith("h-")


def test_reject_raw_payload_is_bounded(clock: FakeClock) -> None:
    result = Normaliser(clock).from_line('{"text": "' + "坏" * 50_000, "x")
    assert isinstance(result, Reject)
    assert len(result.raw.encode()) < 16_384 + 100 and "bytes cut" in result.raw
