"""File responses that cannot leak their file, whatever the WSGI server does.

PEP 3333 makes the server call `close()` on the response iterable, which is what closes a
file handed out by `send_file`. Werkzeug's development server skips that call when the
client resets the connection while the server drains the request body (its `finally`
reads the socket, the read raises ConnectionResetError, and `close()` after it never
runs): the file stays open until garbage collection finds it and Python reports
`ResourceWarning: unclosed file`. Browsers reset media connections all the time, so this
made the browser tests flaky (issue 8). Rather than trust every server's error paths, each
file response closes its file when the response is dropped, closed or not.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import IO

from werkzeug.wsgi import FileWrapper


class ClosingFileWrapper(FileWrapper):
    """werkzeug's FileWrapper (seekable, so range requests seek instead of reading through),
    which closes its file when it is garbage collected without `close()` being called.

    The finalizer holds the file, not the wrapper, so it runs exactly once: at `close()`, or
    when the last reference to the wrapper goes, even inside a reference cycle.
    """

    def __init__(self, file: IO[bytes], buffer_size: int = 64 * 1024) -> None:
        super().__init__(file, max(buffer_size, 64 * 1024))
        self._finalizer = weakref.finalize(self, file.close)

    @property
    def filelike(self) -> IO[bytes]:
        """The file, under the name gunicorn's sendfile(2) path looks for."""
        return self.file

    def close(self) -> None:
        """Close the file now (the server's side of PEP 3333)."""
        self._finalizer()


class FileSafety:
    """WSGI middleware: every `send_file` in the app gets a ClosingFileWrapper.

    `send_file` wraps files with `environ["wsgi.file_wrapper"]` when the server offers one;
    setting it here makes the guarantee the same on every server.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        environ["wsgi.file_wrapper"] = ClosingFileWrapper
        return self.app(environ, start_response)
