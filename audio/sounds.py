"""Every sound a timeline uses, as 48 kHz PCM: tones made in code, speech from the cache."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from builder.timeline import Sound, Speech, Tone

from . import pcm as dsp
from .cache import DiskCache
from .encoder import RATE
from .errors import VoiceError
from .runtime import processor, versions
from .tones import DESIGNS, render_tone
from .voice import Voice

# Everything that shapes a cached phrase besides voice, pace and text. 3: the key also
# names what the arithmetic ran on (see processing()).
PROCESSING = {"version": 3, "lufs": dsp.SPEECH_LUFS, "ceiling": dsp.SAMPLE_CEILING_DB,
              "trim": dsp.TRIM_THRESHOLD_DB, "keep": [dsp.KEEP_BEFORE_MS, dsp.KEEP_AFTER_MS]}

Progress = Callable[[int, int], None]


@functools.cache
def processing() -> dict:
    """PROCESSING and what else decides its arithmetic: numpy's and soxr's versions and
    the processor (their SIMD code paths may round differently)."""
    return {**PROCESSING, "packages": versions("numpy", "soxr"), "processor": processor()}


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


class SoundBank:
    """Sounds for one voice at one pace; speech is synthesized once and cached on disk."""

    def __init__(self, voice: Voice, cache_dir: Path, pace: float = 1.0) -> None:
        self.voice = voice
        self.pace = pace
        self.phrases = DiskCache(cache_dir / "phrases", ".s16",
                                 valid=lambda size: size > 0 and size % 2 == 0)
        self._content_keys: dict[Speech, str] = {}

    def key(self, sound: Sound) -> str:
        """Where a sound is cached: a digest of everything it is made from."""
        if isinstance(sound, Speech):
            return _digest("speech", processing(), self.voice.identity, self.pace, sound.text)
        return _tone_key(sound.name)

    def content_key(self, sound: Sound) -> str:
        """A digest of the sound's samples themselves (for what is built from them)."""
        if isinstance(sound, Tone):
            return _tone_key(sound.name)   # which is already a digest of its samples
        if sound not in self._content_keys:
            self._content_keys[sound] = hashlib.sha256(self.pcm(sound).tobytes()).hexdigest()
        return self._content_keys[sound]

    def missing(self, sounds: Iterable[Sound]) -> list[Speech]:
        """The speech not yet in the cache, each once, in a stable order."""
        speech = {s for s in sounds if isinstance(s, Speech)}
        return sorted((s for s in speech if self.phrases.size(self.key(s)) is None),
                      key=lambda s: s.text)

    def synthesize(self, sounds: Iterable[Sound], progress: Progress | None = None) -> int:
        """Speak and cache every missing phrase; returns how many were spoken."""
        # Each phrase is processed (loudness, resampling) while the voice speaks the next:
        # the voice's threads wait on each other often enough to leave room for it.
        todo = self.missing(sounds)
        spoken = 0
        with ThreadPoolExecutor(max_workers=1) as processing:
            pending: list[Future] = []
            for done, speech in enumerate(todo, 1):
                key = self.key(speech)
                if self.phrases.size(key) is None:   # another build may have spoken it since
                    samples, rate = self.voice.speak(speech.text, self.pace)
                    pending.append(processing.submit(self._store, key, speech.text,
                                                     samples, rate))
                    spoken += 1
                while pending and pending[0].done():
                    pending.pop(0).result()   # a phrase that failed stops the build now
                if progress:
                    progress(done, len(todo))
            for job in pending:
                job.result()
        return spoken

    def samples(self, sound: Sound) -> int:
        """How many samples the sound has, without reading them."""
        if isinstance(sound, Tone):
            return len(_tone_pcm(sound.name))
        size = self.phrases.size(self.key(sound))
        if size is None:
            raise KeyError(f'"{sound.text}" has not been synthesized')
        return size // 2

    def duration_ms(self, sound: Sound) -> int:
        """How long the sound lasts, rounded up to the millisecond."""
        return -(-self.samples(sound) * 1000 // RATE)

    def pcm(self, sound: Sound) -> np.ndarray:
        """The sound's int16 samples at 48 kHz."""
        if isinstance(sound, Tone):
            return _tone_pcm(sound.name)
        data = self.phrases.read(self.key(sound))
        if data is None:
            raise KeyError(f'"{sound.text}" has not been synthesized')
        return np.frombuffer(data, dtype=np.int16)

    def _store(self, key: str, text: str, samples: np.ndarray, rate: int) -> None:
        self.phrases.write(key, self._process(text, samples, rate).tobytes())

    @staticmethod
    def _process(text: str, samples: np.ndarray, rate: int) -> np.ndarray:
        speech = dsp.trim(samples, rate)
        if len(speech) == 0:
            raise VoiceError(f'The voice produced only silence for "{text}".')
        # Loudness at the voice's own rate (it has nothing above half of it) is cheaper;
        # the limiter runs again at 48 kHz for the peaks resampling makes between samples.
        louder = dsp.resample(dsp.normalize_speech(speech, rate), rate)
        return dsp.to_int16(dsp.limit(louder))


@functools.cache
def _tone_pcm(name: str) -> np.ndarray:
    return dsp.to_int16(render_tone(name))


@functools.cache
def _tone_key(name: str) -> str:
    return hashlib.sha256(_tone_pcm(name).tobytes()).hexdigest()


def tones_digest() -> str:
    """A digest of every cue sound's samples: it changes with any change to how they sound."""
    return _digest(*(_tone_key(name) for name in sorted(DESIGNS)))
