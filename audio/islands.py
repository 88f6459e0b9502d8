"""Assemble a long MP3 from short encoded islands of sound in a sea of silent frames.

Most of a track is quiet. With CBR frames that carry no bit reservoir, every frame decodes
on its own, so one encoded frame of silence stands for any quiet stretch, and each island
(sounds close together, with a quiet frame after them) is encoded once, cached, and dropped
in at its frame. Placing a sound at source sample P - CODEC_DELAY_SAMPLES makes every
decoder play it at exactly P.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from builder.timeline import Event

from .cache import DiskCache
from .encoder import CODEC_DELAY_SAMPLES, FRAME_BYTES, FRAME_SAMPLES, RATE, SETTINGS, Encoder
from .errors import AudioError
from .sounds import SoundBank

BATCH_FRAMES = 2500     # about a minute of sound per encoder run: bounded memory
ENCODERS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class Island:
    """Sounds that share frames: where it starts, how long it is, and what it holds."""

    first_frame: int
    frames: int
    parts: tuple[tuple[int, Event], ...]
    """(offset in samples from the island's first sample, event) for each sound."""

    def key(self, bank: SoundBank) -> str:
        """A digest of what the island sounds like (not where it sits)."""
        parts = [(offset, bank.content_key(event.sound)) for offset, event in self.parts]
        return hashlib.sha256(repr((SETTINGS, parts)).encode()).hexdigest()

    def pcm(self, bank: SoundBank) -> np.ndarray:
        """The island's samples, whole frames long."""
        mix = np.zeros(self.frames * FRAME_SAMPLES, dtype=np.int32)
        for offset, event in self.parts:
            clip = bank.pcm(event.sound)
            mix[offset:offset + len(clip)] += clip
        return np.clip(mix, -32768, 32767).astype(np.int16)


def source_sample(at_ms: int) -> int:
    """Where a sound heard at `at_ms` goes in the encoder's input."""
    return at_ms * RATE // 1000 - CODEC_DELAY_SAMPLES


def plan_islands(events: Iterable[Event], bank: SoundBank) -> list[Island]:
    """Group events whose frames touch into islands, in time order."""
    groups: list[list[tuple[int, Event]]] = []
    ends: list[int] = []
    for event in sorted(events, key=lambda e: e.at_ms):
        start = source_sample(event.at_ms)
        if start < 0:
            raise AudioError(f"a sound at {event.at_ms} ms starts before the track can play it")
        end_frame = -(-(start + bank.samples(event.sound)) // FRAME_SAMPLES) + 1
        if groups and start // FRAME_SAMPLES <= ends[-1]:
            groups[-1].append((start, event))
            ends[-1] = max(ends[-1], end_frame)
        else:
            groups.append([(start, event)])
            ends.append(end_frame)
    islands = []
    for group, end in zip(groups, ends, strict=True):
        first = group[0][0] // FRAME_SAMPLES
        parts = tuple((start - first * FRAME_SAMPLES, event) for start, event in group)
        islands.append(Island(first, end - first, parts))
    return islands


def write_frames(islands: list[Island], total_frames: int, bank: SoundBank,
                 encoder: Encoder, cache: DiskCache, out: BinaryIO) -> int:
    """Write the whole track's frames to `out`; returns how many islands were encoded anew."""
    silence = encoder.silence_frame
    position = encoded = 0
    # Batches are encoded side by side (the voice is done by now, the cores are free) and
    # written in order as they come back.
    with ThreadPoolExecutor(max_workers=ENCODERS) as pool:
        jobs = [(batch, pool.submit(_encoded, batch, bank, encoder, cache))
                for batch in _batches(islands)]
        for batch, job in jobs:
            frames, fresh = job.result()
            encoded += fresh
            for island, data in zip(batch, frames, strict=True):
                out.write(silence * (island.first_frame - position))
                out.write(data)
                position = island.first_frame + island.frames
    if position > total_frames:
        raise AudioError("the sounds run past the end of the track")
    out.write(silence * (total_frames - position))
    return encoded


def _batches(islands: list[Island]) -> Iterator[list[Island]]:
    batch: list[Island] = []
    size = 0
    for island in islands:
        batch.append(island)
        size += island.frames
        if size >= BATCH_FRAMES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _encoded(batch: list[Island], bank: SoundBank, encoder: Encoder,
             cache: DiskCache) -> tuple[list[bytes], int]:
    """Each island's frames, from the cache or from one encoder run for all the missing."""
    keys = [island.key(bank) for island in batch]
    found = {key: cache.read(key) for key in keys}
    missing = {key: island for island, key in zip(batch, keys, strict=True)
               if found[key] is None}
    if missing:
        # One run for all: each island is whole frames and ends in a quiet frame, so the
        # frames of one never depend on the sound of another.
        data = encoder.encode(np.concatenate([island.pcm(bank) for island in missing.values()]))
        offset = 0
        for key, island in missing.items():
            piece = data[offset * FRAME_BYTES:(offset + island.frames) * FRAME_BYTES]
            if len(piece) != island.frames * FRAME_BYTES:
                raise AudioError("the encoder returned fewer frames than it was given")
            # Another build may have cached this island first; use that one, as it will.
            found[key] = piece if cache.write(key, piece) else cache.read(key)
            offset += island.frames
    return [found[key] for key in keys], len(missing)
