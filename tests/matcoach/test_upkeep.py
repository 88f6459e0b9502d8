"""The builder and `matcoach build` tidy the tracks folder with the builds saved places
refer to kept (issue 10): a listener who paused resumes in the same audio, however many
times the routine is rebuilt meanwhile, and a build no one needs any more is removed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from audio.maker import TrackMaker
from audio.tidy import kept_builds
from builder.live import LiveLibrary
from matcoach.app import create_app
from matcoach.builds import UPKEEP_EVERY_S, BuildService
from matcoach.cli import main
from matcoach.config import ConfigError
from matcoach.upkeep import upkeep
from skill.store import SqliteAdapter

from ..served import ROUTINES

ROUTINE = textwrap.dedent(ROUTINES["warm-breath"])


def save_place(database: Path, build: str | None) -> None:
    """A listener's saved place, as the skill stores it."""
    SqliteAdapter(database).close()
    place = {"routine": "warm-breath", "build": build, "offset_ms": 4000, "chapter": 1}
    with sqlite3.connect(database) as db:
        db.execute("INSERT OR REPLACE INTO attributes VALUES ('amzn1.ask.account.A', ?, '')",
                   (json.dumps({"place": place}),))


def builds(tracks: Path) -> list[str]:
    return [kept.build for kept in kept_builds(tracks)]


def current(tracks: Path) -> str:
    return json.loads((tracks / "warm-breath.json").read_text())["build"]


def test_the_builder_keeps_the_builds_places_need_and_removes_the_rest(
        tmp_path, piper, encoder, cache_dir):
    library, tracks, database = tmp_path / "library", tmp_path / "tracks", tmp_path / "db"
    library.mkdir()
    now = [1000.0]
    service = BuildService(LiveLibrary(library, interval_s=0),
                           TrackMaker(piper, encoder, cache_dir, tracks),
                           clock=lambda: now[0],
                           upkeep=upkeep(tracks, tmp_path / "no-cache", database, cap_bytes=1))
    made = []
    for outro in ("Done.", "One.", "Two.", "Three."):
        (library / "warm-breath.yaml").write_text(ROUTINE.replace("Done.", outro))
        assert service.step() is True
        made.append(current(tracks))
        if len(made) == 1:
            save_place(database, made[0])   # someone paused in the first build
    assert builds(tracks) == [made[0], made[2], made[3]], "the second is no one's"
    save_place(database, None)   # they finished
    assert service.step() is False
    assert builds(tracks) == [made[0], made[2], made[3]], "not looked at again so soon"
    now[0] += UPKEEP_EVERY_S
    assert service.step() is False
    assert builds(tracks) == [made[2], made[3]]


def test_matcoach_build_tidies_what_it_wrote_to(tmp_path, cache_dir):
    """With no room to spare (MATCOACH_DISK_CAP of one byte), all that may go goes."""
    out, database = tmp_path / "out", tmp_path / "places.sqlite"
    routine = tmp_path / "warm-breath.yaml"
    cache = shutil.copytree(cache_dir, tmp_path / "cache")   # the session's is not touched
    env = {"MATCOACH_CACHE": str(cache), "MATCOACH_DATABASE": str(database),
           "MATCOACH_DISK_CAP": "1"}
    made = []
    for outro in ("Done.", "One.", "Two.", "Three."):
        routine.write_text(ROUTINE.replace("Done.", outro))
        result = CliRunner().invoke(main, ["build", str(routine), "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
        made.append(current(out))
        if len(made) == 1:
            save_place(database, made[0])
    assert builds(out) == [made[0], made[2], made[3]]


def test_a_database_that_cannot_be_read_keeps_every_build(tmp_path, cache_dir):
    """Not knowing which builds places need, `matcoach build` removes none, and says so."""
    out, database = tmp_path / "out", tmp_path / "places.sqlite"
    database.write_text("not a database")
    routine = tmp_path / "warm-breath.yaml"
    cache = shutil.copytree(cache_dir, tmp_path / "cache")
    env = {"MATCOACH_CACHE": str(cache), "MATCOACH_DATABASE": str(database),
           "MATCOACH_DISK_CAP": "1"}
    for outro in ("Done.", "One.", "Two."):
        routine.write_text(ROUTINE.replace("Done.", outro))
        result = CliRunner().invoke(main, ["build", str(routine), "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
    assert len(builds(out)) == 3
    assert "could not tidy" in result.output


@pytest.mark.parametrize("cap", ["lots", "-5G", "0", "²G", "1T"])
def test_a_disk_cap_that_is_not_a_size_is_one_clear_sentence(tmp_path, cache_dir, cap,
                                                           monkeypatch):
    routine = tmp_path / "warm-breath.yaml"
    routine.write_text(ROUTINE)
    env = {"MATCOACH_CACHE": str(cache_dir), "MATCOACH_DISK_CAP": cap}
    result = CliRunner().invoke(main, ["build", str(routine), "--out", str(tmp_path / "out")],
                                env=env)
    assert result.exit_code == 1
    assert f'MATCOACH_DISK_CAP is "{cap}"; set it to a size such as 500M or 2G' in result.output
    assert not (tmp_path / "out").exists(), "checked before building"
    monkeypatch.setenv("MATCOACH_DISK_CAP", cap)
    with pytest.raises(ConfigError, match="MATCOACH_DISK_CAP"):
        create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tmp_path / "tracks"),
                    "DATABASE": str(tmp_path / "db.sqlite")})
