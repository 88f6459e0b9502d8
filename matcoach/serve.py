"""`matcoach serve`: the app under gunicorn, with the background builder beside it.

    matcoach serve          this process: starts the others, passes on TERM, waits
    ├── gunicorn master     forked, with the app already made (preloaded)
    │   └── workers         gthread workers, --workers of them with --threads each
    └── builder             python -m matcoach.build_process, at a lower CPU priority

Builds run in the builder only, however many workers serve; it is started again if it
dies (matcoach/keeper.py). TERM, Ctrl+C and HUP stop everything gracefully: the workers
finish the requests they have (up to GRACEFUL_S), then the builder is stopped (a build cut
short publishes nothing); the master and the builder also stop when this process is
killed. `--dev` runs Flask's development server with its reloader instead of gunicorn, for
working on the code.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from audio.shelf import Shelf
from audio.status import BuildStatus, write_status

from .app import shelf_of
from .keeper import BuilderKeeper, BuilderPaths
from .tls import CertificateError, check_pair

log = logging.getLogger(__name__)
GRACEFUL_S = 10
STOPS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
RESERVED_THREADS = 2
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
    threads: int = 8
    """Threads per worker: requests one worker answers at once."""
    build: bool = True
    """Start the background builder."""
    dev: bool = False
    """Flask's development server with the reloader instead of gunicorn."""
    certfile: Path | None = None
    """Serve TLS (https) with this PEM certificate chain, and keyfile's private key."""
    keyfile: Path | None = None

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"

    @property
    def tls(self) -> tuple[str, str] | None:
        """(certificate, key) to serve TLS with, or None: what Flask's development server
        takes as its ssl_context, and gunicorn as certfile and keyfile."""
        return (str(self.certfile), str(self.keyfile)) if self.certfile else None


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


def download_slots(threads: int) -> int:
    """Downloads one worker serves at once: all its threads but RESERVED_THREADS (kept for
    Alexa and the pages), and at least one."""
    return max(1, threads - RESERVED_THREADS)


def local_url(host: str, port: int, scheme: str = "http") -> str:
    """The address a program on this machine reaches the server at."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def addresses(host: str, port: int, scheme: str = "http") -> list[str]:
    """The addresses a person can open: localhost, and this machine's network address when
    listening on every interface."""
    if host in ("0.0.0.0", "::", ""):
        found = [f"{scheme}://localhost:{port}/"]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("192.0.2.1", 9))   # TEST-NET-1: picks a route, sends nothing
                found.append(f"{scheme}://{probe.getsockname()[0]}:{port}/  (other devices)")
            except OSError:
                pass
        return found
    if host in ("127.0.0.1", "::1"):
        return [f"{scheme}://localhost:{port}/"]
    return [f"{local_url(host, port, scheme)}/"]


def serve(make_app: Callable[[], Flask], options: ServeOptions, paths: BuilderPaths) -> int:
    """Check the port, make the app, serve until stopped; returns the exit status.

    ServeError if it cannot start (before anything is built or made).
    """
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":   # the reloader's child (--dev)
        make_app().run(options.host, options.port, threaded=True, use_reloader=True,
                       ssl_context=options.tls)
        return 0
    check_port(options.host, options.port)
    if options.certfile:
        try:
            check_pair(options.certfile, options.keyfile)
        except CertificateError as exc:
            raise ServeError(str(exc)) from exc
    log_to_stderr()
    app = make_app()
    keeper = BuilderKeeper(paths) if options.build else None
    if keeper is not None:
        announce_builds(shelf_of(app))
    try:
        if options.dev:
            if keeper is not None:
                keeper.start()
            app.run(options.host, options.port, threaded=True, use_reloader=True,
                    ssl_context=options.tls)
            return 0
        return _run_gunicorn(app, options, keeper)
    finally:
        if keeper is not None:
            keeper.stop()


def announce_builds(shelf: Shelf) -> None:
    """Say at once that the routines not built yet are on their way.

    The builder takes a few seconds to start (it loads the voice); pages opened meanwhile
    would otherwise say "not built" and not ask again. It replaces this within seconds.
    """
    waiting = tuple(routine.id for routine in shelf.unbuilt())
    if waiting:
        write_status(shelf.audio_dir, BuildStatus(
            total=len(waiting), queued=waiting, updated_at=time.time(),
            library=str(shelf.library.folder.resolve())))


def _run_gunicorn(app: Flask, options: ServeOptions, keeper: BuilderKeeper | None) -> int:
    master = multiprocessing.get_context("fork").Process(
        target=_gunicorn_master, args=(app, options, os.getpid()), name="gunicorn master")
    asked: list[int] = []

    def pass_on(signum, frame) -> None:
        # Ctrl+C reaches every process of the terminal's group, closing the terminal sends
        # HUP; TERM may come to this process alone. All mean: stop gracefully.
        asked.append(signum)
        if master.pid is not None:
            os.kill(master.pid, signal.SIGTERM)

    # Blocked across the fork, so that the master never runs this process's handler: it
    # sets its own, then lets them through; here they reach pass_on once it is in place.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        master.start()
        previous = {number: signal.signal(number, pass_on) for number in STOPS}
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    try:
        if keeper is not None:
            keeper.start()   # a thread: started after the fork, so the master has none
        master.join()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return exit_status(master.exitcode, asked)


def exit_status(code: int | None, asked: list[int]) -> int:
    """This command's exit status for the master's: 0 when it stopped as asked (even by
    the signal itself, before gunicorn had set its handlers), 128 + N when a signal N
    nobody here sent ended it (as a shell reports it)."""
    if code is None:
        return 1
    if code >= 0:
        return code
    if asked and -code in STOPS:
        return 0
    log.error("gunicorn's master was ended by signal %d", -code)
    return 128 - code


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
        "logger_class": "matcoach.access_log.PrivateAccessLog",   # no secret tokens logged
        "errorlog": "-",
        "graceful_timeout": GRACEFUL_S,
        "keepalive": 5,
        "proc_name": "matcoach",
        "control_socket_disable": True,   # one per user by default: two servers would share it
    } | ({"certfile": options.tls[0], "keyfile": options.tls[1]} if options.tls else {})


def _gunicorn_master(app: Flask, options: ServeOptions, parent: int) -> None:
    # Not the parent's handlers (inherited through the fork): until gunicorn sets its own,
    # a stop signal simply ends the master, which has nothing in flight yet.
    for number in STOPS:
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    from .workers import serve_forever
    serve_forever(app, gunicorn_settings(options), parent)
