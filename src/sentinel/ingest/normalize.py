"""Raw input → Post (normalised, with a stable id and flags) or Reject (with its reason)."""

from __future__ import annotations

import base64
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from sentinel.domain.post import Post, PostFlag, PostIn, PostMetrics, Reject
from sentinel.domain.timeutil import EARLIEST_PLAUSIBLE, SHANGHAI, Clock
from sentinel.ingest.decode import UndecodableLine
from sentinel.ingest.ids import content_hash, derive_post_id
from sentinel.ingest.text import has_visible_text, normalise_text

log = logging.getLogger(__name__)
# A lone UTF-16 surrogate (valid JSON, e.g. an emoji cut in half by a JavaScript producer) cannot be
# encoded as UTF-8, so neither stored nor converted: it becomes U+FFFD, as undecodable bytes do.
_SURROGATE = re.compile("[\ud800-\udfff]")
# In a JSON line such a surrogate can only come from an escape: this cheap check spares the walk.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class NormaliseConfig:
    max_text_chars: int = 100_000
    analysis_head_chars: int = 8_000
    analysis_tail_chars: int = 2_000
    future_tolerance: timedelta = timedelta(minutes=10)
    # Times outside these bounds are a producer's error (a zero date, 9999-12-31), not a post's time.
    earliest_time: datetime = EARLIEST_PLAUSIBLE
    max_future: timedelta = timedelta(days=366)  # a wrong year is kept (flagged, clocked on arrival); 9999 is not
    reject_raw_bytes: int = 16_384


class Unacceptable(ValueError):
    """The post cannot be kept as a post; its message is the reject reason."""


