"""Range requests as RFC 9110 section 14 has them, in front of werkzeug's own handling.

werkzeug answers any Range header it cannot turn into one byte range with 416 Range Not
Satisfiable: `bytes=0-10,20-30` (two ranges), `bytes=abc` (not a range), `items=0-5` (a
unit it does not know). RFC 9110 wants those ignored and the whole representation sent with
200: "A server MAY ignore the Range header field" (14.2); "An origin server MUST ignore a
Range header field that contains a range unit it does not understand" (14.2); one "that
contains an invalid ranges-specifier" it MAY ignore (14.2); and a multiple-range request is
answered with multipart/byteranges (14.6) or, as here, by ignoring it, since werkzeug does
not write multipart. Range handling is defined for GET only: "A server MUST ignore a Range
header field received with a request method that is unrecognized or for which range
handling is not defined" (14.2), so HEAD shows the whole file's headers.

What is left for werkzeug is exactly one byte range: served with 206 when it is satisfiable,
answered 416 with `Content-Range: bytes */<size>` when it is not (15.5.17), and ignored when
If-Range names another version of the file (13.1.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from werkzeug.http import parse_range_header


def one_byte_range(method: str, header: str) -> bool:
    """Whether a request's Range header is one werkzeug should act on: a GET asking for a
    single, well-formed byte range (satisfiable or not: werkzeug answers 416 to the rest)."""
    if method != "GET":
        return False
    parsed = parse_range_header(header)
    return parsed is not None and parsed.units == "bytes" and len(parsed.ranges) == 1


class RangeRules:
    """WSGI middleware: drops a Range header that RFC 9110 says to ignore (see the module
    docstring), so every file route, whoever sends the file, answers it with 200."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        header = environ.get("HTTP_RANGE")
        if header is not None and not one_byte_range(environ.get("REQUEST_METHOD", ""), header):
            # A copy: the environ belongs to the server, which may look at it afterwards.
            environ = {key: value for key, value in environ.items() if key != "HTTP_RANGE"}
        return self.app(environ, start_response)
