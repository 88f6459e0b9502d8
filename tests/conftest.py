"""Fixtures shared by every test package."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from audio.encoder import Encoder, default_ffmpeg
from audio.piper_engine import PiperEngine


@pytest.fixture
def write(tmp_path: Path):
    """Write dedented text to a file under tmp_path and return its path."""
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real encoder (the ffmpeg inside the imageio-ffmpeg wheel)."""
    return Encoder(default_ffmpeg())


@pytest.fixture(scope="session")
def piper() -> PiperEngine:
    """The real offline voice."""
    return PiperEngine.from_path(None)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One phrase cache for the session, so each phrase is spoken once."""
    return tmp_path_factory.mktemp("cache")
