"""Moving around a routine by voice: pause, resume, next, previous, repeat, time left."""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from .. import player
from ..shelf import Chapter, Track
from ..speech import say, spoken_duration
from .base import Deps, IntentHandler, current, save_place, suggestions, supports_audio

Target = Callable[[Track, int], Chapter | None]


def next_chapter(track: Track, offset_ms: int) -> Chapter | None:
    """The chapter after the one playing, or None at the last."""
    index = track.chapter_at(offset_ms).index
    return track.chapters[index + 1] if index + 1 < len(track.chapters) else None


def previous_chapter(track: Track, offset_ms: int) -> Chapter | None:
    """The chapter before the one playing (the first stays the first)."""
    index = track.chapter_at(offset_ms).index
    return track.chapters[max(0, index - 1)]


def jump(handler_input: HandlerInput, deps: Deps, target: Target,
         announce: str | None) -> Response:
    """Play the user's track from the chapter `target` picks; by voice, say where
    (`announce` is the speech key; buttons pass None and get no speech)."""
    builder = handler_input.response_builder
    track, offset, place = current(handler_input, deps)
    if track is None:
        return nothing_playing(handler_input, deps, spoken=announce is not None)
    chapter = target(track, offset)
    if chapter is None:
        speech = say("no_next") if announce else None
        return player.play(builder, track, offset, deps.base_url, speech)
    place.routine, place.token, place.offset_ms, place.playing = \
        track.id, track.token, chapter.start_ms, True
    save_place(handler_input, place)
    speech = say(announce, chapter=chapter.title) if announce else None
    return player.play(builder, track, chapter.start_ms, deps.base_url, speech)


def resume(handler_input: HandlerInput, deps: Deps, spoken: bool) -> Response:
    """Carry on from the saved place."""
    track, offset, place = current(handler_input, deps)
    if track is None:
        return nothing_playing(handler_input, deps, spoken)
    place.routine, place.token, place.offset_ms, place.playing = \
        track.id, track.token, offset, True
    save_place(handler_input, place)
    return player.play(handler_input.response_builder, track, offset, deps.base_url)


def pause(handler_input: HandlerInput, deps: Deps) -> Response:
    """Stop the stream and keep the place (PlaybackStopped brings the exact offset too)."""
    track, offset, place = current(handler_input, deps)
    if track is not None:
        place.offset_ms, place.playing = offset, False
        save_place(handler_input, place)
    return player.stop(handler_input.response_builder)


def nothing_playing(handler_input: HandlerInput, deps: Deps, spoken: bool) -> Response:
    """Nothing to act on; by voice, say how to start (a button gets silence)."""
    builder = handler_input.response_builder
    if not spoken:
        return builder.response
    first = suggestions(deps, 1)
    text = say("nothing_playing", first=first[0].routine.title if first else "a routine")
    return builder.speak(text).ask(text).response


class PlaybackIntentHandler(IntentHandler):
    """A playback intent; devices without a player get an apology."""

    def handle(self, handler_input: HandlerInput) -> Response:
        if not supports_audio(handler_input):
            track, _, _ = current(handler_input, self.deps)
            title = track.routine.title if track else "this routine"
            return handler_input.response_builder.speak(
                say("no_audio_player", title=title, steps="")).response
        return self.act(handler_input)

    def act(self, handler_input: HandlerInput) -> Response:
        raise NotImplementedError


class PauseIntentHandler(PlaybackIntentHandler):
    """"Pause" (and "stop" while playing arrives as this too)."""

    INTENT = "AMAZON.PauseIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return pause(handler_input, self.deps)


class ResumeIntentHandler(PlaybackIntentHandler):
    """"Resume": from the saved offset."""

    INTENT = "AMAZON.ResumeIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return resume(handler_input, self.deps, spoken=True)


class NextIntentHandler(PlaybackIntentHandler):
    """"Next": the next step or side."""

    INTENT = "AMAZON.NextIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return jump(handler_input, self.deps, next_chapter, "jump_next")


class PreviousIntentHandler(PlaybackIntentHandler):
    """"Previous": the step or side before."""

    INTENT = "AMAZON.PreviousIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return jump(handler_input, self.deps, previous_chapter, "jump_previous")


class StartOverIntentHandler(PlaybackIntentHandler):
    """"Start over": the routine from the beginning."""

    INTENT = "AMAZON.StartOverIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return jump(handler_input, self.deps, lambda track, _: track.chapters[0],
                    "jump_start_over")


class RepeatIntentHandler(PlaybackIntentHandler):
    """"Repeat that": the current step again from its start."""

    INTENT = "AMAZON.RepeatIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return jump(handler_input, self.deps, lambda track, at: track.step_start(at),
                    "jump_repeat")


class TimeLeftIntentHandler(PlaybackIntentHandler):
    """"How long is left": in this step and in the routine, then carry on where it was."""

    INTENT = "TimeLeftIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        track, offset, place = current(handler_input, self.deps)
        if track is None:
            return nothing_playing(handler_input, self.deps, spoken=True)
        chapter = track.chapter_at(offset)
        total = spoken_duration(track.duration_ms - offset)
        if chapter.step is None:
            text = say("time_left_last", total_left=total)
        else:
            text = say("time_left", step_left=spoken_duration(chapter.end_ms - offset),
                       chapter=chapter.title, total_left=total)
        place.routine, place.token, place.offset_ms, place.playing = \
            track.id, track.token, offset, True
        save_place(handler_input, place)
        return player.play(handler_input.response_builder, track, offset, self.deps.base_url,
                           text[0].upper() + text[1:])
