"""Raw input → Post (normalised, with a stable id and flags) or Reject (with its reason)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from sentinel.domain.post import Post, PostFlag, PostIn, PostMetrics, Reject
from sentinel.domain.timeutil import SHANGHAI, Clock
from sentinel.ingest.ids import content_hash, derive_post_id
from sentinel.ingest.text import normalise_text


@dataclass(frozen=True)
class NormaliseConfig:
    max_text_chars: int = 100_000
    analysis_head_chars: int = 8_000
    analysis_tail_chars: int = 2_000
    future_tolerance: timedelta = timedelta(minutes=10)
    reject_raw_bytes: int = 16_384


class Normaliser:
    def __init__(self, clock: Clock, config: NormaliseConfig | None = None) -> None:
        self.clock = clock
        self.config = config or NormaliseConfig()

    # -- entry points ---------------------------------------------------------------------------
    def from_line(self, line: str, origin: str) -> Post | Reject:
        """One JSONL line (already decoded)."""
        stripped = line.strip().lstrip("\ufeff")
        try:
            payload = json.loads(stripped)
        except json.JSONDecodeError as exc:
            return self.reject(origin, f"invalid_json: {exc.msg} (column {exc.colno})", line)
        except RecursionError:
            return self.reject(origin, "invalid_json: nested too deeply", line)
        return self.from_object(payload, origin, raw=stripped)

    def from_object(self, payload: Any, origin: str, raw: str | None = None) -> Post | Reject:
        if not isinstance(payload, dict):
            return self.reject(origin, f"not_object: expected a JSON object, got {type(payload).__name__}", raw or payload)
        try:
            post_in = PostIn.model_validate(payload)
        except ValidationError as exc:
            return self.reject(origin, "invalid_post: " + _summarise(exc), raw or payload, post_id=_maybe_id(payload))
        return self.normalise(post_in)

    # -- the work -------------------------------------------------------------------------------
    def normalise(self, post_in: PostIn) -> Post:
        cfg = self.config
        now = self.clock.now()
        flags: list[PostFlag] = []
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

        published = post_in.published_at
        effective: datetime
        if published is None:
            flags.append(PostFlag.missing_time)
            published = effective = now
        else:
            if published.tzinfo is None or published.utcoffset() is None:
                flags.append(PostFlag.naive_time)
                published = published.replace(tzinfo=SHANGHAI)
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

    def reject(self, origin: str, reason: str, raw: Any, post_id: str | None = None) -> Reject:
        return Reject(
            at=self.clock.now(),
            source=origin,
            reason=reason,
            raw=bound_raw(raw, self.config.reject_raw_bytes),
            post_id=post_id,
        )


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
    data = text.encode("utf-8", "replace")
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
    return value if isinstance(value, str) else None
