"""Choosing from what the skill offered: "the second one", "the last one", "number two",
and "more" for the routines that fit but were not named yet."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from num2words import num2words

from ..speech import say, spoken_list
from .base import IntentHandler, offered, remember_offer, suggestions
from .routines import carry_on_or_start, nothing_built, offer, offer_suggestions

# CHOICE slot ids (skill/models.py) to a position in the offer.
POSITIONS = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "last": -1}


class ChooseIntentHandler(IntentHandler):
    """"The first one", "the second", "the last one", "number two": that routine of the
    ones just named starts (or carries on, if it is the one in progress)."""

    INTENT = "ChooseIntent"
    SLOTS = ("choice",)

    def handle(self, handler_input: HandlerInput) -> Response:
        shelf = self.deps.shelf
        tracks = [t for t in map(shelf.get, offered(handler_input)) if t]
        builder = handler_input.response_builder
        if not tracks:
            picks = suggestions(self.deps)
            if not picks:
                return nothing_built(handler_input, self.deps)
            remember_offer(handler_input, [t.id for t in picks])
            text = say("choose_none", options=spoken_list([t.routine.title for t in picks]))
            return builder.speak(text).ask(say("offer_reprompt")).response
        choice = self.resolved(handler_input, "choice") or self.slot(handler_input, "choice")
        position = POSITIONS.get(choice or "")
        if position is None or position >= len(tracks):
            names = spoken_list([t.routine.title for t in tracks])
            text = say("choose_range", count=num2words(len(tracks)), options=names)
            return builder.speak(text).ask(say("offer_reprompt")).response
        return carry_on_or_start(handler_input, self.deps, tracks[position])


class MoreIntentHandler(IntentHandler):
    """"More", "something else": the next routines that fit, best first; when all were
    named, those again; with nothing offered yet, two short ones not named just now."""

    INTENT = "MoreIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        shelf = self.deps.shelf
        rest = [t for t in map(shelf.get, offered(handler_input, "more")) if t]
        if rest:
            return offer(handler_input, rest, say("count_more"))
        said = [t for t in map(shelf.get, offered(handler_input)) if t]
        if len(said) > 1:
            text = say("no_more", options=spoken_list([t.routine.title for t in said]))
            return handler_input.response_builder.speak(text).ask(say("offer_reprompt")) \
                .response
        return offer_suggestions(handler_input, self.deps)
