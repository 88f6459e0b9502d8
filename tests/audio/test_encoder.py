"""The encoder subprocess: frames that stand alone, and errors that say what happened."""

import numpy as np
import pytest

from audio.encoder import FRAME_BYTES, FRAME_SAMPLES, Encoder
from audio.errors import EncoderError


def test_silence_is_one_repeatable_frame_that_decodes_to_zeros(encoder):
    frame = encoder.silence_frame
    assert len(frame) == FRAME_BYTES
    assert np.all(encoder.decode(frame * 50) == 0.0)


def test_encoding_gives_whole_frames(encoder):
    data = encoder.encode(np.zeros(FRAME_SAMPLES * 10, dtype=np.int16))
    assert len(data) % FRAME_BYTES == 0 and len(data) // FRAME_BYTES >= 10


def test_a_missing_ffmpeg_is_named(tmp_path):
    with pytest.raises(EncoderError) as caught:
        Encoder(str(tmp_path / "ffmpeg")).encode(np.zeros(10, dtype=np.int16))
    assert str(caught.value).startswith(f"ffmpeg failed (exit -1): cannot run {tmp_path}")


def test_a_failing_ffmpeg_carries_command_code_and_stderr(encoder):
    with pytest.raises(EncoderError) as caught:
        encoder.decode(b"this is not audio")
    error = caught.value
    assert error.command[0] == encoder.ffmpeg
    assert error.returncode != 0
    assert error.stderr.strip()
    assert str(error).startswith(f"ffmpeg failed (exit {error.returncode}): ")


def test_the_ffmpeg_comes_from_configuration(monkeypatch):
    from audio.encoder import default_ffmpeg
    monkeypatch.setenv("MATCOACH_FFMPEG", "/opt/my/ffmpeg")
    assert default_ffmpeg() == "/opt/my/ffmpeg"
    monkeypatch.delenv("MATCOACH_FFMPEG")
    import imageio_ffmpeg
    assert default_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()
