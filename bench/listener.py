"""A stand-in for a listener: pocketsphinx (its en-US model ships in the wheel) writes down
what it hears, and the word error rate compares that with what was said.

A machine recogniser is no person, but it is fixed: what it mishears more often is harder
to follow, and the same audio always gets the same score.
"""

from __future__ import annotations

import re

import numpy as np

RECOGNISER_RATE = 16_000   # Hz: the rate pocketsphinx's en-US acoustic model was trained at


class Listener:
    """One pocketsphinx decoder with its default en-US acoustic and language models."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder
        self._decoder = Decoder(samprate=RECOGNISER_RATE, loglevel="FATAL")

    def hear(self, samples: np.ndarray, rate: int) -> str:
        """The words recognised in float samples at `rate` (Hz)."""
        import soxr
        audio = soxr.resample(samples.astype(np.float32), rate, RECOGNISER_RATE)
        raw = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16).tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(raw, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        return hypothesis.hypstr if hypothesis else ""


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped ("right-hand" is two words, as spoken)."""
    return re.findall(r"[a-z']+", text.lower().replace("-", " "))


def errors(said: str, heard: str) -> tuple[int, int]:
    """(word errors, words said): substitutions, deletions and insertions (Levenshtein)."""
    reference, hypothesis = words(said), words(heard)
    row = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hypothesis, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1,
                                           previous + (word != other))
    return row[-1], len(reference)
