"""Phrases are spoken once and shared by every build; only what changed is rebuilt."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audio.cache import DiskCache
from audio.encoder import FRAME_BYTES
from audio.errors import VoiceError
from audio.islands import plan_islands
from audio.maker import TrackMaker
from audio.piper_engine import PiperEngine
from audio.sounds import SoundBank
from builder.schedule import schedule
from builder.timeline import Speech

from .conftest import ROUTINE, load_routine


class CountingVoice:
    """The real voice, counting how often it is asked to speak."""

    def __init__(self, voice):
        self.voice = voice
        self.identity = voice.identity
        self.spoken: list[str] = []

    def speak(self, text, pace):
        self.spoken.append(text)
        return self.voice.speak(text, pace)


def test_a_second_build_speaks_nothing_and_encodes_nothing(built, piper, encoder, cache_dir,
                                                           tmp_path):
    voice = CountingVoice(piper)
    maker = TrackMaker(voice, encoder, cache_dir, tmp_path / "again")
    track = maker.make(built.routine)
    assert voice.spoken == []
    assert track.encoded_islands == 0
    assert track.mp3.read_bytes() == built.track.mp3.read_bytes()


def test_a_published_build_is_current_until_something_changes(built, piper, encoder,
                                                                cache_dir, tmp_path):
    assert built.maker.is_current(built.routine)
    changed = load_routine(tmp_path, ROUTINE.replace("work: 25s", "work: 26s"))
    assert not built.maker.is_current(changed)
    assert built.maker.build_id(changed) != built.maker.build_id(built.routine)


def test_the_build_id_follows_routine_catalog_and_voice(built, encoder, cache_dir, tmp_path):
    same = load_routine(tmp_path, ROUTINE + "\n# a comment changes nothing\n")
    assert built.maker.build_id(same) == built.maker.build_id(built.routine)
    other_voice = CountingVoice(built.maker.voice)
    other_voice.identity = "piper:another-voice"
    maker = TrackMaker(other_voice, encoder, cache_dir, tmp_path)
    assert maker.build_id(built.routine) != built.maker.build_id(built.routine)


def test_the_build_id_follows_the_catalog(tmp_path, write, built):
    from builder.library import check_files, load_context
    move = ("title: Calf roll\nequipment: [foam-roller]\nbody_area: calves\nposition: sitting\n"
            "say: Roll your right calf.\nwork: 20s\n")
    write("lib/moves/calf-roll.yaml", move)
    routine_file = write("lib/r.yaml", "title: T\nsteps:\n  - move: calf-roll\n")
    first = check_files([routine_file], load_context(tmp_path / "lib"))[0]["r"]
    write("lib/moves/calf-roll.yaml", move.replace("20s", "30s"))
    second = check_files([routine_file], load_context(tmp_path / "lib"))[0]["r"]
    assert built.maker.build_id(first) != built.maker.build_id(second)


def test_a_different_pace_is_spoken_anew(built, piper, encoder, cache_dir, tmp_path):
    # A quarter slower, the switch-sides words need a longer switch than the routine's 5 s.
    slower = load_routine(tmp_path, ROUTINE.replace(
        "title: Test routine", "title: Test routine\nvoice: {pace: 0.8}").replace(
        "switch: 5s", "switch: 7s"))
    voice = CountingVoice(piper)
    TrackMaker(voice, encoder, cache_dir, tmp_path / "slow").make(slower)
    assert "Rest a moment." in voice.spoken
    durations = {json.loads(p.read_text())["duration_ms"]
                 for p in [built.track.cue_sheet, tmp_path / "slow" / "test-routine.json"]}
    assert len(durations) == 2


def test_two_builds_at_once_share_one_cache(tmp_path):
    """Two processes build the same new routine together with the same empty cache."""
    routine = tmp_path / "duo.yaml"
    routine.write_text("title: Duo\nsteps:\n  - {title: Hold, say: Hold it there., work: 3s}\n"
                       "outro: All done.\n")
    command = Path(sys.executable).parent / "matcoach"
    env = {**os.environ, "MATCOACH_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.Popen([command, "build", routine, "--out", tmp_path / f"out{i}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(2)]
    results = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
    assert [code for _, _, code in results] == [0, 0], results
    sheets = [json.loads((tmp_path / f"out{i}" / "duo.json").read_text()) for i in range(2)]
    assert sheets[0] == sheets[1]
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_a_voice_is_known_by_its_contents_not_its_name(piper, tmp_path):
    assert PiperEngine.from_path(piper.model).identity == piper.identity
    model = tmp_path / "en_US-joe-medium.onnx"
    model.write_bytes(b"\x00" * 1000)
    (tmp_path / "en_US-joe-medium.onnx.json").write_bytes(piper.config.read_bytes())
    first = PiperEngine.from_path(model).identity
    model.write_bytes(b"\x00" * 999 + b"\x01")   # retrained: same name, size and config
    assert PiperEngine.from_path(model).identity != first


class SilentOnce(CountingVoice):
    """The real voice, except that one phrase comes out as silence."""

    def speak(self, text, pace):
        samples, rate = super().speak(text, pace)
        return (samples * 0 if text == "Rest a moment." else samples), rate


def test_a_phrase_the_voice_left_silent_stops_the_build(built, piper, encoder, tmp_path):
    """Never a track with a missing phrase: silence from the voice is an error, not a gap."""
    voice = SilentOnce(piper)
    voice.identity = "piper:silent-once"
    maker = TrackMaker(voice, encoder, tmp_path / "cache", tmp_path / "out")
    with pytest.raises(VoiceError, match='The voice produced only silence for "Rest a moment."'):
        maker.make(built.routine)
    assert not (tmp_path / "out" / "test-routine.mp3").exists()


def test_a_damaged_cache_entry_is_made_again(built, piper, encoder, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(built.maker.cache_dir, cache)
    bank = SoundBank(piper, cache)
    # The longest island of this very track (the shared cache also holds other builds'):
    # the phrase spoken again below comes out the same, so only this damage re-encodes.
    timeline = schedule(built.routine, bank.duration_ms)
    longest = max(plan_islands(timeline.events, bank), key=lambda island: island.frames)
    damaged = DiskCache(cache / "islands", ".mp3").path(longest.key(bank))
    damaged.write_bytes(damaged.read_bytes()[:FRAME_BYTES * 2])   # cut short
    bank.phrases.path(bank.key(Speech("Rest a moment."))).write_bytes(b"")   # emptied
    voice = CountingVoice(piper)
    track = TrackMaker(voice, encoder, cache, tmp_path / "out").make(built.routine)
    assert voice.spoken == ["Rest a moment."], "the emptied phrase is spoken again"
    assert track.encoded_islands >= 1
    assert len(encoder.decode(track.mp3)) == track.duration_ms * 48


def test_the_first_writer_of_a_cache_entry_wins(tmp_path):
    cache = DiskCache(tmp_path, ".bin")
    assert cache.write("k1", b"first") is True
    assert cache.write("k1", b"second") is False
    assert cache.read("k1") == b"first"
    assert cache.read("k1", expected_size=3) is None, "a wrong-sized entry is dropped"
    assert cache.read("k1") is None
