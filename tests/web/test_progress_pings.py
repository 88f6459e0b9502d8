"""Issue 14: the private page's player reports what was played, in a real Chromium (the
track muted and played fast): a play and a pause store a session with the time heard;
a step jumped past is not done though the steps played through after it are; and the
progress page that shows it passes axe on a phone without scrolling sideways."""

from __future__ import annotations

import json

import pytest

from plans.history import History

from ..served import serving
from .conftest import CHROMIUM, FLAGS, ON_A_PHONE, opened
from .test_accessibility import assert_no_violations
from .test_private_progress import built_plan
from .therapists import Clock, accounts, therapist_app

FAST = 16   # Chromium's fastest playbackRate: the 40 s track in under 3 s


@pytest.fixture(scope="module")
def chromium(driver):
    """Chromium alone (the `browser` fixture would build and serve the library too)."""
    launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, piper, encoder, cache_dir):
    """The app with a built plan, served: (app, address, plan id, token)."""
    app = therapist_app(tmp_path_factory.mktemp("pings"), CLOCK=Clock())
    plan_id, token = built_plan(app, piper, encoder, cache_dir)
    with serving(app) as address:
        yield app, address, plan_id, token


def stored(app, plan_id: int) -> dict:
    return {s.id: s for s in History(accounts(app).store).of_plan(plan_id)}


def report(request, **expected) -> bool:
    """Whether `request` is a report of the page's player with the `expected` fields."""
    if request.method != "POST" or not request.url.endswith("/progress"):
        return False
    body = json.loads(request.post_data or "null")
    return "session" in body and all(body.get(k) == v for k, v in expected.items())


def test_playing_then_pausing_stores_what_was_heard(chromium, site):
    app, address, plan_id, token = site
    with opened(chromium, address, ON_A_PHONE) as page:
        page.goto(f"/p/{token}")
        page.eval_on_selector("#audio", f"a => {{ a.muted = true; a.playbackRate = {FAST}; }}")
        with page.expect_response(lambda r: r.url.endswith("/progress")
                                  and r.status == 201) as started:
            page.click("#play-pause")
        session = started.value.json()["session"]
        page.wait_for_function("document.getElementById('audio').currentTime > 8")
        with page.expect_request(report) as paused:
            page.click("#play-pause")
        sent = json.loads(paused.value.post_data)
        paused.value.response()   # stored before it is read back
        at_ms = page.eval_on_selector("#audio", "a => a.currentTime * 1000")
    assert sent["session"] == session and not sent["finished"]
    # Played through from the start: all of it counts, to within a sample or two.
    assert 0.8 * at_ms <= sent["played_ms"] <= at_ms + 100
    assert stored(app, plan_id)[session].played_ms == sent["played_ms"] > 0
    assert stored(app, plan_id)[session].steps_done == set(sent["steps"])


def test_a_step_jumped_past_is_not_done(chromium, site):
    app, address, plan_id, token = site
    with opened(chromium, address, ON_A_PHONE) as page:
        page.goto(f"/p/{token}")
        page.eval_on_selector("#audio", f"a => {{ a.muted = true; a.playbackRate = {FAST}; }}")
        # The third step's button: seek there and play to the end (routine.js).
        with page.expect_request(lambda r: report(r, finished=True), timeout=15_000) as ended:
            page.click(".step[data-title='Ankle circles']")
        ended.value.response()
        duration = page.eval_on_selector("#audio", "a => a.duration * 1000")
        start = int(page.get_attribute(".step[data-title='Ankle circles']", "data-start"))
        body = json.loads(ended.value.post_data)
        assert body["steps"] == [2], "the first two steps were jumped past"
        assert body["played_ms"] <= duration - start + 100, "the jump itself is not heard"
        (session,) = [s for s in stored(app, plan_id).values() if s.id == body["session"]]
        assert session.steps_done == {2} and session.finished

        page.goto(f"/p/{token}/progress")
        assert "Skipped most often" in page.inner_text("#skipped-summary")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.eval_on_selector("#chart-sessions-chart", "svg => svg.getBoundingClientRect()"
                                     ".width") <= 390
        assert_no_violations(page, "a plan's progress page")
