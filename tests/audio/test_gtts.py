"""gTTS: online only. Offline it fails in one sentence, and no track is made without speech."""

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from audio.errors import VoiceError
from audio.gtts_engine import GttsEngine
from audio.pcm import resample, to_int16

from .conftest import ROUTINE


def test_offline_it_says_to_use_piper(encoder):
    # ".invalid" never resolves, online or not: the real request fails the way it does offline.
    engine = GttsEngine(encoder, tld="invalid")
    with pytest.raises(VoiceError) as caught:
        engine.speak("Hello.", 1.0)
    message = str(caught.value)
    assert message.startswith("Google's voice could not be reached (")
    assert message.endswith("gTTS needs the internet. Build offline with --engine piper.")


def test_the_build_command_fails_without_writing_anything(tmp_path):
    routine = tmp_path / "test-routine.yaml"
    routine.write_text(ROUTINE)
    command = Path(sys.executable).parent / "matcoach"
    # An unreachable proxy makes the machine offline for gTTS, whatever its network.
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "MATCOACH_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([command, "build", routine, "--engine", "gtts", "--out",
                             tmp_path / "out"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "test-routine: Google's voice could not be reached" in result.stderr
    assert "Build offline with --engine piper." in result.stderr
    assert "Traceback" not in result.stderr
    made = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert made == []


def test_online_its_speech_is_decoded_and_paced(encoder, piper, monkeypatch):
    """Google is out of reach here; stand in for its reply with real MP3 speech."""
    import gtts

    samples, rate = piper.speak("Roll slowly.", 1.0)
    reply = encoder.encode(to_int16(resample(samples, rate)))

    def write_to_fp(self, fp: io.BytesIO) -> None:
        fp.write(reply)

    monkeypatch.setattr(gtts.gTTS, "write_to_fp", write_to_fp)
    engine = GttsEngine(encoder)
    normal, rate = engine.speak("Roll slowly.", 1.0)
    slow, _ = engine.speak("Roll slowly.", 0.5)
    assert rate == 48000
    assert np.abs(normal).max() > 0.1
    assert 1.9 < len(slow) / len(normal) < 2.1

