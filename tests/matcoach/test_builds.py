"""The background builder, with the real voice and encoder: quickest first, a failure told
once and not retried until its file changes, and a status that says how long is left."""

from __future__ import annotations

import textwrap
import time

import pytest

from audio.maker import TrackMaker
from audio.status import read_status
from builder.live import LiveLibrary
from matcoach.builds import BuildService

from ..served import ROUTINES

CLASH = """
    title: Clash
    summary: Cues that cannot both be heard.
    equipment: [yoga-mat]
    steps:
      - title: Hold
        say: Hold.
        body_area: back
        work: 10s
        cues:
          halfway: true
          every: {interval: 4s, say: Keep breathing slowly and deeply.}
    """


@pytest.fixture
def service(tmp_path, piper, encoder, cache_dir):
    library = tmp_path / "library"
    library.mkdir()
    for routine_id in ("shoulder-knot", "warm-breath"):
        (library / f"{routine_id}.yaml").write_text(textwrap.dedent(ROUTINES[routine_id]))
    (library / "clash.yaml").write_text(textwrap.dedent(CLASH))
    maker = TrackMaker(piper, encoder, cache_dir, tmp_path / "tracks")
    return BuildService(LiveLibrary(library, interval_s=0), maker), library, tmp_path / "tracks"


def test_it_builds_each_routine_once_and_tells_a_failure_once(service, caplog):
    builder, library, tracks = service
    queued = [job.routine.id for job in builder.jobs(builder.library.current())]
    assert sorted(queued) == ["clash", "shoulder-knot", "warm-breath"]
    assert all(a.new_chars <= b.new_chars for a, b in
               zip(builder.jobs(builder.library.current()),
                   builder.jobs(builder.library.current())[1:], strict=False)), "quickest first"
    with caplog.at_level("INFO", logger="matcoach.builds"):
        while builder.step():
            pass
    assert {p.name for p in tracks.glob("*.mp3")} == {"shoulder-knot.mp3", "warm-breath.mp3"}
    failures = [r.message for r in caplog.records if "could not be built" in r.message]
    assert len(failures) == 1 and "the every" in failures[0] and "halfway" in failures[0]
    status = read_status(tracks)
    assert status.failed["clash"].startswith(str(library / "clash.yaml"))
    assert "\n" not in status.failed["clash"], "one line for the pages"
    assert status.waiting() == () and status.live()
    assert builder.step() is False, "not tried again while the file is unchanged"
    (library / "clash.yaml").write_text(textwrap.dedent(CLASH).replace(
        "Keep breathing slowly and deeply.", "Breathe."))
    assert builder.step() is True and (tracks / "clash.mp3").is_file()
    assert "clash" not in read_status(tracks).failed


def test_the_status_says_what_is_left_and_when_each_is_ready(service):
    builder, _, tracks = service
    jobs = builder.jobs(builder.library.current())
    builder._write(jobs, force=True)
    status = read_status(tracks)
    assert status.building == (jobs[0].routine.id,)
    assert list(status.queued) == [job.routine.id for job in jobs[1:]]
    waits = [status.ready_in_s[job.routine.id] for job in jobs]
    assert waits == sorted(waits) and waits[0] >= 1 and status.left_s == waits[-1]
    assert status.total == 3 and status.done == 0
    assert abs(status.updated_at - time.time()) < 5
