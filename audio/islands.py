"""Assemble a long MP3 from short encoded islands of sound in a sea of silent frames.

Most of a track is quiet. With CBR frames that carry no bit reservoir, every frame decodes
on its own, so one encoded frame of silence stands for any quiet stretch, and each island
(sounds close together, between a quiet frame before and one after) is encoded once,
cached, and dropped in at its frame. Placing a sound at source sample P - CODEC_DELAY_SAMPLES
makes every decoder play it at exactly P.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from builder.timeline import Event

from .cache import DiskCache
from .encoder import CODEC_DELAY_SAMPLES, FRAME_BYTES, FRAME_SAMPLES, RATE, SETTINGS, Encoder
from .errors import AudioError
from .sounds import SoundBank

# Bump when the layout or mixing of an island changes, so cached islands are not reused.
ISLAND_VERSION = 2
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
        return hashlib.sha256(repr((SETTINGS, ISLAND_VERSION, parts)).encode()).hexdigest()

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
    spans: list[list[int]] = []
    for event in sorted(events, key=lambda e: e.at_ms):
        start = source_sample(event.at_ms)
        # A quiet frame before the sound: the encoder prepares an onset in the frame before
        # it, and that frame must be the island's own, not its neighbour's.
        first = start // FRAME_SAMPLES - 1
        if first < 0:
            raise AudioError(f"a sound at {event.at_ms} ms starts before the track can play it")
        end = -(-(start + bank.samples(event.sound)) // FRAME_SAMPLES) + 1   # and one after
        if spans and first <= spans[-1][1]:
            groups[-1].append((start, event))
            spans[-1][1] = max(spans[-1][1], end)
        else:
            groups.append([(start, event)])
            spans.append([first, end])
    return [Island(first, end - first,
                   tuple((start - first * FRAME_SAMPLES, event) for start, event in group))
            for group, (first, end) in zip(groups, spans, strict=True)]


def write_frames(islands: list[Island], total_frames: int, bank: SoundBank,
                 encoder: Encoder, cache: DiskCache, out: BinaryIO) -> int:
    """Write the whole track's frames to `out`; returns how many islands were encoded anew."""
    silence = encoder.silence_frame
    position = encoded = 0
    # Batches are encoded side by side (the voice is done by now, the cores are free) and
    # written in order as they come back.
    pool = ThreadPoolExecutor(max_workers=ENCODERS)
    jobs: list[tuple[list[Island], Future]] = []
    try:
        jobs = [(batch, pool.submit(_encoded, batch, bank, encoder, cache))
                for batch in _batches(islands)]
        for batch, job in jobs:
            frames, fresh = job.result()
            encoded += fresh
            for island, data in zip(batch, frames, strict=True):
                if island.first_frame < position:
                    raise AudioError("two islands overlap; the track would drift")
                out.write(silence * (island.first_frame - position))
                out.write(data)
                position = island.first_frame + island.frames
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
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
    found = {key: cache.read(key, island.frames * FRAME_BYTES)
             for island, key in zip(batch, keys, strict=True)}
    missing = {key: island for island, key in zip(batch, keys, strict=True)
               if found[key] is None}
    if missing:
        # One run for all: each island is whole frames between quiet frames, so the frames
        # of one never depend on the sound of another.
        data = encoder.encode(np.concatenate([island.pcm(bank) for island in missing.values()]))
        offset = 0
        for key, island in missing.items():
            size = island.frames * FRAME_BYTES
            piece = data[offset * FRAME_BYTES:offset * FRAME_BYTES + size]
            if len(piece) != size:
                raise AudioError("the encoder returned fewer frames than it was given")
            # Another build may have cached this island first; use that one, as it will.
            found[key] = piece if cache.write(key, piece) else cache.read(key, size) or piece
            offset += island.frames
    return [found[key] for key in keys], len(missing)
