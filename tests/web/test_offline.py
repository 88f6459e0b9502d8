"""A routine saved for offline plays with no signal (issue 12), in a real Chromium at a
phone's size: the service worker keeps the page, the cue sheet and the whole MP3, and
answers the player's range requests from that copy. No signal is the server stopped:
Playwright's set_offline does not reach a service worker's fetches."""

from __future__ import annotations

import contextlib
import json
import struct

import pytest

from matcoach.app import create_app

from ..served import serving
from .conftest import CHROMIUM, FLAGS, ON_A_PHONE, opened
from .test_follow_along import STEP_SHOWN

ROUTINE = "/routines/calf-care"
SAVED = "Saved on this device"


@pytest.fixture
def app(tmp_path, library_dir, tracks_dir):
    return create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                       "LIBRARY_DIR": str(library_dir),
                       "DATABASE": str(tmp_path / "db.sqlite")})


@pytest.fixture
def online(browser, app):
    """(phone page, server's address, stop): a phone on the app, with the service worker
    in control; stop() takes the server away, as a basement takes the signal, and empties
    the browser's HTTP cache (not the service worker's)."""
    with contextlib.ExitStack() as server:
        address = server.enter_context(serving(app))
        with opened(browser, address, ON_A_PHONE) as page:
            page.goto(ROUTINE)
            page.wait_for_function("navigator.serviceWorker.controller !== null")

            def stop() -> None:
                # The browser's own HTTP cache may hold a short track it has streamed (a
                # build is cacheable for a year): emptied, as days later, so what plays is
                # what the service worker kept.
                page.context.new_cdp_session(page).send("Network.clearBrowserCache")
                server.close()

            yield page, address, stop


def save(page) -> None:
    page.click("#save-offline")
    page.wait_for_function(f"document.getElementById('offline-status').textContent"
                           f".startsWith('{SAVED}')")


def playing_from(page, seconds: float) -> None:
    """Wait until the audio plays on past `seconds` (+0.3 s) and is not stuck."""
    page.wait_for_function(f"(() => {{ const a = document.getElementById('audio');"
                           f"return !a.paused && a.currentTime > {seconds + 0.3}; }})()")


def test_a_saved_routine_plays_with_no_signal(online, tracks_dir):
    page, _, stop = online
    save(page)
    assert page.is_visible("#remove-offline") and page.is_hidden("#save-offline")
    stop()
    page.reload()
    assert page.inner_text("h1") == "Calf care"
    page.click("#play-pause")
    playing_from(page, 0)
    chapters = json.loads((tracks_dir / "calf-care.json").read_text())["chapters"]
    page.click("#next-step")   # a seek: a range request, answered from the saved copy
    playing_from(page, chapters[1]["start_ms"] / 1000)
    assert page.evaluate(STEP_SHOWN) == chapters[1]["title"]


def test_the_library_shows_which_routines_are_saved(online):
    page, _, stop = online
    save(page)
    stop()
    page.goto("/?equipment=foam-roller")   # the library, kept when it was first opened
    saved = page.eval_on_selector_all(".card", """cards => cards.filter(
        card => card.querySelector('.saved')).map(card => card.dataset.id)""")
    assert saved == ["calf-care"]
    assert page.inner_text(".card[data-id='calf-care'] .saved") == SAVED


def test_a_page_never_kept_says_there_is_no_connection(online):
    page, _, stop = online
    stop()
    page.goto("/routines/shoulder-knot")
    assert page.inner_text("h1") == "No connection"


def test_removing_the_saved_copy_leaves_nothing_behind(online):
    page, _, _ = online
    save(page)
    page.click("#remove-offline")
    page.wait_for_function("document.getElementById('offline-status').textContent"
                           ".startsWith('Removed')")
    assert page.evaluate("window.matCoachSaved()") == {}
    assert page.evaluate("""caches.open('matcoach-saved').then(c => c.keys())
        .then(keys => keys.length)""") == 0


def test_a_save_with_no_signal_says_so_and_keeps_nothing(online):
    page, _, stop = online
    stop()
    page.click("#save-offline")
    page.wait_for_function("document.getElementById('offline-status').textContent"
                           ".includes('could not be saved')")
    assert page.evaluate("window.matCoachSaved()") == {}
    assert page.is_visible("#save-offline") and page.is_enabled("#save-offline")


