"""A routine saved for offline plays with no signal (issue 12), in a real Chromium at a
phone's size: the service worker keeps the page, the cue sheet and the whole MP3, and
answers the player's range requests from that copy. No signal is the server stopped:
Playwright's set_offline does not reach a service worker's fetches."""

from __future__ import annotations

import contextlib
import json
import re
import struct
import time

import pytest

from matcoach.app import create_app

from ..served import serving
from .conftest import CHROMIUM, FLAGS, ON_A_PHONE, opened
from .test_follow_along import STEP_SHOWN, seek

ROUTINE = "/routines/calf-care"
WORKER_ON_A_PHONE = {**ON_A_PHONE, "service_workers": "allow"}
SAVED = "Saved on this device"


@pytest.fixture
def faults() -> dict[str, int]:
    """{end of a path: HTTP status} the app answers with instead (Playwright's routes do
    not see what a service worker lets through, so the server itself fails)."""
    return {}


@pytest.fixture
def slowed() -> set[str]:
    """Ends of paths whose replies the app sends slowly (a weak signal): 64 KB a 0.1 s."""
    return set()


@pytest.fixture
def app(tmp_path, library_dir, own_tracks, faults, slowed):
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(own_tracks),
                      "LIBRARY_DIR": str(library_dir),
                      "DATABASE": str(tmp_path / "db.sqlite")})
    inner = app.wsgi_app

    def failing(environ, start_response):
        for end, status in faults.items():
            if environ["PATH_INFO"].endswith(end):
                start_response(f"{status} Failed", [("Content-Type", "text/plain")])
                return [b"failed"]
        reply = inner(environ, start_response)
        if any(environ["PATH_INFO"].endswith(end) for end in slowed):
            return slowly(b"".join(reply))
        return reply

    def slowly(body: bytes):
        for start in range(0, len(body), 65536):
            time.sleep(0.1)
            yield body[start:start + 65536]
    app.wsgi_app = failing
    return app


@pytest.fixture
def online(browser, app):
    """(phone page, server's address, stop): a phone on the app, with the service worker
    in control; stop() takes the server away, as a basement takes the signal, and empties
    the browser's HTTP cache (not the service worker's)."""
    with contextlib.ExitStack() as server:
        address = server.enter_context(serving(app))
        with opened(browser, address, WORKER_ON_A_PHONE) as page:
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
    ("bytes=-999999999", 206, (0, None)),      # longer than the file: all of it
    ("bytes=-0", 200, None),                   # ignored, as the server does
    ("BYTES = 0-1", 206, (0, 1)),              # the unit in any case (RFC 9110 14.1)
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
    assert client.get("/apple-touch-icon.png").data == touch   # and asks the root for it
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
        with opened(chromium, f"http://mat-coach.test:{port}", WORKER_ON_A_PHONE) as page:
            yield page
    finally:
        chromium.close()


def test_on_plain_http_it_plays_and_says_saving_needs_https(elsewhere, tracks_dir):
    elsewhere.goto(ROUTINE)
    assert elsewhere.evaluate("window.isSecureContext") is False
    assert "keeping the screen on need a secure connection" in \
        elsewhere.inner_text("#offline-status")
    assert elsewhere.is_hidden("#save-offline")
    elsewhere.click("#play-pause")
    playing_from(elsewhere, 0)
    seek(elsewhere, json.loads((tracks_dir / "calf-care.json").read_text())
         ["chapters"][1]["start_ms"] + 100)                       # into the first step's work
    assert elsewhere.is_visible("#countdown")
    assert re.fullmatch(r"\d+:\d\d", elsewhere.inner_text("#countdown"))


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


# --- A save is all or nothing, of one build (found by a hostile tester) ---------------


def saved_copies(page) -> list[str]:
    return page.evaluate("""caches.keys().then(names => names.filter(
        name => name.startsWith('matcoach-saved/')))""")


def status_says(page, words: str) -> None:
    page.wait_for_function(f"document.getElementById('offline-status').textContent"
                           f".includes({json.dumps(words)})")


def test_a_page_opened_before_a_rebuild_saves_nothing_and_says_to_reload(online, own_tracks,
                                                                        rebuild):
    page, _, stop = online
    save(page)
    [before] = saved_copies(page)
    page.click("#remove-offline")
    page.click("#save-offline")                      # the same page, saved again...
    status_says(page, SAVED)
    rebuild(own_tracks)                              # ...but now the routine is rebuilt
    page.click("#remove-offline")
    page.click("#save-offline")
    status_says(page, "A newer recording of this routine is out: reload the page")
    assert saved_copies(page) == []                  # nothing of two builds
    assert page.evaluate("document.activeElement.id") == "save-offline"
    page.reload()
    save(page)                                       # the new recording, whole
    [after] = saved_copies(page)
    assert after != before and after.startswith("matcoach-saved/calf-care/")
    stop()
    page.reload()
    page.click("#play-pause")
    playing_from(page, 0)


