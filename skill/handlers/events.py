"""AudioPlayer and PlaybackController requests: never any speech, as the platform requires."""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..envelope import loggable
from ..plans import caller
from . import records
from .base import (
    Deps,
    EventHandler,
    finished_now,
    hurting,
    kept_track,
    load_place,
    save_place,
)
from .playback import (
    jump,
    next_chapter,
    next_step,
    pause,
    previous_chapter,
    previous_step,
    resume,
)

log = logging.getLogger(__name__)


def _event(handler_input: HandlerInput):
    return handler_input.request_envelope.request


def _follow(handler_input: HandlerInput, deps: Deps, offset_ms: int | None,
            playing: bool) -> None:
    """Note what the device reports about the user's current stream; ignore older streams."""
    place = load_place(handler_input)
    # The build the stream plays (kept while the place refers to it), for its chapters.
    track = kept_track(handler_input, deps, place.routine, place.build)
    if track is None or _event(handler_input).token != place.token:
        return   # e.g. the stream a "next" just replaced, stopping late
    offset = place.offset_ms if offset_ms is None else offset_ms
    place.follow(track, offset, playing)
    records.reached(deps, place, track, offset)
    save_place(handler_input, place)


class _ReportHandler(EventHandler):
    """An event that reports where the stream is, and whether it now plays."""

    PLAYING: bool = False

    def handle(self, handler_input: HandlerInput) -> Response:
        _follow(handler_input, self.deps, _event(handler_input).offset_in_milliseconds,
                playing=self.PLAYING)
        return handler_input.response_builder.response


class PlaybackStartedHandler(_ReportHandler):
    """The stream began: remember it is playing."""

    REQUEST = "AudioPlayer.PlaybackStarted"
    PLAYING = True


class PlaybackStoppedHandler(_ReportHandler):
    """The stream stopped (pause, or the user spoke): remember exactly where."""

    REQUEST = "AudioPlayer.PlaybackStopped"


class PlaybackNearlyFinishedHandler(_ReportHandler):
    """Nothing to queue (a routine is one track); where it is, for the history."""

    REQUEST = "AudioPlayer.PlaybackNearlyFinished"
    PLAYING = True


class PlaybackFinishedHandler(EventHandler):
    """The routine played to the end: record it, and clear the place."""

    REQUEST = "AudioPlayer.PlaybackFinished"

    def handle(self, handler_input: HandlerInput) -> Response:
        place = load_place(handler_input)
        if place.token and _event(handler_input).token == place.token:
            track = kept_track(handler_input, self.deps, place.routine, place.build)
            if track is not None:
                records.reached(self.deps, place, track, track.duration_ms, finished=True)
            save_place(handler_input, finished_now(place))
        return handler_input.response_builder.response


class PlaybackFailedHandler(EventHandler):
    """The device could not play the stream: log why, keep the place it reached."""

    REQUEST = "AudioPlayer.PlaybackFailed"

    def handle(self, handler_input: HandlerInput) -> Response:
        event = _event(handler_input)
        log.warning("playback failed: %s %s", getattr(event.error, "object_type", None),
                    loggable(getattr(event.error, "message", None)))
        state = event.current_playback_state
        reached = state.offset_in_milliseconds if state else None
        _follow(handler_input, self.deps, reached or None, playing=False)
        return handler_input.response_builder.response


class PlayCommandHandler(EventHandler):
    """The device's play button."""

    REQUEST = "PlaybackController.PlayCommandIssued"

    def handle(self, handler_input: HandlerInput) -> Response:
        return resume(handler_input, self.deps, spoken=False)


class PauseCommandHandler(EventHandler):
    """The device's pause button."""

    REQUEST = "PlaybackController.PauseCommandIssued"

    def handle(self, handler_input: HandlerInput) -> Response:
        return pause(handler_input, self.deps)


class NextCommandHandler(EventHandler):
    """The device's next button: the next step or side."""

    REQUEST = "PlaybackController.NextCommandIssued"

    def handle(self, handler_input: HandlerInput) -> Response:
        # After something hurt, the button skips the whole step, as "skip this step" does.
        target = next_step if hurting(handler_input) else next_chapter
        return jump(handler_input, self.deps, target, announce=None)


class PreviousCommandHandler(EventHandler):
    """The device's previous button."""

    REQUEST = "PlaybackController.PreviousCommandIssued"

    def handle(self, handler_input: HandlerInput) -> Response:
        # After something hurt, back to before that step, as "go back" does.
        target = previous_step if hurting(handler_input) else previous_chapter
        return jump(handler_input, self.deps, target, announce=None)


class SkillDisabledHandler(EventHandler):
    """The skill was disabled on an Alexa account (subscribed in the manifest,
    skill/package.py): its place, its plans' links and every voice profile's listening
    history there are deleted (a skill enabled again starts afresh)."""

    REQUEST = "AlexaSkillEvent.SkillDisabled"

    def handle(self, handler_input: HandlerInput) -> Response:
        account = caller(handler_input).account
        handler_input.attributes_manager.delete_persistent_attributes()
        if self.deps.plans is not None:
            self.deps.plans.forget_account(account)
        if self.deps.listening is not None:
            self.deps.listening.forget_account(account)
        log.info("skill disabled on an account: its place, links and history deleted")
        return handler_input.response_builder.response


class ExceptionEncounteredHandler(EventHandler):
    """Alexa could not use a response of ours: log it (no response is allowed)."""

    REQUEST = "System.ExceptionEncountered"

    def handle(self, handler_input: HandlerInput) -> Response:
        error = _event(handler_input).error
        log.error("Alexa rejected a response: %s", loggable(getattr(error, "message", error)))
        return handler_input.response_builder.response
