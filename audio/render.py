"""Timeline to files: the MP3, its cue sheet and its transcript, published together."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.timeline import Timeline

from .cache import DiskCache
from .encoder import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, RATE, Encoder
from .islands import plan_islands, write_frames
from .kept import STAGING, publish, routine_lock
from .outputs import cue_sheet, webvtt
from .sounds import SoundBank
from .tags import id3_bytes

STAGE_SUFFIX = 8   # the random characters tempfile.mkdtemp adds to a prefix


@dataclass(frozen=True)
class Track:
    """What a build produced."""

    routine: str
    mp3: Path
    cue_sheet: Path
    transcript: Path
    duration_ms: int
    encoded_islands: int


def render(timeline: Timeline, bank: SoundBank, encoder: Encoder, out_dir: Path,
           cache_dir: Path, *, build: str, source: str) -> Track:
    """Write `<id>.mp3`, `<id>.json` and `<id>.vtt`; on any failure the old ones stay."""
    islands = plan_islands(timeline.events, bank)
    needed = -(-timeline.duration_ms * RATE // 1000 // FRAME_SAMPLES)
    total_frames = max([needed] + [i.first_frame + i.frames for i in islands])
    timeline = _lasting(timeline, total_frames * FRAME_MS)
    name = timeline.routine
    sheet = cue_sheet(timeline, audio=f"{name}.mp3", build=build, source=source,
                      voice=bank.voice.identity)
    islands_cache = DiskCache(cache_dir / "islands", ".mp3",
                              valid=lambda size: size > 0 and size % FRAME_BYTES == 0)
    with staged(out_dir, name, build) as stage:
        with open(stage / f"{name}.mp3", "wb") as mp3:
            mp3.write(id3_bytes(timeline.title, timeline.chapters, timeline.duration_ms, build))
            fresh = write_frames(islands, total_frames, bank, encoder, islands_cache, mp3)
        (stage / f"{name}.vtt").write_text(webvtt(timeline), encoding="utf-8")
        (stage / f"{name}.json").write_text(json.dumps(sheet, indent=1), encoding="utf-8")
    return Track(name, out_dir / f"{name}.mp3", out_dir / f"{name}.json",
                 out_dir / f"{name}.vtt", timeline.duration_ms, fresh)


def _lasting(timeline: Timeline, duration_ms: int) -> Timeline:
    """The timeline stretched to the whole frames the track really lasts."""
    last = dataclasses.replace(timeline.chapters[-1], end_ms=duration_ms)
    return dataclasses.replace(timeline, duration_ms=duration_ms,
                               chapters=(*timeline.chapters[:-1], last))


@contextlib.contextmanager
def staged(out_dir: Path, name: str, build: str) -> Iterator[Path]:
    """A private folder to write into; its files become build `build`, kept and published
    (audio/kept.py), only on success."""
    # One build of a routine publishes at a time; whatever staging of it is left over now
    # belongs to a build that was killed. Only its own: "calf-" + mkdtemp's 8 characters,
    # not the staging of a routine "calf-care" building beside it.
    with routine_lock(out_dir, name):
        parent = out_dir / STAGING
        for leftover in parent.glob(f"{name}-*"):
            if len(leftover.name) == len(name) + 1 + STAGE_SUFFIX:
                shutil.rmtree(leftover, ignore_errors=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=parent))
        try:
            yield stage
            publish(stage, out_dir, name, build)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
