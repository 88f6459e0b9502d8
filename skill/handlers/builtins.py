"""Amazon's standard intents: help, stop, cancel, fallback, home, and what Mat Coach lacks."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type, is_request_type
from ask_sdk_model import Response

from ..envelope import SILENT_REQUESTS
from ..speech import say
from .base import (
    Deps,
    Handler,
    IntentHandler,
    at_end,
    current,
    first_title,
    hurting,
    intent_name,
    is_playing_here,
    load_place,
    pain_choice,
)
from .playback import pause, play_from

# Intents the platform routes to every audio skill, answered the same polite way.
NOT_AVAILABLE = {
    "AMAZON.LoopOnIntent": "looping",
    "AMAZON.LoopOffIntent": "looping",
    "AMAZON.ShuffleOnIntent": "shuffle",
    "AMAZON.ShuffleOffIntent": "shuffle",
}


def while_playing(handler_input: HandlerInput, deps: Deps, key: str) -> Response | None:
    """Say text `key` and carry on playing, when a routine plays on this device (the
    playback commands are what the person needs then; in its last second, it is not
    started again); while the pain choice is open, ask it again; None otherwise."""
    builder = handler_input.response_builder
    if hurting(handler_input):
        return pain_choice(handler_input, say("pain_help"))
    track, offset, place = current(handler_input, deps)
    if track is None or not is_playing_here(handler_input, place):
        return None
    if at_end(track, offset):
        return builder.speak(say(key)).set_should_end_session(True).response
    return play_from(handler_input, deps, track, offset, place, say(key))


class HelpIntentHandler(IntentHandler):
    """"Help": what Mat Coach does and what to say; while a routine plays, the playback
    commands and how to ask a question, and it carries on."""

    INTENT = "AMAZON.HelpIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        playing = while_playing(handler_input, self.deps, "help_playing")
        if playing is not None:
            return playing
        return handler_input.response_builder.speak(say("help")) \
            .ask(say("help_reprompt", first=first_title(self.deps))).response


class StopIntentHandler(IntentHandler):
    """"Stop": pauses a routine that is playing (keeping the place); otherwise goodbye."""

    INTENT = "AMAZON.StopIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_playing_here(handler_input, load_place(handler_input)):
            return pause(handler_input, self.deps)
        key = "stopped_gently" if hurting(handler_input) else "goodbye"
        return handler_input.response_builder.speak(say(key)) \
            .set_should_end_session(True).response


class ThanksIntentHandler(IntentHandler):
    """"Thank you": a word back; a routine playing carries on."""

    INTENT = "ThanksIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        playing = while_playing(handler_input, self.deps, "thanks_playing")
        if playing is not None:
            return playing
        return handler_input.response_builder.speak(say("thanks")) \
            .set_should_end_session(True).response


class CancelIntentHandler(StopIntentHandler):
    """"Cancel": the same as stop."""

    INTENT = "AMAZON.CancelIntent"


class NavigateHomeIntentHandler(IntentHandler):
    """Going home on a screen device: end quietly."""

    INTENT = "AMAZON.NavigateHomeIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.set_should_end_session(True).response


class FallbackIntentHandler(IntentHandler):
    """Words that match nothing: say what works. Also any intent no other handler takes
    (one the model does not have, as a fuzzer or an old model sends), which once ended in
    "Sorry, something went wrong"; it is tried last, so it takes only those."""

    INTENT = "AMAZON.FallbackIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        playing = while_playing(handler_input, self.deps, "fallback_playing")
        if playing is not None:
            return playing
        text = say("fallback", first=first_title(self.deps))
        return handler_input.response_builder.speak(text).ask(text).response


class AnyOtherRequestHandler(Handler):
    """A request type no other handler takes (tried last): nothing for those the platform
    refuses speech on (AudioPlayer, PlaybackController, System), else the fallback words."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        if get_request_type(handler_input).startswith(SILENT_REQUESTS):
            return handler_input.response_builder.response
        return handler_input.response_builder.speak(say("cannot")) \
            .set_should_end_session(True).response


class NotAvailableIntentHandler(Handler):
    """Loop and shuffle: a polite "not available" (one table, not a chain of ifs)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input) \
            and intent_name(handler_input) in NOT_AVAILABLE

    def handle(self, handler_input: HandlerInput) -> Response:
        feature = NOT_AVAILABLE[intent_name(handler_input)]
        return handler_input.response_builder.speak(say("not_available", feature=feature)) \
            .set_should_end_session(True).response


class SessionEndedRequestHandler(Handler):
    """The session ended (the user left, or said nothing): nothing to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response
