"""Builds are kept whole under builds/<build>/ and never change; tidying never removes the
current build, the one before it or those saved places need, and a build cut short at any step
of publishing loses nothing (issue 10)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from audio.kept import BUILDS, is_kept, kept_folder, routine_lock
from audio.tags import read_build
from audio.tidy import tidy

from .conftest import kept

NAME = "test-routine"




def prune(out, in_use) -> list[str]:
    """Tidy with no room at all: every build that may go, goes."""
    return [path.name for path in tidy(out, None, in_use, cap_bytes=1).removed]



def files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def published(out) -> dict[str, bytes]:
    return {f"{NAME}{suffix}": (out / f"{NAME}{suffix}").read_bytes()
            for suffix in (".json", ".mp3", ".vtt")}


def test_each_build_is_kept_whole_and_never_changed(make, tmp_path):
    out = tmp_path / "tracks"
    first = make()
    before = files(kept_folder(out, first))
    second = make("All done.")
    assert kept(out) == [first, second]
    assert files(kept_folder(out, first)) == before, "rebuilding left the old build alone"
    assert (out / f"{NAME}.mp3").samefile(kept_folder(out, second) / f"{NAME}.mp3")


def test_tidying_keeps_the_current_the_previous_and_those_places_need(make, tmp_path):
    out = tmp_path / "tracks"
    paused_in = make()
    forgotten = make("One.")
    previous = make("Two.")
    current = make("Three.")
    assert prune(out, in_use={paused_in}) == [forgotten]
    assert kept(out) == [paused_in, previous, current]
    assert not (out / BUILDS / forgotten).exists()
    assert [p.name for p in (out / BUILDS).iterdir() if p.name.startswith(".")] == []
    assert prune(out, in_use=set()) and kept(out) == [previous, current]


def test_a_routine_being_built_is_left_for_next_time(make, tmp_path):
    out = tmp_path / "tracks"
    make(), make("One."), make("Two.")
    with routine_lock(out, NAME):
        assert prune(out, in_use=set()) == []
    assert len(prune(out, in_use=set())) == 1


def test_a_removal_cut_short_is_cleared_and_never_half_a_build(make, tmp_path):
    out = tmp_path / "tracks"
    first = make()
    make("One.")
    current = make("Two.")
    half = out / BUILDS / f".gone-{first}-1234"
    os.rename(kept_folder(out, first), half)   # as a kill -9 inside remove_folder leaves it
    (half / f"{NAME}.mp3").unlink()
    prune(out, in_use=set())
    assert not half.exists()
    assert is_kept(out, current, NAME)


def test_tracks_published_before_builds_were_kept_are_adopted(make, tmp_path):
    out = tmp_path / "tracks"
    first = make()
    shutil.rmtree(out / BUILDS)
    prune(out, in_use=set())
    assert kept(out) == [first]
    assert (out / f"{NAME}.json").samefile(kept_folder(out, first) / f"{NAME}.json")


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs in the build (not even `except Exception`)."""


@pytest.mark.parametrize("step", range(16))
def test_a_build_cut_short_at_any_step_of_publishing_loses_nothing(make, tmp_path,
                                                                    monkeypatch, step):
    """Each link, rename and replace publishing makes, in turn, is where the build dies.
    The build it replaces stays whole (and kept: its URL goes on working), what is
    published is one build or the other, and the next build finishes the job."""
    out = tmp_path / "tracks"
    first = make()
    shutil.rmtree(out / BUILDS)   # published before builds were kept: the hardest case
    old = published(out)
    calls = {"n": 0}
    real = {name: getattr(os, name) for name in ("link", "rename", "replace")}

    def dying(name):
        def call(*args, **kwargs):
            if str(out) in str(args[-1]):
                if calls["n"] == step:
                    raise Killed
                calls["n"] += 1
            return real[name](*args, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, dying(name))
    try:
        make("All done.")   # past the last step, it simply completes
    except Killed:
        pass
    finally:
        monkeypatch.undo()
    if is_kept(out, first, NAME):
        assert files(kept_folder(out, first)) == old
    else:   # killed before it was kept: still published, untouched
        assert published(out) == old
    for build in kept(out):
        assert is_kept(out, build, NAME), "a kept build is whole"
    named = json.loads((out / f"{NAME}.json").read_text())["build"]
    assert is_kept(out, named, NAME) or read_build(out / f"{NAME}.mp3") == named
    second = make("All done.")
    assert kept(out) == [first, second]
    assert files(kept_folder(out, first)) == old
