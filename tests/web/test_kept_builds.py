"""A track URL names one build, whose bytes never change (issue 10): after a rebuild the old
URL serves the old bytes, a download resumed across the rebuild gets the rest of the same
file, and a build that is no longer kept is 410 Gone."""

from __future__ import annotations

import json
import os
import shutil
from xml.etree import ElementTree as ET

import pytest

from audio.kept import kept_folder
from audio.tidy import tidy
from matcoach.app import create_app

from ..served import BASE_URL


def build_of(tracks, routine_id="calf-care") -> str:
    return json.loads((tracks / f"{routine_id}.json").read_text())["build"]


@pytest.fixture
def rebuilt(own_tracks, rebuild):
    """calf-care as first built, then built again with other words: (old, new) build ids,
    and each build's bytes."""
    old = build_of(own_tracks)
    old_bytes = (own_tracks / "calf-care.mp3").read_bytes()
    new = rebuild(own_tracks)
    assert new != old
    return old, new, old_bytes, (own_tracks / "calf-care.mp3").read_bytes()


@pytest.fixture
def client(tmp_path, own_tracks, library_dir):
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(own_tracks),
                      "LIBRARY_DIR": str(library_dir), "BASE_URL": BASE_URL,
                      "DATABASE": str(tmp_path / "matcoach.sqlite")})
    return app.test_client()


@pytest.fixture
def fetch(client):
    def fetch(path, headers=None):
        reply = client.get(path, headers=headers or {})
        reply.get_data()
        reply.close()
        return reply
    return fetch


def test_an_earlier_build_keeps_its_bytes_after_a_rebuild(fetch, rebuilt):
    """On main, `?build=<old>` silently served the new build's bytes."""
    old, new, old_bytes, new_bytes = rebuilt
    assert old_bytes != new_bytes
    for path in (f"/audio/calf-care.mp3?build={old}", f"/audio/{old}/calf-care.mp3"):
        reply = fetch(path)
        assert reply.status_code == 200 and reply.data == old_bytes, path
    assert fetch(f"/audio/{new}/calf-care.mp3").data == new_bytes
    assert fetch("/audio/calf-care.mp3").data == new_bytes, "the plain name is the newest"


def test_a_download_resumed_across_a_rebuild_gets_the_rest_of_the_same_bytes(fetch, rebuilt):
    """A podcast app fetched the first half before the rebuild and asks for the rest."""
    old, _, old_bytes, _ = rebuilt
    half = len(old_bytes) // 2
    for path in (f"/audio/{old}/calf-care.mp3", f"/audio/calf-care.mp3?build={old}"):
        rest = fetch(path, headers={"Range": f"bytes={half}-"})
        assert rest.status_code == 206
        assert old_bytes[:half] + rest.data == old_bytes, "not two encodings spliced"


def test_a_build_url_is_cacheable_for_ever_and_validates_by_its_id(fetch, rebuilt):
    old, *_ = rebuilt
    reply = fetch(f"/audio/{old}/calf-care.mp3")
    assert reply.headers["ETag"] == f'"{old}"'
    cache = reply.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache
    again = fetch(f"/audio/{old}/calf-care.mp3", headers={"If-None-Match": f'"{old}"'})
    assert again.status_code == 304
    assert "immutable" not in fetch("/audio/calf-care.mp3").headers.get("Cache-Control", "")


def test_a_build_no_longer_kept_is_gone(fetch, rebuilt, own_tracks, rebuild):
    """Two rebuilds later, with no saved place naming it and the disk full, the first build
    is removed: its URL says so with 410 (the player or podcast app should not retry), in
    one sentence."""
    old, new, *_ = rebuilt
    newest = rebuild(own_tracks, outro="Well done.")
    removed = tidy(own_tracks, None, in_use=set(), cap_bytes=1).removed
    assert [path.name for path in removed] == [old]
    for path in (f"/audio/{old}/calf-care.mp3", f"/audio/calf-care.mp3?build={old}"):
        gone = fetch(path)
        assert gone.status_code == 410
        assert b"replaced by a newer one" in gone.data
    assert fetch(f"/audio/{new}/calf-care.mp3").status_code == 200, "the previous is kept"
    assert fetch(f"/audio/{newest}/calf-care.mp3").status_code == 200


@pytest.mark.parametrize("path", [
    "/audio/0123456789abcdef/banana.mp3",       # a routine we never had: 404, not 410
    "/audio/not-a-build/calf-care.mp3", "/audio/0123456789ABCDEF/calf-care.mp3",
    "/audio/0123456789abcdef/calf-care.json", "/audio/0123456789abcdef/calf-care.vtt",
    "/audio/calf-care.mp3?build=../../etc", "/audio/builds/calf-care.mp3",
])
def test_what_names_no_build_of_a_routine_is_404(fetch, path):
    assert fetch(path).status_code == 404


def test_a_made_up_build_of_a_known_routine_is_gone(fetch):
    assert fetch("/audio/0123456789abcdef/calf-care.mp3").status_code == 410


def test_the_feed_and_the_page_link_to_the_current_build(fetch, rebuilt):
    _, new, _, new_bytes = rebuilt
    feed = ET.fromstring(fetch("/feed.xml").data)
    [item] = [i for i in feed.iter("item") if i.findtext("title") == "Calf care"]
    url = item.find("enclosure").get("url")
    assert url == f"{BASE_URL}/audio/{new}/calf-care.mp3"
    assert fetch(url.removeprefix(BASE_URL)).data == new_bytes
    assert f'src="/audio/{new}/calf-care.mp3"'.encode() in fetch("/routines/calf-care").data


def test_tracks_published_before_builds_were_kept_are_served_and_kept(fetch, own_tracks,
                                                                       rebuild):
    """A tracks folder from before this change has no builds/: its current builds are
    served at their build URL, and kept when the next build replaces them."""
    shutil.rmtree(own_tracks / "builds")
    old = build_of(own_tracks)
    old_bytes = (own_tracks / "calf-care.mp3").read_bytes()
    assert fetch(f"/audio/{old}/calf-care.mp3").data == old_bytes
    rebuild(own_tracks)
    assert fetch(f"/audio/{old}/calf-care.mp3").data == old_bytes


def test_a_build_served_lately_outlasts_one_no_one_fetched(fetch, own_tracks, rebuild):
    """Over the cap, the earlier build a podcast app still fetches is kept, and the one
    no one asked for goes."""
    fetched = build_of(own_tracks)
    unasked = rebuild(own_tracks, outro="One.")
    rebuild(own_tracks, outro="Two.")
    rebuild(own_tracks, outro="Three.")
    for build in (fetched, unasked):
        os.utime(kept_folder(own_tracks, build), (1e9, 1e9))   # made long ago
    assert fetch(f"/audio/{fetched}/calf-care.mp3").status_code == 200
    size = tidy(own_tracks, None, set(), cap_bytes=2**30).total
    removed = tidy(own_tracks, None, in_use=set(), cap_bytes=size - 1).removed
    assert [path.name for path in removed] == [unasked]
    assert fetch(f"/audio/{fetched}/calf-care.mp3").status_code == 200
    assert fetch(f"/audio/{unasked}/calf-care.mp3").status_code == 410
