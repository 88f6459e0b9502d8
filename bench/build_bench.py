"""Build speed and memory, measured in one run (see README "Speed and memory").

Builds a 30-minute and a 60-minute routine cold (empty cache) and warm (phrases and
islands cached), times the voice alone on the 30-minute routine's unique phrases, and
builds the same 30-minute timeline the naive way (pydub: overlay every clip onto one
silent AudioSegment, export with ffmpeg). Every measurement runs in a fresh process.

    .venv/bin/python bench/build_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

import routines

THIRTY = "full-body-thirty"
SIXTY = "full-body-sixty"

# Each measurement: a child process that prints {"seconds": ..., "rss_mb": ..., ...}.
CHILD = r'''
import json, resource, sys, time
from pathlib import Path
mode, library, routine_id, cache, out = sys.argv[1:6]
from builder.library import load_library
from audio.encoder import Encoder, default_ffmpeg
routine = load_library(Path(library)).get(routine_id)
encoder = Encoder(default_ffmpeg())
result = {}
start = time.perf_counter()
if mode == "build":
    from audio.maker import TrackMaker
    from audio.piper_engine import PiperEngine
    track = TrackMaker(PiperEngine.from_path(None), encoder, Path(cache), Path(out)).make(routine)
    result["duration_ms"] = track.duration_ms
elif mode == "voice":
    from audio.piper_engine import PiperEngine
    from builder.estimate import estimated_measure
    from builder.schedule import sounds_of
    voice = PiperEngine.from_path(None)
    from builder.timeline import Speech
    texts = {s.text for s in sounds_of(routine, estimated_measure(1.0)) if isinstance(s, Speech)}
    for text in sorted(texts):
        voice.speak(text, routine.voice_pace)
    result["phrases"] = len(texts)
elif mode == "naive":
    from pydub import AudioSegment
    from audio.maker import TrackMaker
    from audio.piper_engine import PiperEngine
    from audio.sounds import SoundBank
    from builder.schedule import schedule
    bank = SoundBank(PiperEngine.from_path(None), Path(cache), routine.voice_pace)
    timeline = schedule(routine, bank.duration_ms)
    start = time.perf_counter()   # time the mixing and encoding only
    AudioSegment.converter = encoder.ffmpeg
    track = AudioSegment.silent(duration=timeline.duration_ms, frame_rate=48000)
    for event in timeline.events:
        clip = AudioSegment(bank.pcm(event.sound).tobytes(), frame_rate=48000,
                            sample_width=2, channels=1)
        track = track.overlay(clip, position=event.at_ms)
    track.export(str(Path(out) / "naive.mp3"), format="mp3", bitrate="64k")
result["seconds"] = time.perf_counter() - start
result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
'''


def measure(mode: str, library: Path, routine_id: str, cache: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(library), routine_id,
                           str(cache), str(out)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_library(folder: Path) -> Path:
    """The built-in 30-minute routine, and a 60-minute one that does it twice."""
    folder.mkdir()
    source = routines.LIBRARY_DIR / f"{THIRTY}.yaml"
    (folder / f"{THIRTY}.yaml").write_text(source.read_text())
    data = yaml.safe_load(source.read_text())
    # Copies, not the same step twice: the dump would write a YAML alias, which routine files
    # may not hold.
    twice = [json.loads(json.dumps(step)) for step in data["steps"] * 2]
    data.update(id=SIXTY, title="Full body sixty", steps=twice)
    (folder / f"{SIXTY}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def worst_onset_error_ms(out: Path, routine_id: str) -> float:
    """The largest distance between a tone cue's at_ms and its onset in the decoded MP3."""
    import numpy as np

    from audio.encoder import Encoder, default_ffmpeg
    sheet = json.loads((out / f"{routine_id}.json").read_text())
    samples = Encoder(default_ffmpeg()).decode(out / f"{routine_id}.mp3")
    worst = 0.0
    for cue in sheet["cues"]:
        if cue["text"] is None:
            at = cue["at_ms"] * 48
            window = np.abs(samples[at - 960:at + 960])
            onset = int(np.argmax(window > 0.1 * window.max())) - 960
            worst = max(worst, abs(onset) / 48)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs to take the median of")
    parser.add_argument("--cold-runs", type=int, default=5,
                        help="cold runs (and voice-alone runs) to take the median of")
    options = parser.parse_args()
    runs, cold_runs = options.runs, options.cold_runs
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        library = make_library(root / "library")
        rows = {}
        # The voice alone and the cold build take turns, so both see the same machine.
        voice, cold = [], []
        for run in range(cold_runs):
            voice.append(measure("voice", library, THIRTY, root / "unused", root / "unused"))
            cold.append(measure("build", library, THIRTY, root / f"cold-{run}", root / "cold"))
        rows[f"voice alone, 30 min (median of {cold_runs})"] = _median(voice)
        rows[f"cold build, 30 min (median of {cold_runs})"] = _median(cold)
        cache, out = root / f"cold-{cold_runs - 1}", root / f"out-{THIRTY}"
        rows[f"warm build, 30 min (median of {runs})"] = _median(
            [measure("build", library, THIRTY, cache, out) for _ in range(runs)])
        cache, out = root / f"cache-{SIXTY}", root / f"out-{SIXTY}"
        rows["cold build, 60 min"] = measure("build", library, SIXTY, cache, out)
        rows[f"warm build, 60 min (median of {runs})"] = _median(
            [measure("build", library, SIXTY, cache, out) for _ in range(runs)])
        rows["naive pydub build, 30 min"] = measure(
            "naive", library, THIRTY, root / f"cold-{cold_runs - 1}", root / "naive")
        onset = worst_onset_error_ms(root / f"out-{THIRTY}", THIRTY)
        _print(rows, onset, runs, cold_runs)


def _median(results: list[dict]) -> dict:
    return {key: statistics.median([r[key] for r in results]) for key in results[0]}


def _print(rows: dict[str, dict], onset_ms: float, runs: int, cold_runs: int) -> None:
    print(f"{'measurement':<40} {'wall s':>8} {'x realtime':>11} {'peak RSS MB':>12}")
    track_ms = rows[f"cold build, 30 min (median of {cold_runs})"]["duration_ms"]
    for label, row in rows.items():
        length_s = row.get("duration_ms", track_ms) / 1000
        print(f"{label:<40} {row['seconds']:>8.2f} {length_s / row['seconds']:>11.0f} "
              f"{row['rss_mb']:>12.0f}")
    warm30 = rows[f"warm build, 30 min (median of {runs})"]
    warm60 = rows[f"warm build, 60 min (median of {runs})"]
    cold30 = rows[f"cold build, 30 min (median of {cold_runs})"]
    cold60 = rows["cold build, 60 min"]
    voice = rows[f"voice alone, 30 min (median of {cold_runs})"]
    naive = rows["naive pydub build, 30 min"]
    print()
    print(f"phrases spoken for the 30-minute routine: {voice['phrases']:.0f}")
    print(f"warm 30 min: {naive['seconds'] / warm30['seconds']:.0f} times faster than naive")
    print(f"cold 30 min: {cold30['seconds'] / voice['seconds']:.2f} times the voice alone")
    print(f"peak RSS 60 min / 30 min: warm {warm60['rss_mb'] / warm30['rss_mb']:.2f}, "
          f"cold {cold60['rss_mb'] / cold30['rss_mb']:.2f}")
    print(f"worst tone onset error (30 min, decoded): {onset_ms:.2f} ms")


if __name__ == "__main__":
    main()
