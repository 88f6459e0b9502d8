"""The builder and `matcoach build` tidy the tracks folder with the builds saved places
refer to kept (issue 10): a listener who paused resumes in the same audio, however many
times the routine is rebuilt meanwhile, and a build no one needs any more is removed."""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

from click.testing import CliRunner

from audio.maker import TrackMaker
from audio.tidy import kept_builds
from builder.live import LiveLibrary
from matcoach.builds import UPKEEP_EVERY_S, BuildService
from matcoach.cli import main
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
                           clock=lambda: now[0], upkeep=upkeep(tracks, database))
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
    out, database = tmp_path / "out", tmp_path / "places.sqlite"
    routine = tmp_path / "warm-breath.yaml"
    env = {"MATCOACH_CACHE": str(cache_dir), "MATCOACH_DATABASE": str(database)}
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
    env = {"MATCOACH_CACHE": str(cache_dir), "MATCOACH_DATABASE": str(database)}
    for outro in ("Done.", "One.", "Two."):
        routine.write_text(ROUTINE.replace("Done.", outro))
        result = CliRunner().invoke(main, ["build", str(routine), "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
    assert len(builds(out)) == 3
    assert "could not tidy" in result.output
