"""Opening the skill, and the yes/no answers to what it offers."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from ..speech import say
from .base import Handler, IntentHandler, load_place, suggestions
from .routines import offer_suggestions, start


class LaunchRequestHandler(Handler):
    """"Alexa, open Mat Coach": offer to carry on, or suggest two routines."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        place = load_place(handler_input)
        track = self.deps.shelf.get(place.routine) if place.routine else None
        builder = handler_input.response_builder
        if track and place.unfinished():
            handler_input.attributes_manager.session_attributes["offer"] = "resume"
            chapter = track.chapter_at(place.offset_ms).title
            text = say("welcome_back", chapter=chapter, title=track.routine.title)
            return builder.speak(text).ask(text).response
        picks = suggestions(self.deps)
        if not picks:
            return builder.speak(say("nothing_built")).set_should_end_session(True).response
        second = picks[1].routine.title if len(picks) > 1 else picks[0].routine.title
        text = say("welcome", first=picks[0].routine.title, second=second)
        handler_input.attributes_manager.session_attributes["offered"] = [t.id for t in picks]
        return builder.speak(text).ask(say("which", first=picks[0].routine.title)).response


class YesIntentHandler(IntentHandler):
    """"Yes" to carrying on, or to the one routine offered."""

    INTENT = "AMAZON.YesIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        session = handler_input.attributes_manager.session_attributes
        place = load_place(handler_input)
        if session.get("offer") == "resume" and place.routine:
            track = self.deps.shelf.get(place.routine)
            if track:
                return start(handler_input, self.deps, track, place.offset_ms, resumed=True)
        offered = session.get("offered") or []
        if len(offered) == 1 and self.deps.shelf.get(offered[0]):
            return start(handler_input, self.deps, self.deps.shelf.get(offered[0]))
        return offer_suggestions(handler_input, self.deps)


class NoIntentHandler(IntentHandler):
    """"No" to carrying on: suggest something else."""

    INTENT = "AMAZON.NoIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes.pop("offer", None)
        return offer_suggestions(handler_input, self.deps)
