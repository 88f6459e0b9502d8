"""Moving around a routine by voice: pause, resume, next, previous, repeat, start over."""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from audio.shelf import Track
from builder.timeline import Chapter

from .. import player
from ..plans import caller, is_plan
from ..speech import chapter_name, say
from . import records
from .base import (
    Deps,
    IntentHandler,
    Place,
    current,
    holds_stream,
    hurting,
    is_playing_here,
    latest_track,
    load_place,
    nothing_built,
    pain_choice,
    public_url,
    resume_point,
    save_place,
    suggestions,
    supports_audio,
)
from .session import remember_offer

Target = Callable[[Track, int], Chapter | None]


def next_chapter(track: Track, offset_ms: int) -> Chapter | None:
    """The chapter after the one playing, or None at the last."""
    index = track.chapter_at(offset_ms).index
    return track.chapters[index + 1] if index + 1 < len(track.chapters) else None


def next_step(track: Track, offset_ms: int) -> Chapter | None:
    """The first chapter of the next step, past any sides of this one left to play (what
    "skip this step" means after something hurt); None when nothing follows."""
    current = track.chapter_at(offset_ms)
    return next((c for c in track.chapters[current.index + 1:]
                 if c.step is None or c.step != current.step), None)


def previous_step(track: Track, offset_ms: int) -> Chapter | None:
    """The chapter before the first of this step's (the first stays the first)."""
    first = track.step_start(offset_ms)
    return track.chapters[max(0, first.index - 1)]


def previous_chapter(track: Track, offset_ms: int) -> Chapter | None:
    """The chapter before the one playing (the first stays the first)."""
    index = track.chapter_at(offset_ms).index
    return track.chapters[max(0, index - 1)]


def play_from(handler_input: HandlerInput, deps: Deps, track: Track, offset_ms: int,
              place: Place, speech: str | None = None, new_session: bool = False) -> Response:
    """Play `track` from `offset_ms` as a new stream, and save that as the user's place.
    The listening session goes on (what the stream it replaces played is recorded), unless
    `new_session` (a routine started from its beginning), it is another routine, or its
    sitting is over (records.goes_on)."""
    goes_on = not new_session and records.theirs(handler_input, place) \
        and records.goes_on(deps, place, track)   # asked before the stream left reports
    records.leave_stream(handler_input, deps, place, track)
    if not goes_on:
        records.open_session(handler_input, deps, place, track)
    token = place.move_to(track, offset_ms, playing=True)
    save_place(handler_input, place)
    return player.play(handler_input.response_builder, track, token, offset_ms,
                       public_url(handler_input, deps), speech)


def jump(handler_input: HandlerInput, deps: Deps, target: Target,
         announce: str | None, latest: bool = False) -> Response:
    """Play from the chapter `target` picks; `announce` is the speech key (None for buttons).
    Within the build being played, or with `latest`, in the routine's current build, as a
    new listening session (starting over)."""
    track, offset, place = current(handler_input, deps)
    if track is None:
        return nothing_playing(handler_input, deps, spoken=announce is not None)
    if latest:
        track = latest_track(handler_input, deps, track.id) or track
    chapter = target(track, offset)
    if chapter is None:
        return play_from(handler_input, deps, track, offset, place,
                         say("no_next") if announce else None)
    speech = say(announce, chapter=chapter_name(chapter)) if announce else None
    return play_from(handler_input, deps, track, chapter.start_ms, place, speech,
                     new_session=latest)


def resume(handler_input: HandlerInput, deps: Deps, spoken: bool,
           speech: str | None = None) -> Response:
    """Carry on from the saved place: exactly where it stopped on the device that holds
    the stream, else from the start of its step or side (base.resume_point)."""
    track, offset, place = current(handler_input, deps)
    if track is None:
        return nothing_playing(handler_input, deps, spoken)
    offset = resume_point(handler_input, track, offset, place)
    if spoken and speech is None and not holds_stream(handler_input, place):
        speech = say("resuming", title=track.routine.title,
                     chapter=chapter_name(track.chapter_at(offset)))
    return play_from(handler_input, deps, track, offset, place, speech)


