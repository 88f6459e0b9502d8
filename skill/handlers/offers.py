"""Choosing from what the skill offered: "the second one", "the last one", "number two",
and "more" for the routines that fit but were not named yet."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from num2words import num2words

from ..models import CHOICES
from ..speech import say, spoken_list
from .base import IntentHandler, latest_track, pain_choice, suggestions
from .playback import jump, next_step, resume
from .routines import carry_on_or_start, nothing_built, offer, offer_suggestions
from .session import asked, offered, remember_offer, session_value

# CHOICE slot ids (skill/models.py) to a position in the offer; the words of each, for a
# slot Alexa passes on unresolved.
POSITIONS = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "last": -1}
SAID = {words: choice for choice, said in CHOICES.items() for words in (choice, *said)}


class ChooseIntentHandler(IntentHandler):
    """"The first one", "the second", "the last one", "number two": that routine of the
    ones just named starts (or carries on, if it is the one in progress)."""

    INTENT = "ChooseIntent"
    SLOTS = ("choice",)

    def handle(self, handler_input: HandlerInput) -> Response:
        if asked(handler_input) == "pain":
            return self.pain_choice_made(handler_input)
        ids = offered(handler_input)
        tracks = [t for t in (latest_track(handler_input, self.deps, i) for i in ids) if t]
        builder = handler_input.response_builder
        if not tracks:
            picks = suggestions(self.deps)
            if not picks:
                return nothing_built(handler_input, self.deps)
            remember_offer(handler_input, [t.id for t in picks])
            text = say("choose_none", options=spoken_list([t.routine.title for t in picks]))
            return builder.speak(text).ask(say("offer_reprompt")).response
        position = POSITIONS.get(self.choice(handler_input))
        # Positions in the offer as it was said, even if a routine went from the library.
        chosen = latest_track(handler_input, self.deps, ids[position]) \
            if position is not None and position < len(ids) else None
        if chosen is None:
            names = spoken_list([t.routine.title for t in tracks])
            text = say("choose_range", count=num2words(len(tracks)), options=names)
            return builder.speak(text).ask(say("offer_reprompt")).response
        return carry_on_or_start(handler_input, self.deps, chosen)

    def choice(self, handler_input: HandlerInput) -> str:
        """The CHOICE id said ("1".."5", "last"), also from its words when Alexa passes
        them on unresolved; "" for anything else."""
        return self.resolved(handler_input, "choice") or \
            SAID.get((self.slot(handler_input, "choice") or "").lower(), "")

    def pain_choice_made(self, handler_input: HandlerInput) -> Response:
        """"The first one" to "skip this step, carry on gently, or stop?": the first skips
        the step, the second carries on gently, the third or last stops."""
        choice = self.choice(handler_input)
        if choice == "1":
            return jump(handler_input, self.deps, next_step, "jump_next")
        if choice == "2":
            return resume(handler_input, self.deps, spoken=True, speech=say("carry_on_gently"))
        if choice in ("3", "last"):
            return handler_input.response_builder.speak(say("stopped_gently")) \
                .set_should_end_session(True).response
        return pain_choice(handler_input)


class MoreIntentHandler(IntentHandler):
    """"More", "something else": the next routines that fit, best first; when all were
    named, those again; with nothing offered yet, two short ones not named just now."""

    INTENT = "MoreIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        shelf = self.deps.shelf
        rest = [t for t in map(shelf.get, offered(handler_input, "more")) if t]
        if rest:
            return offer(handler_input, rest, say("count_more"), say("count_more"), found=True)
        said = [t for t in map(shelf.get, offered(handler_input)) if t]
        if session_value(handler_input, "found") is not True or not said:
            return offer_suggestions(handler_input, self.deps)   # nothing was asked for
        if len(said) == 1:
            text = say("no_more_one", title=said[0].routine.title)
            return handler_input.response_builder.speak(text).ask(text).response
        text = say("no_more", options=spoken_list([t.routine.title for t in said]))
        return handler_input.response_builder.speak(text).ask(say("offer_reprompt")).response
