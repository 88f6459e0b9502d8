"""Issue 13: a plan as its client opens it, from the private link (or its QR code) or in
a podcast app, without signing in: its note, schedule, and the phone player with its
follow-along view; nothing of it is
cached, passed on as a referrer or indexed; a deleted plan is gone from every address; and
the public library, feed and interaction models never mention it."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from matcoach.app import shelf_of
from skill.models import interaction_model
from web.feed import ITUNES

from ..served import serving
from .conftest import PHONE, opened
from .test_accessibility import assert_no_violations
from .test_plan_editor import Therapist
from .test_plan_tracks import SHORT, saved
from .therapists import accounts, csrf, plan_builds, therapist_app

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex, nofollow"}


@pytest.fixture
def app(tmp_path):
    return therapist_app(tmp_path, BASE_URL="https://coach.example")


@pytest.fixture
def ann(app) -> Therapist:
    return Therapist(app, "ann@example.com")


@pytest.fixture
def built(app, ann, piper, encoder, cache_dir) -> str:
    """A plan saved and built: its private token."""
    _, token = saved(ann, {**SHORT, "title": "Right shoulder, for J. S."})
    plan_builds(app, piper, encoder, cache_dir).step()
    return token


def test_before_it_is_built_the_page_says_it_is_being_prepared(app, ann):
    _, token = saved(ann)
    reply = app.test_client().get(f"/p/{token}")
    assert reply.status_code == 200 and "being prepared" in reply.get_data(as_text=True)
    assert all(reply.headers[name] == value for name, value in PRIVATE.items())


def test_the_client_hears_the_plan_without_signing_in(app, built):
    client = app.test_client()
    page = client.get(f"/p/{built}").get_data(as_text=True)
    assert "Right shoulder, for J. S." in page and "Calf press" in page
    audio = page.split('src="', 1)[1].split('"', 1)[0]
    assert audio.startswith(f"/p/{built}/audio/")
    part = client.get(audio, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data[:3] == b"ID3"
    assert part.headers["Cache-Control"] == "no-store"


def test_the_private_feed_has_the_plan_and_keeps_out_of_directories(app, built):
    reply = app.test_client().get(f"/p/{built}/feed.xml")
    assert reply.mimetype == "application/rss+xml"
    channel = ET.fromstring(reply.data).find("channel")
    assert channel.find(f"{{{ITUNES}}}block").text == "Yes"
    (item,) = channel.findall("item")
    enclosure = item.find("enclosure").get("url")
    assert enclosure.startswith(f"https://coach.example/p/{built}/audio/")
    path = enclosure.removeprefix("https://coach.example")
    assert app.test_client().get(path).status_code == 200


def test_the_therapist_page_shares_the_link_its_qr_code_and_the_feed(app, ann, built):
    plan_id = accounts(app).store.plan_by_token(built).id
    page = ann.client.get(f"/therapist/plans/{plan_id}").get_data(as_text=True)
    assert f"https://coach.example/p/{built}" in page
    assert f"https://coach.example/p/{built}/feed.xml" in page
    svg = "<svg" + page.split("<svg", 1)[1].split("</svg>", 1)[0] + "</svg>"
    drawing = ET.fromstring(svg)   # well-formed, titled for screen readers
    assert drawing.find("{http://www.w3.org/2000/svg}title").text.startswith("QR code")


@pytest.mark.parametrize("path", ["", "/feed.xml", "/audio/0123456789abcdef.mp3"])
def test_an_unknown_or_deleted_plan_is_not_found_everywhere(app, ann, built, path):
    unknown = app.test_client().get(f"/p/{'x' * 43}{path}")
    assert unknown.status_code == 404
    assert "This plan is not here" in unknown.get_data(as_text=True), "said for a client"
    page = ann.client.get(f"/therapist/clients/{ann.client_id}/delete").get_data(as_text=True)
    ann.client.post(f"/therapist/clients/{ann.client_id}/delete",
                    data={"csrf_token": csrf(page)})
    assert app.test_client().get(f"/p/{built}{path}").status_code == 404


def test_the_public_library_feed_and_models_never_mention_it(app, built):
    public = app.test_client()
    for path in ("/", "/feed.xml"):
        assert "Right shoulder" not in public.get(path).get_data(as_text=True), path
    model = json.dumps(interaction_model(shelf_of(app).library))
    assert "Right shoulder" not in model


def test_the_private_page_on_a_phone(browser, app, built):
    with serving(app) as address, opened(browser, address, {"viewport": PHONE,
                                                            "is_mobile": True}) as page:
        page.goto(f"/p/{built}")
        page.wait_for_selector("#follow")
        assert page.inner_text("#now-title") == "Introduction"
        assert_no_violations(page, "a plan's private page")
        page.click(".step >> nth=1")   # the follow-along view, as for a routine
        page.wait_for_function("document.getElementById('audio').currentTime > 0.5")
        page.wait_for_function("document.getElementById('now-title').textContent"
                               " === 'Calf press'")


def test_the_client_chooses_on_the_page_whether_their_therapist_sees_their_progress(app, ann):
    plan_id, token = saved(ann)
    store = accounts(app).store
    therapist = store.therapist_by_email("ann@example.com")
    client = app.test_client()
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert "Nothing goes to them unless you say yes" in page
    assert "J. S. has not been asked yet" in \
        ann.client.get(f"/therapist/plans/{plan_id}").get_data(as_text=True)
    assert store.plan(therapist, plan_id).progress_shared is None
    agreed = client.post(f"/p/{token}/progress-sharing",
                         data={"share": "yes", "csrf_token": csrf(page)})
    assert agreed.status_code == 303 and agreed.headers["Location"].startswith(f"/p/{token}")
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert "You let your therapist see how your sessions go" in page
    assert store.plan(therapist, plan_id).progress_shared is True
    assert "J. S. agreed to let you see how their sessions go." in \
        ann.client.get(f"/therapist/plans/{plan_id}").get_data(as_text=True)
    client.post(f"/p/{token}/progress-sharing", data={"share": "no", "csrf_token": csrf(page)})
    assert "Nothing about your sessions goes to your therapist" in \
        client.get(f"/p/{token}").get_data(as_text=True)
    assert store.plan(therapist, plan_id).progress_shared is False


def test_an_answer_without_its_form_token_or_a_choice_changes_nothing(app, ann):
    plan_id, token = saved(ann)
    store = accounts(app).store
    therapist = store.therapist_by_email("ann@example.com")
    client = app.test_client()
    assert client.post(f"/p/{token}/progress-sharing", data={"share": "yes"}).status_code == 400
    page = client.get(f"/p/{token}").get_data(as_text=True)
    odd = client.post(f"/p/{token}/progress-sharing",
                      data={"share": "maybe", "csrf_token": csrf(page)})
    assert odd.status_code == 400 and "Choose whether to share" in odd.get_data(as_text=True)
    both = client.post(f"/p/{token}/progress-sharing",
                       data={"share": ["yes", "no"], "csrf_token": csrf(page)})
    assert both.status_code == 400
    assert store.plan(therapist, plan_id).progress_shared is None
    gone = client.post(f"/p/{'x' * 43}/progress-sharing",
                       data={"share": "yes", "csrf_token": csrf(page)})
    assert gone.status_code == 404


def test_the_therapist_cannot_answer_for_their_client(app, ann):
    """Found by a hostile tester: the therapist opened the private link from their own
    page and said yes for the client, who was then never asked."""
    plan_id, token = saved(ann)
    page = ann.client.get(f"/p/{token}").get_data(as_text=True)
    assert "theirs to say" in page and "Let my therapist see my progress" not in page
    token_of_a_form = csrf(ann.client.get("/therapist/").get_data(as_text=True))
    refused = ann.client.post(f"/p/{token}/progress-sharing",
                              data={"share": "yes", "csrf_token": token_of_a_form})
    assert refused.status_code == 403 and "theirs to say" in refused.get_data(as_text=True)
    store = accounts(app).store
    assert store.plan(store.therapist_by_email("ann@example.com"), plan_id) \
        .progress_shared is None
