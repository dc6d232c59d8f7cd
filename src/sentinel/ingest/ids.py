"""Stable post ids and content hashes: the same input always gets the same id."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment: the same page under trivially different URLs."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def derive_post_id(*, given: str | None, source: str, url: str | None, text_norm: str) -> str:
    if given and given.strip():
        return given.strip()
    if url and url.strip():
        return "u-" + _digest(canonical_url(url))
    return "h-" + _digest(source, text_norm)


def content_hash(text_norm: str) -> str:
    """Hash of the analysis text with whitespace and punctuation-insensitive spacing removed."""
    return _digest("".join(text_norm.split()))
