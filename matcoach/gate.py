"""Downloads may not take every thread: some are always left for Alexa and the pages.

Each gunicorn worker answers as many requests at once as it has threads, and an MP3 holds
its thread for as long as the listener takes to fetch it: a phone on weak Wi-Fi, a paused
player, a podcast app. Eight of them used to take all eight threads of `matcoach serve`, and
Alexa's requests then waited past its 8-second limit. The gate lets at most `slots`
downloads run at once in each process and answers the next with 503 and Retry-After, which
players and podcast apps retry. Behind a buffering reverse proxy (nginx) slow listeners
cost the proxy, not a thread, and this rarely triggers.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Iterator

RETRY_AFTER_S = 5
BUSY = b"Too many downloads at once; try again in a few seconds.\n"


class DownloadGate:
    """WSGI middleware: at most `slots` responses whose path starts with `prefix` at once.

    A slot is given back when the server closes the response, or when the response is
    dropped without being closed (werkzeug's development server skips close() when a
    client resets the connection: see matcoach/files.py).
    """

    def __init__(self, app: Callable, slots: int, prefix: str = "/audio/") -> None:
        self.app = app
        self.prefix = prefix
        self._free = threading.BoundedSemaphore(slots)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(self.prefix):
            return self.app(environ, start_response)
        if not self._free.acquire(blocking=False):
            start_response("503 Service Unavailable", [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(BUSY))), ("Retry-After", str(RETRY_AFTER_S))])
            return [BUSY]
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._free.release()
            raise
        return _Held(body, self._free.release)


class _Held:
    """A response body that gives its slot back once, when closed or dropped."""

    def __init__(self, body: Iterable[bytes], release: Callable[[], None]) -> None:
        self.body = body
        self._release = weakref.finalize(self, release)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._release()
