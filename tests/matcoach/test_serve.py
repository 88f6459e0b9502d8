"""`matcoach serve` as a newcomer and an operator start it: a production server on a real
port, that says when it cannot start, stops gracefully, and holds no more files after
thousands of requests than before."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from audio.status import STATUS_FILE

from ..served import launch_envelope
from .running import COMMAND, Server, environment, free_port, get, wait_for


@pytest.fixture
def home(tmp_path, tracks_dir) -> Path:
    """A data home whose tracks are the fixture's built routines."""
    data = tmp_path / "home"
    shutil.copytree(tracks_dir, data / "tracks")
    return data


@pytest.fixture
def serving(tmp_path, home, library_dir):
    """Start `matcoach serve ARGS` for the fixture library; never leaves a process behind."""
    started: list[Server] = []

    def start(*args: str, **settings: str) -> Server:
        env = environment(home, MATCOACH_ROUTINES=str(library_dir), **settings)
        server = Server(tmp_path, env, *args)
        started.append(server)
        return server.started()

    yield start
    for server in started:
        server.kill()


def post_launch(url: str) -> dict:
    connection = http.client.HTTPConnection(url.split("//")[1], timeout=5)
    connection.request("POST", "/alexa", json.dumps(launch_envelope()),
                       {"Content-Type": "application/json"})
    reply = connection.getresponse()
    body = json.loads(reply.read())
    connection.close()
    return body


def test_a_production_server_answers_pages_audio_and_alexa(serving, home):
    server = serving("--no-verify", "--no-build")
    status, headers, _ = get(server.url + "/")
    assert status == 200 and headers["Server"].startswith("gunicorn")
    status, headers, body = get(server.url + "/audio/calf-care.mp3")
    assert headers["Content-Type"] == "audio/mpeg"
    assert body == (home / "tracks" / "calf-care.mp3").read_bytes()
    assert "Welcome to Mat Coach" in \
        post_launch(server.url)["response"]["outputSpeech"]["ssml"]
    assert server.stop() == 0
    assert '"GET /audio/calf-care.mp3 HTTP/1.1" 200' in server.output(), "an access log"
    assert "request verification is OFF" in server.errors()


