"""The only module that runs ffmpeg: PCM to self-contained MP3 frames, and decoding."""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import AudioError, EncoderError

RATE = 48_000
FRAME_SAMPLES = 1152            # MPEG-1 Layer III at 48 kHz: 24 ms a frame
FRAME_MS = FRAME_SAMPLES * 1000 // RATE
BITRATE = 64_000
FRAME_BYTES = 144 * BITRATE // RATE   # 192: no padding bit exists at 48 kHz
# LAME's encoder delay (576) plus the decoder's (529): without a gapless header, a sample
# placed at position P of the encoded PCM is heard at P + 1105 in every decoder.
CODEC_DELAY_SAMPLES = 1105
# LAME's -q 7 encodes our speech 1.8 times as fast as its default -q 5, with no worse
# signal-to-noise (measured); cold builds spend most of their non-voice time encoding.
LAME_QUALITY = 7
SETTINGS = (f"mp3 {RATE}Hz mono {BITRATE // 1000}k cbr reservoir=0 q={LAME_QUALITY} "
            f"delay={CODEC_DELAY_SAMPLES}")


def default_ffmpeg() -> str:
    """MATCOACH_FFMPEG if set, else the ffmpeg bundled in the imageio-ffmpeg wheel."""
    configured = os.environ.get("MATCOACH_FFMPEG")
    if configured:
        return configured
    import imageio_ffmpeg
    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class Encoder:
    """Runs one ffmpeg binary; every call is a subprocess with its errors checked."""

    ffmpeg: str

    def encode(self, pcm: np.ndarray) -> bytes:
        """int16 mono PCM at 48 kHz to CBR frames with no bit reservoir and no headers."""
        data = self._run(["-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
                          "-c:a", "libmp3lame", "-b:a", str(BITRATE), "-reservoir", "0",
                          "-compression_level", str(LAME_QUALITY),
                          "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1"],
                         pcm.astype("<i2").tobytes())
        if len(data) % FRAME_BYTES:
            raise AudioError(f"{self.ffmpeg} wrote MP3 frames that are not {FRAME_BYTES} bytes "
                             "each; use an ffmpeg built with libmp3lame")
        return data

    def decode(self, source: bytes | Path, tempo: float = 1.0) -> np.ndarray:
        """Any audio ffmpeg reads, as float32 mono at 48 kHz (optionally sped up)."""
        filters = ["-af", f"atempo={tempo}"] if tempo != 1.0 else []
        if isinstance(source, Path):
            args, stdin = ["-i", str(source)], b""
        else:
            args, stdin = ["-i", "pipe:0"], source
        data = self._run([*args, *filters, "-f", "f32le", "-ac", "1", "-ar", str(RATE),
                          "pipe:1"], stdin)
        return np.frombuffer(data, dtype="<f4").copy()

    def metadata(self, path: Path) -> str:
        """ffmpeg's ffmetadata dump of a file (tags and chapters), as ffprobe would read it."""
        return self._run(["-i", str(path), "-f", "ffmetadata", "pipe:1"], b"").decode("utf-8")

    @functools.cached_property
    def silence_frame(self) -> bytes:
        """One frame of digital silence; it stands for any length of quiet."""
        frames = self.encode(np.zeros(FRAME_SAMPLES * 3, dtype=np.int16))
        return frames[FRAME_BYTES:2 * FRAME_BYTES]

    def _run(self, args: list[str], stdin: bytes) -> bytes:
        command = [self.ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", *args]
        if stdin:
            command.remove("-nostdin")
        try:
            done = subprocess.run(command, input=stdin, capture_output=True, check=False)
        except OSError as exc:
            raise EncoderError(command, -1, f"cannot run {self.ffmpeg}: {exc.strerror}") from exc
        if done.returncode != 0:
            raise EncoderError(command, done.returncode, done.stderr.decode("utf-8", "replace"))
        return done.stdout
