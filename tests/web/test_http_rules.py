"""Files served by RFC 9110 (issue 10): ranges werkzeug refused are ignored, odd names are
404 and not 500, and nothing outside the tracks folder is served, even through a symlink."""

from __future__ import annotations

import os
import shutil

import pytest

from matcoach.app import create_app

TRACK = "/audio/calf-care.mp3"
TRANSCRIPT = "/routines/calf-care/transcript.vtt"


@pytest.fixture
def files(tracks_dir):
    return {TRACK: (tracks_dir / "calf-care.mp3").read_bytes(),
            TRANSCRIPT: (tracks_dir / "calf-care.vtt").read_bytes()}


@pytest.fixture
def fetch(client):
    """A request whose body is read and whose file is closed, as a real client does."""
    def fetch(path, method="GET", headers=None, on=client):
        reply = on.open(path, method=method, headers=headers or {})
        reply.get_data()
        reply.close()
        return reply
    return fetch


@pytest.mark.parametrize("path", [TRACK, TRANSCRIPT])
@pytest.mark.parametrize("header", [
    "bytes=0-10,20-30",    # two ranges: werkzeug writes no multipart/byteranges (RFC 9110 14.6)
    "bytes=0-10, 5-6",     # overlapping ones
    "bytes=abc",           # not a range at all (14.2: MAY ignore)
    "bytes=",
    "bytes=5-3",           # last before first: an invalid range-spec (14.1.1)
    "bytes=-0",
    "items=0-10",          # a unit we do not know (14.2: MUST ignore)
])
def test_a_range_that_is_not_one_byte_range_gets_the_whole_file(fetch, files, path, header):
    """Each was a 416 that left a podcast app or browser with nothing to play."""
    reply = fetch(path, headers={"Range": header})
    assert reply.status_code == 200
    assert reply.data == files[path]
    assert "Content-Range" not in reply.headers


@pytest.mark.parametrize("path", [TRACK, TRANSCRIPT])
def test_a_range_past_the_end_is_416_with_the_size(fetch, files, path):
    size = len(files[path])
    for header in ("bytes=99999999-", f"bytes={size}-{size + 10}"):
        reply = fetch(path, headers={"Range": header})
        assert reply.status_code == 416
        assert reply.headers["Content-Range"] == f"bytes */{size}"   # RFC 9110 15.5.17


@pytest.mark.parametrize("path", [TRACK, TRANSCRIPT])
def test_suffix_and_open_ranges_still_work(fetch, files, path):
    data = files[path]
    tail = fetch(path, headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.data == data[-100:]
    longer = fetch(path, headers={"Range": f"bytes=-{len(data) + 10}"})   # all of it
    assert longer.status_code == 206 and longer.data == data   # RFC 9110 14.1.3
    assert longer.headers["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
    rest = fetch(path, headers={"Range": "bytes=100-"})
    assert rest.status_code == 206 and rest.data == data[100:]
    assert rest.headers["Content-Range"] == f"bytes 100-{len(data) - 1}/{len(data)}"


def test_if_range_resumes_the_same_file_and_restarts_a_changed_one(fetch, files):
    """A podcast app resuming a download names what it has with If-Range (RFC 9110 13.1.5)."""
    first = fetch(TRACK)
    same = fetch(TRACK, headers={"Range": "bytes=1000-", "If-Range": first.headers["ETag"]})
    assert same.status_code == 206 and same.data == files[TRACK][1000:]
    dated = fetch(TRACK, headers={"Range": "bytes=1000-",
                                  "If-Range": first.headers["Last-Modified"]})
    assert dated.status_code == 206
    other = fetch(TRACK, headers={"Range": "bytes=1000-", "If-Range": '"another-version"'})
    assert other.status_code == 200 and other.data == files[TRACK]


def test_conditional_get_still_answers_304(fetch):
    first = fetch(TRANSCRIPT)
    assert fetch(TRANSCRIPT, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    since = fetch(TRANSCRIPT, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_head_ignores_range(fetch, files):
    """Range is defined for GET only (RFC 9110 14.2)."""
    reply = fetch(TRACK, method="HEAD", headers={"Range": "bytes=0-99"})
    assert reply.status_code == 200
    assert int(reply.headers["Content-Length"]) == len(files[TRACK])


@pytest.mark.parametrize("path", [
    "/audio/" + "a" * 300 + ".mp3",            # over NAME_MAX: was a 500 (ENAMETOOLONG)
    "/audio/" + "a-" * 200 + "b.mp3",
    "/audio/a%00b.mp3", "/audio/calf-care.mp3%00",
    "/routines/" + "a" * 300, "/routines/" + "a" * 300 + "/transcript.vtt",
    "/routines/" + "a" * 300 + "/chapters.json", "/routines/a%00b/transcript.vtt",
    "/static/" + "a" * 300, "/static/a%00b.css",
])
def test_odd_or_over_long_names_are_404(fetch, path):
    assert fetch(path).status_code == 404


@pytest.mark.parametrize("query", [
    "minutes=" + "1" * 4301,   # int() refuses 4,301 digits: was a 500
    "minutes=" + "9" * 30, "minutes=%C2%B2", "minutes=%00", "equipment=%00",
    "area=" + "x" * 10_000, "goal=%FF%FE",
])
def test_odd_query_parameters_do_not_break_the_library_page(fetch, query):
    reply = fetch(f"/?{query}")
    assert reply.status_code == 200
    assert b"calf-care" in reply.data


@pytest.fixture
def linked(tmp_path, tracks_dir):
    """A tracks folder with symlinks: one to a file outside it, one to a file inside it."""
    folder = tmp_path / "tracks"
    shutil.copytree(tracks_dir, folder)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.mp3"
    secret.write_bytes(b"ID3 not for anyone")
    (folder / "leak.mp3").symlink_to(secret)
    (folder / "inside.mp3").symlink_to(folder / "calf-care.mp3")
    return folder, outside


@pytest.fixture
def linked_client(tmp_path, linked, library_dir):
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(linked[0]),
                      "LIBRARY_DIR": str(library_dir),
                      "DATABASE": str(tmp_path / "matcoach.sqlite")})
    return app.test_client()


def test_a_symlink_out_of_the_tracks_folder_is_not_followed(fetch, linked_client, files):
    assert fetch("/audio/leak.mp3", on=linked_client).status_code == 404
    inside = fetch("/audio/inside.mp3", on=linked_client)
    assert inside.status_code == 200 and inside.data == files[TRACK]


def test_a_published_file_replaced_by_a_symlink_out_is_not_served(fetch, linked,
                                                                   linked_client):
    """The track and transcript of a listed routine, pointing outside: both 404, and the
    routine's page shows none of the outside file."""
    folder, outside = linked
    for name in ("calf-care.mp3", "calf-care.vtt"):
        shutil.move(folder / name, outside / name)
        (folder / name).symlink_to(outside / name)
    (outside / "calf-care.vtt").write_text("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\n"
                                           "a line from outside\n", encoding="utf-8")
    assert fetch(TRACK, on=linked_client).status_code == 404
    assert fetch(TRANSCRIPT, on=linked_client).status_code == 404
    page = fetch("/routines/calf-care", on=linked_client)
    assert page.status_code == 200 and b"a line from outside" not in page.data


def test_a_folder_of_symlinks_out_is_not_followed(fetch, linked, linked_client):
    folder, outside = linked
    os.symlink(outside, folder / "elsewhere")
    assert fetch("/audio/elsewhere/secret.mp3", on=linked_client).status_code == 404
