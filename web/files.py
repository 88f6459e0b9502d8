"""Files of the tracks folder, opened only from inside it and sent by RFC 9110.

A name from a request reaches the file system only through `open_inside`: one name per
path segment, none that the kernel would refuse with an error other than "not there"
(a NUL, a name over NAME_MAX bytes: `/audio/<300 characters>.mp3` was a 500 from
ENAMETOOLONG), and never a file outside the folder, even by a symlink inside it. The file is
then sent from the descriptor that was checked, so what was checked is what is sent.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from flask import Response, request, send_file
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import parse_range_header

NAME_MAX_BYTES = 255   # the longest file name Linux file systems take (NAME_MAX)


def plain_name(name: str) -> bool:
    """Whether `name` can be one file name in a folder: not empty, no "/" or NUL, not "."
    or "..", at most NAME_MAX_BYTES in UTF-8."""
    return bool(name) and "/" not in name and "\0" not in name and name not in (".", "..") \
        and len(name.encode("utf-8", "surrogateescape")) <= NAME_MAX_BYTES


def open_inside(folder: Path, *names: str) -> BinaryIO | None:
    """The regular file folder/names[0]/names[1]/..., opened for reading, or None when there
    is none: a name that cannot be a file name, a missing file, a folder, or a path that
    leads outside `folder` (a symlink inside it pointing elsewhere is not followed out)."""
    if not names or not all(plain_name(name) for name in names):
        return None
    try:
        root = os.path.realpath(folder, strict=True)
        real = os.path.realpath(os.path.join(root, *names), strict=True)
    except (OSError, ValueError):
        return None
    if os.path.commonpath([root, real]) != root:
        return None   # a symlink that leaves the folder
    try:
        # O_NOFOLLOW: had a symlink replaced the file since realpath looked, refuse it.
        handle = os.fdopen(os.open(real, os.O_RDONLY | os.O_NOFOLLOW), "rb")
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        return None
    return handle


def send_opened(handle: BinaryIO, *, mimetype: str, download_name: str,
                as_attachment: bool = False, etag: str | None = None,
                max_age: int | None = None) -> Response:
    """A response with the open file's bytes, answering GET, HEAD, ranges (RFC 9110 14),
    If-None-Match and If-Modified-Since (13.1) from its size and modification time.

    `etag` defaults to one made of the file's inode, size and modification time (ns), so it
    changes whenever a build replaces the file. `max_age` (seconds) sets Cache-Control;
    None leaves it at no-cache. Raises RequestedRangeNotSatisfiable (416) for a single byte
    range beyond the end, having closed the file.
    """
    info = os.fstat(handle.fileno())
    tag = etag or f"{info.st_ino:x}-{info.st_size:x}-{info.st_mtime_ns:x}"
    # conditional=False: werkzeug knows no size for an open file, so ranges are answered
    # below, with the size of this very file.
    response = send_file(handle, mimetype=mimetype, download_name=download_name,
                         as_attachment=as_attachment, conditional=False, etag=tag,
                         last_modified=info.st_mtime, max_age=max_age)
    response.content_length = info.st_size
    try:
        return response.make_conditional(_whole_suffix(request.environ, info.st_size),
                                         accept_ranges=True, complete_length=info.st_size)
    except RequestedRangeNotSatisfiable:
        response.close()
        raise


def _whole_suffix(environ: dict, size: int) -> dict:
    """`environ`, with a suffix range longer than the file (`bytes=-N`, N > size) asking
    for all of it: "the entire representation is used" (RFC 9110 14.1.3), where werkzeug
    answered 416."""
    wanted = parse_range_header(environ.get("HTTP_RANGE"))
    if wanted is None or len(wanted.ranges) != 1:
        return environ
    start, stop = wanted.ranges[0]
    if stop is None and start < 0 and -start > size > 0:
        return {**environ, "HTTP_RANGE": "bytes=0-"}
    return environ
