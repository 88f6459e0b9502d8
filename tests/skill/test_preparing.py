"""While the background builder is at work (issue 8): a routine of the library that is not
built yet is "being prepared", with a real wait and a routine that is ready meanwhile."""

from __future__ import annotations

import shutil
import textwrap
import time

import pytest

from audio.status import BuildStatus, write_status
from matcoach.app import create_app, endpoint_sender
from skill.device import Device

from ..served import ROUTINES, play, speech

NEW = """
    title: Foot roll
    summary: Roll the soles of your feet.
    equipment: [spiky-ball]
    intro: Sit on a chair.
    steps:
      - title: Roll the right sole
        say: Roll the ball under your right foot.
        body_area: feet
        work: 10s
    outro: Done.
    """


@pytest.fixture
def served(tmp_path, tracks_dir):
    """A library of the three built routines and one more that is not built yet."""
    library = tmp_path / "library"
    library.mkdir()
    for routine_id, text in {**ROUTINES, "foot-roll": NEW}.items():
        (library / f"{routine_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    tracks = tmp_path / "tracks"
    shutil.copytree(tracks_dir, tracks)
    return library, tracks


def device_for(tmp_path, library, tracks) -> Device:
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks),
                      "LIBRARY_DIR": str(library), "DATABASE": str(tmp_path / "db.sqlite")})
    return Device(skill_id="amzn1.ask.skill.local", send=endpoint_sender(app),
                  length_of=lambda token: 60_000)


def building(tracks, ready_in: dict[str, int]) -> None:
    """Report a running builder with these routines still to build."""
    ids = tuple(ready_in)
    write_status(tracks, BuildStatus(done=1, total=1 + len(ids), building=ids[:1],
                                     queued=ids[1:], ready_in_s=ready_in, left_s=max(
                                         ready_in.values()), updated_at=time.time()))


def test_a_routine_being_built_says_when_and_offers_one_that_is_ready(tmp_path, served):
    library, tracks = served
    building(tracks, {"foot-roll": 70})
    device = device_for(tmp_path, library, tracks)
    response = device.intent("StartRoutineIntent", {"routine": ("foot roll", None)})
    assert speech(response) == ("That routine is still being prepared; it will be ready in "
                                "about a minute. Meanwhile, you could try Shoulder knot. "
                                "Shall I start it?")
    assert play(response) is None and response["response"]["shouldEndSession"] is False
    started = device.intent("AMAZON.YesIntent")
    assert play(started)["token"].startswith("shoulder-knot:")


def test_without_a_builder_running_it_says_it_is_not_ready(tmp_path, served):
    library, tracks = served
    device = device_for(tmp_path, library, tracks)
    response = device.intent("StartRoutineIntent", {"routine": ("the foot roll", None)})
    assert speech(response).startswith("That routine isn't ready to play yet. Meanwhile, ")


def test_a_stale_status_means_no_builder(tmp_path, served):
    library, tracks = served
    write_status(tracks, BuildStatus(building=("foot-roll",), ready_in_s={"foot-roll": 5},
                                     updated_at=time.time() - 60))
    device = device_for(tmp_path, library, tracks)
    response = device.intent("StartRoutineIntent", {"routine": ("foot roll", None)})
    assert "isn't ready to play yet" in speech(response)


def test_opening_before_anything_is_built_says_when_the_first_will_be(tmp_path, served):
    library, _ = served
    empty = tmp_path / "no-tracks"
    building(empty, {"foot-roll": 20, "calf-care": 50})
    device = device_for(tmp_path, library, empty)
    response = device.launch()
    assert speech(response) == ("Mat Coach is still preparing its routines. The first will be "
                                "ready in less than a minute; ask me again then.")
    assert response["response"]["shouldEndSession"] is True
