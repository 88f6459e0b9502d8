"""Fixtures for pages that show routines not built yet: a library of the three built
routines and one more, served from a copy of the built tracks."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from audio.maker import TrackMaker
from builder.library import load_library
from matcoach.app import create_app

from .building import NEW_ID, NEW_ROUTINE


@pytest.fixture(scope="session")
def growing_library(tmp_path_factory, library_dir) -> Path:
    """The fixture library plus NEW_ID (read only: the apps only look at it)."""
    folder = tmp_path_factory.mktemp("growing-library")
    for path in library_dir.glob("*.yaml"):
        shutil.copyfile(path, folder / path.name)
    (folder / f"{NEW_ID}.yaml").write_text(textwrap.dedent(NEW_ROUTINE), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def new_built(tmp_path_factory, growing_library, piper, encoder, cache_dir) -> Path:
    """A folder with NEW_ID built by the real voice and encoder, ready to be published."""
    out = tmp_path_factory.mktemp("new-built")
    routine = load_library(growing_library).routines[NEW_ID]
    TrackMaker(piper, encoder, cache_dir, out).make(routine)
    return out


@pytest.fixture
def served_tracks(tmp_path, tracks_dir) -> Path:
    """A copy of the built tracks this test may change (the session's stay as they are)."""
    return Path(shutil.copytree(tracks_dir, tmp_path / "tracks"))


@pytest.fixture
def growing_app(tmp_path, growing_library, served_tracks):
    """The app serving the growing library, in which NEW_ID is not built."""
    return create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(served_tracks),
                       "LIBRARY_DIR": str(growing_library),
                       "DATABASE": str(tmp_path / "matcoach.sqlite")})


@pytest.fixture
def growing_client(growing_app):
    return growing_app.test_client()
