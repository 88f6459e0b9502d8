"""`matcoach serve`: the app under gunicorn, with the background builder beside it.

    matcoach serve          this process: starts the others, passes on TERM, waits
    ├── gunicorn master     forked, with the app already made (preloaded)
    │   └── workers         gthread workers, --workers of them with --threads each
    └── builder             python -m matcoach.builds, at a lower CPU priority

Builds run in the builder only, however many workers serve. TERM and Ctrl+C stop it
gracefully: the workers finish the requests they have (up to GRACEFUL_S), then the builder
is stopped (a build cut short publishes nothing). `--dev` runs Flask's development server
with its reloader instead of gunicorn, for working on the code.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from audio.shelf import Shelf
from audio.status import BuildStatus, write_status

from .app import shelf_of

log = logging.getLogger(__name__)
GRACEFUL_S = 10
# gunicorn's own log format, so the app's, gunicorn's and the builder's lines read alike.
LOG_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"
LOG_DATES = "%Y-%m-%d %H:%M:%S %z"


def log_to_stderr() -> None:
    """Send the app's log lines (INFO and up) to standard error, in gunicorn's format."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, datefmt=LOG_DATES)


class ServeError(Exception):
    """The server cannot start (the port is taken, say); the message says what to do."""


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: where, how many processes and threads, and what runs beside."""

    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    """gunicorn worker processes (each one a Python interpreter: one per core suits)."""
    threads: int = 4
    """Threads per worker: requests one worker answers at once."""
    build: bool = True
    """Start the background builder."""
    dev: bool = False
    """Flask's development server with the reloader instead of gunicorn."""


@dataclass(frozen=True)
class BuilderPaths:
    """Where the builder reads routines and writes tracks and cache."""

    library: Path | None
    tracks: Path
    cache: Path


def check_port(host: str, port: int) -> None:
    """ServeError unless `host`:`port` can be listened on now (checked before any build)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise ServeError(f'"{host}" is not an address this machine has ({exc.strerror}); '
                         "use 127.0.0.1, or 0.0.0.0 to be reachable from other devices.") \
            from exc
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as gunicorn does
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"Port {port} on {host} is already in use (is Mat Coach already running?). "
                    f"Choose another: make run PORT={port + 1}, or matcoach serve --port "
                    f"{port + 1}.") from exc
            raise ServeError(f"Cannot listen on {host}:{port} ({exc.strerror}).") from exc


def addresses(host: str, port: int) -> list[str]:
    """The addresses a person can open: localhost, and this machine's network address when
    listening on every interface."""
    if host in ("0.0.0.0", "::", ""):
        found = [f"http://localhost:{port}/"]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("192.0.2.1", 9))   # TEST-NET-1: picks a route, sends nothing
                found.append(f"http://{probe.getsockname()[0]}:{port}/  (other devices)")
            except OSError:
                pass
        return found
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    return [f"http://{shown}:{port}/"]


def serve(make_app: Callable[[], Flask], options: ServeOptions, paths: BuilderPaths) -> int:
    """Check the port, make the app, serve until stopped; returns the exit status.

    ServeError if it cannot start (before anything is built or made).
    """
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":   # the reloader's child (--dev)
        make_app().run(options.host, options.port, threaded=True, use_reloader=True)
        return 0
    check_port(options.host, options.port)
    log_to_stderr()
    app = make_app()
    builder = None
    if options.build:
        announce_builds(shelf_of(app))
        builder = start_builder(paths)
    try:
        if options.dev:
            app.run(options.host, options.port, threaded=True, use_reloader=True)
            return 0
        return _run_gunicorn(app, options)
    finally:
        if builder is not None:
            stop_builder(builder)


def announce_builds(shelf: Shelf) -> None:
    """Say at once that the routines not built yet are on their way.

    The builder takes a few seconds to start (it loads the voice); pages opened meanwhile
    would otherwise say "not built" and not ask again. It replaces this within seconds.
    """
    waiting = tuple(routine.id for routine in shelf.unbuilt())
    if waiting:
        write_status(shelf.audio_dir, BuildStatus(total=len(waiting), queued=waiting,
                                                  updated_at=time.time()))


def start_builder(paths: BuilderPaths) -> subprocess.Popen:
    """The background builder, in a process (and session) of its own.

    Its own session keeps Ctrl+C at the terminal from reaching it half-started: it is
    stopped by `stop_builder` once the web server has stopped, and stops by itself if
    this process dies."""
    command = [sys.executable, "-m", "matcoach.builds", "--tracks", str(paths.tracks),
               "--cache", str(paths.cache)]
    if paths.library is not None:
        command += ["--library", str(paths.library)]
    return subprocess.Popen(command, start_new_session=True)


def stop_builder(builder: subprocess.Popen) -> None:
    """Stop the builder (TERM, then KILL if it does not go within GRACEFUL_S)."""
    if builder.poll() is None:
        builder.terminate()
        try:
            builder.wait(GRACEFUL_S)
        except subprocess.TimeoutExpired:
            builder.kill()
            builder.wait()


def _run_gunicorn(app: Flask, options: ServeOptions) -> int:
    master = multiprocessing.get_context("fork").Process(
        target=_gunicorn_master, args=(app, options), name="gunicorn master")
    asked: list[int] = []

    def pass_on(signum, frame) -> None:
        # Ctrl+C reaches every process of the terminal's group; a TERM sent to this one
        # alone must reach the master too. Both mean: stop gracefully.
        asked.append(signum)
        if master.pid is not None:
            os.kill(master.pid, signal.SIGTERM)

    previous = {number: signal.signal(number, pass_on)
                for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        master.start()
        if asked:   # stopped while the master was being started
            os.kill(master.pid, signal.SIGTERM)
        master.join()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return master.exitcode or 0


def gunicorn_settings(options: ServeOptions) -> dict:
    """gunicorn's settings for `options` (docs.gunicorn.org/en/stable/settings.html)."""
    host = f"[{options.host}]" if ":" in options.host else options.host
    return {
        "bind": [f"{host}:{options.port}"],
        "workers": options.workers,
        "threads": options.threads,
        "worker_class": "matcoach.workers.GracefulThreadWorker",
        "preload_app": True,          # the app is made once, then forked into each worker
        "accesslog": "-",
        "errorlog": "-",
        "graceful_timeout": GRACEFUL_S,
        "keepalive": 5,
        "proc_name": "matcoach",
        "control_socket_disable": True,   # one per user by default: two servers would share it
    }


def _gunicorn_master(app: Flask, options: ServeOptions) -> None:
    # Not this process's handlers (inherited through the fork): until gunicorn sets its own,
    # TERM and INT simply end the master, which has nothing in flight yet.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)
    from .workers import serve_forever
    serve_forever(app, gunicorn_settings(options))
