"""ID3v2.3 tags for a track: title, artist, album, length, and a chapter per step and side.

Written by hand rather than with mutagen, whose writer orders frames by size: chapters must
be stored in time order, because ffmpeg and podcast apps list them in the order they read.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from builder.timeline import Chapter

from .errors import AudioError

ARTIST = "Mat Coach"
ALBUM = "Mat Coach routines"
NO_OFFSET = 0xFFFFFFFF   # chapters are located by time, not by byte offset
MAX_CHAPTERS = 255       # CTOC counts its entries in one byte
BUILD_FIELD = b"matcoach-build"   # a TXXX frame: which build made this file


def id3_bytes(title: str, chapters: tuple[Chapter, ...], duration_ms: int, build: str) -> bytes:
    """The whole tag: text frames, the build id, one CHAP per chapter, an ordered CTOC."""
    if len(chapters) > MAX_CHAPTERS:
        raise AudioError(f"a track can have at most {MAX_CHAPTERS} chapters; this one has "
                         f"{len(chapters)} (split the routine)")
    ids = [f"chp{chapter.index}".encode("ascii") for chapter in chapters]
    frames = [_text("TIT2", title), _text("TPE1", ARTIST), _text("TALB", ALBUM),
              _text("TLEN", str(duration_ms)),
              _frame("TXXX", b"\0" + BUILD_FIELD + b"\0" + build.encode("ascii"))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        times = struct.pack(">IIII", chapter.start_ms, chapter.end_ms, NO_OFFSET, NO_OFFSET)
        frames.append(_frame("CHAP", element_id + b"\0" + times + _text("TIT2", chapter.title)))
    flags = 0x03  # top level, ordered
    children = b"".join(element_id + b"\0" for element_id in ids)
    frames.append(_frame("CTOC", b"toc\0" + bytes([flags, len(ids)]) + children
                         + _text("TIT2", title)))
    body = b"".join(frames)
    return b"ID3\x03\x00\x00" + _syncsafe(len(body)) + body


def read_build(path: Path) -> str | None:
    """The build id a track was tagged with, or None (no tag, or not one of ours)."""
    try:
        with open(path, "rb") as handle:
            return read_build_from(handle)
    except OSError:
        return None


def read_build_from(handle: BinaryIO) -> str | None:
    """The build id the open track was tagged with, or None; reads from its start and
    leaves it there. Raises OSError when it cannot be read."""
    handle.seek(0)
    header = handle.read(10)
    body = b""
    if len(header) == 10 and header[:3] == b"ID3":
        body = handle.read(sum(b << (7 * (3 - i)) for i, b in enumerate(header[6:10])))
    handle.seek(0)
    position = 0
    while position + 10 <= len(body):
        frame_id = body[position:position + 4]
        (size,) = struct.unpack(">I", body[position + 4:position + 8])
        data = body[position + 10:position + 10 + size]
        if frame_id == b"TXXX" and data.startswith(b"\0" + BUILD_FIELD + b"\0"):
            return data[len(BUILD_FIELD) + 2:].decode("ascii", "replace")
        if not frame_id.strip(b"\0") or size == 0:
            return None
        position += 10 + size
    return None


def _text(frame_id: str, text: str) -> bytes:
    # Encoding 1 is UTF-16 with a byte-order mark, the only Unicode form ID3v2.3 has.
    return _frame(frame_id, b"\x01" + text.encode("utf-16") + b"\0\0")


def _frame(frame_id: str, data: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">I", len(data)) + b"\0\0" + data


def _syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
