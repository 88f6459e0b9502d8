"""`matcoach serve` as a newcomer starts it: a real server on a port, answering requests."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..served import launch_envelope

COMMAND = Path(sys.executable).parent / "matcoach"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_alexa_and_audio(tmp_path, library_dir, tracks_dir):
    port = free_port()
    env = {**os.environ, "MATCOACH_AUDIO_DIR": str(tracks_dir), "MATCOACH_ROUTINES":
           str(library_dir), "MATCOACH_DATABASE": str(tmp_path / "db.sqlite")}
    server = subprocess.Popen([COMMAND, "serve", "--port", str(port), "--no-verify"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/audio/calf-care.mp3", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(f"{base}/audio/calf-care.mp3", timeout=5) as reply:
            assert reply.headers["Content-Type"] == "audio/mpeg"
            assert reply.read() == (tracks_dir / "calf-care.mp3").read_bytes()
        request = urllib.request.Request(f"{base}/alexa", method="POST",
                                         data=json.dumps(launch_envelope()).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert "Welcome to Mat Coach" in json.load(reply)["response"]["outputSpeech"]["ssml"]
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "request verification is OFF" in errors


def test_serve_without_a_skill_id_says_what_to_set(tmp_path, library_dir):
    env = {**os.environ, "MATCOACH_ROUTINES": str(library_dir), "MATCOACH_SKILL_ID": "",
           "MATCOACH_DATABASE": str(tmp_path / "db.sqlite")}
    result = subprocess.run([COMMAND, "serve"], env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1
    assert "Error: Set MATCOACH_SKILL_ID to your skill's id" in result.stderr
    assert "Traceback" not in result.stderr