FETCH_RANGE = """async (header) => {
    const url = document.getElementById('offline').dataset.audio;
    const reply = await fetch(url, header ? {headers: {Range: header}} : {});
    const body = new Uint8Array(await reply.arrayBuffer());
    return {status: reply.status, range: reply.headers.get('Content-Range'),
            length: body.length, first: Array.from(body.slice(0, 4))};
}"""


@pytest.mark.parametrize("header, status, part", [
    ("bytes=0-1", 206, (0, 1)),            # Safari's first request needs an exact 206
    ("bytes=100-", 206, (100, None)),
    ("bytes=-500", 206, (-500, None)),
    ("bytes=10-5", 200, None),             # invalid: ignored, the whole file
    ("bytes=0-1,5-6", 200, None),          # several ranges: ignored, as the server does
    ("pages=1-2", 200, None),
    (None, 200, None),
    ("bytes=999999999-", 416, None),
])
def test_ranges_are_answered_from_the_saved_copy_as_the_server_would(online, tracks_dir,
                                                                     header, status, part):
    page, _, stop = online
    save(page)
    stop()
    mp3 = (tracks_dir / "calf-care.mp3").read_bytes()
    size = len(mp3)
    reply = page.evaluate(FETCH_RANGE, header)
    assert reply["status"] == status
    if status == 416:
        assert reply["range"] == f"bytes */{size}"
        return
    start, end = part if part else (0, None)
    start = size + start if start < 0 else start
    end = size - 1 if end is None else end
    assert reply["length"] == end - start + 1
    assert reply["first"] == list(mp3[start:min(start + 4, end + 1)])
    if status == 206:
        assert reply["range"] == f"bytes {start}-{end}/{size}"


def test_the_app_can_be_installed(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json()
    assert (body["name"], body["start_url"], body["display"]) == ("Mat Coach", "/", "standalone")
    for icon in body["icons"]:
        png = client.get(icon["src"]).data
        assert png.startswith(b"\x89PNG")
        width, height = struct.unpack(">II", png[16:24])
        assert f"{width}x{height}" == icon["sizes"]
    assert {"any", "maskable"} <= {icon["purpose"] for icon in body["icons"]}
    page = client.get(ROUTINE).get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    touch = client.get("/static/apple-touch-icon.png").data   # iOS ignores the manifest's
    assert struct.unpack(">II", touch[16:24]) == (180, 180)
    assert 'rel="apple-touch-icon" href="/static/apple-touch-icon.png"' in page


def test_the_service_worker_is_served_fresh_from_the_root(client):
    reply = client.get("/sw.js")
    assert reply.mimetype == "text/javascript"
    assert reply.headers["Cache-Control"] == "no-cache"   # a new version reaches phones


@pytest.fixture
def elsewhere(driver, server):
    """Chromium that reaches the server by a name, as a phone on the network would by the
    computer's address: plain http that is not localhost, so not a secure context."""
    port = server.rsplit(":", 1)[1]
    chromium = driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*FLAGS, "--host-resolver-rules=MAP mat-coach.test 127.0.0.1"])
    try:
        with opened(chromium, f"http://mat-coach.test:{port}", ON_A_PHONE) as page:
            yield page
    finally:
        chromium.close()


def test_on_plain_http_it_plays_and_says_saving_needs_https(elsewhere):
    elsewhere.goto(ROUTINE)
    assert elsewhere.evaluate("window.isSecureContext") is False
    assert "needs a secure connection" in elsewhere.inner_text("#offline-status")
    assert elsewhere.is_hidden("#save-offline")
    elsewhere.click("#play-pause")
    playing_from(elsewhere, 0)
    assert elsewhere.inner_text("#countdown") != ""


def test_a_routine_not_saved_says_it_needs_a_connection(online):
    page, _, stop = online
    page.reload()                       # opened with the worker in control: the page is kept
    stop()
    page.reload()                       # ...but not the MP3
    assert page.inner_text("h1") == "Calf care"
    page.click("#play-pause")
    page.wait_for_selector("#player-problem", state="visible")
    assert "save it for offline" in page.inner_text("#player-problem")
    assert page.evaluate("document.getElementById('audio').currentTime") == 0