def test_a_new_recording_replaces_the_saved_one_only_when_it_is_whole(online, own_tracks,
                                                                      rebuild, faults, slowed):
    page, _, stop = online
    save(page)
    [older] = saved_copies(page)
    rebuild(own_tracks)
    page.reload()
    status_says(page, "an older recording")
    assert page.is_visible("#remove-offline")        # it can be removed without the new one
    faults["/chapters.json"] = 500
    slowed.add(".mp3")                               # still coming when the cue sheet fails
    page.click("#save-offline")
    status_says(page, "The server could not send it just now (HTTP 500)")
    page.wait_for_timeout(1500)                      # its progress once wrote over that
    assert "HTTP 500" in page.inner_text("#offline-status")
    assert saved_copies(page) == [older]             # the older copy, untouched
    faults.clear()
    slowed.clear()
    page.click("#save-offline")
    status_says(page, SAVED)
    assert page.evaluate("document.activeElement.id") == "remove-offline"
    [newer] = saved_copies(page)
    assert newer != older
    stop()
    page.reload()
    page.click("#play-pause")
    playing_from(page, 0)


def test_a_cards_play_button_plays_a_saved_routine_with_no_signal(online):
    page, _, stop = online
    save(page)
    stop()
    page.goto("/routines/calf-care?play=1")          # the card's link
    assert page.inner_text("h1") == "Calf care"
    playing_from(page, 0)


def test_a_saved_routine_the_library_no_longer_has_can_be_removed(online):
    page, _, _ = online
    page.evaluate("""caches.open('matcoach-saved/gone-routine/0123456789abcdef')
        .then(cache => cache.put('/routines/gone-routine', new Response(
            '<h1>Gone routine</h1>', {headers: {'Content-Type': 'text/html'}})))""")
    page.goto("/")
    item = page.locator("#saved-elsewhere li")
    item.wait_for()
    assert item.inner_text().startswith("Gone routine")
    page.click("#saved-elsewhere button")
    page.wait_for_selector("#saved-elsewhere", state="detached")
    assert saved_copies(page) == []
    assert page.locator(".card .saved").count() == 0


def test_an_id_that_every_object_has_is_not_taken_for_saved(online):
    page, _, _ = online
    assert page.evaluate("window.matCoachSaved().then(saved => 'constructor' in saved)") \
        is False


def test_the_mark_comes_back_when_the_library_replaces_a_card(online):
    page, _, _ = online
    save(page)
    page.goto("/")
    page.wait_for_selector(".card[data-id='calf-care'] .saved")
    page.evaluate("""() => { const card = document.querySelector(".card[data-id='calf-care']");
        const fresh = card.cloneNode(true);
        fresh.querySelector('.saved').remove();
        card.replaceWith(fresh); }""")               # as library.js does with a new card
    page.wait_for_selector(".card[data-id='calf-care'] .saved")


def test_a_replaced_recording_says_to_reload(online, faults):
    page, _, _ = online
    faults[".mp3"] = 410
    page.click("#save-offline")
    status_says(page, "This recording has been replaced: reload the page")
    assert saved_copies(page) == []


@pytest.fixture
def slow_app(app):
    """The app, answering one routine's page after 5 s (a weak signal, a busy server)."""
    inner = app.wsgi_app

    def slow(environ, start_response):
        if environ["PATH_INFO"] == "/routines/shoulder-knot":
            time.sleep(5)
        return inner(environ, start_response)
    app.wsgi_app = slow
    return app


def test_a_slow_page_never_kept_is_waited_for_not_called_offline(browser, slow_app):
    with serving(slow_app) as address, opened(browser, address, WORKER_ON_A_PHONE) as page:
        page.goto(ROUTINE)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.goto("/routines/shoulder-knot", timeout=20_000)
        assert page.inner_text("h1") == "Shoulder knot"


def test_saved_while_open_it_plays_on_without_a_reload(online):
    """Saved, then played on the same page: it stopped 5 s in (Chromium would not mix what
    it had read from the network with the saved copy), and worse with no signal."""
    page, _, stop = online
    save(page)
    stop()
    page.click("#play-pause")
    playing_from(page, 6.5)
    assert page.is_hidden("#player-problem")
