"""What the pages say about routines not built yet, from what the builder reports."""

from __future__ import annotations

import pytest

from audio.status import BuildStatus
from web.readiness import FAILED, READY, UNBUILT, WAITING, brief, progress_text, readiness


@pytest.mark.parametrize(("status", "line"), [
    (None, None),
    (BuildStatus(), None),   # a builder with nothing to do
    (BuildStatus(done=3, total=3, failed={"a": "why"}), None),
    (BuildStatus(done=2, total=14, building=("a",), queued=("b",), left_s=130),
     "Building 3 of 14 — all ready in about 2 minutes"),
    (BuildStatus(total=1, building=("a",), left_s=20),
     "Building 1 of 1 — all ready in less than a minute"),
    (BuildStatus(total=2, building=("a",), queued=("b",)), "Building 1 of 2 — all ready soon"),
    (BuildStatus(done=5, total=0, building=("a",), left_s=60),   # never "6 of 0"
     "Building 6 of 6 — all ready in about a minute"),
])
def test_the_progress_line(status, line):
    assert progress_text(status) == line


@pytest.mark.parametrize(("built", "status", "state", "text"), [
    (True, BuildStatus(building=("a",)), READY, "Ready to play"),
    (False, None, UNBUILT, "Not built yet"),
    (False, BuildStatus(building=("a",), ready_in_s={"a": 200}), WAITING,
     "Being prepared — ready in about 3 minutes"),
    (False, BuildStatus(queued=("a",), ready_in_s={"a": 50}), WAITING,
     "Being prepared — ready in about a minute"),
    # Just added to the library: the builder has not listed it yet, but will build it.
    (False, BuildStatus(), WAITING, "Being prepared — ready soon"),
    (False, BuildStatus(failed={"a": "the voice failed."}), FAILED,
     "Could not be built: the voice failed"),
])
def test_a_routines_readiness(built, status, state, text):
    ready = readiness("a", built, status)
    assert (ready.state, ready.text) == (state, text)
    assert ready.ready == (state == READY)
    assert (ready.wait is not None) == (state == WAITING)


@pytest.mark.parametrize(("reason", "said"), [
    ("the voice failed.", "the voice failed"),
    ("ffmpeg exited with 1\nstderr: a\nstderr: b", "ffmpeg exited with 1"),
    ("  \n", "no reason was given"),
    ("y" * 400, "y" * 159 + "…"),
])
def test_a_failure_is_told_briefly(reason, said):
    assert brief(reason) == said
