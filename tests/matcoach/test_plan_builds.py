"""Issue 13: the builder keeps every plan's latest version built, with the real voice and
encoder, each plan in a private folder of its own; a new version is built beside the old
one (a session in progress keeps its audio); a plan that no longer passes the checks says
why; a deleted plan's tracks go."""

from __future__ import annotations

import pytest

from audio.kept import BUILDS
from audio.maker import TrackMaker
from audio.one_track import read_track_status, write_track_status
from builder.library import load_context
from builder.live import LiveLibrary
from matcoach.builds import BuildService
from matcoach.plan_builds import PlanBuilds
from plans import Store

PLAN = """\
title: Right shoulder
intro: Sit on your mat.
steps:
  - title: Calf press
    say: Press gently.
    body_area: calves
    work: 6s
    lead_in: 1s
outro: Done.
"""


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'plans.sqlite'}")
    store.upgrade()
    yield store
    store.close()


@pytest.fixture
def owner(store):
    therapist = store.add_therapist("ann@example.com")
    return therapist, store.add_client(therapist, "J. S.")


@pytest.fixture
def builds(store, tmp_path, piper, encoder, cache_dir) -> PlanBuilds:
    context = load_context(None)
    return PlanBuilds(store, tmp_path / "plan-tracks", lambda: context,
                      lambda folder: TrackMaker(piper, encoder, cache_dir, folder))


def test_a_plan_is_built_once_into_its_own_folder(store, owner, builds):
    plan = store.add_plan(*owner, "Right shoulder", PLAN)
    assert builds.step() is True
    folder = builds.folder / plan.token
    status = read_track_status(folder)
    assert status["state"] == "ready" and status["version"] == 1
    assert (folder / BUILDS / status["build"] / "plan.mp3").stat().st_size > 10_000
    assert builds.step() is False, "nothing more to do"


def test_a_new_version_is_built_beside_the_old_one(store, owner, builds):
    plan = store.add_plan(*owner, "Right shoulder", PLAN)
    builds.step()
    first = read_track_status(builds.folder / plan.token)["build"]
    store.revise_plan(owner[0], plan.id, PLAN.replace("work: 6s", "work: 7s"))
    assert builds.step() is True
    status = read_track_status(builds.folder / plan.token)
    assert status["version"] == 2 and status["build"] != first
    kept = {path.name for path in (builds.folder / plan.token / BUILDS).iterdir()}
    assert {first, status["build"]} <= kept, "the version a session started stays playable"


def test_a_plan_that_no_longer_passes_the_checks_says_why_once(store, owner, builds):
    plan = store.add_plan(*owner, "Right shoulder",
                          "title: Old\nsteps:\n  - move: a-move-since-removed\n")
    assert builds.step() is True
    status = read_track_status(builds.folder / plan.token)
    assert status["state"] == "failed" and "not a move in the catalog" in status["why"]
    assert builds.step() is False, "not tried again until the plan changes"


def test_a_build_cut_short_is_built_again(store, owner, builds):
    plan = store.add_plan(*owner, "Right shoulder", PLAN)
    write_track_status(builds.folder / plan.token, {"version": 1, "state": "building",
                                                    "done": 3, "total": 9})
    assert builds.step() is True
    assert read_track_status(builds.folder / plan.token)["state"] == "ready"


def test_the_tracks_of_a_deleted_client_go(store, owner, builds):
    plan = store.add_plan(*owner, "Right shoulder", PLAN)
    builds.step()
    store.delete_client(*owner)
    builds.tidy()
    assert not (builds.folder / plan.token).exists()


def test_the_builder_builds_plans_before_the_library(store, owner, builds, library_dir,
                                                     piper, encoder, cache_dir, tmp_path):
    """A therapist waits on the plan's page; the library can wait a minute."""
    plan = store.add_plan(*owner, "Right shoulder", PLAN)
    service = BuildService(LiveLibrary(library_dir),
                           TrackMaker(piper, encoder, cache_dir, tmp_path / "tracks"),
                           plans=builds)
    assert service.step() is True
    assert read_track_status(builds.folder / plan.token)["state"] == "ready"
    assert not (tmp_path / "tracks").exists() or not list((tmp_path / "tracks").glob("*.mp3"))


def test_a_plan_is_built_again_when_the_voice_or_catalog_changes_its_build(store, owner,
                                                                          builds):
    """A move's corrected safety words, or a new voice, change what a plan should sound
    like: its track is built again, though the plan itself did not change."""
    plan = store.add_plan(*owner, "Right shoulder", PLAN)
    builds.step()
    folder = builds.folder / plan.token
    write_track_status(folder, {**read_track_status(folder), "build": "0" * 16})
    assert builds.step() is True
    assert read_track_status(folder)["build"] != "0" * 16
    assert builds.step() is False


def test_a_failed_plan_is_tried_again_when_the_catalog_changes(store, owner, builds):
    plan = store.add_plan(*owner, "Old", "title: Old\nsteps:\n  - move: a-move-since-removed\n")
    builds.step()
    assert builds.step() is False
    fresh = load_context(None)   # the library reloaded: a catalog of its own
    builds.context = lambda: fresh
    assert builds.step() is True, "checked again against the new catalog"
    assert read_track_status(builds.folder / plan.token)["state"] == "failed"


def test_a_plans_database_that_cannot_be_opened_leaves_the_library_to_build(monkeypatch,
                                                                            caplog):
    """The builder logs why plans will not be built, and builds the library all the same."""
    from matcoach.build_process import _plan_builds
    monkeypatch.setenv("MATCOACH_PLANS_URL", "not a database url")
    assert _plan_builds(lambda: None, lambda folder: None, None) is None
    assert "plans will not be built: Cannot use the plans database" in caplog.text
