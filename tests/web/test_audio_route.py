"""GET /audio/<file>: whole files, byte ranges, validators, HEAD, and nothing else served."""

import pytest


@pytest.fixture
def mp3(tracks_dir):
    return (tracks_dir / "calf-care.mp3").read_bytes()


@pytest.fixture
def fetch(client):
    """A request whose body is read and whose file is closed, as a real client does."""
    def fetch(path, method="GET", headers=None):
        reply = client.open(path, method=method, headers=headers or {})
        reply.get_data()
        reply.close()
        return reply
    return fetch


def test_a_whole_track(fetch, mp3):
    reply = fetch("/audio/calf-care.mp3")
    assert reply.status_code == 200
    assert reply.mimetype == "audio/mpeg"
    assert reply.headers["Accept-Ranges"] == "bytes"
    assert reply.headers["ETag"] and reply.headers["Last-Modified"]
    assert int(reply.headers["Content-Length"]) == len(mp3)
    assert reply.data == mp3


@pytest.mark.parametrize(("header", "start", "end"), [
    ("bytes=0-99", 0, 99), ("bytes=1000-1999", 1000, 1999), ("bytes=-500", None, None),
    ("bytes=2000-", 2000, None),
])
def test_byte_ranges(fetch, mp3, header, start, end):
    reply = fetch("/audio/calf-care.mp3", headers={"Range": header})
    assert reply.status_code == 206
    if start is None:
        start, end = len(mp3) - 500, len(mp3) - 1
    end = len(mp3) - 1 if end is None else end
    assert reply.headers["Content-Range"] == f"bytes {start}-{end}/{len(mp3)}"
    assert reply.data == mp3[start:end + 1]


def test_a_range_past_the_end_is_416(fetch, mp3):
    reply = fetch("/audio/calf-care.mp3", headers={"Range": f"bytes={len(mp3) + 10}-"})
    assert reply.status_code == 416


def test_validators_answer_304(fetch):
    first = fetch("/audio/calf-care.mp3")
    again = fetch("/audio/calf-care.mp3", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = fetch("/audio/calf-care.mp3",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_head_has_the_headers_and_no_body(fetch, mp3):
    reply = fetch("/audio/calf-care.mp3", method="HEAD")
    assert reply.status_code == 200
    assert int(reply.headers["Content-Length"]) == len(mp3) and reply.data == b""


@pytest.mark.parametrize("path", [
    "/audio/../../etc/passwd", "/audio/%2e%2e/%2e%2e/etc/passwd", "/audio/..%2fskill.py",
    "/audio/.partial/calf-care.lock", "/audio/calf-care.json", "/audio/calf-care.vtt",
    "/audio/CALF-CARE.MP3", "/audio/missing.mp3", "/audio/", "/audio/calf care.mp3",
])
def test_anything_but_a_published_track_is_404(fetch, path):
    assert fetch(path).status_code == 404
