"""A content-addressed file cache, safe when several builds read and write it at once."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def default_cache_dir() -> Path:
    """MATCOACH_CACHE, else $XDG_CACHE_HOME/matcoach, else ~/.cache/matcoach."""
    configured = os.environ.get("MATCOACH_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "matcoach"


class DiskCache:
    """Files named by key under one folder; an entry is absent or complete, and never changes.

    The first writer of a key wins. That matters because a neural voice is not
    deterministic: two builds speaking the same phrase at once get slightly different
    lengths, and both must go on to use the one that was kept.
    """

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder = folder
        self.suffix = suffix

    def path(self, key: str) -> Path:
        """Where the entry for `key` lives (two-letter fan-out keeps folders small)."""
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def read(self, key: str) -> bytes | None:
        """The entry's bytes, or None when absent."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def size(self, key: str) -> int | None:
        """The entry's size in bytes without reading it, or None when absent."""
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    def write(self, key: str, data: bytes) -> bool:
        """Store an entry unless it exists; False when another writer got there first."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            # A hard link appears complete and atomically, and fails if the name is taken.
            os.link(temporary, path)
            return True
        except FileExistsError:
            return False
        finally:
            Path(temporary).unlink(missing_ok=True)
