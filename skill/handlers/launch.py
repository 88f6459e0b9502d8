"""Opening the skill, and the yes/no answers to what it offers."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.audioplayer import StopDirective

from ..speech import chapter_name, say
from .base import (
    Handler,
    IntentHandler,
    current,
    holds_stream,
    hurting,
    is_playing_here,
    latest_track,
    load_place,
    nothing_built,
    pain_choice,
    suggestions,
    supports_audio,
)
from .progress import FORGET, forget_answer, news
from .routines import carry_on_or_start, offer_suggestions
from .session import RELAUNCHED, asked, offered, remember_offer, set_session_value
from .therapist import CHECKING, CONSENT, checked_code, consent_answer, plan_welcome


class LaunchRequestHandler(Handler):
    """"Alexa, open Mat Coach": offer to carry on, or suggest two routines."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        track, offset, place = current(handler_input, self.deps)
        builder = handler_input.response_builder
        playing = is_playing_here(handler_input, place)
        # A device that cannot play is not offered to carry on: it reads routines aloud.
        if track and (offset > 0 or playing) and supports_audio(handler_input):
            remember_offer(handler_input, [track.id])
            chapter = chapter_name(track.chapter_at(offset))
            if playing:   # opened while it plays: the same moment, if they carry on
                text = say("welcome_playing", chapter=chapter, title=track.routine.title)
                return builder.speak(text).ask(text).response
            if place.playing and not holds_stream(handler_input, place):
                text = say("welcome_elsewhere", chapter=chapter, title=track.routine.title)
                return builder.speak(text).ask(text).response
            # The person has been away: carrying on starts the step or side again.
            set_session_value(handler_input, RELAUNCHED, True)
            if hurting(handler_input):
                return pain_choice(handler_input, say("welcome_hurt", chapter=chapter))
            text = say("welcome_back", chapter=chapter, title=track.routine.title,
                       news=news(self.deps, handler_input))
            return builder.speak(text).ask(text).response
        # A therapist's plan comes first: it is what this person was given to do.
        progress = news(self.deps, handler_input)
        welcome = plan_welcome(handler_input, self.deps, progress)
        if welcome is not None:
            return welcome
        picks = suggestions(self.deps)
        if not picks:
            return nothing_built(handler_input, self.deps)
        first = picks[0].routine.title
        remember_offer(handler_input, [t.id for t in picks])
        if len(picks) == 1:     # "You could try X, or X" was said with one routine built
            text = say("welcome_one", first=first, news=progress)
            return builder.speak(text).ask(text).response
        text = say("welcome", first=first, second=picks[1].routine.title, news=progress)
        return builder.speak(text).ask(say("which", first=first)).response


class YesIntentHandler(IntentHandler):
    """"Yes": to carrying on, or to what was offered (the first named, when several were:
    "You could try A, or B." "Yes." starts A)."""

    INTENT = "AMAZON.YesIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if asked(handler_input) == "pain":   # "skip, carry on gently, or stop?" "Yes."
            return pain_choice(handler_input)
        if asked(handler_input) == CHECKING:   # "I heard four, eight, ... Is that right?"
            return checked_code(handler_input, self.deps, right=True)
        if asked(handler_input) == CONSENT:   # "May your therapist see how it goes?"
            return consent_answer(handler_input, self.deps, shared=True)
        if asked(handler_input) == FORGET:   # "Shall I delete your whole history?"
            return forget_answer(handler_input, self.deps, confirmed=True)
        tracks = [t for t in (latest_track(handler_input, self.deps, i)
                              for i in offered(handler_input)) if t]
        if tracks:
            # Carrying on, if it is the routine in progress.
            return carry_on_or_start(handler_input, self.deps, tracks[0])
        return offer_suggestions(handler_input, self.deps)


class NoIntentHandler(IntentHandler):
    """"No" to carrying on or to an offer: suggest something else. To "skip this step,
    carry on gently, or stop?": it stays paused."""

    INTENT = "AMAZON.NoIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if asked(handler_input) == CHECKING:   # the code was misheard: say it again
            return checked_code(handler_input, self.deps, right=False)
        if asked(handler_input) == CONSENT:   # nothing of their progress is shared
            return consent_answer(handler_input, self.deps, shared=False)
        if asked(handler_input) == FORGET:   # it is kept
            return forget_answer(handler_input, self.deps, confirmed=False)
        if hurting(handler_input):
            return handler_input.response_builder.speak(say("stay_paused")) \
                .set_should_end_session(True).response
        place = load_place(handler_input)
        if is_playing_here(handler_input, place) and offered(handler_input)[:1] == [place.routine]:
            # "No" to carrying on with the routine that plays: it stops, its place kept.
            # ("No" to starting another one, a plan say, leaves it playing.)
            handler_input.response_builder.add_directive(StopDirective())
        return offer_suggestions(handler_input, self.deps)
