"""The background builder, with the real voice and encoder: quickest first, a failure told
once and not retried until its file changes, and a status that says how long is left."""

from __future__ import annotations

import textwrap
import time
import uuid

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
    # The pages show it to anyone: the file named within the library, not where it is.
    assert status.failed["clash"].startswith("clash.yaml:11: step 1 (Hold): the every")
    assert str(library) not in status.failed["clash"] and str(library) in failures[0]
    assert "\n" not in status.failed["clash"], "one line for the pages"
    assert status.waiting() == () and status.live()
    assert builder.step() is False, "not tried again while the file is unchanged"
    (library / "clash.yaml").write_text(textwrap.dedent(CLASH).replace(
        "Keep breathing slowly and deeply.", "Breathe."))
    assert builder.step() is True and (tracks / "clash.mp3").is_file()
    assert "clash" not in read_status(tracks).failed


def test_a_routine_built_again_after_failing_is_waiting_not_failed(service):
    builder, library, tracks = service
    while builder.step():
        pass
    assert "clash" in read_status(tracks).failed
    (library / "clash.yaml").write_text(textwrap.dedent(CLASH).replace(
        "Keep breathing slowly and deeply.", "Breathe."))
    jobs = builder.jobs(builder.library.current())
    builder._write(jobs, force=True)
    status = read_status(tracks)
    assert "clash" in status.waiting() and "clash" not in status.failed


def test_asked_to_stop_it_cuts_the_build_short_and_publishes_nothing(service, monkeypatch):
    builder, library, tracks = service
    for path in library.glob("*.yaml"):
        path.unlink()
    # Words never spoken before, so the build has phrases to speak and can stop between them.
    fresh = " ".join(uuid.uuid4().hex[:6] for _ in range(3))
    (library / "fresh.yaml").write_text(textwrap.dedent(f"""
        title: Fresh
        summary: New words.
        equipment: [yoga-mat]
        intro: Words never heard, {fresh}.
        steps:
          - title: Hold {fresh}
            say: Hold still, {fresh}.
            body_area: back
            work: 5s
        outro: Done, {fresh}.
        """))
    written = builder._write

    def stop_once_speaking(jobs, force=False):
        if any(job.done_fraction > 0 for job in jobs):
            builder.stopping.set()
        written(jobs, force)

    monkeypatch.setattr(builder, "_write", stop_once_speaking)
    builder.run(poll_s=0.01)
    assert builder.stopping.is_set()
    assert list(tracks.glob("*.mp3")) == [] and list(tracks.glob("*.json")) == []


def test_the_status_says_what_is_left_and_when_each_is_ready(service):
    builder, library, tracks = service
    jobs = builder.jobs(builder.library.current())
    builder._write(jobs, force=True)
    status = read_status(tracks)
    assert status.building == (jobs[0].routine.id,)
    assert list(status.queued) == [job.routine.id for job in jobs[1:]]
    waits = [status.ready_in_s[job.routine.id] for job in jobs]
    assert waits == sorted(waits) and waits[0] >= 1 and status.left_s == waits[-1]
    assert status.total == 3 and status.done == 0
    assert abs(status.updated_at - time.time()) < 5
    assert status.library == str(library.resolve()), "which library it builds"


def test_a_heartbeat_keeps_the_status_alive_through_a_long_step(service):
    builder, _, tracks = service
    builder.clock = lambda: 1000.0
    builder._write([], force=True)
    builder.clock = lambda: 1000.0 + 6
    builder.beat()
    assert read_status(tracks).updated_at == 1006.0


def test_the_builder_names_the_status_file_the_readers_read():
    """build_process keeps its own copy (it imports nothing heavy before its signal
    handlers are set); it must be the file the shelf reads."""
    from audio.status import STATUS_FILE
    from matcoach import build_process
    assert build_process.STATUS_FILE == STATUS_FILE
