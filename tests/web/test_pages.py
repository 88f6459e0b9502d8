"""The web library's routes, rendered by the real app: pages, transcript, chapters, feed."""

import email.utils
import json
import re
from xml.etree import ElementTree as ET

import pytest

from matcoach.app import shelf_of
from web.feed import ATOM, ITUNES, PODCAST

from ..served import BASE_URL


def text(reply) -> str:
    assert reply.status_code == 200, reply.status_code
    return reply.get_data(as_text=True)


def cards_shown(html: str) -> list[str]:
    """The ids of the cards not marked hidden."""
    cards = re.findall(r'<li class="card" data-id="([a-z-]+)"([^>]*)>', html)
    return [routine_id for routine_id, attributes in cards if "hidden" not in attributes.split()]


def test_the_library_lists_every_built_routine_with_its_facts(client):
    html = text(client.get("/"))
    assert re.findall(r'data-id="([a-z-]+)"', html) == ["calf-care", "shoulder-knot",
                                                        "warm-breath"]
    card = html.split('data-id="calf-care"')[1].split("</li>")[0]
    whole = round(shelf_of(client.application).get("calf-care").duration_ms / 60_000)
    # The card is short (issue 12): its title, length and level, a picture that says in its
    # alt text what it shows, and a play button; the rest is on the routine's page.
    for fact in ('<a href="/routines/calf-care">Calf care</a>',
                 f'<span class="length">{whole} min</span> · gentle',
                 'alt="For calves, with foam roller and yoga mat"',
                 'href="/routines/calf-care?play=1"'):
        assert fact in card
    assert 'data-equipment="foam-roller yoga-mat"' in card
    assert 'data-areas="calves legs"' in card, "a wider area finds it too"
    assert "3 of 3 routines" in html
    page = text(client.get("/routines/calf-care"))
    for fact in ("Loosen tight calves.", "gentle · for leg cramps", "<li>foam roller</li>",
                 "Body areas: calves"):
        assert fact in page


@pytest.mark.parametrize(("query", "shown"), [
    ("equipment=spiky-ball", ["shoulder-knot"]),
    ("equipment=massage+ball", ["shoulder-knot"]),
    ("area=legs", ["calf-care"]),
    ("goal=reduce-stress", ["warm-breath"]),
    ("minutes=1", ["shoulder-knot", "warm-breath"]),
    ("minutes=2&goal=leg-cramps", ["calf-care"]),
    ("equipment=wheat-bag&goal=leg-cramps", []),
    ("minutes=0", ["calf-care", "shoulder-knot", "warm-breath"]),
    ("minutes=-5", ["calf-care", "shoulder-knot", "warm-breath"]),
    ("minutes=1.5", ["calf-care", "shoulder-knot", "warm-breath"]),
    ("minutes=abc", ["calf-care", "shoulder-knot", "warm-breath"]),
    ("minutes=%C2%B2", ["calf-care", "shoulder-knot", "warm-breath"]),   # "²" was a 500
])
def test_the_library_filters_from_the_address(client, query, shown):
    html = text(client.get(f"/?{query}"))
    assert cards_shown(html) == shown
    assert f"{len(shown)} of 3 routines" in html
    assert ('id="none" class="none" hidden' in html) == bool(shown), "the way out when empty"


def test_a_term_no_routine_uses_stays_visible_as_the_choice(client):
    html = text(client.get("/?area=neck"))
    assert cards_shown(html) == []
    assert '<option value="neck" selected>neck</option>' in html


def test_every_filter_control_has_a_label(client):
    html = text(client.get("/"))
    for name in ("equipment", "area", "goal", "minutes"):
        assert f'<label for="{name}">' in html and f'id="{name}"' in html


def test_a_routine_page_has_player_steps_needs_safety_and_transcript(client, app, tracks_dir):
    track = shelf_of(app).get("calf-care")
    html = text(client.get("/routines/calf-care"))
    assert f'src="/audio/{track.build}/calf-care.mp3"' in html
    starts = [int(s) for s in re.findall(r'data-start="(\d+)"', html)]
    assert starts == [c.start_ms for c in track.chapters]
    assert "Calf roll, left side" in html
    assert "<li>foam roller</li>" in html and "<li>yoga mat</li>" in html
    assert track.routine.safety in html
    vtt = (tracks_dir / "calf-care.vtt").read_text()
    for spoken in re.findall(r"\d\d:\d\d:\d\d\.\d{3} --> .*\n(.+)", vtt):
        assert spoken.replace("'", "&#39;") in html
    assert f'href="/audio/{track.build}/calf-care.mp3?download=1"' in html


