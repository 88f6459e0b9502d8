"""Issue 13: a plan's track on its page. How the build goes (waiting, building with a
percentage, failed with why, ready), its audio sent to its own therapist only, never kept
by a cache, with ranges for seeking; an earlier version's audio until the new one is
built; and deleting the client deletes the tracks at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio.one_track import write_track_status

from .test_plan_editor import ROUTINE, Therapist
from .therapists import accounts, csrf, plan_builds, therapist_app

SHORT = {"title": "Right shoulder", "intro": "Sit on your mat.", "outro": "Done.", "steps": [
    {"title": "Calf press", "say": "Press gently.", "body_area": "calves", "work": "6s",
     "lead_in": "1s"}]}


@pytest.fixture
def app(tmp_path):
    return therapist_app(tmp_path)


@pytest.fixture
def ann(app) -> Therapist:
    return Therapist(app, "ann@example.com")


def saved(ann: Therapist, routine=SHORT) -> tuple[int, str]:
    """A plan saved through the editor: its id and its private token."""
    url = ann.save(routine=routine, schedule={}).get_json()["url"]
    plan_id = int(url.rsplit("/", 1)[1])
    store = accounts(ann.client.application).store
    return plan_id, store.plan(store.therapist_by_email("ann@example.com"), plan_id).token


def state(ann: Therapist, plan_id: int) -> dict:
    return ann.client.get(f"/therapist/plans/{plan_id}/track.json").get_json()


def test_the_build_is_waiting_then_building_then_failed_as_the_builder_says(app, ann):
    plan_id, token = saved(ann)
    assert state(ann, plan_id) == {"state": "waiting", "version": 1}
    folder = Path(app.config["PLAN_AUDIO_DIR"]) / token
    write_track_status(folder, {"version": 1, "state": "building", "done": 3, "total": 12})
    assert state(ann, plan_id)["percent"] == 25
    assert "Building the track… 25 %" in ann.client.get(
        f"/therapist/plans/{plan_id}").get_data(as_text=True)
    write_track_status(folder, {"version": 1, "state": "failed", "why": "no voice"})
    assert state(ann, plan_id) == {"state": "failed", "version": 1, "why": "no voice"}


def test_a_built_track_plays_for_its_therapist_only(app, ann, piper, encoder, cache_dir):
    plan_id, _ = saved(ann)
    plan_builds(app, piper, encoder, cache_dir).step()
    found = state(ann, plan_id)
    assert found["state"] == "ready" and found["audio_is_latest"] is True
    whole = ann.client.get(found["audio"])
    assert whole.status_code == 200 and whole.mimetype == "audio/mpeg"
    assert whole.headers["Cache-Control"] == "no-store"
    part = ann.client.get(found["audio"], headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and len(part.data) == 100
    bea = Therapist(app, "bea@example.com")
    assert bea.client.get(found["audio"]).status_code == 404
    assert bea.client.get(f"/therapist/plans/{plan_id}/track.json").status_code == 404
    assert app.test_client().get(found["audio"]).status_code == 302, "sign in first"
    assert ann.client.get(f"/therapist/plans/{plan_id}/audio/..%2Fplan.mp3").status_code == 404


def test_an_edit_plays_the_earlier_build_until_the_new_one_is_built(app, ann, piper, encoder,
                                                                    cache_dir):
    plan_id, _ = saved(ann)
    builds = plan_builds(app, piper, encoder, cache_dir)
    builds.step()
    first = state(ann, plan_id)["audio"]
    longer = {**SHORT, "steps": [{**SHORT["steps"][0], "work": "7s"}]}
    ann.post(f"/therapist/plans/{plan_id}", {"routine": longer, "schedule": {}})
    waiting = state(ann, plan_id)
    assert waiting["state"] == "waiting" and waiting["version"] == 2
    assert waiting["audio"] == first and waiting["audio_is_latest"] is False
    builds.step()
    ready = state(ann, plan_id)
    assert ready["audio"] != first and ready["audio_is_latest"] is True
    assert ann.client.get(first).status_code == 200, "the earlier build is still kept"


def test_deleting_the_client_deletes_the_tracks_at_once(app, ann):
    _, token = saved(ann, ROUTINE)
    folder = Path(app.config["PLAN_AUDIO_DIR"]) / token
    write_track_status(folder, {"version": 1, "state": "building", "done": 0, "total": 1})
    page = ann.client.get(f"/therapist/clients/{ann.client_id}/delete").get_data(as_text=True)
    ann.client.post(f"/therapist/clients/{ann.client_id}/delete", data={"csrf_token": csrf(page)})
    assert not folder.exists()