class Normaliser:
    def __init__(self, clock: Clock, config: NormaliseConfig | None = None) -> None:
        self.clock = clock
        self.config = config or NormaliseConfig()

    # -- entry points ---------------------------------------------------------------------------
    def from_line(self, line: str, origin: str) -> Post | Reject:
        """One JSONL line (already decoded; an UndecodableLine when no encoding could)."""
        if isinstance(line, UndecodableLine):
            return self.reject_undecodable(origin, line.data)
        stripped = line.strip().lstrip("\ufeff")
        try:
            payload = json.loads(stripped)
        except json.JSONDecodeError as exc:
            return self.reject(origin, f"invalid_json: {exc.msg} (column {exc.colno})", line)
        except RecursionError:
            return self.reject(origin, "invalid_json: nested too deeply", line)
        except ValueError as exc:  # e.g. an integer over Python's 4300-digit limit
            return self.reject(origin, f"invalid_json: {exc}", line)
        return self.from_object(payload, origin, raw=stripped, scrub=bool(_SURROGATE_ESCAPE.search(stripped)))

    def from_object(self, payload: Any, origin: str, raw: str | None = None, scrub: bool = True) -> Post | Reject:
        """Never raises for bad input: whatever cannot become a post is a reject with its reason."""
        flags: tuple[PostFlag, ...] = ()
        if scrub and has_surrogates(payload):
            try:
                payload, flags = replace_surrogates(payload), (PostFlag.invalid_unicode,)
            except RecursionError:
                return self.reject(origin, "invalid_json: nested too deeply", raw or "[nested too deeply]")
        if not isinstance(payload, dict):
            return self.reject(origin, f"not_object: expected a JSON object, got {type(payload).__name__}", raw or payload)
        try:
            post_in = PostIn.model_validate(payload)
        except ValidationError as exc:
            return self.reject(origin, "invalid_post: " + _summarise(exc), raw or payload, post_id=_maybe_id(payload))
        try:
            return self.normalise(post_in, flags)
        except Unacceptable as exc:
            return self.reject(origin, str(exc), raw or payload, post_id=_maybe_id(payload))
        except (ValueError, OverflowError) as exc:  # one odd post must not fail its batch or stall its source
            log.exception("normalising a post from %s failed", origin)
            return self.reject(origin, f"normalise_failed: {type(exc).__name__}: {exc}", raw or payload,
                               post_id=_maybe_id(payload))

    # -- the work -------------------------------------------------------------------------------
    def normalise(self, post_in: PostIn, flags_in: tuple[PostFlag, ...] = ()) -> Post:
        """Raises Unacceptable for a post that is empty after cleaning or has an impossible time."""
        cfg = self.config
        now = self.clock.now()
        flags: list[PostFlag] = list(flags_in)
        norm = normalise_text(
            post_in.text, max_chars=cfg.max_text_chars, head=cfg.analysis_head_chars, tail=cfg.analysis_tail_chars
        )
        title = normalise_text(post_in.title, max_chars=2048, head=512, tail=0).analysis if post_in.title else None
        if norm.had_html:
            flags.append(PostFlag.html)
        if norm.had_control:
            flags.append(PostFlag.control_chars)
        if norm.was_traditional:
            flags.append(PostFlag.traditional)
        if norm.truncated:
            flags.append(PostFlag.truncated)
        if not has_visible_text(norm.analysis):  # a lone BOM or zero-width space is no post
            raise Unacceptable("empty_text: 清理后正文为空 / nothing visible left after removing markup, control and "
                               "format characters")

        published = post_in.published_at
        effective: datetime
        if published is None:
            flags.append(PostFlag.missing_time)
            published = effective = now
        else:
            if published.tzinfo is None or published.utcoffset() is None:
                flags.append(PostFlag.naive_time)
                published = published.replace(tzinfo=SHANGHAI)
            if published < cfg.earliest_time:
                raise Unacceptable(f"implausible_time: 发布时间 {published.isoformat()} 早于 {cfg.earliest_time:%Y-%m-%d} "
                                   f"/ published_at before {cfg.earliest_time:%Y-%m-%d}")
            if published - now > cfg.max_future:
                days = cfg.max_future.days
                raise Unacceptable(f"implausible_time: 发布时间 {published.isoformat()} 晚于当前时间 {days} 天以上 "
                                   f"/ published_at more than {days} days ahead")
            effective = published
            if published - now > cfg.future_tolerance:
                # A clock must never start in the future: trust our own arrival time instead.
                flags.append(PostFlag.future_time)
                effective = now

        analysis = norm.analysis if not title or title in norm.analysis else f"{title}\n{norm.analysis}"
        # model_construct: every field below is already validated or built here; validating the
        # Post again costs a tenth of ingest time for nothing.
        return Post.model_construct(
            id=derive_post_id(given=post_in.id, source=post_in.source, url=post_in.url, text_norm=norm.analysis),
            source=post_in.source,
            url=post_in.url,
            author=post_in.author,
            title=post_in.title,
            text=norm.original,
            text_norm=analysis,
            published_at=published,
            ingested_at=now,
            effective_at=effective,
            region=post_in.region,
            metrics=post_in.metrics or PostMetrics(),
            flags=tuple(flags),
            content_hash=content_hash(norm.analysis),
            extra=post_in.extra_fields(),
            seq=None,
            duplicate_of=None,
        )

    def reject_undecodable(self, origin: str, data: bytes) -> Reject:
        """Kept exactly, as base64: the bytes are the evidence the producer needs to fix its encoding."""
        return self.reject(origin, invalid_encoding_reason(data), "base64:" + base64.b64encode(data).decode("ascii"))

    def reject(self, origin: str, reason: str, raw: Any, post_id: str | None = None) -> Reject:
        return Reject(
            at=self.clock.now(),
            source=origin,
            reason=reason,
            raw=bound_raw(raw, self.config.reject_raw_bytes),
            post_id=post_id,
        )


def invalid_encoding_reason(data: bytes) -> str:
    """Names where UTF-8 fails, with the bytes there, so the producer can find the spot."""
    try:
        data.decode("utf-8")
        where = ""
    except UnicodeDecodeError as exc:
        where = f" (第 {exc.start} 字节 / byte {exc.start}: {data[exc.start:exc.start + 4]!r})"
    return f"invalid_encoding: 既不是 UTF-8 也不是 GB18030 / neither UTF-8 nor GB18030{where}"


def has_surrogates(value: Any) -> bool:
    stack = [value]  # not recursive: a payload nested as deep as the JSON parser allows is still walked
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def replace_surrogates(value: Any) -> Any:
    """The payload with every lone surrogate, in keys and values at any depth, replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {replace_surrogates(k): replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_surrogates(v) for v in value]
    return value


def bound_raw(raw: Any, limit: int) -> str:
    """Keep the payload for inspection, cut to `limit` UTF-8 bytes without splitting a character."""
    text: str
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = json.dumps(raw, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(raw)
    text = _SURROGATE.sub("\ufffd", text)  # stored as UTF-8
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore") + f"…[{len(data) - limit} bytes cut]"


def _summarise(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "post"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def _maybe_id(payload: dict[str, Any]) -> str | None:
    value = payload.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None
