"""Where a followed file was left: which file (inode + a fingerprint of bytes already read) and a
byte offset just past the last complete line ingested.

A position is valid for the file now at the path only if that file has the same inode, is at
least `offset` bytes long, and still holds the same bytes at its start and just before `offset`.
Otherwise the file was replaced (log rotation: renamed away, a new one created) or truncated or
rewritten, and it is read from its start: re-reading is safe (duplicates are caught downstream by
id and normalised text); skipping is not.

The device number is recorded but not compared: on overlayfs (containers) and network mounts it
can change across a restart, which would only cause a needless full re-read; the inode together
with the fingerprint already tells files apart.

Positions are JSON in the store's meta table. The earlier format — a bare count of lines ingested —
is recognised and converted on the first pass by counting that many lines in the file (SQL cannot
see the file, so this is done here rather than as a schema migration).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel, ConfigDict

from sentinel.ingest.decode import LineCodec

EDGE = 1024  # bytes fingerprinted at the start of the file and just before the offset
CHUNK = 1 << 20


def position_key(path: Path) -> str:
    return f"file:{path.resolve()}"


class FileCursor(BaseModel):
    """One file generation and how far into it lines have been ingested."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    dev: int
    ino: int
    offset: int = 0  # bytes: 0, just past the BOM, or just past a newline
    line: int = 0  # complete lines consumed, for "name:lineno" origins
    fingerprint: str = ""


class FilePosition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    v: Literal[2] = 2
    cursor: FileCursor | None = None  # the file at the path
    # Earlier generations renamed away (rotation) whose writer may still append a last line or two;
    # they are drained from their own offsets before the file at the path, and forgotten once gone.
    rotated: tuple[FileCursor, ...] = ()

    def dump(self) -> str:
        return self.model_dump_json()


def load_position(raw: str | None) -> tuple[FilePosition, int | None]:
    """The stored position, and the legacy line count when `raw` is in the old format."""
    if raw is None or not raw.strip():
        return FilePosition(), None
    text = raw.strip()
    if text.isdigit():
        return FilePosition(), int(text)
    try:
        return FilePosition.model_validate(json.loads(text)), None
    except ValueError:
        # An unreadable position: reading the file again from its start loses nothing.
        return FilePosition(), None


def read_at(stream: BinaryIO, offset: int, size: int) -> bytes:
    stream.seek(offset)
    return stream.read(size)


def fingerprint(stream: BinaryIO, offset: int) -> str:
    """A digest of the first bytes of the file and of the bytes just before `offset`."""
    if offset <= 0:
        return ""
    size = min(EDGE, offset)
    digest = hashlib.sha256(read_at(stream, 0, size))
    digest.update(read_at(stream, offset - size, size))
    return digest.hexdigest()[:32]


def same_file(stream: BinaryIO, stat: os.stat_result, cursor: FileCursor) -> bool:
    """Is the open file the generation `cursor` points into, with nothing before `offset` rewritten?"""
    return stat.st_ino == cursor.ino and stat.st_size >= cursor.offset and fingerprint(stream, cursor.offset) == cursor.fingerprint


def cursor_at(stream: BinaryIO, stat: os.stat_result, offset: int, line: int) -> FileCursor:
    return FileCursor(dev=stat.st_dev, ino=stat.st_ino, offset=offset, line=line, fingerprint=fingerprint(stream, offset))


def iter_complete_lines(stream: BinaryIO, start: int, codec: LineCodec, tail: bool = False) -> Iterator[tuple[str, int]]:
    """(text, offset just past its newline) for each newline-terminated line from `start` on.

    A last line without its newline may still be being written: it is not yielded, so the caller's
    position stays before it and the next pass reads it whole; with `tail` (the file has been quiet
    long enough to be finished) it is yielded too. Never reads the whole file at once.
    """
    unit = len(codec.newline)
    base = start  # file offset of buffer[0]; always a line boundary, so aligned for UTF-16/32
    buffer = bytearray()
    scanned = 0  # bytes of `buffer` already searched without finding a newline
    while True:
        stream.seek(base + len(buffer))  # the caller may have read elsewhere (fingerprints) meanwhile
        chunk = stream.read(CHUNK)
        if not chunk:
            if tail and buffer.strip():
                yield codec.decode(bytes(buffer)), base + len(buffer)
            return
        buffer += chunk
        cut = 0
        search = max(0, scanned - unit + 1)
        while (found := buffer.find(codec.newline, search)) >= 0:
            if (found - cut) % unit:  # a newline byte pattern across two characters (UTF-16/32)
                search = found + 1
                continue
            end = found + unit
            yield codec.decode(bytes(buffer[cut:found])), base + end
            cut = search = end
        del buffer[:cut]
        base += cut
        scanned = len(buffer)


def cursor_after_lines(stream: BinaryIO, stat: os.stat_result, lines: int, codec: LineCodec) -> FileCursor:
    """Convert a legacy line count: the position just past the `lines`-th complete line.

    A file holding fewer complete lines than were counted is not the file that was counted (it was
    replaced or truncated), so it is read from its start.
    """
    if lines > 0:
        for number, (_text, end) in enumerate(iter_complete_lines(stream, codec.bom, codec), start=1):
            if number == lines:
                return cursor_at(stream, stat, end, lines)
    return cursor_at(stream, stat, codec.bom, 0)
