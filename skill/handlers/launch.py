"""Opening the skill, and the yes/no answers to what it offers."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from ..speech import say
from .base import (
    Handler,
    IntentHandler,
    asked,
    load_place,
    nothing_built,
    offered,
    placed,
    remember_offer,
    suggestions,
)
from .routines import carry_on_or_start, offer_suggestions


class LaunchRequestHandler(Handler):
    """"Alexa, open Mat Coach": offer to carry on, or suggest two routines."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        place = load_place(handler_input)
        track, offset = placed(self.deps, place, place.offset_ms)
        builder = handler_input.response_builder
        if track and place.unfinished():
            remember_offer(handler_input, [track.id])
            # The person has been away: carrying on starts the step or side again.
            handler_input.attributes_manager.session_attributes["relaunched"] = True
            chapter = track.chapter_at(offset).title
            text = say("welcome_back", chapter=chapter, title=track.routine.title)
            return builder.speak(text).ask(text).response
        picks = suggestions(self.deps)
        if not picks:
            return nothing_built(handler_input, self.deps)
        first = picks[0].routine.title
        remember_offer(handler_input, [t.id for t in picks])
        if len(picks) == 1:     # "You could try X, or X" was said with one routine built
            text = say("welcome_one", first=first)
            return builder.speak(text).ask(text).response
        text = say("welcome", first=first, second=picks[1].routine.title)
        return builder.speak(text).ask(say("which", first=first)).response


class YesIntentHandler(IntentHandler):
    """"Yes": to carrying on, or to what was offered (the first named, when several were:
    "You could try A, or B." "Yes." starts A)."""

    INTENT = "AMAZON.YesIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if asked(handler_input) == "pain":   # "skip, carry on gently, or stop?" "Yes."
            choice = say("pain_choice")
            return handler_input.response_builder.speak(choice).ask(choice).response
        tracks = [t for t in map(self.deps.shelf.get, offered(handler_input)) if t]
        if tracks:
            # Carrying on, if it is the routine in progress.
            return carry_on_or_start(handler_input, self.deps, tracks[0])
        return offer_suggestions(handler_input, self.deps)


class NoIntentHandler(IntentHandler):
    """"No" to carrying on or to an offer: suggest something else. To "skip this step,
    carry on gently, or stop?": it stays paused."""

    INTENT = "AMAZON.NoIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if asked(handler_input) == "pain":
            return handler_input.response_builder.speak(say("stay_paused")) \
                .set_should_end_session(True).response
        return offer_suggestions(handler_input, self.deps)
