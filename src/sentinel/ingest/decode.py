"""Bytes → text for files and HTTP bodies: UTF-8 (with or without BOM), GB18030/GBK, UTF-16/32 with BOM.

Nothing is decoded with replacement characters: a file is decoded line by line, each line strictly
(UTF-8, else GB18030), so one GBK line in a UTF-8 file is read correctly; a line neither decodes
is an UndecodableLine, which the normaliser rejects as `invalid_encoding` with its bytes kept.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from charset_normalizer import from_bytes

PROBE_BYTES = 64 * 1024
# Tried in this order on each line of a byte-oriented stream. UTF-8 first: valid UTF-8 is almost
# never GBK by accident, while UTF-8 bytes often decode as (wrong) GB18030.
LINE_ENCODINGS = ("utf-8", "gb18030")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class UndecodableLine(str):
    """A line no encoding decodes: reads as its bytes escaped (for display), `data` holds the bytes.

    A str, so every line consumer takes it as it is; the normaliser turns it into a reject.
    """

    data: bytes

    def __new__(cls, data: bytes) -> UndecodableLine:
        line = super().__new__(cls, data.decode("utf-8", "backslashreplace"))
        line.data = data
        return line


def detect_encoding(sample: bytes, complete: bool = False) -> str:
    """Decide on a prefix of the stream; GB18030 is a superset of GBK and GB2312.

    `complete`: the sample is the whole stream, so a character cut at its end is an error, not the probe's edge.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the probe is still UTF-8.
        if not complete and exc.start >= len(sample) - 4:
            return "utf-8"
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    return best.encoding if best else "utf-8"


@dataclass(frozen=True)
class LineCodec:
    """How to cut a byte stream into lines and decode each line on its own."""

    name: str  # the stream's encoding without BOM handling, valid for any slice starting at a line boundary
    bom: int  # bytes of byte-order mark at the start of the stream
    newline: bytes

    @classmethod
    def for_file(cls, head: bytes, complete: bool | None = None) -> LineCodec:
        """`head`: the first PROBE_BYTES of the stream (fewer: the whole stream, unless told otherwise)."""
        whole = len(head) < PROBE_BYTES if complete is None else complete
        encoding = codecs.lookup(detect_encoding(head[:PROBE_BYTES], whole)).name
        if encoding == "utf-8-sig":
            return cls("utf-8", 3 if head.startswith(codecs.BOM_UTF8) else 0, b"\n")
        if encoding in {"utf-16", "utf-32"}:
            width = "16" if encoding == "utf-16" else "32"
            big = head.startswith(codecs.BOM_UTF16_BE if width == "16" else codecs.BOM_UTF32_BE)
            le = head.startswith(codecs.BOM_UTF16_LE if width == "16" else codecs.BOM_UTF32_LE)
            name = f"utf-{width}-{'be' if big else 'le'}"
            return cls(name, int(width) // 8 if (big or le) else 0, "\n".encode(name))
        return cls(encoding, 0, "\n".encode(encoding))

    def decode(self, data: bytes) -> str:
        """The line as text, or an UndecodableLine when no candidate encoding decodes it strictly."""
        # UTF-16/32 lines are only that; any ASCII-compatible stream may mix UTF-8 and GB18030 lines.
        candidates = (self.name,) if len(self.newline) > 1 else LINE_ENCODINGS
        for encoding in candidates:
            try:
                return _decode(data, encoding)
            except UnicodeDecodeError:
                continue
        return UndecodableLine(data)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """A whole body (HTTP) as text and the encoding used; raises UnicodeDecodeError if none fits."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        candidates = LINE_ENCODINGS
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return _decode(data, encoding), encoding
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None  # noqa: S101 - there is at least one candidate, and each failed
    raise error


def _decode(data: bytes, encoding: str) -> str:
    """Strictly. Big5 (Traditional, from Taiwan and Hong Kong) mostly decodes as GB18030 too, into
    private-use and wrong characters: where the GB18030 reading has private-use characters and the
    Big5 reading has none, the text is Big5."""
    text = data.decode(encoding)
    if encoding == "gb18030" and _PRIVATE_USE.search(text):
        try:
            big5 = data.decode("big5hkscs")
        except UnicodeDecodeError:
            return text
        if not _PRIVATE_USE.search(big5):
            return big5
    return text


def split_lines(chunks: Iterable[bytes], newline: bytes) -> Iterator[bytes]:
    """Lines without their newline; the last one also without a newline. Never holds more than one
    line and one chunk. `newline` is matched only at character boundaries (UTF-16/32 use 2 or 4 bytes)."""
    unit = len(newline)
    buffer = bytearray()
    scanned = 0  # bytes of `buffer` already searched without finding a newline
    for chunk in chunks:
        buffer += chunk
        cut = 0
        search = max(0, scanned - unit + 1)
        while (found := buffer.find(newline, search)) >= 0:
            if (found - cut) % unit:  # a newline byte pattern across two characters
                search = found + 1
                continue
            yield bytes(buffer[cut:found])
            cut = search = found + unit
        del buffer[:cut]
        scanned = len(buffer)
    if buffer:
        yield bytes(buffer)


def iter_decoded_lines(chunks: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Stream lines from byte chunks: (line, the stream's encoding); each line decoded on its own.

    The stream's encoding (which only decides UTF-16/32 or byte-oriented) is detected on its first
    PROBE_BYTES. A line no encoding decodes is yielded as an UndecodableLine.
    """
    iterator = iter(chunks)
    head = b""
    for chunk in iterator:
        head += chunk
        if len(head) >= PROBE_BYTES:
            break
    codec = LineCodec.for_file(head)
    for line in split_lines(chain([head[codec.bom:]], iterator), codec.newline):
        yield codec.decode(line), codec.name