def test_a_wheat_bag_routine_says_you_need_a_thin_towel_too(client):
    # Newcomer trial: heat goes on in its towel, and "You need" did not say so. (The card
    # says what you need by its picture only since issue 12: the page says it in full.)
    page = text(client.get("/routines/warm-breath"))
    assert "<li>warm wheat bag</li><li>thin towel</li><li>yoga mat</li>" in page
    feed = ET.fromstring(client.get("/feed.xml").data)
    [item] = [i for i in feed.iter("item") if i.findtext("title") == "Warm breath"]
    assert "You need: warm wheat bag, thin towel, and yoga mat." in item.findtext("description")


@pytest.mark.parametrize("kept", [True, False])
def test_the_download_is_an_attachment_with_chapters(client, app, tracks_dir, kept):
    build = shelf_of(app).get("calf-care").build
    path = f"/audio/{build}/calf-care.mp3" if kept else "/audio/calf-care.mp3"
    reply = client.get(f"{path}?download=1")
    assert reply.headers["Content-Disposition"] == "attachment; filename=calf-care.mp3"
    assert reply.data == (tracks_dir / "calf-care.mp3").read_bytes()
    reply.close()


def test_an_unknown_routine_is_404(client):
    assert client.get("/routines/banana").status_code == 404


def test_transcript_and_chapters_for_podcast_apps(client, app, tracks_dir):
    vtt = client.get("/routines/calf-care/transcript.vtt")
    assert vtt.mimetype == "text/vtt" and vtt.data == (tracks_dir / "calf-care.vtt").read_bytes()
    vtt.close()
    chapters = client.get("/routines/calf-care/chapters.json")
    assert chapters.headers["Content-Type"] == "application/json+chapters"
    body = json.loads(chapters.data)
    track = shelf_of(app).get("calf-care")
    assert body["version"] == "1.2.0"
    assert [c["startTime"] for c in body["chapters"]] == [c.start_ms / 1000 for c in
                                                          track.chapters]


def test_the_feed_is_a_valid_podcast(client, app, tracks_dir):
    reply = client.get("/feed.xml")
    assert reply.mimetype == "application/rss+xml"
    rss = ET.fromstring(reply.data)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    for tag in ("title", "link", "description", "language"):
        assert channel.findtext(tag)
    assert channel.find(f"{{{ITUNES}}}category").get("text") == "Health & Fitness"
    items = channel.findall("item")
    shelf = shelf_of(app)
    assert [i.findtext("title") for i in items] == ["Calf care", "Shoulder knot", "Warm breath"]
    assert channel.find(f"{{{ITUNES}}}image").get("href") == f"{BASE_URL}/static/artwork.png"
    assert channel.find(f"{{{ATOM}}}link").get("href") == f"{BASE_URL}/feed.xml"
    assert channel.findtext(f"{{{PODCAST}}}guid")
    for item, track in zip(items, shelf.tracks().values(), strict=True):
        enclosure = item.find("enclosure")
        assert enclosure.get("url") == f"{BASE_URL}/audio/{track.build}/{track.audio}"
        assert item.findtext("guid") == f"matcoach:{track.id}", "stable across rebuilds"
        assert int(enclosure.get("length")) == (tracks_dir / track.audio).stat().st_size
        assert enclosure.get("type") == "audio/mpeg"
        seconds = round(track.duration_ms / 1000)
        assert item.findtext(f"{{{ITUNES}}}duration") == \
            f"00:{seconds // 60:02d}:{seconds % 60:02d}"
        assert item.find("guid").get("isPermaLink") == "false"
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert track.routine.summary in item.findtext("description")
        assert item.find(f"{{{PODCAST}}}chapters").get("url").endswith(
            f"/routines/{track.id}/chapters.json")


def test_the_feed_ignores_the_host_a_request_claims(client):
    feed = client.get("/feed.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in feed and BASE_URL in feed


def test_the_artwork_is_a_square_png_podcast_apps_accept(client):
    import struct
    png = client.get("/static/artwork.png")
    width, height = struct.unpack(">II", png.data[16:24])
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n" and width == height and 1400 <= width <= 3000
    png.close()


def test_pages_use_nothing_from_another_site(client):
    for path in ("/", "/routines/calf-care"):
        html = text(client.get(path))
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "#", "data:")), url
    for asset in ("style.css", "library.js", "routine.js"):
        reply = client.get(f"/static/{asset}")
        assert reply.status_code == 200
        reply.close()


def test_an_unknown_routine_page_says_where_to_go(client):
    reply = client.get("/routines/banana")
    assert reply.status_code == 404
    assert "See all routines" in reply.get_data(as_text=True)
