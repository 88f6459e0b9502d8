"""Every link the app makes follows the address it was reached at when MATCOACH_BASE_URL is
unset (local use: a phone on the same network gets links it can follow), and is always the
configured address when it is set, whatever the request claims."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from matcoach.app import create_app

from ..served import BASE_URL

LAN = "192.168.1.20:5301"


@pytest.fixture
def local_app(tmp_path, library_dir, tracks_dir, monkeypatch):
    monkeypatch.delenv("MATCOACH_BASE_URL", raising=False)
    return create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                       "LIBRARY_DIR": str(library_dir),
                       "DATABASE": str(tmp_path / "db.sqlite")})


def feed_links(client, host: str) -> set[str]:
    """Every address in /feed.xml, asked for at `host`."""
    feed = client.get("/feed.xml", headers={"Host": host}).data
    links = set()
    for element in ET.fromstring(feed).iter():
        links |= {value for key, value in element.attrib.items()
                  if key in ("href", "url") and "://" in value}
        if element.text and element.text.startswith("http"):
            links.add(element.text)
    return links


def start_routine(title: str) -> dict:
    application, user = {"applicationId": "amzn1.ask.skill.local"}, {"userId": "u1"}
    return {"version": "1.0",
            "session": {"new": True, "sessionId": "s1", "application": application,
                        "user": user, "attributes": {}},
            "context": {"System": {"application": application, "user": user,
                                   "device": {"deviceId": "d1",
                                              "supportedInterfaces": {"AudioPlayer": {}}}}},
            "request": {"type": "IntentRequest", "requestId": "r1", "locale": "en-US",
                        "timestamp": "2026-11-29T12:00:00Z",
                        "intent": {"name": "StartRoutineIntent",
                                   "slots": {"routine": {"name": "routine", "value": title}}}}}


def played_url(client, host: str) -> str:
    reply = client.post("/alexa", json=start_routine("calf care"), headers={"Host": host})
    directive = reply.get_json()["response"]["directives"][0]
    return directive["audioItem"]["stream"]["url"]


def test_unset_feed_links_follow_the_host_and_port_asked(local_app):
    links = feed_links(local_app.test_client(), LAN)
    assert len(links) > 10   # channel, artwork, each enclosure, transcript and chapters
    assert {link for link in links if not link.startswith(f"http://{LAN}/")} == set()


def test_unset_play_urls_follow_the_host_and_port_asked(local_app):
    url = played_url(local_app.test_client(), LAN)
    assert re.fullmatch(rf"http://{LAN}/audio/[0-9a-f]{{16}}/calf-care\.mp3", url)


def test_set_every_link_is_the_configured_address_whatever_the_host(app):
    client = app.test_client()
    links = feed_links(client, "evil.example")
    assert links and {link for link in links if not link.startswith(f"{BASE_URL}/")} == set()


def test_set_play_urls_are_the_configured_address(tmp_path, library_dir, tracks_dir):
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                      "LIBRARY_DIR": str(library_dir), "BASE_URL": BASE_URL,
                      "DATABASE": str(tmp_path / "db.sqlite")})
    assert played_url(app.test_client(), "evil.example").startswith(f"{BASE_URL}/audio/")


@pytest.mark.parametrize("host", ["evil.example/phish?x=", "a b", '"quoted"', "ok.example:99999"])
def test_a_host_header_no_browser_sends_is_not_put_in_links(local_app, host):
    client = local_app.test_client()
    server = "http://localhost"   # where the test client says the server listens
    links = feed_links(client, host)
    assert links and {link for link in links if not link.startswith(f"{server}/")} == set()
    assert re.fullmatch(rf"{server}/audio/[0-9a-f]{{16}}/calf-care\.mp3", played_url(client, host))
