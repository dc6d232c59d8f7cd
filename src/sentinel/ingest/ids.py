"""Stable post ids and content hashes: the same input always gets the same id."""

from __future__ import annotations

import hashlib
import re


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


_SCHEME_HOST = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)(.*)$", re.DOTALL)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment: the same page under trivially different URLs.

    A regex rather than urllib.parse: this runs for every post and urlsplit was a visible share of
    ingest time.
    """
    url = url.strip().split("#", 1)[0]
    match = _SCHEME_HOST.match(url)
    if not match:
        return url
    head, rest = match.groups()
    return head.lower() + (rest if rest.startswith("/") else "/" + rest)


def derive_post_id(*, given: str | None, source: str, url: str | None, text_norm: str) -> str:
    if given and given.strip():
        return given.strip()
    if url and url.strip():
        return "u-" + _digest(canonical_url(url))
    return "h-" + _digest(source, text_norm)


def content_hash(text_norm: str) -> str:
    """Hash of the analysis text with whitespace and punctuation-insensitive spacing removed."""
    return _digest("".join(text_norm.split()))
