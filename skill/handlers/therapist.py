"""A therapist's plan by voice: the share code said once ("ask Mat Coach for code four
eight one five one six"), read back digit by digit and linked to whoever said it, who is
asked once whether their therapist may see their progress; then "play my plan", and the
plan offered first when the skill opens (issue 13)."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from builder.render import wait_words

from ..plans import (
    DIGITS,
    CodeRefused,
    PlanOffer,
    caller,
    heard_code,
    is_plan,
    spoken_digits,
)
from ..speech import minutes, say, spoken_list
from .base import Deps, IntentHandler, load_place, suggestions, supports_audio
from .routines import carry_on_or_start
from .session import remember_offer, session_value, set_asked, set_session_value

CODE = "code"   # the session attribute holding the code read back, until "yes" or "no"
CHECKING = "code_check"   # asked: "I heard four, eight, ... Is that right?"
ASKING = "code"           # asked: "What's the code?"
CONSENT = "consent"       # asked: "May your therapist see how your sessions go?"


class ShareCodeIntentHandler(IntentHandler):
    """"Code four eight one five one six": read it back, one digit at a time, and ask
    whether that is right before it links anything (a misheard digit would otherwise
    count as a wrong guess, or open someone else's plan)."""

    INTENT = "ShareCodeIntent"
    SLOTS = ("code",)

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        if self.deps.plans is None:
            return builder.speak(say("plans_unavailable")).set_should_end_session(True) \
                .response
        said = self.slot(handler_input, "code")
        if said is None:
            return _ask(handler_input, say("code_ask"), ASKING)
        code = heard_code(said)
        if code is None:
            return _ask(handler_input, _not_a_code(said), ASKING)
        set_session_value(handler_input, CODE, code)
        return _ask(handler_input, say("code_check", digits=spoken_digits(code)), CHECKING)


class PlayPlanIntentHandler(IntentHandler):
    """"Play my plan", "play my therapist's routine": the plan the listener linked, carried
    on where they left it, or started."""

    INTENT = "PlayPlanIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        if self.deps.plans is None:
            return builder.speak(say("plans_unavailable")).set_should_end_session(True) \
                .response
        offer = self.deps.plans.offer(caller(handler_input))
        if offer is None:   # never had one, or it was taken back (a new code)
            gone = is_plan(load_place(handler_input).routine)
            return builder.speak(say("plan_gone" if gone else "no_plan")) \
                .set_should_end_session(True).response
        if offer.track is None:
            return builder.speak(say("plan_building", title=offer.title)) \
                .set_should_end_session(True).response
        return carry_on_or_start(handler_input, self.deps, offer.track)


def checked_code(handler_input: HandlerInput, deps: Deps, right: bool) -> Response:
    """The answer to "I heard ... Is that right?": yes links the code, no asks again."""
    code = heard_code(session_value(handler_input, CODE))
    if not right or code is None or deps.plans is None:
        return _ask(handler_input, say("code_again"), ASKING)
    try:
        offer = deps.plans.redeem(code, caller(handler_input))
    except CodeRefused as exc:
        return _refused(handler_input, exc)
    return _linked(handler_input, offer)


def plan_welcome(handler_input: HandlerInput, deps: Deps, news: str = "") -> Response | None:
    """The launch greeting offering the listener's plan, when they have one to play on
    this device (one still being prepared is said so, with a routine to try meanwhile),
    with `news` of their progress; else None."""
    if deps.plans is None or not supports_audio(handler_input):
        return None
    offer = deps.plans.offer(caller(handler_input))
    if offer is None:
        return None
    if offer.track is None:   # not "build the routines first": the plan is on its way
        text = say("plan_building", title=offer.title)
        picks = suggestions(deps, 1)
        if not picks:
            return handler_input.response_builder.speak(text).set_should_end_session(True) \
                .response
        remember_offer(handler_input, [picks[0].id])
        question = say("meanwhile", title=picks[0].routine.title)
        return handler_input.response_builder.speak(f"{text} {question}").ask(question) \
            .response
    remember_offer(handler_input, [offer.routine_id])
    text = say("plan_welcome", title=offer.title, length=minutes(offer.track.duration_ms),
               news=news)
    return handler_input.response_builder.speak(text) \
        .ask(say("plan_offer_reprompt", title=offer.title)).response


def consent_answer(handler_input: HandlerInput, deps: Deps, shared: bool) -> Response:
    """The answer to "May your therapist see how your sessions go?", kept; then the plan
    is offered (or said to be still in preparation)."""
    who = caller(handler_input)
    offer = deps.plans.offer(who) if deps.plans is not None else None
    if offer is None or not deps.plans.share_progress(who, shared, offer.routine_id):
        return handler_input.response_builder.speak(say("no_plan")) \
            .set_should_end_session(True).response
    return _start_or_wait(handler_input, offer, say("consent_yes" if shared else "consent_no"))


class _ProgressSharingHandler(IntentHandler):
    """"Share my progress" / "stop sharing my progress", at any time."""

    SHARED = True

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        plans = self.deps.plans
        titles = plans.share_progress(caller(handler_input), self.SHARED) if plans else []
        if not titles:
            return builder.speak(say("no_plan")).set_should_end_session(True).response
        text = say("sharing_now" if self.SHARED else "private_now",
                   title=spoken_list(titles))   # every plan of theirs
        return builder.speak(text).set_should_end_session(True).response


class ShareProgressIntentHandler(_ProgressSharingHandler):
    """"Share my progress with my therapist"."""

    INTENT = "ShareProgressIntent"


class StopSharingProgressIntentHandler(_ProgressSharingHandler):
    """"Stop sharing my progress": nothing more of it reaches the therapist."""

    INTENT = "StopSharingProgressIntent"
    SHARED = False


def _linked(handler_input: HandlerInput, offer: PlanOffer) -> Response:
    linked = say("code_linked", title=offer.title)
    if offer.progress_shared is None:   # asked once, before anything is recorded
        set_asked(handler_input, CONSENT)
        question = say("consent_ask")
        return handler_input.response_builder.speak(f"{linked} {question}").ask(question) \
            .response
    return _start_or_wait(handler_input, offer, linked)


def _start_or_wait(handler_input: HandlerInput, offer: PlanOffer, text: str) -> Response:
    """`text`, then "Shall I start it?" ("yes" starts it), or that it is still being
    prepared."""
    builder = handler_input.response_builder
    if offer.track is None:
        return builder.speak(f"{text} {say('plan_building', title=offer.title)}") \
            .set_should_end_session(True).response
    remember_offer(handler_input, [offer.routine_id])
    question = say("plan_start", title=offer.title, length=minutes(offer.track.duration_ms))
    return builder.speak(f"{text} {question}").ask(question).response


def _refused(handler_input: HandlerInput, refusal: CodeRefused) -> Response:
    builder = handler_input.response_builder
    if refusal.reason == "too_many":
        text = say("code_too_many", wait=wait_words(refusal.retry_after_s))
    else:
        text = say("code_taken" if refusal.reason == "taken" else "code_unknown")
    return builder.speak(text).set_should_end_session(True).response


def _not_a_code(said: str) -> str:
    """What to say to a number that is no code: its digits read back when there are a few
    more than six (said too many), else that no code was heard (Alexa passes "?" for a
    number it could not make out)."""
    if said.isascii() and said.isdigit() and len(said) <= 2 * DIGITS:
        return say("code_not_six", digits=spoken_digits(said))
    return say("code_not_heard")


def _ask(handler_input: HandlerInput, text: str, question: str) -> Response:
    set_asked(handler_input, question)
    return handler_input.response_builder.speak(text).ask(text).response
