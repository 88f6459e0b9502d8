"""Sample-level helpers: resampling, trimming, loudness and peak limiting (float32 at 48 kHz).

Numpy only (and soxr for resampling): a cold build processes every phrase it speaks, and
importing scipy costs more than processing a whole routine.
"""

from __future__ import annotations

import functools

import numpy as np

from .encoder import RATE

# Each phrase's loudness. The quiet between phrases, and the cue tones (6 to 7.5 LU under
# the voice since issue 9, so heard, and counted by BS.1770's gate), bring a whole track to
# about -16 LUFS, the podcast norm: -16.0 to -16.7 measured at -15.0 with those tones.
SPEECH_LUFS = -14.5
SAMPLE_CEILING_DB = -2.0     # leaves room for MP3 overshoot under -1 dBTP
TRIM_THRESHOLD_DB = -40.0    # relative to the clip's peak
KEEP_BEFORE_MS = 5           # so the first consonant's attack survives the trim
KEEP_AFTER_MS = 40
EDGE_FADE_MS = 5           # below the trim threshold at both ends anyway: only the cut is smoothed
LIMITER_WINDOW_MS = 2
MAX_GAIN_DB = 40.0

# ITU-R BS.1770-4 K-weighting at 48 kHz: a high shelf, then a high-pass (b, a) pairs.
_K_WEIGHTING = (
    ((1.53512485958697, -2.69169618940638, 1.19839281085285),
     (1.0, -1.69065929318241, 0.73248077421585)),
    ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621)),
)


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` at `rate`, converted to 48 kHz (soxr's high-quality resampler)."""
    if rate == RATE:
        return samples.astype(np.float32)
    import soxr
    return soxr.resample(samples.astype(np.float32), rate, RATE).astype(np.float32)


def trim(samples: np.ndarray, rate: int = RATE) -> np.ndarray:
    """Drop leading and trailing quiet, so a clip starts when its sound starts."""
    peak = float(np.abs(samples).max(initial=0.0))
    if peak == 0.0:
        return samples[:0]
    loud = np.flatnonzero(np.abs(samples) > peak * 10 ** (TRIM_THRESHOLD_DB / 20))
    start = max(0, loud[0] - KEEP_BEFORE_MS * rate // 1000)
    end = min(len(samples), loud[-1] + KEEP_AFTER_MS * rate // 1000)
    return samples[start:end]


def loudness(samples: np.ndarray, rate: int = RATE) -> float:
    """BS.1770-4 integrated loudness (LUFS) of a clip heard between silences."""
    # Short clips are looped to fill a gating block.
    return _gated_loudness(_k_weighted(_fill_block(samples, rate), rate), rate)


def _block(rate: int) -> int:
    return 400 * rate // 1000


def _fill_block(samples: np.ndarray, rate: int) -> np.ndarray:
    block = _block(rate)
    if len(samples) >= block:
        return samples
    return np.tile(samples, -(-block // len(samples)) + 1)


def _k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """The K-weighted signal, with a block of silence on each side."""
    # Applied in the frequency domain: the gate only needs block powers, which depend on
    # the filter's magnitude alone.
    quiet = np.zeros(_block(rate))
    padded = np.concatenate([quiet, samples, quiet])
    size = _fast_length(len(padded) + 4096)
    spectrum = np.fft.rfft(padded, size) * _k_response(size, rate)
    return np.fft.irfft(spectrum, size)[:len(padded)]


def _k_response(size: int, rate: int) -> np.ndarray:
    """K-weighting's magnitude at the bins of an FFT of `size` samples at `rate`."""
    hz = np.arange(size // 2 + 1) * (rate / size)
    grid_hz, magnitude = _k_table()
    return np.interp(hz, grid_hz, magnitude)


@functools.cache
def _k_table() -> tuple[np.ndarray, np.ndarray]:
    """K-weighting's magnitude every 3 Hz up to 24 kHz, a grid fine enough to interpolate."""
    hz = np.linspace(0, RATE / 2, 8001)
    z = np.exp(-2j * np.pi * hz / RATE)
    response = np.ones_like(z)
    for b, a in _K_WEIGHTING:
        response *= np.polyval(b[::-1], z) / np.polyval(a[::-1], z)
    return hz, np.abs(response)


def _fast_length(n: int) -> int:
    """The least 2^a 3^b 5^c at or above n: sizes the FFT is quick at."""
    best = 1 << (n - 1).bit_length()
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            size = threes << max(0, (-(-n // threes) - 1).bit_length())
            best = min(best, size)
            threes *= 3
        fives *= 5
    return best


def _gated_loudness(weighted: np.ndarray, rate: int) -> float:
    """Gated mean power of 400 ms blocks (75% overlap), in LUFS."""
    block = _block(rate)
    energy = np.concatenate([[0.0], np.cumsum(weighted * weighted)])
    starts = np.arange(0, len(weighted) - block + 1, block // 4)
    power = (energy[starts + block] - energy[starts]) / block
    power = power[power > 10 ** ((-70 + 0.691) / 10)]            # absolute gate
    if len(power) == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(power.mean()) - 10           # relative gate
    gated = power[-0.691 + 10 * np.log10(power) > relative]
    return float(-0.691 + 10 * np.log10(gated.mean()))


def limit(samples: np.ndarray, ceiling_db: float = SAMPLE_CEILING_DB,
          rate: int = RATE) -> np.ndarray:
    """A look-ahead peak limiter: no sample exceeds the ceiling, quiet parts untouched."""
    return (samples * _limiter_gain(samples, ceiling_db, rate)).astype(np.float32)


def _limiter_gain(samples: np.ndarray, ceiling_db: float, rate: int) -> np.ndarray:
    # float64: the running sums below lose the peaks' precision in float32.
    needed = np.minimum(1.0, 10 ** (ceiling_db / 20)
                        / np.maximum(np.abs(samples.astype(np.float64)), 1e-9))
    window = LIMITER_WINDOW_MS * rate // 1000
    # The least gain needed within a window on each side, then averaged over half of it:
    # every average stays under the gain each of its samples needs.
    floor = _window_min(needed, window)
    sums = np.concatenate([[0.0], np.cumsum(np.pad(floor, window // 2, mode="edge"))])
    return (sums[window + 1:] - sums[:-window - 1])[:len(samples)] / (window + 1)


def _window_min(values: np.ndarray, radius: int) -> np.ndarray:
    """min(values[i - radius : i + radius + 1]) for every i, in linear time (van Herk)."""
    width = 2 * radius + 1
    tail = -(len(values) + 2 * radius) % width
    padded = np.pad(values, (radius, radius + tail), constant_values=np.inf)
    blocks = padded.reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[:len(values)], prefix[width - 1:width - 1 + len(values)])


def normalize_speech(samples: np.ndarray, rate: int = RATE,
                     target_lufs: float = SPEECH_LUFS) -> np.ndarray:
    """Bring speech to the target loudness under the peak ceiling, at its own rate."""
    # Limiting lowers loudness, so the gain is found by the secant method. The K-weighting
    # is done once: the limiter's gain changes slowly enough to be applied after the filter.
    body = _fill_block(samples, rate).astype(np.float64)
    weighted = _k_weighted(body, rate)
    quiet = _block(rate)

    def attempt(gain_db: float) -> tuple[float, np.ndarray]:
        linear = 10 ** (gain_db / 20)
        gain = linear * _limiter_gain(body * linear, SAMPLE_CEILING_DB, rate)
        return _gated_loudness(weighted * np.pad(gain, quiet), rate) - target_lufs, gain

    before, after = 0.0, _clamp(target_lufs - _gated_loudness(weighted, rate))
    miss_before, _ = attempt(before)
    for _ in range(8):
        miss, gain = attempt(after)
        if abs(miss) < 0.05 or miss == miss_before:
            break
        step = miss * (after - before) / (miss - miss_before)
        before, after, miss_before = after, _clamp(after - step), miss
    return (body * gain)[:len(samples)].astype(np.float32)


def _clamp(gain_db: float) -> float:
    """Keep a gain search finite, whatever a near-silent or saturated clip does to it."""
    return float(np.clip(np.nan_to_num(gain_db, nan=0.0), -MAX_GAIN_DB, MAX_GAIN_DB))


def to_int16(samples: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] to int16, clipping anything beyond."""
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype(np.int16)


def join_sentences(sentences: list[np.ndarray], rate: int, pause_ms: int) -> np.ndarray:
    """Sentences, each trimmed of its own leading and trailing quiet, joined by exactly
    `pause_ms` of silence; the edges fade over EDGE_FADE_MS so that no cut clicks."""
    pause = np.zeros(pause_ms * rate // 1000, dtype=np.float32)
    parts: list[np.ndarray] = []
    for sentence in sentences:
        speech = _faded(trim(np.asarray(sentence, dtype=np.float32), rate), rate)
        if len(speech):
            parts += [pause, speech] if parts else [speech]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def _faded(samples: np.ndarray, rate: int) -> np.ndarray:
    """A linear fade-in and fade-out of EDGE_FADE_MS (or half the clip, when shorter)."""
    n = min(EDGE_FADE_MS * rate // 1000, len(samples) // 2)
    if n == 0:
        return samples
    ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
    faded = samples.copy()
    faded[:n] *= ramp
    faded[len(faded) - n:] *= ramp[::-1]
    return faded
