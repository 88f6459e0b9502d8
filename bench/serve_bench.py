"""Serving speed of /alexa against a bare ask-sdk-core skill, in one run (issue 8 item 3).

Starts `matcoach serve --no-build --no-verify` and bench/bare_skill.py side by side under
the same gunicorn (gthread workers, the settings `matcoach serve` uses, the same --workers
and --threads), warms each up, then loads them in turns with wrk (Debian's /usr/bin/wrk),
so both see the same machine: wrk and the servers share its cores. Each case is run
`--runs` times; the table shows medians of requests per second, of wrk's 50% and 99%
latency lines (milliseconds) and of the servers' CPU time per request (microseconds,
summed from /proc over every process of the server's group), and how many runs one worker
served alone (gunicorn hands each keep-alive connection to whichever worker accepts it
first, and now and then one worker takes all 8: about a third of the rate, for either
server; the medians of 5 runs are meant to ride over one or two such runs).

Requests are unsigned: Mat Coach runs with --no-verify because wrk cannot sign Alexa
requests, so the signature and certificate checks are not measured. Mat Coach serves one
built routine (five-minute-reset, built into the temporary folder; the voice's phrases are
cached in CACHE_DIR so reruns build in about a second), or the tracks of `--tracks DIR`
(more tracks cost Mat Coach more: its shelf looks at the folder on each call). Each wrk
thread cycles through its share of the users, one user per connection on average (wrk's
Lua sees threads, not connections): 8 users at 8 connections, 1 at 1. StartRoutine saves
that user's place in SQLite. Everything else lives in a temporary folder, removed at the
end; every server runs in a process group of its own, stopped however the run ends.

    .venv/bin/python bench/serve_bench.py [--runs 5] [--duration 3] [--tracks DIR] [--grid]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from matcoach.serve import ServeOptions

ROOT = Path(__file__).resolve().parents[1]
WRK = "/usr/bin/wrk"
CACHE_DIR = Path(tempfile.gettempdir()) / "matcoach-bench-cache"   # phrases, kept for reruns
ROUTINE, TITLE = "five-minute-reset", "five minute reset"
DEFAULT_WORKERS, DEFAULT_THREADS = ServeOptions.workers, ServeOptions.threads
GRID = ((2, 4), (2, 2), (2, 8), (3, 4), (1, 8), (1, 4))
TARGET_RATIO, TARGET_P99_MS, TARGET_CONNECTIONS = 0.8, 25.0, 8
WARMUP_S = 2
ONE_WORKER_SHARE = 0.9   # a run where one process did this much of the CPU: one worker served
START_TIMEOUT_S, STOP_GRACE_S = 30, 15
USER = "@USER@"   # replaced by each user's id in the wrk script

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local template = [==[{body}]==]
local users, started = {users}, 0
function setup(thread)
  thread:set("first", started * users)
  started = started + 1
end
local requests, turn = {{}}, 0
function init(args)
  for i = 0, users - 1 do
    local body = template:gsub("{marker}", "bench.user." .. (first + i))
    requests[i] = wrk.format(nil, nil, nil, body)
  end
end
function request()
  turn = (turn + 1) % users
  return requests[turn]
end
"""


class BenchError(Exception):
    """A server did not start or answer as expected; the message says which and why."""


def envelope(request: dict) -> dict:
    """A request envelope from a device that can stream (as tests/served.py builds them)."""
    application, user = {"applicationId": "amzn1.ask.skill.bench"}, {"userId": USER}
    interfaces = {"AudioPlayer": {}}
    return {"version": "1.0",
            "session": {"new": True, "sessionId": "s1", "application": application,
                        "user": user, "attributes": {}},
            "context": {"System": {"application": application, "user": user,
                                   "device": {"deviceId": "d1",
                                              "supportedInterfaces": interfaces}}},
            "request": {"requestId": "r1", "timestamp": "2026-11-29T12:00:00Z",
                        "locale": "en-US", **request}}


CASES = {
    "Launch": envelope({"type": "LaunchRequest"}),
    "StartRoutine": envelope({"type": "IntentRequest", "intent": {
        "name": "StartRoutineIntent",
        "slots": {"routine": {"name": "routine", "value": TITLE}}}}),
}


