"""The voice, measured in one run (see README "Speed and memory", "The voice, measured").

- pace: how much longer or shorter phrases get at pace 0.8, 0.9, 1.0 and 1.25;
- rate: words a minute of the instructions (8+ words) in a built library's transcripts;
- determinism: the same phrase from two freshly loaded voices, compared sample by sample;
- intelligibility: pocketsphinx's word error rate on a fixed set of the library's phrases,
  spoken as the voice was before (its own noise, length_scale 1.0, no pauses) and now.

    .venv/bin/python bench/voice_bench.py [--tracks instance/tracks]
    .venv/bin/python bench/voice_bench.py --calibrate   # measures audio/pace.py's table
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

import numpy as np
from listen_bench import MIN_WORDS, instruction_rates  # bench/, beside this script
from listener import Listener, errors, words

from audio import pcm
from audio.pace import length_scale
from audio.piper_engine import PiperEngine
from audio.runtime import processor, versions

PACES = (0.8, 0.9, 1.0, 1.25)
PHRASES = 30
RANDOM_RUNS = 3     # the voice with noise is heard this many times, its rate differs each run
CALIBRATION_GRID = tuple(round(0.4 + 0.1 * i, 2) for i in range(35))   # length_scale 0.4-3.8


def library_phrases(count: int = PHRASES) -> list[str]:
    """`count` of the library's distinct phrases of MIN_WORDS words or more, of every kind,
    spread evenly through them in alphabetical order (the same set every run)."""
    from builder.estimate import estimated_measure
    from builder.library import load_library
    from builder.schedule import plan
    found = set()
    for routine in load_library().routines.values():
        timeline, _ = plan(routine, estimated_measure(routine.voice_pace))
        found |= {e.text for e in timeline.events if e.text and len(words(e.text)) >= MIN_WORDS}
    ordered = sorted(found)
    return [ordered[i * len(ordered) // count] for i in range(min(count, len(ordered)))]


def speak_before(voice, text: str) -> tuple[np.ndarray, int]:
    """What the voice said before: the model's own noise, length_scale 1.0, its chunks
    joined as they came (no pauses added), trimmed as a phrase."""
    chunks = list(voice.synthesize(text))
    rate = chunks[0].sample_rate
    return pcm.trim(np.concatenate([c.audio_float_array for c in chunks]), rate), rate


def pace_ratios(engine: PiperEngine, phrases: list[str]) -> dict[float, tuple[float, ...]]:
    """pace -> (length of all phrases together relative to pace 1.0, the shortest and the
    longest single phrase's ratio)."""
    lengths = {pace: np.array([len(engine.speak(text, pace)[0]) for text in phrases])
               for pace in PACES}
    ratios = {}
    for pace, these in lengths.items():
        each = these / lengths[1.0]
        ratios[pace] = (these.sum() / lengths[1.0].sum(), each.min(), each.max())
    return ratios


def articulation_rates(engine: PiperEngine, phrases: list[str]) -> list[float]:
    """Words a minute of each phrase at pace 1.0 counting only the speech: each sentence
    trimmed of its quiet, the pauses between them left out."""
    rates = []
    for text in phrases:
        sentences, rate = engine.sentences(text, length_scale(1.0))
        speech_s = sum(len(pcm.trim(sentence, rate)) for sentence in sentences) / rate
        rates.append(len(words(text)) / (speech_s / 60))
    return rates


def deterministic(phrase: str) -> bool:
    """Whether one voice speaking the phrase twice, and a second voice loaded afresh, give
    identical samples (Piper's noise, when there is any, runs on through a loaded voice)."""
    voice = PiperEngine.from_path(None)
    first, again = voice.speak(phrase, 1.0)[0], voice.speak(phrase, 1.0)[0]
    fresh = PiperEngine.from_path(None).speak(phrase, 1.0)[0]
    return first.tobytes() == again.tobytes() == fresh.tobytes()


def word_error_rates(phrases: list[str]) -> dict[str, list[float]]:
    """pocketsphinx's word error rate over all phrases: spoken as before, without noise at
    the old rate (what zero noise alone does), and now."""
    from piper import PiperVoice
    engine = PiperEngine.from_path(None)
    before = PiperVoice.load(engine.model, config_path=engine.config)

    def without_noise(text: str) -> tuple[np.ndarray, int]:
        sentences, rate = engine.sentences(text, 1.0)
        return pcm.trim(np.concatenate(sentences), rate), rate

    listener = Listener()
    speakers = {"before (noise 0.667/0.8, length_scale 1.0, no pauses)":
                lambda text: speak_before(before, text),
                "no noise, old rate": without_noise,
                "now (no noise, new rate and pauses)": lambda text: engine.speak(text, 1.0)}
    rates = {}
    for name, speak in speakers.items():
        runs = RANDOM_RUNS if name.startswith("before") else 1   # the noise differs each run
        rates[name] = [_error_rate(listener, speak, phrases) for _ in range(runs)]
    return rates


def _error_rate(listener: Listener, speak, phrases: list[str]) -> float:
    wrong = said = 0
    for text in phrases:
        missed, total = errors(text, listener.hear(*speak(text)))
        wrong, said = wrong + missed, said + total
    return wrong / said


def calibrate(phrases: list[str]) -> list[tuple[float, float]]:
    """(length_scale, speech length relative to 1.0): each sentence trimmed, no pauses."""
    engine = PiperEngine.from_path(None)

    def length(scale: float) -> int:
        return sum(len(pcm.trim(sentence, rate)) for text in phrases
                   for sentences, rate in [engine.sentences(text, scale)]
                   for sentence in sentences)

    unit = length(1.0)
    return [(scale, round(length(scale) / unit, 4)) for scale in CALIBRATION_GRID]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=Path, help="a built library's tracks folder")
    parser.add_argument("--calibrate", action="store_true",
                        help="only measure length_scale against speech length")
    options = parser.parse_args()
    phrases = library_phrases()
    if options.calibrate:
        table = calibrate(phrases)
        print("SPEECH_LENGTH = (" + ", ".join(f"({s}, {r})" for s, r in table) + ")")
        return
    print(f"{len(phrases)} phrases of {MIN_WORDS}+ words from the library, "
          f"{sum(len(words(p)) for p in phrases)} words")
    engine = PiperEngine.from_path(None)
    print(f"voice: {engine.identity}; {versions('piper-tts', 'onnxruntime')}")
    print(f"machine: {processor()}, {os.cpu_count()} cores")
    for pace, (ratio, low, high) in pace_ratios(engine, phrases).items():
        print(f"pace {pace}: {ratio:.3f} times as long (wanted {1 / pace:.3f}; "
              f"single phrases {low:.3f}-{high:.3f})")
    speech_only = articulation_rates(engine, phrases)
    print(f"articulation rate at pace 1.0 (pauses left out): median "
          f"{statistics.median(speech_only):.0f} wpm, p90 {np.percentile(speech_only, 90):.0f}")
    print(f"two syntheses identical: {deterministic(phrases[0])}")
    if options.tracks:
        rates = instruction_rates(options.tracks)
        print(f"instructions of {MIN_WORDS}+ words in {options.tracks}: {len(rates)}, "
              f"median {statistics.median(rates):.0f} wpm, "
              f"p90 {np.percentile(rates, 90):.0f} wpm, highest {max(rates):.0f} wpm")
    for name, rates in word_error_rates(phrases).items():
        spread = f" (runs: {', '.join(f'{r:.1%}' for r in rates)})" if len(rates) > 1 else ""
        print(f"word error rate, {name}: {statistics.mean(rates):.1%}{spread}")


if __name__ == "__main__":
    main()
