"""When something hurts, or the person asks if it is safe: pause the routine, say what to
do (ease the pressure; stop on sharp, shooting or burning pain, numbness or tingling; the
step's own safety line), and let them choose: skip this step, carry on gently, or stop.
The guidance and its sources are in skill/speech.yaml ("pain", "safety")."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.interfaces.audioplayer import StopDirective

from audio.shelf import Track
from builder.model import WorkStep

from ..speech import say
from . import records
from .base import (
    Deps,
    IntentHandler,
    at_end,
    current,
    hurting,
    is_playing_here,
    now_ms,
    on_this_device,
    pain_choice,
    save_place,
)
from .questions import step_of

HEAT = "wheat-bag"   # the equipment whose steps are about heat, not pressure


def safety_line(track: Track, offset_ms: int) -> str:
    """The safety words of the step playing at `offset_ms`: its own note ("Keep it beside
    your spine, never on it.") and the short reminder of each caution it carries ("Keep
    the towel under the bag, and take it off if it feels hot."); "" when it has none."""
    step = step_of(track, track.chapter_at(offset_ms))
    if not isinstance(step, WorkStep):
        return ""
    return " ".join(part for part in (step.safety, *(c.again for c in step.cautions)) if part)


def pause_for_care(handler_input: HandlerInput, deps: Deps, guidance: str) -> Response:
    """Something hurts, or they ask if it is safe (speech key `guidance`): with a routine
    under way on this device, pause it, give the guidance with the step's own safety words
    and ask what next (Next, Resume, Stop and No read `hurting`); with none, the guidance
    alone, and the session ends."""
    builder = handler_input.response_builder
    track, offset, place = current(handler_input, deps)
    if is_playing_here(handler_input, place):
        builder.add_directive(StopDirective())   # PlaybackStopped brings the exact offset
    here = on_this_device(handler_input, place)
    if track is not None and place.playing and not here:
        # Playing on another speaker, which only a request of its own can pause; what hurt
        # is noted, so that "skip this step" there skips all of it.
        place.hurt_at_ms = now_ms()
        save_place(handler_input, place)
        text = f"{say('pain_elsewhere')} {say('safety_no_routine')}"
        return builder.speak(text).set_should_end_session(True).response
    if track is None or at_end(track, offset) or (not here and offset <= 0):
        # Nothing under way (or only its last words): the guidance alone.
        return builder.speak(say("safety_no_routine")).set_should_end_session(True).response
    place.follow(track, offset, playing=False)
    place.hurt_at_ms = now_ms()
    records.reached(deps, place, track, offset)
    records.hurt(handler_input, deps, place, track, offset)
    save_place(handler_input, place)
    step = step_of(track, track.chapter_at(offset))
    heat = isinstance(step, WorkStep) and HEAT in step.equipment
    return pain_choice(handler_input, say(guidance, heat=say("pain_heat") if heat else "",
                                          safety=safety_line(track, offset)))


class CareHandler(IntentHandler):
    """Pain or a safety question (see pause_for_care)."""

    GUIDANCE = ""

    def handle(self, handler_input: HandlerInput) -> Response:
        return pause_for_care(handler_input, self.deps, self.GUIDANCE)


class PainIntentHandler(CareHandler):
    """"It hurts", "that's too much", "ouch", "it's too hot", "I feel dizzy"."""

    INTENT = "PainIntent"
    GUIDANCE = "pain"


class SafetyIntentHandler(CareHandler):
    """"Is this safe", "should this hurt"."""

    INTENT = "SafetyIntent"
    GUIDANCE = "safety"


class RepeatGuidanceHandler(IntentHandler):
    """"What did you say?", "say that again" while the pain choice is open: the guidance
    and the choice again, never the step that hurt (tried before RepeatIntentHandler)."""

    INTENT = "AMAZON.RepeatIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return super().can_handle(handler_input) and hurting(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return pause_for_care(handler_input, self.deps, "pain")
