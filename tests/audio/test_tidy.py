"""The tracks folder and the cache stay under a size cap, least recently used first out,
never a current build, the one before it or a build a saved place refers to (issue 10)."""

from __future__ import annotations

import os
import shutil
import time

from audio.cache import DiskCache
from audio.kept import kept_folder
from audio.maker import TrackMaker
from audio.tidy import RECENT_S, kept_builds, tidy

from .conftest import kept

NAME = "test-routine"
DAY_S = 24 * 3600




def last_used(out, build, days_ago: float) -> None:
    """As if the build was last made or served `days_ago` days ago."""
    when = time.time() - days_ago * DAY_S
    os.utime(kept_folder(out, build), (when, when))



def test_under_the_cap_every_earlier_build_is_kept(make, tmp_path):
    out = tmp_path / "tracks"
    made = [make(), make("One."), make("Two."), make("Three.")]
    result = tidy(out, None, in_use=set(), cap_bytes=2**30)
    assert result.removed == () and kept(out) == made
    # What is counted is what is on disk: each build once, however many names it has.
    assert result.total == sum(p.stat().st_size for p in (out / "builds").rglob("*.*"))


def test_over_the_cap_the_build_used_longest_ago_goes_first(make, tmp_path):
    out = tmp_path / "tracks"
    first, second, previous, current = make(), make("One."), make("Two."), make("Three.")
    last_used(out, first, days_ago=1)     # a podcast app fetched it yesterday
    last_used(out, second, days_ago=3)
    size = tidy(out, None, set(), 2**30).total
    [second_size] = [k.size for k in kept_builds(out) if k.build == second]
    result = tidy(out, None, in_use=set(), cap_bytes=size - 1)
    assert [p.name for p in result.removed] == [second]
    assert kept(out) == [first, previous, current]
    assert result.left == size - second_size


def test_never_the_current_the_previous_or_a_saved_place_s_build(make, tmp_path, caplog):
    out = tmp_path / "tracks"
    paused_in, forgotten, previous, current = make(), make("One."), make("Two."), make("Three.")
    for build in (paused_in, forgotten, previous, current):
        last_used(out, build, days_ago=30)
    with caplog.at_level("WARNING", logger="audio.tidy"):
        result = tidy(out, None, in_use={paused_in}, cap_bytes=1)
    assert [p.name for p in result.removed] == [forgotten]
    assert kept(out) == [paused_in, previous, current]
    assert result.left > 1
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "over the 0 MB cap (MATCOACH_DISK_CAP)" in warning


def entries(cache: DiskCache, count: int, days_ago: list[float]) -> list[str]:
    """`count` cache entries of 1000 bytes, each last used `days_ago[i]` days ago."""
    keys = []
    for number in range(count):
        key = f"{number:02d}" + "ab" * 31
        cache.write(key, bytes(1000))
        when = time.time() - days_ago[number] * DAY_S
        os.utime(cache.path(key), (when, when))
        keys.append(key)
    return keys


def test_cache_entries_go_least_recently_used_first(tmp_path):
    cache_dir = tmp_path / "cache"
    phrases = DiskCache(cache_dir / "phrases", ".s16")
    keys = entries(phrases, 5, days_ago=[5, 1, 4, 2, 3])
    result = tidy(tmp_path / "tracks", cache_dir, set(), cap_bytes=3000)
    assert result.total == 5000 and result.left == 3000
    assert sorted(p.name for p in result.removed) == sorted(
        f"{key}.s16" for key in (keys[0], keys[2]))
    assert [phrases.read(key) is not None for key in keys] == [False, True, False, True, True]


def test_a_cache_entry_a_build_looks_up_is_used_now(tmp_path):
    cache_dir = tmp_path / "cache"
    islands = DiskCache(cache_dir / "islands", ".mp3")
    keys = entries(islands, 3, days_ago=[3, 2, 1])
    DiskCache(cache_dir / "islands", ".mp3").size(keys[0])   # as a build checks it
    tidy(tmp_path / "tracks", cache_dir, set(), cap_bytes=2000)
    assert [islands.size(key) is not None for key in keys] == [True, False, True]


def test_entries_used_in_the_last_hour_are_left_for_a_build_running_beside(tmp_path):
    cache_dir = tmp_path / "cache"
    phrases = DiskCache(cache_dir / "phrases", ".s16")
    entries(phrases, 2, days_ago=[RECENT_S / 2 / DAY_S, 2])
    result = tidy(tmp_path / "tracks", cache_dir, set(), cap_bytes=1)
    assert len(result.removed) == 1 and result.left == 1000


def test_a_phrase_removed_is_spoken_again_the_same(built, piper, encoder, tmp_path):
    """A build after its whole cache was removed makes the same track (Piper speaks the
    same samples every time)."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(built.maker.cache_dir, cache_dir)
    out = tmp_path / "tracks"
    TrackMaker(piper, encoder, cache_dir, out).make(built.routine)
    first = (out / f"{NAME}.mp3").read_bytes()
    removed = tidy(out, cache_dir, set(), cap_bytes=1, now=time.time() + 2 * RECENT_S).removed
    assert any(p.suffix == ".s16" for p in removed) and any(p.suffix == ".mp3" for p in removed)
    again = tmp_path / "again"   # not where the first is kept: it would be published again
    TrackMaker(piper, encoder, cache_dir, again).make(built.routine)
    assert (again / f"{NAME}.mp3").read_bytes() == first
