"""`matcoach serve` run for real in tests: a process group of its own, its output in files."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

COMMAND = Path(sys.executable).parent / "matcoach"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(home: Path, **settings: str) -> dict[str, str]:
    """The process environment with its own data home and no settings from outside."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("MATCOACH_") or key == "MATCOACH_REQUIRE_BROWSER"}
    env["MATCOACH_HOME"] = str(home)
    env.update(settings)
    return env


def wait_for(condition, timeout_s: float, what: str, every_s: float = 0.1):
    """Poll `condition` until it returns something true; AssertionError after the timeout."""
    end = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(every_s)


def get(url: str, timeout_s: float = 5,
        tls: ssl.SSLContext | None = None) -> tuple[int, dict, bytes] | None:
    """(status, headers, body) of a GET (https trusting `tls`), or None when nothing
    answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s, context=tls) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        error.close()
        return error.code, dict(error.headers), body
    except OSError:
        return None


class Server:
    """`matcoach serve ARGS` on a free port, stopped (and checked stopped) at the end."""

    def __init__(self, tmp_path: Path, env: dict[str, str], *args: str,
                 tls: ssl.SSLContext | None = None) -> None:
        self.marker = f"MATCOACH_HOME={env['MATCOACH_HOME']}".encode()
        self.port = free_port()
        self.tls = tls   # how a client trusts it, when it serves https
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.out_path, self.err_path = tmp_path / "serve.out", tmp_path / "serve.err"
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.process = subprocess.Popen(
                [str(COMMAND), "serve", "--port", str(self.port), *args], env=env,
                stdout=out, stderr=err, start_new_session=True)

    def started(self, timeout_s: float = 30) -> Server:
        wait_for(lambda: get(self.url + "/", tls=self.tls) or self.process.poll() is not None,
                 timeout_s, "the server to answer")
        assert self.process.poll() is None, self.errors()
        return self

    def errors(self) -> str:
        return self.err_path.read_text(encoding="utf-8")

    def output(self) -> str:
        return self.out_path.read_text(encoding="utf-8")

    def group(self) -> list[int]:
        """Every process of this server still there: the command, gunicorn's master and
        workers (the session the command leads), the builder (a session of its own; found
        by the data home in its environment).

        Not by environment alone: with setproctitle installed, gunicorn writes its process
        titles over the memory /proc/PID/environ shows, and the master and workers seemed
        gone while they still answered."""
        alive = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                try:
                    environ = (entry / "environ").read_bytes().split(b"\0")
                    # Fields after the name in parentheses: state, ppid, pgrp, session.
                    session = int((entry / "stat").read_text().rpartition(")")[2].split()[3])
                except (OSError, ValueError, IndexError):
                    continue
                if self.marker in environ or session == self.process.pid:
                    alive.append(int(entry.name))
        return alive

    def stop(self, sig: int = signal.SIGTERM, whole_group: bool = False,
             timeout_s: float = 20) -> int:
        """Send `sig` (to the whole group: what Ctrl+C does) and wait; the exit status."""
        if self.process.poll() is None:
            if whole_group:
                os.killpg(self.process.pid, sig)
            else:
                self.process.send_signal(sig)
        status = self.process.wait(timeout_s)
        wait_for(lambda: not self.group(), 10, "every process of the server to exit")
        return status

    def kill(self) -> None:
        """Last resort after a failed test: nothing may outlive it."""
        for pid in self.group():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(10)
