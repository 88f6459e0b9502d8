"""ID3v2.3 tags for a track: title, artist, album, length, and a chapter per step and side.

Written by hand rather than with mutagen, whose writer orders frames by size: chapters must
be stored in time order, because ffmpeg and podcast apps list them in the order they read.
"""

from __future__ import annotations

import struct

from builder.timeline import Chapter

ARTIST = "Mat Coach"
ALBUM = "Mat Coach routines"
NO_OFFSET = 0xFFFFFFFF   # chapters are located by time, not by byte offset
MAX_CHAPTERS = 255       # CTOC counts its entries in one byte


def id3_bytes(title: str, chapters: tuple[Chapter, ...], duration_ms: int) -> bytes:
    """The whole tag: text frames, one CHAP per chapter, then an ordered top-level CTOC."""
    if len(chapters) > MAX_CHAPTERS:
        raise ValueError(f"a track can have at most {MAX_CHAPTERS} chapters")
    ids = [f"chp{chapter.index}".encode("ascii") for chapter in chapters]
    frames = [_text("TIT2", title), _text("TPE1", ARTIST), _text("TALB", ALBUM),
              _text("TLEN", str(duration_ms))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        times = struct.pack(">IIII", chapter.start_ms, chapter.end_ms, NO_OFFSET, NO_OFFSET)
        frames.append(_frame("CHAP", element_id + b"\0" + times + _text("TIT2", chapter.title)))
    flags = 0x03  # top level, ordered
    children = b"".join(element_id + b"\0" for element_id in ids)
    frames.append(_frame("CTOC", b"toc\0" + bytes([flags, len(ids)]) + children
                         + _text("TIT2", title)))
    body = b"".join(frames)
    return b"ID3\x03\x00\x00" + _syncsafe(len(body)) + body


def _text(frame_id: str, text: str) -> bytes:
    # Encoding 1 is UTF-16 with a byte-order mark, the only Unicode form ID3v2.3 has.
    return _frame(frame_id, b"\x01" + text.encode("utf-16") + b"\0\0")


def _frame(frame_id: str, data: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">I", len(data)) + b"\0\0" + data


def _syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
