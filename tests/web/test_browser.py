"""End to end in a real headless Chromium: filter the library, open a routine, seek by step,
download the MP3; watch a routine being prepared become playable."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio.status import STATUS_FILE

from ..served import serving
from .building import NEW_ID, building, publish
from .conftest import opened


def visible_cards(page) -> list[str]:
    """The cards on screen (not merely without the hidden attribute: a card's display
    once overrode it, and filtered cards stayed in sight)."""
    return page.eval_on_selector_all("#cards .card", """cards => cards
        .filter(card => card.getClientRects().length > 0).map(card => card.dataset.id)""")


def test_filters_apply_without_a_reload_and_show_in_the_address(page):
    page.goto("/")
    page.evaluate("window.stillThisPage = true")
    assert visible_cards(page) == ["calf-care", "shoulder-knot", "warm-breath"]
    page.select_option("#equipment", "spiky-ball")
    assert visible_cards(page) == ["shoulder-knot"]
    assert page.url.endswith("/?equipment=spiky-ball")
    assert page.text_content("#count").strip() == "1 of 3 routines"
    page.select_option("#equipment", "")
    page.select_option("#area", "legs")
    page.fill("#minutes", "2")
    assert visible_cards(page) == ["calf-care"]
    assert page.url.endswith("/?area=legs&minutes=2")
    page.fill("#minutes", "0")   # not a limit: the same rule as the server's
    assert visible_cards(page) == ["calf-care"] and page.url.endswith("/?area=legs")
    page.fill("#minutes", "1")
    assert visible_cards(page) == []
    page.click("#clear")   # the way out that an empty list offers
    assert len(visible_cards(page)) == 3 and page.url.endswith("/")
    assert page.input_value("#area") == "" and page.input_value("#minutes") == ""
    assert page.evaluate("window.stillThisPage") is True, "no reload happened"


def test_a_shared_address_opens_with_its_filters(page):
    page.goto("/?goal=reduce-stress")
    assert visible_cards(page) == ["warm-breath"]
    assert page.input_value("#goal") == "reduce-stress"


def test_open_a_routine_click_a_step_and_playback_seeks_there(page):
    page.goto("/")
    page.click("text=Calf care")
    page.wait_for_url("**/routines/calf-care")
    assert page.inner_text("h1") == "Calf care"
    step = page.locator(".step", has_text="Calf roll, left side")
    start = int(step.get_attribute("data-start")) / 1000
    step.click()
    page.wait_for_function("s => document.getElementById('audio').currentTime >= s", arg=start)
    page.wait_for_function("() => !document.getElementById('audio').paused")
    page.wait_for_function("() => (document.querySelector('.step.current[aria-current=step]')"
                           " || {}).textContent?.includes('left side')")
    position = page.evaluate("document.getElementById('audio').currentTime")
    assert start <= position < start + 2
    page.wait_for_function("s => document.getElementById('audio').currentTime > s + 0.5",
                           arg=start)


def test_the_highlight_follows_playback_into_the_next_step(page):
    page.goto("/routines/calf-care")
    right, left = page.locator(".step").nth(1), page.locator(".step").nth(2)
    boundary = int(right.get_attribute("data-end")) / 1000
    page.evaluate("t => { const a = document.getElementById('audio'); a.currentTime = t;"
                  " a.play(); }", boundary - 0.8)
    page.wait_for_function("() => document.querySelectorAll('.step')[1]"
                           ".getAttribute('aria-current') === 'step'")
    page.wait_for_function("() => document.querySelectorAll('.step')[2]"
                           ".getAttribute('aria-current') === 'step'")
    assert right.get_attribute("aria-current") is None
    assert "current" in left.get_attribute("class")


def test_steps_work_from_the_keyboard(page):
    page.goto("/routines/calf-care")
    step = page.locator(".step", has_text="Calf press")
    step.focus()
    page.keyboard.press("Enter")
    start = int(step.get_attribute("data-start")) / 1000
    page.wait_for_function("s => document.getElementById('audio').currentTime >= s", arg=start)
    page.wait_for_function("() => (document.querySelector('.step[aria-current=step]')"
                           " || {}).textContent?.includes('Calf press')")


def test_download_the_mp3(page, tracks_dir):
    page.goto("/routines/calf-care")
    with page.expect_download() as waiting:
        page.click("#download")
    download = waiting.value
    assert download.suggested_filename == "calf-care.mp3"
    assert Path(download.path()).read_bytes() == (tracks_dir / "calf-care.mp3").read_bytes()


def test_readable_on_a_phone(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 740},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ("/", "/routines/calf-care"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        height = page.evaluate("document.querySelector('summary, .step').offsetHeight")
        assert height >= 44, "big enough to tap"
    context.close()


# --- Routines being prepared: a library with one routine the tracks do not have yet ---


@pytest.fixture
def growing(browser, growing_app, served_tracks):
    """The growing library's app on a real port while the builder works on NEW_ID; stopped
    cleanly after the test's page has gone (the browser outlives it)."""
    building(served_tracks, ready_in_s=40)
    with serving(growing_app) as address:
        yield address


@pytest.fixture
def growing_page(browser, growing):
    with opened(browser, growing, {"viewport": {"width": 360, "height": 480},
                                   "is_mobile": True, "has_touch": True}) as page:
        yield page