@dataclass(frozen=True)
class Server:
    """A running server: its name, the /alexa address, its process group and workers."""

    name: str
    url: str
    pgid: int
    workers: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="wrk runs per case (median)")
    parser.add_argument("--duration", type=int, default=3,
                        help="seconds per wrk run at 8 connections")
    parser.add_argument("--single-duration", type=int, default=1,
                        help="seconds per wrk run at 1 connection (0: skip those)")
    parser.add_argument("--tracks", type=Path,
                        help=f"serve this folder of built tracks (it must hold {ROUTINE}) "
                             "instead of building that one routine")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="gunicorn workers of both servers (matcoach serve's default)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help="threads per worker of both servers (matcoach serve's default)")
    parser.add_argument("--grid", action="store_true",
                        help="also try the workers x threads settings of GRID (~6 minutes)")
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, _exit_on_term)   # so the finally blocks stop the servers
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as temporary:
        root = Path(temporary)
        env = server_env(root, options.tracks or root / "tracks")
        if options.tracks is None:
            build_tracks(env, root / "tracks")
        plan = [(TARGET_CONNECTIONS, options.duration)]
        if options.single_duration > 0:
            plan.append((1, options.single_duration))
        rows = measure(root, env, options.workers, options.threads, plan, options.runs)
        served = len(list(Path(env["MATCOACH_AUDIO_DIR"]).glob("*.json")))
        _print_table(rows, options, served)
        if options.grid:
            _print_grid(grid(root, env, options.duration, options.runs), options)


def server_env(root: Path, tracks: Path) -> dict[str, str]:
    """The environment both servers run in: Mat Coach's data under `root`, its tracks in
    `tracks`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MATCOACH_")}
    env.update(MATCOACH_HOME=str(root / "home"), MATCOACH_AUDIO_DIR=str(tracks.resolve()),
               MATCOACH_CACHE=str(CACHE_DIR), PYTHONDONTWRITEBYTECODE="1")
    return env


def build_tracks(env: dict[str, str], tracks: Path) -> None:
    """Build the one routine served (about a second with a warm phrase cache, 10 s cold)."""
    done = subprocess.run([_matcoach(), "build", ROUTINE, "--out", str(tracks)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"matcoach build {ROUTINE} failed ({done.returncode}):\n{done.stderr}")


def measure(root: Path, env: dict[str, str], workers: int, threads: int,
            plan: list[tuple[int, int]], runs: int) -> dict[tuple[str, int], dict]:
    """Medians by (case label, connections) for both servers, cases taken in turns."""
    with both_servers(root, env, workers, threads) as servers:
        results: dict[tuple[str, int], list[dict]] = {}
        for _ in range(runs):
            for connections, duration in plan:
                for case in CASES:
                    for server in servers:
                        results.setdefault((f"{server.name} {case}", connections), []).append(
                            wrk(server, case, connections, duration))
    return {key: _median(values) for key, values in results.items()}


def grid(root: Path, env: dict[str, str], duration: int,
         runs: int) -> dict[tuple[int, int], dict[str, dict]]:
    """For each workers x threads setting: both Launches and Mat Coach's StartRoutine at 8
    connections (medians of `runs`)."""
    found = {}
    for workers, threads in GRID:
        with both_servers(root, env, workers, threads) as (bare, product):
            results: dict[str, list[dict]] = {}
            for _ in range(runs):
                for label, server, case in (("bare Launch", bare, "Launch"),
                                            ("Launch", product, "Launch"),
                                            ("StartRoutine", product, "StartRoutine")):
                    results.setdefault(label, []).append(
                        wrk(server, case, TARGET_CONNECTIONS, duration))
        found[workers, threads] = {label: _median(v) for label, v in results.items()}
    return found


@contextlib.contextmanager
def both_servers(root: Path, env: dict[str, str], workers: int,
                 threads: int) -> Iterator[tuple[Server, Server]]:
    """The bare skill and Mat Coach, started, checked and warmed up; stopped on the way out."""
    counts = ["--workers", str(workers), "--threads", str(threads)]
    bare_port, product_port = _free_port(), _free_port()
    with contextlib.ExitStack() as stack:
        bare = stack.enter_context(running(
            "bare", [sys.executable, str(ROOT / "bench" / "bare_skill.py"),
                     "--port", str(bare_port), *counts], env, root / "bare.log", bare_port,
            workers))
        product = stack.enter_context(running(
            "Mat Coach", [_matcoach(), "serve", "--port", str(product_port), "--no-build",
                          "--no-verify", *counts], env, root / "matcoach.log", product_port,
            workers))
        for server in (bare, product):
            for case in CASES:
                check_answer(server, case)
                wrk(server, case, TARGET_CONNECTIONS, WARMUP_S)
        yield bare, product


@contextlib.contextmanager
def running(name: str, command: list[str], env: dict[str, str], log: Path, port: int,
            workers: int) -> Iterator[Server]:
    """`command` in a new process group (its output in `log`), once /alexa answers 200; the
    whole group is stopped on the way out (TERM, then KILL after STOP_GRACE_S)."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        server = Server(name, f"http://127.0.0.1:{port}/alexa", process.pid, workers)
        _wait_until_up(server, process, log)
        yield server
    finally:
        _stop_group(process)


