"""A build that fails or is killed leaves the published outputs exactly as they were."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audio.encoder import Encoder
from audio.errors import EncoderError
from audio.maker import TrackMaker

from .conftest import ROUTINE, load_routine


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_failing_encoder_leaves_the_old_track(built, piper, cache_dir, tmp_path):
    folder = built.track.mp3.parent
    before = snapshot(folder)
    changed = load_routine(tmp_path, ROUTINE.replace("Done.", "Done for today."))
    broken = TrackMaker(piper, Encoder(str(tmp_path / "no-ffmpeg")), cache_dir, folder)
    with pytest.raises(EncoderError) as caught:
        broken.make(changed)
    assert "cannot run" in str(caught.value)
    assert snapshot(folder) == before
    assert [p for p in (folder / ".partial").iterdir() if p.is_dir()] == []


def test_a_killed_build_leaves_the_old_track_and_nothing_servable(built, tmp_path, encoder):
    """Stop a real `matcoach build` with SIGKILL while it is writing the new MP3."""
    out = tmp_path / "tracks"
    out.mkdir()
    for path in built.track.mp3.parent.iterdir():
        if path.is_file():
            (out / path.name).write_bytes(path.read_bytes())
    before = snapshot(out)
    routine = tmp_path / "test-routine.yaml"
    routine.write_text(ROUTINE.replace("Done.", "Done, and killed."))
    # An ffmpeg that takes its time, so the build is caught in the middle of writing.
    slow = tmp_path / "slow-ffmpeg"
    slow.write_text(f"#!/bin/sh\nsleep 30\nexec {encoder.ffmpeg} \"$@\"\n")
    slow.chmod(0o755)
    command = Path(sys.executable).parent / "matcoach"
    env = {**os.environ, "MATCOACH_FFMPEG": str(slow),
           "MATCOACH_CACHE": str(built.maker.cache_dir)}
    run = subprocess.Popen([command, "build", routine, "--out", out], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob(".partial/*/test-routine.mp3")):
            assert time.monotonic() < deadline, "the build never started writing"
            assert run.poll() is None, "the build ended before it could be killed"
            time.sleep(0.05)
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait()
    assert snapshot(out) == before
    servable = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert servable == ["test-routine.json", "test-routine.mp3", "test-routine.vtt"]


def test_the_next_build_clears_what_a_killed_build_left(built, piper, encoder, tmp_path):
    out = tmp_path / "tracks"
    leftover = out / ".partial" / "test-routine-killed1x"   # as mkdtemp names them
    leftover.mkdir(parents=True)
    (leftover / "test-routine.mp3").write_bytes(b"half a track")
    TrackMaker(piper, encoder, built.maker.cache_dir, out).make(built.routine)
    assert not leftover.exists()


def test_a_track_and_cue_sheet_from_different_builds_are_not_current(built, piper, encoder,
                                                                      tmp_path):
    """As if a build were killed between publishing the MP3 and the cue sheet."""
    out = tmp_path / "tracks"
    maker = TrackMaker(piper, encoder, built.maker.cache_dir, out)
    maker.make(built.routine)
    assert maker.is_current(built.routine)
    changed = load_routine(tmp_path, ROUTINE.replace("Done.", "All done."))
    maker.make(changed)
    (out / "test-routine.json").write_bytes(built.track.cue_sheet.read_bytes())
    assert not maker.is_current(built.routine) and not maker.is_current(changed)