def test_a_busy_port_is_said_before_anything_is_built(tmp_path, home, library_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        shutil.rmtree(home / "tracks")
        result = subprocess.run(
            [str(COMMAND), "serve", "--port", str(port), "--no-verify"], timeout=30,
            env=environment(home, MATCOACH_ROUTINES=str(library_dir)),
            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"Error: Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"make run PORT={port + 1}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (home / "tracks").exists(), "nothing was built"


def test_without_a_skill_id_it_says_what_to_set(tmp_path, home, library_dir):
    result = subprocess.run([str(COMMAND), "serve", "--port", str(free_port())], timeout=30,
                            env=environment(home, MATCOACH_ROUTINES=str(library_dir)),
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Error: Set MATCOACH_SKILL_ID to your skill's id" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", ["ctrl-c", "term"])
def test_stopping_lets_a_download_in_flight_finish(serving, home, how):
    big = os.urandom(24 * 1024 * 1024)   # more than the socket buffers hold
    (home / "tracks" / "big.mp3").write_bytes(big)
    server = serving("--no-verify")
    # Stopped while the builder runs (it says so in its status once it is up; stopped as it
    # starts, it simply ends: test_a_stop_at_any_moment_of_the_start_is_never_lost).
    wait_for(lambda: (home / "tracks" / STATUS_FILE).exists(), 30, "the builder to start")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    connection.request("GET", "/audio/big.mp3")
    reply = connection.getresponse()
    first = reply.read(256 * 1024)
    stopping = threading.Thread(target=lambda: server.stop(
        signal.SIGINT if how == "ctrl-c" else signal.SIGTERM, whole_group=how == "ctrl-c"))
    stopping.start()
    wait_for(lambda: "Handling signal: term" in server.errors(), 10, "the master to stop")
    rest = reply.read()
    connection.close()
    stopping.join(30)
    assert first + rest == big, "the response in flight was finished"
    assert server.process.returncode == 0
    assert "Quick shutdown" not in server.errors()
    assert server.group() == [], "the master, its workers and the builder have all gone"
    status = json.loads((home / "tracks" / STATUS_FILE).read_text())
    assert status["stopped"] is True


def open_files(pids: list[int]) -> list[str]:
    """What the processes have open (targets of /proc/PID/fd)."""
    found = []
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                found.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
            except OSError:   # closed while we looked
                continue
    return found


def settled(pids: list[int]) -> list[str]:
    """Open files once the server has closed the connections its clients closed."""
    previous: list[str] = []

    def same_twice():
        nonlocal previous
        now = sorted(open_files(pids))
        stable, previous = now == previous, now
        return now if stable else None

    return wait_for(same_twice, 10, "the open files to settle", every_s=0.3)


def launches(url: str, count: int, connections: int = 4) -> None:
    """`count` LaunchRequests over keep-alive connections, each answered 200."""
    body = json.dumps(launch_envelope())
    host = url.split("//")[1]

    def client(n: int) -> None:
        connection = http.client.HTTPConnection(host, timeout=10)
        for _ in range(n):
            connection.request("POST", "/alexa", body, {"Content-Type": "application/json"})
            reply = connection.getresponse()
            reply.read()
            assert reply.status == 200
        connection.close()

    threads = [threading.Thread(target=client, args=(count // connections,))
               for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_no_file_descriptors_are_left_open_by_ten_thousand_requests(serving, home):
    server = serving("--no-verify", "--no-build", "--workers", "2", "--threads", "4")
    launches(server.url, 1_000)
    pids = server.group()
    before = settled(pids)
    launches(server.url, 10_000)
    after = settled(pids)
    # A leak of one file in a thousand requests would show as 10 more. The pools of database
    # connections (the places, and the plans store a launch reads the listener's plan and
    # progress from) may still grow until each worker thread has one (three files each:
    # the database, its WAL and shared memory), and no further.
    databases = (str(home / "matcoach.sqlite"), str(home / "plans.sqlite"))

    def of(database: str, files: list[str]) -> list[str]:
        return [f for f in files if f.startswith(database)]

    def others(files: list[str]) -> list[str]:
        return [f for f in files if not f.startswith(databases)]

    assert len(others(after)) <= len(others(before)), sorted(set(after) - set(before))
    for database in databases:
        assert len(of(database, after)) <= 2 * 4 * 3, f"a connection per thread at most: {database}"
    assert server.stop() == 0


def test_dev_serves_with_flasks_reloading_server(serving):
    server = serving("--no-verify", "--no-build", "--dev")
    _, headers, _ = get(server.url + "/")
    assert headers["Server"].startswith("Werkzeug")
    assert server.stop(signal.SIGINT, whole_group=True) == 0


def pids_of(server: Server, words: bytes) -> list[int]:
    found = []
    for pid in server.group():
        try:
            if words in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_a_builder_that_dies_is_started_again(serving, home):
    server = serving("--no-verify")
    [builder] = wait_for(lambda: pids_of(server, b"matcoach.build_process"), 10, "the builder")
    os.kill(builder, signal.SIGKILL)
    wait_for(lambda: [p for p in pids_of(server, b"matcoach.build_process") if p != builder],
             15, "a new builder")
    assert "the builder stopped (exit status -9); starting it again" in server.errors()
    assert server.stop() == 0


def test_when_matcoach_serve_is_killed_the_server_stops_too(serving):
    server = serving("--no-verify")
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(5)
    wait_for(lambda: server.group() == [], 15, "gunicorn and the builder to stop")
    assert get(server.url + "/") is None


def test_closing_the_terminal_stops_everything(serving):
    server = serving("--no-verify")
    assert server.stop(signal.SIGHUP, whole_group=True) == 0


def test_a_stop_at_any_moment_of_the_start_is_never_lost(tmp_path, home, library_dir):
    env = environment(home, MATCOACH_ROUTINES=str(library_dir))
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):
        server = Server(tmp_path, env, "--no-verify", "--no-build")
        try:
            time.sleep(delay)
            # Before it has set its handlers (nothing started yet) TERM simply ends it.
            assert server.stop(timeout_s=20) in (0, -signal.SIGTERM), server.errors()
            assert "Traceback" not in server.errors()
        finally:
            server.kill()


@pytest.mark.parametrize("code, asked, status", [
    (0, [], 0), (1, [], 1), (-signal.SIGTERM, [signal.SIGTERM], 0),
    (-signal.SIGINT, [signal.SIGINT], 0), (-signal.SIGKILL, [], 137),
    (-signal.SIGTERM, [], 143), (None, [], 1)])
def test_the_exit_status_says_how_the_master_ended(code, asked, status):
    from matcoach.serve import exit_status
    assert exit_status(code, asked) == status


@pytest.mark.parametrize("host, shown, hint", [
    ("127.0.0.1", ["http://localhost:5301/"], "http://127.0.0.1:5301"),
    ("::1", ["http://localhost:5301/"], "http://[::1]:5301"),
    ("192.168.1.5", ["http://192.168.1.5:5301/"], "http://192.168.1.5:5301"),
    ("fe80::1", ["http://[fe80::1]:5301/"], "http://[fe80::1]:5301")])
def test_the_addresses_printed_at_start_can_be_opened(host, shown, hint):
    from matcoach.serve import addresses, local_url
    assert addresses(host, 5301) == shown
    assert local_url(host, 5301) == hint


def test_the_access_log_keeps_private_tokens_to_itself(serving, home):
    """A plan's private token and a password link's token open things: the log that
    records their requests must not give them away."""
    server = serving("--no-verify", "--no-build")
    secret = "s3cr3t-t0ken-" + "x" * 30
    for path in (f"/p/{secret}", f"/p/{secret}/feed.xml",
                 f"/therapist/set-password/{secret}?again=1", f"/progress/{secret}"):
        assert get(server.url + path)[0] == 404
    connection = http.client.HTTPConnection(server.url.split("//")[1], timeout=5)
    connection.request("GET", "/static/style.css",   # as the link's page asks for its styles
                       headers={"Referer": f"{server.url}/therapist/set-password/{secret}"})
    assert connection.getresponse().status == 200
    connection.close()
    assert server.stop() == 0
    log = server.output()
    assert secret not in log
    assert '"GET /p/[private]/feed.xml HTTP/1.1" 404' in log
    assert '"GET /progress/[private] HTTP/1.1" 404' in log
    assert '"GET /therapist/set-password/[private]?again=1 HTTP/1.1" 404' in log
