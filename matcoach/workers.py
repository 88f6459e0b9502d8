"""gunicorn, run from Python with an app already made, stopping gracefully on Ctrl+C too.

gunicorn treats SIGINT as "quick shutdown": workers exit at once and drop the requests they
are answering. Someone pressing Ctrl+C in front of `make run` means the same as TERM, so
here both stop gracefully: stop accepting, finish what is in flight, then exit.
"""

from __future__ import annotations

import os
import signal

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.gthread import ThreadWorker


class GracefulThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, with SIGINT handled like SIGTERM (finish, then exit)."""

    def init_signals(self) -> None:
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)


class GracefulArbiter(Arbiter):
    """gunicorn's master, with SIGINT handled like SIGTERM (graceful stop of the workers),
    which stops gracefully too when `matcoach serve` (its parent) has gone.

    The signal is renamed as it is queued: gunicorn also turns an INT that arrives while it
    stops gracefully into a quick shutdown, and Ctrl+C sends INT to every process of the
    terminal while `matcoach serve` passes TERM on as well. Without the parent watch, a
    master whose `matcoach serve` was killed would go on serving, adopted and unmanaged.
    """

    parent: int | None = None

    def signal(self, sig, frame) -> None:
        super().signal(signal.SIGTERM if sig == signal.SIGINT else sig, frame)

    def maybe_promote_master(self) -> None:
        # Called once a turn of the master's loop (about every second).
        super().maybe_promote_master()
        if self.parent is not None and os.getppid() != self.parent:
            self.log.info("matcoach serve has gone; stopping")
            raise StopIteration


class PreloadedApplication(BaseApplication):
    """A gunicorn application around an app object made before the master starts."""

    def __init__(self, app: Flask, settings: dict) -> None:
        self.application = app
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve_forever(app: Flask, settings: dict, parent: int | None = None) -> None:
    """Run gunicorn's master loop until it is stopped (it exits the process); with
    `parent`, also when that process has gone."""
    arbiter = GracefulArbiter(PreloadedApplication(app, settings))
    arbiter.parent = parent
    arbiter.run()