def check_answer(server: Server, case: str) -> None:
    """BenchError unless the answer is the one the case is about (a welcome with a reprompt;
    speech and a Play directive), so a fast apology is never measured."""
    answer = json.loads(_post(server.url, _body(case, "bench.check")))["response"]
    directives = [d["type"] for d in answer.get("directives", [])]
    expected = "reprompt" in answer if case == "Launch" else "AudioPlayer.Play" in directives
    if "outputSpeech" not in answer or not expected:
        raise BenchError(f"{server.name} answered {case} with {answer}")


def wrk(server: Server, case: str, connections: int, duration_s: int) -> dict:
    """One wrk run: rps, p50_ms and p99_ms as wrk reports them, the server's CPU per request
    in microseconds and one_worker (1 if one process did ONE_WORKER_SHARE of the CPU while
    there were more workers, else 0). BenchError on any non-2xx answer or socket error."""
    threads = min(2, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(LUA.format(body=_body(case, USER), users=connections // threads,
                                marker=USER))
        script.flush()
        before = group_cpu_s(server.pgid)
        done = subprocess.run([WRK, f"-t{threads}", f"-c{connections}", f"-d{duration_s}s",
                               "--latency", "-s", script.name, server.url],
                              capture_output=True, text=True, timeout=duration_s + 30)
        after = group_cpu_s(server.pgid)
    if done.returncode != 0 or re.search(r"Non-2xx|Socket errors", done.stdout):
        raise BenchError(f"wrk against {server.name} {case}:\n{done.stdout}{done.stderr}")
    used = [seconds - before.get(pid, 0.0) for pid, seconds in after.items()]
    alone = min(server.workers, connections) > 1 and max(used) >= ONE_WORKER_SHARE * sum(used)
    return parse_wrk(done.stdout) | {"cpu_us": 1e6 * sum(used) / _requests(done.stdout),
                                     "one_worker": int(alone)}


def parse_wrk(output: str) -> dict:
    """Requests/sec and the 50% and 99% latency lines of `wrk --latency`, in milliseconds."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for percent in ("50", "99"):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output,
                                re.MULTILINE).groups()
        latency[f"p{percent}_ms"] = float(value) * {"us": 1e-3, "ms": 1, "s": 1e3,
                                                   "m": 6e4}[unit]
    return {"rps": rps, **latency}


def group_cpu_s(pgid: int) -> dict[int, float]:
    """User and system CPU seconds of each live process in group `pgid`, by pid (from
    /proc/PID/stat, all threads included)."""
    found, tick_s = {}, 1 / os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:   # gone since the listing
            continue
        if int(fields[2]) == pgid:   # fields from the state on: pgrp, ..., utime, stime
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) * tick_s
    return found


def _requests(output: str) -> int:
    return int(re.search(r"(\d+) requests in", output).group(1))


def _body(case: str, user: str) -> str:
    return json.dumps(CASES[case]).replace(USER, user)


def _post(url: str, body: str) -> bytes:
    request = urllib.request.Request(url, data=body.encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return reply.read()


def _wait_until_up(server: Server, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{server.name} exited ({process.returncode}):\n"
                             f"{log.read_text(errors='replace')[-2000:]}")
        try:
            _post(server.url, _body("Launch", "bench.check"))
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise BenchError(f"{server.name} did not answer within {START_TIMEOUT_S} s:\n"
                     f"{log.read_text(errors='replace')[-2000:]}")


def _stop_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(STOP_GRACE_S)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)   # whatever is left of the group
    process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _matcoach() -> str:
    return str(Path(sys.executable).with_name("matcoach"))


def _exit_on_term(signum: int, frame: object) -> None:
    sys.exit(128 + signum)


def _median(results: list[dict]) -> dict:
    """Medians of each measure, and how many runs one worker served alone."""
    found = {key: statistics.median([r[key] for r in results]) for key in results[0]}
    return found | {"one_worker": sum(r["one_worker"] for r in results), "runs": len(results)}


def _print_table(rows: dict[tuple[str, int], dict], options: argparse.Namespace,
                 tracks: int) -> None:
    print(f"gunicorn gthread, {options.workers} workers x {options.threads} threads; "
          f"wrk and the servers share {os.cpu_count()} cores; medians of {options.runs} runs "
          f"({options.duration} s at {TARGET_CONNECTIONS} connections, "
          f"{options.single_duration} s at 1); Mat Coach serves {tracks} track(s). "
          "Unsigned requests: Mat Coach runs --no-verify.")
    print()
    print("| case | connections | rps | p50 ms | p99 ms | server CPU µs/request "
          "| runs one worker served |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    order = [(f"{name} {case}", connections) for connections in (TARGET_CONNECTIONS, 1)
             for name in ("bare", "Mat Coach") for case in CASES]
    for label, connections in (key for key in order if key in rows):
        row = rows[label, connections]
        alone = f"{row['one_worker']} of {row['runs']}" if connections > 1 else "-"
        print(f"| {label} | {connections} | {row['rps']:.0f} | {row['p50_ms']:.2f} | "
              f"{row['p99_ms']:.2f} | {row['cpu_us']:.0f} | {alone} |")
    print()
    launch = rows["Mat Coach Launch", TARGET_CONNECTIONS]
    ratio = launch["rps"] / rows["bare Launch", TARGET_CONNECTIONS]["rps"]
    print(f"- Mat Coach Launch / bare Launch at {TARGET_CONNECTIONS} connections: {ratio:.2f} "
          f"(target >= {TARGET_RATIO}: {_verdict(ratio >= TARGET_RATIO)})")
    print(f"- Mat Coach Launch p99 at {TARGET_CONNECTIONS} connections: "
          f"{launch['p99_ms']:.1f} ms (target <= {TARGET_P99_MS:.0f} ms: "
          f"{_verdict(launch['p99_ms'] <= TARGET_P99_MS)})")


def _print_grid(found: dict[tuple[int, int], dict[str, dict]],
                options: argparse.Namespace) -> None:
    print()
    print(f"Workers x threads, {TARGET_CONNECTIONS} connections, medians of {options.runs} "
          f"runs of {options.duration} s:")
    print()
    print("| workers x threads | Launch rps | Launch p50 ms | Launch p99 ms | bare Launch rps "
          "| ratio | StartRoutine rps | StartRoutine p99 ms | runs one worker served |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (workers, threads), row in found.items():
        launch, bare, start = row["Launch"], row["bare Launch"], row["StartRoutine"]
        alone = sum(r["one_worker"] for r in row.values())
        print(f"| {workers} x {threads} | {launch['rps']:.0f} | {launch['p50_ms']:.2f} | "
              f"{launch['p99_ms']:.2f} | {bare['rps']:.0f} | "
              f"{launch['rps'] / bare['rps']:.2f} | {start['rps']:.0f} | "
              f"{start['p99_ms']:.2f} | {alone} of {3 * options.runs} |")


def _verdict(holds: bool) -> str:
    return "holds" if holds else "MISSED"


if __name__ == "__main__":
    main()
