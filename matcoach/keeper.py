"""The builder process beside the server: started, watched, started again if it dies.

A builder that crashed or was killed would otherwise leave every routine added later
"being prepared" for ever while the server runs on.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
GRACEFUL_S = 10
FIRST_DELAY_S, MOST_DELAY_S = 1.0, 60.0


@dataclass(frozen=True)
class BuilderPaths:
    """Where the builder reads routines and places, and writes tracks and cache."""

    library: Path | None
    tracks: Path
    cache: Path
    database: Path | None = None
    """Where places are saved: the builds they refer to are kept (None: the data home's)."""


def start_builder(paths: BuilderPaths) -> subprocess.Popen:
    """The background builder, in a process (and session) of its own.

    Its own session keeps Ctrl+C at the terminal from reaching it half-started: it is
    stopped by `stop_builder` once the web server has stopped, and stops by itself if
    the process that started it dies."""
    command = [sys.executable, "-m", "matcoach.build_process", "--tracks", str(paths.tracks),
               "--cache", str(paths.cache), "--parent", str(os.getpid())]
    if paths.library is not None:
        command += ["--library", str(paths.library)]
    if paths.database is not None:
        command += ["--database", str(paths.database)]
    return subprocess.Popen(command, start_new_session=True)


def stop_builder(builder: subprocess.Popen) -> None:
    """Stop the builder (TERM, then KILL if it has not gone within GRACEFUL_S)."""
    if builder.poll() is None:
        builder.terminate()
        try:
            builder.wait(GRACEFUL_S)
        except subprocess.TimeoutExpired:
            builder.kill()
            builder.wait()


class BuilderKeeper:
    """Runs the builder, and starts it again when it ends without being asked to: after
    1 s, then twice as long each time (at most a minute), back to 1 s once one has run
    for a minute. Start it after any fork: it is a thread."""

    def __init__(self, paths: BuilderPaths) -> None:
        self.paths = paths
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._keep, name="builder keeper", daemon=True)

    def start(self) -> None:
        """Start the builder and keep it running."""
        self.process = start_builder(self.paths)
        self._thread.start()

    def stop(self) -> None:
        """Stop keeping it, and stop it."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.process is not None:
            stop_builder(self.process)

    def _keep(self) -> None:
        delay = FIRST_DELAY_S
        while True:
            started = time.monotonic()
            while self.process.poll() is None:
                if self._stopping.wait(0.5):
                    return
            if self._stopping.is_set():
                return
            if time.monotonic() - started > MOST_DELAY_S:
                delay = FIRST_DELAY_S
            log.error("the builder stopped (exit status %s); starting it again in %.0f s",
                      self.process.returncode, delay)
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, MOST_DELAY_S)
            self.process = start_builder(self.paths)