def card_state(page, routine_id: str) -> str:
    return page.get_attribute(f'#cards .card[data-id="{routine_id}"]', "data-state")


def test_a_card_being_prepared_turns_ready_without_a_reload(growing_page, served_tracks,
                                                           new_built):
    page = growing_page
    page.goto("/")
    page.evaluate("window.stillThisPage = true")
    assert page.text_content("#progress") == "Building 1 of 1 — all ready in less than a minute"
    assert card_state(page, NEW_ID) == "waiting"
    assert page.locator(f'.card[data-id="{NEW_ID}"] .play').count() == 0, "nothing to play"
    assert page.text_content("#count").strip() == "4 of 4 routines, 1 being prepared"
    # The reader is on the card below it, with focus on the card being prepared.
    page.evaluate("""() => {
        const below = document.querySelector('.card[data-id="shoulder-knot"]');
        below.scrollIntoView();
        window.below = below;
        window.belowTop = below.getBoundingClientRect().top;
        document.querySelector('.card[data-id="neck-ease"] a').focus({preventScroll: true});
    }""")
    publish(new_built, served_tracks)
    page.wait_for_function("() => document.querySelector('.card[data-id=\"neck-ease\"]')"
                           ".dataset.state === 'ready'")
    assert page.evaluate("window.stillThisPage") is True, "no reload happened"
    assert page.text_content("#progress") == ""
    assert page.text_content("#count").strip() == "4 of 4 routines"
    assert page.eval_on_selector(f'.card[data-id="{NEW_ID}"]',
                                 "card => card.querySelector('.readiness')") is None
    play = page.locator(f'.card[data-id="{NEW_ID}"] .play')
    assert play.is_visible(), "the play button comes with the ready card"
    assert play.get_attribute("href") == f"/routines/{NEW_ID}?play=1"
    assert page.evaluate("""() => {
        const below = document.querySelector('.card[data-id="shoulder-knot"]');
        return below === window.below
            && Math.abs(below.getBoundingClientRect().top - window.belowTop) < 1;
    }"""), "the ready cards stay as they were, where they were"
    focused = page.evaluate("(document.activeElement.closest('.card') || {dataset: {}})"
                            ".dataset.id")
    assert focused == NEW_ID, "focus stays on the card that changed"
    page.click("#filter-panel summary")   # folded on a phone
    page.select_option("#equipment", "wheat-bag")   # the filters apply to the new card
    assert visible_cards(page) == [NEW_ID, "warm-breath"]
    page.click(f'.card[data-id="{NEW_ID}"] a')
    page.wait_for_url(f"**/routines/{NEW_ID}")
    assert page.locator("audio").count() == 1


def test_a_routine_page_being_prepared_becomes_the_player(growing_page, served_tracks,
                                                         new_built):
    page = growing_page
    page.goto(f"/routines/{NEW_ID}")
    assert page.inner_text("h1") == "Neck ease"
    assert "Being prepared — ready in less than a minute" in page.inner_text("#readiness")
    assert page.locator("audio").count() == 0
    assert page.is_hidden("#reload"), "it reloads by itself"
    publish(new_built, served_tracks)
    page.wait_for_selector("audio#audio", state="attached")
    assert page.inner_text("h1") == "Neck ease"
    assert page.locator(".step").count() >= 1


def test_a_routine_not_built_is_readable_on_a_phone(growing_page, served_tracks):
    (served_tracks / STATUS_FILE).unlink()   # no builder: the cards say how to build
    page = growing_page
    for path in ("/", f"/routines/{NEW_ID}"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("document.querySelector('#reload a').offsetHeight") >= 44
    assert page.is_visible("#reload")


@pytest.fixture
def unworked(browser, server):
    """A page without the service worker: Playwright's routes do not see the requests a
    service worker makes for the page."""
    context = browser.new_context(base_url=server, service_workers="block")
    yield context.new_page()
    context.close()


def test_chromium_reads_every_transcript_cue_whole(unworked):
    """Issue 10: with a raw '&' or '<' in a phrase, Chromium's WebVTT parser dropped the
    rest of the caption. The transcript, as written for the feed and the page, is read
    here by Chromium's own parser: each cue, as the browser shows it, is the whole phrase
    (getCueAsHTML, not .text, which is the cue's source)."""
    from audio.outputs import webvtt
    from builder.timeline import Event, Speech, Timeline
    phrases = ["Neck & shoulders", "Pressure <5/10, then -->", "R&B <b>loud</b> &amp; more"]
    events = tuple(Event(i * 2000, Speech(text), 1500, "instruction")
                   for i, text in enumerate(phrases))
    vtt = webvtt(Timeline("r", "Neck & shoulders", events, (), len(phrases) * 2000))
    page = unworked
    page.route("**/hostile.vtt", lambda route: route.fulfill(
        body=vtt, headers={"Content-Type": "text/vtt; charset=utf-8"}))
    page.goto("/")
    cues = page.evaluate("""async () => {
        const audio = document.createElement('audio');
        const track = document.createElement('track');
        track.src = '/hostile.vtt';
        audio.appendChild(track);
        document.body.appendChild(audio);
        track.track.mode = 'hidden';
        await new Promise((done, failed) => {
            track.addEventListener('load', done);
            track.addEventListener('error', () => failed(new Error('track did not load')));
        });
        return Array.from(track.track.cues, cue => cue.getCueAsHTML().textContent);
    }""")
    assert cues == phrases
