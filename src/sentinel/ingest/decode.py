"""Bytes → text for files and HTTP bodies: UTF-8 (with or without BOM), GB18030/GBK, else detected."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator

from charset_normalizer import from_bytes

_PROBE_BYTES = 64 * 1024


def detect_encoding(sample: bytes) -> str:
    """Decide on a prefix of the stream; GB18030 is a superset of GBK and GB2312."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the probe is still UTF-8.
        if exc.start >= len(sample) - 4:
            return "utf-8"
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    return best.encoding if best else "utf-8"


def decode_bytes(data: bytes) -> tuple[str, str]:
    encoding = detect_encoding(data[:_PROBE_BYTES])
    return data.decode(encoding, errors="replace"), encoding


def iter_decoded_lines(chunks: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Stream lines from byte chunks; the encoding is detected on the first chunk.

    Yields (line, encoding). Undecodable bytes become U+FFFD rather than stopping the stream.
    """
    iterator = iter(chunks)
    first = b""
    for chunk in iterator:
        first += chunk
        if len(first) >= _PROBE_BYTES:
            break
    encoding = detect_encoding(first[:_PROBE_BYTES])
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""

    def feed(data: bytes, final: bool = False) -> Iterator[str]:
        nonlocal pending
        pending += decoder.decode(data, final)
        *lines, pending = pending.split("\n")
        yield from lines

    for line in feed(first):
        yield line, encoding
    for chunk in iterator:
        for line in feed(chunk):
            yield line, encoding
    for line in feed(b"", final=True):
        yield line, encoding
    if pending:
        yield pending, encoding
