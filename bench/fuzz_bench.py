"""Hostile input, measured (issue 10): routine-file mutations and request envelopes.

Routine files: `--files` mutations of the library's routines (tests/fuzzing.py, random),
then the fixed worst cases (an alias bomb, 100,000 nested '[' in 200 KB, files near the
128 KB limit, a 50 MB file, NUL, invalid UTF-8), each written to a file and read as
`matcoach validate` reads it (read_source, then the routine checks), timed one by one.
Counted: tracebacks, runs over one second, routines accepted with something wrong
(tests/fuzzing.wrong_in), accepted and refused.

Envelopes: `--envelopes` mutations of real requests of every kind, each signed with a
certificate made here and POSTed to /alexa of the real app serving three routines built
with the real voice and encoder (into a temporary folder). Counted: status codes,
5xx, tracebacks logged (a refusal is one log line without one).

    .venv/bin/python bench/fuzz_bench.py [--files 500] [--envelopes 5000] [--seed 0]
                                         [--pure-python]
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import statistics
import sys
import tempfile
import textwrap
import time
import traceback
from pathlib import Path

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import routines as builtin  # noqa: E402
from builder.library import check_files, load_context  # noqa: E402
from tests import fuzzing  # noqa: E402

WORST = {
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(8)),
    "100,000 nested [ in 200 KB": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "60,000 nested [ in 120 KB": "a: " + "[" * 60_000 + "]" * 60_000 + "\n",
    "2,700 steps in 128 KB": "title: Big\nsteps:\n"
    + "  - {title: Roll, say: Roll slowly., work: 10s}\n" * 2700,
    "500 long steps in 128 KB": "title: Big\nsteps:\n" + (
        "  - {title: Roll, work: 10s, say: " + "Roll slowly and breathe. " * 9 + "}\n") * 500,
    "NUL": "title: a\x00b\n",
    # Valid, and took 12-14 s to validate while the address pattern was quadratic in runs
    # such as a-a-a-... (issue 10): 86 instructions of 1,480 characters in 128 KB.
    "86 instructions of a-a-a in 128 KB": "title: Big\nsteps:\n" + "".join(
        f"  - {{title: Roll, work: 10s, say: 'w{i:03d} {'a-' * 737}a'}}\n" for i in range(86)),
}


def _settings(examples: int) -> settings:
    """`examples` random examples (the seed is set with hypothesis.seed), no deadline."""
    return settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                    suppress_health_check=list(HealthCheck))


def bench_files(count: int, seed: int, folder: Path) -> dict:
    """Time and judge each mutated file, then the worst cases."""
    context = load_context(None)
    found = collections.Counter()
    times: list[float] = []

    def judge(name: str, text: str | bytes) -> None:
        path = folder / f"{name}.yaml"
        path.write_bytes(text if isinstance(text, bytes) else
                         text.encode("utf-8", "surrogatepass"))
        started = time.perf_counter()
        try:
            routines, problems = check_files([path], context)
            wrong = [w for r in routines.values() for w in fuzzing.wrong_in(r)]
            [str(p).encode("utf-8") for p in problems]
        except Exception:   # noqa: BLE001 - counted, and shown
            found["tracebacks"] += 1
            traceback.print_exc()
            return
        finally:
            times.append(time.perf_counter() - started)
        found["accepted" if routines else "refused"] += 1
        found["accepted but wrong"] += bool(wrong)
        found["over 1 s"] += times[-1] > 1

    @_settings(count)
    @hypothesis.seed(seed)
    @given(fuzzing.routine_texts(fuzzing.routine_bases(builtin.LIBRARY_DIR)))
    def run(text: str) -> None:
        judge("mutation", text)

    run()
    for name, text in WORST.items():
        judge(name.replace(" ", "-"), text)
    judge("latin-1", "title: Caf\xe9\n".encode("latin-1"))
    big = folder / "fifty-mb.yaml"
    with open(big, "wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    check_files([big], context)
    times.append(time.perf_counter() - started)
    found["refused"] += 1
    return {"counts": found, "files": len(times), "median_ms": statistics.median(times) * 1000,
            "max_ms": max(times) * 1000}


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += bool(record.exc_info)


def bench_envelopes(count: int, seed: int, folder: Path) -> dict:
    """POST each mutated, signed envelope to the real app; count what came back."""
    from audio.encoder import Encoder, default_ffmpeg
    from audio.maker import TrackMaker
    from audio.piper_engine import PiperEngine
    from builder.library import load_library
    from matcoach.app import create_app, shelf_of
    from tests.pki import CHAIN_URL, Authority
    from tests.served import BASE_URL, ROUTINES, SKILL_ID, Fetcher

    library, tracks = folder / "library", folder / "tracks"
    library.mkdir()
    for routine_id, text in ROUTINES.items():
        (library / f"{routine_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    maker = TrackMaker(PiperEngine.from_path(None), Encoder(default_ffmpeg()),
                       folder / "cache", tracks)
    for routine in load_library(library).routines.values():
        maker.make(routine)
    authority = Authority("Bench Amazon")
    signer = authority.signer()
    app = create_app({"SKILL_ID": SKILL_ID, "BASE_URL": BASE_URL, "AUDIO_DIR": str(tracks),
                      "DATABASE": str(folder / "db.sqlite"), "LIBRARY_DIR": str(library),
                      "VERIFY_REQUESTS": True, "TRUST_ROOTS": [authority.root],
                      "CERT_FETCH": Fetcher({CHAIN_URL: signer.pem()})})
    client = app.test_client()
    tokens = [f"{t.token}:fuzz" for t in shelf_of(app).tracks().values()]
    bases = fuzzing.envelope_bases(SKILL_ID, tokens)
    statuses = collections.Counter()
    reasons = collections.Counter()
    tracebacks = _Tracebacks()
    logging.getLogger().addHandler(tracebacks)
    logging.getLogger().setLevel(logging.WARNING)

    @_settings(count)
    @hypothesis.seed(seed)
    @given(st.data())
    def run(data) -> None:
        body = json.dumps(data.draw(fuzzing.envelopes(bases))).encode()
        reply = client.post("/alexa", data=body, content_type="application/json",
                            headers=signer.headers(body))
        statuses[reply.status_code] += 1
        if reply.status_code == 400:
            error = reply.get_json()["error"].removeprefix("Request rejected: ")
            reasons[error.split(" is ")[0].split(" (")[0].rstrip(".")] += 1

    started = time.perf_counter()
    run()
    return {"statuses": statuses, "reasons": reasons, "tracebacks": tracebacks.count,
            "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--envelopes", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reasons", type=int, default=8, help="most common 400s to show")
    parser.add_argument("--pure-python", action="store_true",
                        help="read YAML with PyYAML's pure-Python parser (the fallback)")
    args = parser.parse_args()
    if args.pure_python:
        import yaml

        import builder.yamlsource
        builder.yamlsource._Parser = yaml.SafeLoader
    with tempfile.TemporaryDirectory() as tmp:
        files = bench_files(args.files, args.seed, Path(tmp))
        counts = files["counts"]
        print(f"routine files: {files['files']} read ({counts['accepted']} accepted, "
              f"{counts['refused']} refused); tracebacks {counts['tracebacks']}, "
              f"over 1 s {counts['over 1 s']}, accepted but wrong "
              f"{counts['accepted but wrong']}; median {files['median_ms']:.1f} ms, "
              f"slowest {files['max_ms']:.0f} ms")
        sent = bench_envelopes(args.envelopes, args.seed, Path(tmp))
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(sent["statuses"].items()))
        fives = sum(n for code, n in sent["statuses"].items() if code >= 500)
        print(f"envelopes: {sum(sent['statuses'].values())} sent ({statuses}); 5xx {fives}, "
              f"tracebacks {sent['tracebacks']}; {sent['seconds']:.0f} s")
        for reason, n in sent["reasons"].most_common(args.reasons):
            print(f"  400 {n:5d}  {reason}")


if __name__ == "__main__":
    main()
