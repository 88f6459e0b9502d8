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
from .base import (
    LIVE,
    IntentHandler,
    current,
    device_player,
    finishing,
    is_playing_here,
    save_place,
    set_asked,
    set_hurting,
)
from .questions import step_of


def safety_line(track: Track, offset_ms: int) -> str:
    """The safety words of the step playing at `offset_ms`: its own note ("Keep it beside
    your spine, never on it.") and the short reminder of each caution it carries ("Keep
    the towel under the bag, and take it off if it feels hot."); "" when it has none."""
    step = step_of(track, track.chapter_at(offset_ms))
    if not isinstance(step, WorkStep):
        return ""
    return " ".join(part for part in (step.safety, *(c.again for c in step.cautions)) if part)


class CareHandler(IntentHandler):
    """Pain or a safety question: with a routine under way on this device, pause it, give
    the guidance and ask what next (the answer goes to Next, Resume or Stop, which read
    `asked` == "pain"); with none, the guidance alone."""

    GUIDANCE = ""

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        track, offset, place = current(handler_input, self.deps)
        if track is None or finishing(handler_input, self.deps) is not None or \
                device_player(handler_input, place) not in (*LIVE, "STOPPED"):
            return builder.speak(say("safety_no_routine")).set_should_end_session(True) \
                .response
        if is_playing_here(handler_input, place):
            builder.add_directive(StopDirective())   # PlaybackStopped brings the exact offset
        place.follow(track, offset, playing=False)
        save_place(handler_input, place)
        set_asked(handler_input, "pain")
        set_hurting(handler_input)
        choice = say("pain_choice")
        text = say(self.GUIDANCE, safety=safety_line(track, offset))
        return builder.speak(f"{text} {choice}").ask(choice).response


class PainIntentHandler(CareHandler):
    """"It hurts", "that's too much", "ouch"."""

    INTENT = "PainIntent"
    GUIDANCE = "pain"


class SafetyIntentHandler(CareHandler):
    """"Is this safe", "should this hurt"."""

    INTENT = "SafetyIntent"
    GUIDANCE = "safety"
