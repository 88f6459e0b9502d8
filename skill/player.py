"""AudioPlayer responses in one place: play a track from an offset, or stop."""

from __future__ import annotations

from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model import Response
from ask_sdk_model.interfaces.audioplayer import (
    AudioItem,
    AudioItemMetadata,
    PlayBehavior,
    PlayDirective,
    StopDirective,
    Stream,
)

from audio.shelf import Track


def audio_url(base_url: str, track: Track) -> str:
    """The https address of the track's build, whose bytes never change: an offset saved
    in it, or a stream resumed, lands in the same audio (web/audio.py, audio/kept.py; a
    therapist's plan under its private token, web/private.py)."""
    return f"{base_url.rstrip('/')}{track.url_path}"


def play(builder: ResponseFactory, track: Track, token: str, offset_ms: int, base_url: str,
         speech: str | None = None) -> Response:
    """Speech (optional, it plays first), then the track from `offset_ms`; the session ends."""
    offset_ms = max(0, min(offset_ms, track.duration_ms - 1))
    metadata = AudioItemMetadata(title=track.routine.title,
                                 subtitle=track.chapter_at(offset_ms).title)
    stream = Stream(token=token, url=audio_url(base_url, track),
                    offset_in_milliseconds=offset_ms)
    builder.add_directive(PlayDirective(play_behavior=PlayBehavior.REPLACE_ALL,
                                        audio_item=AudioItem(stream=stream, metadata=metadata)))
    if speech:
        builder.speak(speech)
    return builder.set_should_end_session(True).response


def stop(builder: ResponseFactory, speech: str | None = None) -> Response:
    """Stop the stream (its offset arrives in PlaybackStopped)."""
    builder.add_directive(StopDirective())
    if speech:
        builder.speak(speech)
    return builder.set_should_end_session(True).response
