"""Where Mat Coach keeps what it makes: tracks, the database and caches, in one folder.

The folder is `MATCOACH_HOME`; unset, it is the checkout's `instance/` when Mat Coach runs
from a source checkout, else the user's data directory (platformdirs: on Linux
`~/.local/share/matcoach`). Nothing depends on the current directory, so every command finds
the same library, tracks and database from any folder. `MATCOACH_AUDIO_DIR`,
`MATCOACH_DATABASE` and `MATCOACH_CACHE` still move one part elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

# The folder this package sits in: the checkout's root, or site-packages when installed.
_SOURCE_ROOT = Path(__file__).resolve().parents[1]


def checkout() -> Path | None:
    """The source checkout Mat Coach runs from, or None when it is installed as a package."""
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / "routines").is_dir():
        return _SOURCE_ROOT
    return None


def data_home() -> Path:
    """The folder for tracks, the database and caches (absolute; not created here)."""
    configured = os.environ.get("MATCOACH_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    root = checkout()
    if root is not None:
        return root / "instance"
    return platformdirs.user_data_path("matcoach")


def _setting(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def tracks_dir() -> Path:
    """Built tracks, cue sheets and transcripts: MATCOACH_AUDIO_DIR, else HOME/tracks."""
    return _setting("MATCOACH_AUDIO_DIR", data_home() / "tracks")


def database_path() -> Path:
    """The SQLite file of places: MATCOACH_DATABASE, else HOME/matcoach.sqlite."""
    return _setting("MATCOACH_DATABASE", data_home() / "matcoach.sqlite")


def cache_dir() -> Path:
    """The phrase and island cache shared by all builds: MATCOACH_CACHE, else HOME/cache."""
    return _setting("MATCOACH_CACHE", data_home() / "cache")
