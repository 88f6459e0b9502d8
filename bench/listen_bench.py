"""What a listener hears, measured on built tracks (see README "How it sounds").

For every track in a folder (`<id>.mp3`, its cue sheet `<id>.json` and transcript
`<id>.vtt`), decoded with the same ffmpeg the build uses:

- speaking rate: words a minute of each instruction of 8+ words (one WebVTT cue is one
  phrase; its times are where it is heard), pauses inside the phrase included;
- cue loudness: each tone heard in the track, K-weighted (BS.1770, a short tone measured as
  if it went on), in LU against the median loudness of the speech phrases of that track;
- time to move: quiet from the end of the words before a work period (the instruction, or
  the switch words) to its start tone;
- the track: integrated loudness (pyloudnorm) and true peak (4x oversampled).

    .venv/bin/python bench/listen_bench.py [TRACKS_DIR]     (default: the data home's tracks)
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from audio import pcm
from audio.encoder import RATE, Encoder, default_ffmpeg
from audio.tones import render_tone
from builder import home

MIN_WORDS = 8
TIME = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})")


def phrases(vtt: Path) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) of each transcript cue (one cue is one spoken phrase)."""
    found = []
    for block in vtt.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            match = TIME.match(line)
            if match:
                h1, m1, s1, f1, h2, m2, s2, f2 = map(int, match.groups())
                start = ((h1 * 60 + m1) * 60 + s1) * 1000 + f1
                end = ((h2 * 60 + m2) * 60 + s2) * 1000 + f2
                found.append((start, end, html.unescape(" ".join(lines[i + 1:]))))
    return found


def instruction_rates(tracks: Path) -> list[float]:
    """Words a minute of every instruction of MIN_WORDS+ words in the folder's transcripts
    (issue 9's measure), pauses inside the phrase included."""
    rates = []
    for sheet_path in sorted(tracks.glob("*.json")):
        vtt = sheet_path.with_suffix(".vtt")
        if not vtt.is_file():
            continue
        spoken = [c for c in json.loads(sheet_path.read_text())["cues"] if c["text"]]
        for cue, (start, end, text) in zip(spoken, phrases(vtt), strict=True):
            count = len(text.split())
            if cue["kind"] == "instruction" and count >= MIN_WORDS:
                rates.append(count / ((end - start) / 60_000))
    return rates


def segment(samples: np.ndarray, start_ms: int, length: int) -> np.ndarray:
    at = start_ms * RATE // 1000
    return samples[at:at + length].astype(np.float64)


def measure(track: Path, encoder: Encoder) -> dict:
    """Every figure for one track."""
    sheet = json.loads(track.with_suffix(".json").read_text(encoding="utf-8"))
    said = phrases(track.with_suffix(".vtt"))
    samples = encoder.decode(track)
    speech = [pcm.loudness(segment(samples, s, (e - s) * RATE // 1000)) for s, e, _ in said]
    voice = statistics.median(speech)
    tones = defaultdict(list)
    for cue in sheet["cues"]:
        if cue["text"] is None:
            name = cue["kind"] if cue["kind"] != "breathe" else "breathe-in"
            length = len(render_tone(name))
            tones[cue["kind"]].append(pcm.loudness(segment(samples, cue["at_ms"], length)) - voice)
    ends = sorted(e for _, e, _ in said)
    quiet = {"lead-in": [], "switch": []}
    kinds = {c["at_ms"]: c["kind"] for c in sheet["cues"] if c["text"]}
    for cue in sheet["cues"]:
        if cue["kind"] == "start":
            before = [e for e in ends if e <= cue["at_ms"]]
            last = max((s for s, _, _ in said if s < cue["at_ms"]), default=None)
            if before and last is not None:
                kind = "switch" if kinds.get(last) == "switch" else "lead-in"
                quiet[kind].append(cue["at_ms"] - before[-1])
    meter = pyloudnorm.Meter(RATE)
    return {"tones": tones, "quiet": quiet,
            "lufs": meter.integrated_loudness(samples.astype(np.float64)),
            "true_peak": 20 * np.log10(np.abs(resample_poly(samples, 4, 1)).max())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tracks", nargs="?", type=Path, default=home.tracks_dir())
    folder = parser.parse_args().tracks
    tracks = sorted(folder.glob("*.mp3"))
    if not tracks:
        print(f"No tracks in {folder}; build some first (matcoach build --all).", file=sys.stderr)
        return 1
    encoder = Encoder(default_ffmpeg())
    tones, quiet, lufs, peaks = defaultdict(list), defaultdict(list), [], []
    for track in tracks:
        figures = measure(track, encoder)
        for kind, values in figures["tones"].items():
            tones[kind] += values
        for kind, values in figures["quiet"].items():
            quiet[kind] += values
        lufs.append(figures["lufs"])
        peaks.append(figures["true_peak"])
        print(f"{track.stem:28} {figures['lufs']:6.1f} LUFS  true peak "
              f"{figures['true_peak']:5.1f} dBTP", file=sys.stderr)
    wpm = sorted(instruction_rates(folder))
    print(f"\n{len(tracks)} tracks in {folder}")
    print(f"speaking rate, {len(wpm)} instructions of {MIN_WORDS}+ words: median "
          f"{statistics.median(wpm):.0f}, p90 {wpm[int(0.9 * (len(wpm) - 1))]:.0f}, "
          f"max {wpm[-1]:.0f} words a minute")
    print("tones against the median speech loudness (LU): " + ", ".join(
        f"{kind} {statistics.median(v):+.1f} (min {min(v):+.1f})"
        for kind, v in sorted(tones.items())))
    for kind, values in quiet.items():
        if values:
            print(f"quiet before the start tone after the {kind} words: min "
                  f"{min(values) / 1000:.1f} s, median {statistics.median(values) / 1000:.1f} s")
    print(f"integrated loudness {min(lufs):.1f} to {max(lufs):.1f} LUFS; "
          f"true peak at most {max(peaks):.1f} dBTP")
    return 0


if __name__ == "__main__":
    sys.exit(main())
