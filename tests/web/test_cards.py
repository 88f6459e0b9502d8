"""The library's cards (issue 12): a picture of what each routine works on and uses, its
title, length and level, and a play button that starts it at once; on a phone (390×844,
touch) and a desktop, in a real Chromium, and from the app's own routes."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from matcoach.app import shelf_of
from web.pages import pictures
from web.pictures import MARKED

from .building import NEW_ID, building
from .test_pages import text
from .test_preparing import card_of

PLAYING = "() => { const a = document.getElementById('audio');" \
          " return !a.paused && a.currentTime > 0; }"
IDS = ["calf-care", "shoulder-knot", "warm-breath"]


def marked_areas(svg: bytes) -> set[str]:
    """The areas a picture marks (the colour a person sees)."""
    root = ET.fromstring(svg)
    return {shape.get("data-area") for shape in root.iter()
            if shape.get("data-area") and shape.get("fill") == MARKED}


# --- The picture's address ---


def picture_address(html: str, routine_id: str) -> str:
    card = card_of(html, routine_id)
    return re.search(r'<img class="picture" src="([^"]+)"', card).group(1)


def test_a_cards_picture_is_an_svg_kept_for_good_at_its_versioned_address(client, app):
    address = picture_address(text(client.get("/")), "calf-care")
    version = pictures(shelf_of(app))["calf-care"].version
    assert address == f"/routines/calf-care/picture.svg?v={version}"
    reply = client.get(address)
    assert reply.status_code == 200 and reply.mimetype == "image/svg+xml"
    assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert reply.headers["Content-Security-Policy"] == "default-src 'none'"
    assert marked_areas(reply.data) == {"calves"}
    again = client.get(address, headers={"If-None-Match": reply.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_any_other_address_of_a_picture_is_checked_each_time(client, query):
    reply = client.get(f"/routines/shoulder-knot/picture.svg{query}")
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-cache"
    assert reply.headers["ETag"]
    assert marked_areas(reply.data) == {"shoulders"}


def test_a_routine_not_built_has_its_picture_and_an_unknown_one_none(growing_client,
                                                                     served_tracks):
    building(served_tracks)
    reply = growing_client.get(f"/routines/{NEW_ID}/picture.svg")
    assert reply.status_code == 200 and marked_areas(reply.data) == {"neck"}
    assert growing_client.get("/routines/banana/picture.svg").status_code == 404


def test_a_card_not_built_has_no_play_button_and_says_why(growing_client, served_tracks):
    building(served_tracks)
    card = card_of(text(growing_client.get("/")), NEW_ID)
    assert 'class="play"' not in card and "Being prepared" in card
    assert '<img class="picture"' in card


def test_the_play_address_works_without_a_script(client):
    """The play button is a plain link: the page it leads to is the routine's page."""
    assert text(client.get("/routines/calf-care?play=1")) == text(
        client.get("/routines/calf-care"))


# --- In the browser ---


def test_each_card_has_a_picture_a_title_its_length_and_level_and_a_play_button(phone):
    phone.goto("/")
    for routine_id in IDS:
        card = phone.locator(f'.card[data-id="{routine_id}"]')
        picture = card.locator("img.picture")
        picture.scroll_into_view_if_needed()
        phone.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                arg=picture.element_handle())
        title = card.locator("h2 a")
        assert title.get_attribute("href") == f"/routines/{routine_id}"
        assert re.fullmatch(r"\d+ min · (gentle|moderate|deep)", card.locator(".facts")
                            .inner_text())
        play = card.locator("a.play")
        assert play.get_attribute("aria-label") == f"Play {title.inner_text()}"
        box = play.bounding_box()
        assert box["width"] >= 56 and box["height"] >= 56, "easy to hit"
        # The picture left of the words, the play button right of them, on one row.
        words, seen = title.bounding_box(), picture.bounding_box()
        assert seen["x"] + seen["width"] <= words["x"] < box["x"] - words["width"] + 1
        assert abs((seen["y"] + seen["height"] / 2) - (box["y"] + box["height"] / 2)) < 8
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_each_picture_shows_its_routines_areas(phone):
    phone.goto("/")
    for routine_id, areas in [("calf-care", {"calves"}), ("shoulder-knot", {"shoulders"}),
                              ("warm-breath", {"lower-back"})]:
        src = phone.get_attribute(f'.card[data-id="{routine_id}"] img.picture', "src")
        svg = phone.evaluate("src => fetch(src).then(reply => reply.text())", src)
        assert marked_areas(svg.encode()) == areas, routine_id


def test_on_a_desktop_the_cards_sit_two_a_row(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    first, second, third = (page.locator(f'.card[data-id="{i}"]').bounding_box() for i in IDS)
    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
    assert third["y"] > first["y"] + first["height"]


def test_a_cards_play_button_starts_the_routine_at_once(phone):
    phone.goto("/")
    phone.click('.card[data-id="calf-care"] .play')
    phone.wait_for_url("**/routines/calf-care")   # the flag left the address
    phone.wait_for_function(PLAYING)
    assert phone.is_hidden("#play-hint") and phone.is_hidden("#player-problem")
    top = phone.evaluate("document.getElementById('follow').getBoundingClientRect().top")
    assert -1 <= top < 20, "the follow-along view at the top of the screen"
    assert phone.get_attribute("#play-pause", "aria-label") == "Pause"
    phone.reload()   # a reload does not start it again
    phone.wait_for_function("document.getElementById('audio').readyState >= 1")
    phone.wait_for_timeout(500)
    assert phone.evaluate("document.getElementById('audio').paused")


REFUSE_THE_FIRST_PLAY = """(() => {
    const play = HTMLMediaElement.prototype.play;
    let refused = false;
    HTMLMediaElement.prototype.play = function () {
        if (refused) { return play.call(this); }
        refused = true;
        return Promise.reject(new DOMException("The user did not tap", "NotAllowedError"));
    };
})();"""


def test_when_the_browser_refuses_to_start_the_play_button_waits_with_a_hint(phone):
    """iOS Safari does not carry the library's tap across to the routine's page."""
    phone.add_init_script(REFUSE_THE_FIRST_PLAY)
    phone.goto("/")
    phone.click('.card[data-id="calf-care"] .play')
    phone.wait_for_selector("#play-hint:not([hidden])")
    assert phone.inner_text("#play-hint") == "Tap play to start."
    assert phone.evaluate("document.activeElement.id") == "play-pause"
    assert phone.get_attribute("#play-pause", "aria-describedby") == "play-hint"
    assert phone.evaluate("document.getElementById('audio').paused")
    assert phone.is_hidden("#player-problem"), "not a failure: a tap is all it needs"
    assert "play=1" not in phone.url
    phone.tap("#play-pause")
    phone.wait_for_function(PLAYING)
    assert phone.is_hidden("#play-hint")