def pause(handler_input: HandlerInput, deps: Deps) -> Response:
    """Stop the stream and keep the place (PlaybackStopped then brings the exact offset)."""
    track, offset, place = current(handler_input, deps)
    if track is not None:
        place.follow(track, offset, playing=False)
        records.reached(deps, place, track, offset)
        save_place(handler_input, place)
    return player.stop(handler_input.response_builder)


def nothing_playing(handler_input: HandlerInput, deps: Deps, spoken: bool) -> Response:
    """Nothing to act on; by voice, say how to start (a button gets silence)."""
    builder = handler_input.response_builder
    if not spoken:
        return builder.response
    # A plan that was playing, no longer theirs (a new code, or the client deleted).
    gone = is_plan(load_place(handler_input).routine)
    mine = deps.plans.offer(caller(handler_input)) if deps.plans is not None else None
    if mine is not None and mine.track is not None and not gone:
        remember_offer(handler_input, [mine.routine_id])   # what they were given to do
        text = say("nothing_playing_plan", title=mine.title)
        return builder.speak(text).ask(text).response
    picks = suggestions(deps, 1)
    if gone and not picks:
        return builder.speak(say("plan_gone")).set_should_end_session(True).response
    if not picks:
        return nothing_built(handler_input, deps)
    remember_offer(handler_input, [picks[0].id])
    first = picks[0].routine.title
    text = f"{say('plan_gone')} {say('meanwhile', title=first)}" if gone else \
        say("nothing_playing", first=first)
    return builder.speak(text).ask(text).response


class PlaybackIntentHandler(IntentHandler):
    """A playback intent; devices without a player are told so."""

    def handle(self, handler_input: HandlerInput) -> Response:
        if not supports_audio(handler_input):
            return handler_input.response_builder.speak(say("no_player_here")) \
                .set_should_end_session(True).response
        return self.act(handler_input)

    def act(self, handler_input: HandlerInput) -> Response:
        raise NotImplementedError


class PauseIntentHandler(PlaybackIntentHandler):
    """"Pause" (and "stop" while playing arrives as this too)."""

    INTENT = "AMAZON.PauseIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        if hurting(handler_input) and not is_playing_here(handler_input,
                                                          load_place(handler_input)):
            # "Hold on" while the pain choice is open: it is paused; say so, and ask again.
            return pain_choice(handler_input, say("still_paused"))
        return pause(handler_input, self.deps)


class ResumeIntentHandler(PlaybackIntentHandler):
    """"Resume": from the saved offset."""

    INTENT = "AMAZON.ResumeIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        # "Carry on gently", after something hurt: from the same moment, with a word on it.
        gently = say("carry_on_gently") if hurting(handler_input) else None
        return resume(handler_input, self.deps, spoken=True, speech=gently)


class NextIntentHandler(PlaybackIntentHandler):
    """"Next": the next step or side."""

    INTENT = "AMAZON.NextIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        # "Skip this step" after something hurt skips the step, every side of it.
        target = next_step if hurting(handler_input) else next_chapter
        return jump(handler_input, self.deps, target, "jump_next")


class PreviousIntentHandler(PlaybackIntentHandler):
    """"Previous": the step or side before."""

    INTENT = "AMAZON.PreviousIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        # After something hurt, back past every side of that step, not into its other side.
        target = previous_step if hurting(handler_input) else previous_chapter
        return jump(handler_input, self.deps, target, "jump_previous")


class StartOverIntentHandler(PlaybackIntentHandler):
    """"Start over": the routine from the beginning."""

    INTENT = "AMAZON.StartOverIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        # Starting over is a new session: the routine as it is now, not as it was.
        return jump(handler_input, self.deps, lambda track, _: track.chapters[0],
                    "jump_start_over", latest=True)


class RepeatIntentHandler(PlaybackIntentHandler):
    """"Repeat that": the current step again from its start."""

    INTENT = "AMAZON.RepeatIntent"

    def act(self, handler_input: HandlerInput) -> Response:
        return jump(handler_input, self.deps, lambda track, at: track.step_start(at),
                    "jump_repeat")
