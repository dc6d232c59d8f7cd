"""Bad input gets a clear reason and loses nothing else (ARCHITECTURE §5 post contract)."""

import json
from datetime import timedelta

from sentinel.domain.post import Post, PostFlag, Reject
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser
from sentinel.store.sqlite import SQLiteStore


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


def test_lone_surrogates_are_replaced_and_flagged_not_raised(clock: FakeClock, store: SQLiteStore) -> None:
    """Valid JSON, not encodable as UTF-8: the post is kept (U+FFFD in place), in any field, key or depth."""
    n = Normaliser(clock)
    escaped = '{"source": "weibo", "text": "爆炸\\ud83d", "author": "\\udc00", "tags": {"\\ud800": ["\\uDBFF"]}}'
    from_line = n.from_line(escaped, "x")
    from_object = n.from_object(json.loads(escaped), "http")
    for post in (from_line, from_object):
        assert isinstance(post, Post) and PostFlag.invalid_unicode in post.flags
        assert post.text == "爆炸\ufffd" and post.author == "\ufffd" and post.extra == {"tags": {"\ufffd": ["\ufffd"]}}
    store.add_posts([from_line], 24.0)  # storable: the store writes UTF-8
    pair = n.from_line('{"source": "weibo", "text": "爆炸\\ud83d\\udd25"}', "x")  # an escaped pair: one character
    assert isinstance(pair, Post) and pair.text == "爆炸🔥" and PostFlag.invalid_unicode not in pair.flags


def test_reject_of_a_payload_with_surrogates_is_storable(clock: FakeClock, store: SQLiteStore) -> None:
    result = Normaliser(clock).from_object({"source": "weibo", "text": "", "id": "\ud800"}, "http")
    assert isinstance(result, Reject) and result.post_id == "\ufffd"
    store.add_rejects([result])


def test_implausible_times_are_rejected_with_reason(clock: FakeClock) -> None:
    n = Normaliser(clock)
    for value in ("0001-01-01T00:00:00+14:00", "1989-12-31T23:59:59+08:00", -62135596800,
                  "9999-12-31T23:59:59-12:00", (clock.now() + timedelta(days=367)).isoformat()):
        result = n.from_line(json.dumps({"source": "weibo", "text": "帖文", "published_at": value}), "x")
        assert isinstance(result, Reject), value
        assert result.reason.startswith("implausible_time") and "published_at" in result.reason
    # Ordinary future times keep their rule, a wrong year too: flagged, clocks on ingestion time.
    hours_ahead = n.from_line(line(published_at=(clock.now() + timedelta(days=300)).isoformat()), "x")
    assert isinstance(hours_ahead, Post) and PostFlag.future_time in hours_ahead.flags
    assert hours_ahead.effective_at == clock.now()
    old = n.from_line(line(published_at="1990-01-01T00:00:00+08:00"), "x")
    assert isinstance(old, Post)


def test_text_empty_after_cleaning_is_rejected(clock: FakeClock) -> None:
    n = Normaliser(clock)
    for text in ("<script>alert(1)</script>", "\u0000\u0001", "<p> </p>\u200b", "<style>p{}</style>&nbsp;"):
        result = n.from_line(line(text=text), "x")
        assert isinstance(result, Reject), text
        assert result.reason.startswith("empty_text")
    assert isinstance(n.from_line(line(text="<p>爆炸</p>"), "x"), Post)


def test_blank_source_is_rejected_not_stored_empty(clock: FakeClock) -> None:
    result = Normaliser(clock).from_line(line(source="   "), "x")
    assert isinstance(result, Reject) and result.reason.startswith("invalid_post: source")
    post = Normaliser(clock).from_line(line(source=" WeiBo "), "x")
    assert isinstance(post, Post) and post.source == "weibo"


def test_integer_over_the_digit_limit_is_a_reject_not_an_error(clock: FakeClock) -> None:
    result = Normaliser(clock).from_line('{"source": "weibo", "text": "x", "n": ' + "9" * 5000 + "}", "x")
    assert isinstance(result, Reject) and result.reason.startswith("invalid_json")


def test_deeply_nested_payloads_are_walked_without_raising(clock: FakeClock) -> None:
    deep: object = "ok"
    odd: object = "\ud800"
    for _ in range(5000):
        deep, odd = [deep], [odd]
    n = Normaliser(clock)
    assert isinstance(n.from_object({"source": "weibo", "text": "帖文", "x": deep}, "http"), Post)
    result = n.from_object({"source": "weibo", "text": "帖文", "x": odd}, "http")
    assert isinstance(result, Reject) and result.reason == "invalid_json: nested too deeply"


def test_text_of_only_invisible_characters_is_rejected_as_empty(clock: FakeClock) -> None:
    n = Normaliser(clock)
    for text in ("\ufeff", "\u200b\u200c\u200d\u2060", " \u2060\ufeff\u3000", "\ufe0f"):
        result = n.from_line(line(text=text), "x")
        assert isinstance(result, Reject), repr(text)
        assert result.reason.startswith("empty_text"), result.reason
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # joined by U+200D, a format character
    post = n.from_line(line(text=family), "x")
    assert isinstance(post, Post) and post.text == family  # the original keeps its joiners


def test_a_numeric_id_is_taken_as_text(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line('{"id": 4987654321, "source": "weibo", "text": "微博帖文"}', "x")
    assert isinstance(post, Post) and post.id == "4987654321"


def test_an_empty_published_at_counts_as_missing(clock: FakeClock) -> None:
    post = Normaliser(clock).from_line(line(published_at=""), "x")
    assert isinstance(post, Post)
    assert PostFlag.missing_time in post.flags and post.published_at == clock.now()
