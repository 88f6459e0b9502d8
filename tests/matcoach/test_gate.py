"""Downloads never take every thread (review of issue 8): beyond the slots, a download is
told to come back (503, Retry-After), and Alexa and the pages still answer."""

from __future__ import annotations

import gc
import http.client
import json
import os
import shutil
import time

import pytest

from matcoach.gate import DownloadGate

from ..served import launch_envelope
from .running import Server, environment


def app_answering(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"x"]


def call(gate, path="/audio/a.mp3"):
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = gate({"PATH_INFO": path}, start_response)
    return answer["status"], answer["headers"], body


def test_beyond_its_slots_a_download_is_told_to_come_back():
    gate = DownloadGate(app_answering, slots=2)
    first, second = call(gate)[2], call(gate)[2]
    status, headers, body = call(gate)
    assert status == "503 Service Unavailable" and headers["Retry-After"] == "5"
    assert b"try again" in b"".join(body)
    assert call(gate, "/routines/a")[0] == "200 OK", "pages are not downloads"
    first.close()
    assert call(gate)[0] == "200 OK"
    del second


def test_a_response_dropped_without_close_gives_its_slot_back():
    gate = DownloadGate(app_answering, slots=1)
    held = call(gate)[2]
    assert call(gate)[0].startswith("503")
    del held
    gc.collect()
    assert call(gate)[0] == "200 OK"


@pytest.fixture
def one_thread_left(tmp_path, tracks_dir, library_dir):
    home = tmp_path / "home"
    shutil.copytree(tracks_dir, home / "tracks")
    (home / "tracks" / "big.mp3").write_bytes(os.urandom(24 * 1024 * 1024))
    env = environment(home, MATCOACH_ROUTINES=str(library_dir))
    server = Server(tmp_path, env, "--no-verify", "--no-build", "--workers", "1",
                    "--threads", "3")
    try:
        yield server.started()
    finally:
        server.kill()


def test_a_stalled_download_leaves_alexa_answering(one_thread_left):
    server = one_thread_left
    stalled = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    stalled.request("GET", "/audio/big.mp3")
    stalled.getresponse().read(1024)   # then reads no more, as a paused player does
    other = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    other.request("GET", "/audio/calf-care.mp3")
    reply = other.getresponse()
    assert reply.status == 503 and reply.getheader("Retry-After") == "5"
    reply.read()
    started = time.monotonic()
    other.request("POST", "/alexa", json.dumps(launch_envelope()),
                  {"Content-Type": "application/json"})
    reply = other.getresponse()
    assert reply.status == 200 and "Welcome" in json.loads(reply.read())["response"][
        "outputSpeech"]["ssml"]
    assert time.monotonic() - started < 5
    other.close()
    stalled.close()
