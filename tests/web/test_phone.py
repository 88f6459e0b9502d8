"""The pages on a phone (390×844, touch), in a real Chromium: every control big enough to
tap, and the feed a page a person can read (issue 12)."""

from __future__ import annotations

import pytest

MIN_TARGET_PX = 44   # the README's promise; WCAG 2.5.5 (target size, enhanced)

# Every visible control's size, except links inside a run of text (WCAG's inline exception).
TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, summary, input, select, textarea, audio[controls]')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => !(el.tagName === 'A' && el.closest('p') &&
                  el.closest('p').textContent.trim() !== el.textContent.trim()))
  .map(el => { const box = el.getBoundingClientRect();
               return {what: el.outerHTML.slice(0, 80), width: box.width,
                       height: box.height}; })"""


@pytest.mark.parametrize("path", ["/", "/?equipment=foam-roller", "/routines/calf-care",
                                  "/feed.xml", "/no-such-page"])
def test_every_control_is_big_enough_to_tap(phone, path):
    phone.goto(path)
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    small = [t for t in phone.evaluate(TARGETS)
             if min(t["width"], t["height"]) < MIN_TARGET_PX]
    assert small == [], f"under {MIN_TARGET_PX} px on {path}"


def test_the_feed_opened_in_a_browser_says_how_to_subscribe(phone, server):
    phone.goto("/feed.xml")
    assert phone.title() == "Podcast feed · Mat Coach"
    assert phone.locator("h1").inner_text() == "Subscribe in your podcast app"
    link = phone.locator("#feed-url")
    assert link.input_value() == f"{server}/feed.xml"
    assert phone.locator(".episodes li").count() == 3


BROWSER_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                  "image/webp,*/*;q=0.8")


@pytest.mark.parametrize("accept, kind", [
    (BROWSER_ACCEPT, "text/html"),
    (None, "application/rss+xml"),
    ("*/*", "application/rss+xml"),
    ("application/rss+xml, application/xml;q=0.9", "application/rss+xml"),
    ("text/xml", "application/rss+xml"),
])
def test_the_feed_is_a_page_for_browsers_and_rss_for_podcast_apps(client, accept, kind):
    reply = client.get("/feed.xml", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200
    assert reply.mimetype == kind
    assert reply.headers["Vary"] == "Accept"   # caches keep the two apart
    if kind == "text/html":
        assert "Subscribe in your podcast app" in reply.get_data(as_text=True)
    else:
        assert reply.get_data(as_text=True).startswith("<?xml")
