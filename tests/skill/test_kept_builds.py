"""A session resumed after its routine was rebuilt plays the audio its offset belongs to
(issue 10): the build it started on, while it is kept; once that build is gone, the start
of the same chapter in the current build."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio.kept import kept_folder, remove_folder
from matcoach.app import create_app, shelf_of
from skill.device import Device
from skill.handlers.base import builds_in_use

from ..served import BASE_URL, SKILL_ID, play, speech


@pytest.fixture
def app(tmp_path, own_tracks, library_dir):
    return create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(own_tracks),
                       "LIBRARY_DIR": str(library_dir), "BASE_URL": BASE_URL,
                       "DATABASE": str(tmp_path / "matcoach.sqlite")})


@pytest.fixture
def device(app) -> Device:
    client = app.test_client()

    def send(envelope: dict) -> dict:
        reply = client.post("/alexa", json=envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply.get_json()

    return Device(skill_id=SKILL_ID, send=send, length_of=shelf_of(app).length_of)


@pytest.fixture
def paused(app, device):
    """Calf care played 3 s into its third chapter, then paused: (track, offset)."""
    track = shelf_of(app).get("calf-care")
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(track.chapters[2].start_ms + 3000)
    device.intent("AMAZON.PauseIntent")
    return track, device.offset_ms


def test_resuming_after_a_rebuild_plays_the_same_audio_from_the_same_offset(
        app, device, paused, own_tracks, rebuild):
    """On main it went to the new build, at the start of the chapter."""
    before, offset = paused
    new = rebuild(own_tracks)
    assert shelf_of(app).get("calf-care").build == new
    stream = play(device.intent("AMAZON.ResumeIntent"))
    assert stream["url"] == f"{BASE_URL}/audio/{before.build}/calf-care.mp3"
    assert stream["offsetInMilliseconds"] == offset
    assert stream["token"].startswith(f"calf-care:{before.build}:")
    said = speech(device.launch())
    assert before.chapter_at(offset).title in said, "welcome back names where they were"


def test_next_and_time_left_follow_the_build_being_played(app, device, paused, own_tracks,
                                                         rebuild):
    before, offset = paused
    rebuild(own_tracks)
    device.intent("AMAZON.ResumeIntent")
    following = play(device.intent("AMAZON.NextIntent"))
    assert following["url"].endswith(f"/audio/{before.build}/calf-care.mp3")
    assert following["offsetInMilliseconds"] == before.chapters[3].start_ms


def test_starting_over_plays_the_routine_as_it_is_now(app, device, paused, own_tracks,
                                                      rebuild):
    new = rebuild(own_tracks)
    device.intent("AMAZON.ResumeIntent")
    again = play(device.intent("AMAZON.StartOverIntent"))
    assert again["url"].endswith(f"/audio/{new}/calf-care.mp3")
    assert again["offsetInMilliseconds"] == 0


def test_a_place_whose_build_is_gone_starts_its_chapter_in_the_current_build(
        app, device, paused, own_tracks, rebuild):
    before, _ = paused
    new = rebuild(own_tracks)
    remove_folder(kept_folder(own_tracks, before.build))
    after = shelf_of(app).get("calf-care")
    stream = play(device.intent("AMAZON.ResumeIntent"))
    assert stream["url"] == f"{BASE_URL}/audio/{new}/calf-care.mp3"
    assert stream["offsetInMilliseconds"] == after.chapters[2].start_ms


def test_the_builds_saved_places_refer_to_are_known(app, device, paused):
    before, _ = paused
    assert builds_in_use(Path(app.config["DATABASE"])) == {before.build}
