"""Input sources: JSONL files and stdin (streamed), folders of JSONL files, RSS/Atom feeds.

Each source yields (line, origin) pairs for IngestService.ingest_lines, or posts for feeds.
File positions and feed validators (ETag/Last-Modified) are kept in the store's meta table so a
restarted process resumes where it stopped instead of re-reading or skipping.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sentinel.ingest.decode import iter_decoded_lines
from sentinel.yamlconf import load_yaml_model

log = logging.getLogger(__name__)
CHUNK = 1 << 20
MAX_FEED_BYTES = 20_000_000  # a feed this size is a misconfigured URL, not a news feed
MAX_SEEN_ENTRIES = 2000  # feeds list tens of entries; this bounds the state of a runaway one


def iter_stream_lines(stream: IO[bytes], name: str, start_line: int = 0) -> Iterator[tuple[str, str]]:
    """Stream a binary JSONL stream as (line, "name:lineno"); never reads the whole file."""
    chunks = iter(lambda: stream.read(CHUNK), b"")
    for number, (line, _encoding) in enumerate(iter_decoded_lines(chunks), start=1):
        if number > start_line:
            yield line, f"{name}:{number}"


def iter_file_lines(path: Path, start_line: int = 0) -> Iterator[tuple[str, str]]:
    with path.open("rb") as stream:
        yield from iter_stream_lines(stream, path.name, start_line)


# -- configuration (ingest/sources.yaml) -----------------------------------------------------------
class FileSource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["jsonl"]
    path: Path
    name: str = ""


class FolderSource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["folder"]
    path: Path
    pattern: str = "*.jsonl"
    poll_seconds: float = Field(default=10.0, gt=0)
    name: str = ""


class FeedSource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["rss"]
    url: str
    source: str = "news"  # the post `source` given to entries of this feed
    region: str | None = None
    poll_seconds: float = Field(default=300.0, ge=5)
    timeout_seconds: float = Field(default=20.0, gt=0)
    name: str = ""


class SourcesConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    sources: tuple[FileSource | FolderSource | FeedSource, ...] = ()


def load_sources(path: Path) -> SourcesConfig:
    return load_yaml_model(path, SourcesConfig)


# -- feeds ---------------------------------------------------------------------------------------
class FeedState(BaseModel):
    etag: str | None = None
    modified: str | None = None
    last_ok: str | None = None
    last_error: str | None = None
    failures: int = 0
    # Entries of the last successful fetch: a feed sent without validators (no ETag, no Last-Modified)
    # repeats them on every poll, and each would count as a duplicate post again.
    seen: list[str] = []


def fetch_feed(feed: FeedSource, state: FeedState) -> tuple[list[dict[str, Any]], FeedState]:
    """One conditional GET of a feed → post objects (input contract) and the new validators.

    Errors are returned in the state, never raised: one failing feed must not stop the others.
    """
    import feedparser  # imported here: only feed polling needs it

    def failed(error: str) -> tuple[list[dict[str, Any]], FeedState]:
        return [], state.model_copy(update={"last_error": error, "failures": state.failures + 1})

    headers = {"User-Agent": "Sentinel/0.1 (+public-sentiment monitor)"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.modified:
        headers["If-Modified-Since"] = state.modified
    # Fetched here, not by feedparser, for the timeout: a server that accepts and never answers
    # would hold this feed's thread for good.
    try:
        with urllib.request.urlopen(urllib.request.Request(feed.url, headers=headers),  # noqa: S310 - operator URL
                                    timeout=feed.timeout_seconds) as response:
            body, reply = response.read(MAX_FEED_BYTES + 1), response.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return [], state.model_copy(update={"last_error": None, "failures": 0})
        return failed(f"HTTP {exc.code}")
    except Exception as exc:  # noqa: BLE001 - network errors and timeouts become state
        return failed(f"{type(exc).__name__}: {exc}")
    if len(body) > MAX_FEED_BYTES:
        return failed(f"feed larger than {MAX_FEED_BYTES // 1_000_000} MB")
    try:
        parsed = feedparser.parse(body, response_headers={k.lower(): v for k, v in reply.items()})
    except Exception as exc:  # noqa: BLE001 - parser errors become state
        return failed(f"{type(exc).__name__}: {exc}")
    if parsed.bozo and not parsed.entries:
        return failed(f"unparseable feed: {parsed.get('bozo_exception')}")
    posts = [p for p in (entry_to_post(entry, feed) for entry in parsed.entries) if p is not None]
    keys = [entry_key(p) for p in posts]
    new_state = FeedState(
        etag=reply.get("ETag") or state.etag,
        modified=reply.get("Last-Modified") or state.modified,
        last_ok=datetime.now(UTC).isoformat(),
        seen=keys[:MAX_SEEN_ENTRIES],
    )
    before = set(state.seen)
    return [p for p, key in zip(posts, keys, strict=True) if key not in before], new_state


def entry_key(post: dict[str, Any]) -> str:
    """An entry as last seen: its guid (else its link) and a digest of what it says. A 通报 revised in
    place under the same guid (a higher toll) is new, and reaches the store's id-conflict handling."""
    said = hashlib.sha1(f"{post.get('title')}\n{post.get('text')}".encode()).hexdigest()[:16]  # noqa: S324 - not security
    return f"{post.get('id') or post.get('url') or ''}#{said}"


def entry_to_post(entry: Any, feed: FeedSource) -> dict[str, Any] | None:
    content = ""
    if entry.get("content"):
        content = " ".join(c.get("value", "") for c in entry["content"])
    text = content or entry.get("summary", "") or entry.get("title", "")
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC).isoformat() if stamp else None
    post: dict[str, Any] = {
        "source": feed.source,
        "url": entry.get("link"),
        "title": entry.get("title"),
        "author": entry.get("author") or feed.name or None,
        "text": text,
        "published_at": published,
        "feed": feed.url,
    }
    if entry.get("id"):
        post["id"] = "rss-" + str(entry["id"])[:200]
    if feed.region:
        post["region"] = feed.region
    return post


def feed_state_key(feed: FeedSource) -> str:
    return f"feed:{feed.url}"


def dump_state(state: FeedState) -> str:
    return json.dumps(state.model_dump(), ensure_ascii=False)
