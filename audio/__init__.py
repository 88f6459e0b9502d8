"""Media: voices, cue sounds, mixing and MP3 encoding. Knows timelines, not routines' meaning."""

from .encoder import Encoder, default_ffmpeg
from .errors import AudioError, EncoderError, VoiceError
from .maker import TrackMaker
from .render import Track
from .voice import Voice, load_voice

__all__ = ["AudioError", "Encoder", "EncoderError", "Track", "TrackMaker", "Voice",
           "VoiceError", "default_ffmpeg", "load_voice"]
