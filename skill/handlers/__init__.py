"""The skill's handlers, in the order they are tried (first match wins, catch-alls last)."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from ..ssml import EscapeSpeech
from .about import DescribeRoutineIntentHandler, WhatDoINeedIntentHandler
from .base import Deps, EventHandler, Handler, IntentHandler
from .builtins import (
    AnyOtherRequestHandler,
    CancelIntentHandler,
    FallbackIntentHandler,
    HelpIntentHandler,
    NavigateHomeIntentHandler,
    NotAvailableIntentHandler,
    SessionEndedRequestHandler,
    StopIntentHandler,
    ThanksIntentHandler,
)
from .care import PainIntentHandler, RepeatGuidanceHandler, SafetyIntentHandler
from .errors import CatchAllExceptionHandler
from .events import (
    ExceptionEncounteredHandler,
    NextCommandHandler,
    PauseCommandHandler,
    PlaybackFailedHandler,
    PlaybackFinishedHandler,
    PlaybackNearlyFinishedHandler,
    PlaybackStartedHandler,
    PlaybackStoppedHandler,
    PlayCommandHandler,
    PreviousCommandHandler,
    SkillDisabledHandler,
)
from .launch import LaunchRequestHandler, NoIntentHandler, YesIntentHandler
from .offers import ChooseIntentHandler, MoreIntentHandler
from .playback import (
    NextIntentHandler,
    PauseIntentHandler,
    PreviousIntentHandler,
    RepeatIntentHandler,
    ResumeIntentHandler,
    StartOverIntentHandler,
)
from .progress import ForgetHistoryIntentHandler, ProgressIntentHandler
from .questions import (
    CurrentStepIntentHandler,
    TimeLeftIntentHandler,
    WhatsNextIntentHandler,
    WhichSideIntentHandler,
)
from .routines import (
    ListRoutinesIntentHandler,
    RecommendIntentHandler,
    StartRoutineIntentHandler,
)
from .session import SessionState
from .therapist import (
    PlayPlanIntentHandler,
    ShareCodeIntentHandler,
    ShareProgressIntentHandler,
    StopSharingProgressIntentHandler,
)

HANDLERS: tuple[type[Handler], ...] = (
    LaunchRequestHandler,
    ShareCodeIntentHandler, PlayPlanIntentHandler, ShareProgressIntentHandler,
    StopSharingProgressIntentHandler, ProgressIntentHandler, ForgetHistoryIntentHandler,
    StartRoutineIntentHandler, ListRoutinesIntentHandler, RecommendIntentHandler,
    DescribeRoutineIntentHandler, WhatDoINeedIntentHandler,
    TimeLeftIntentHandler, WhatsNextIntentHandler, CurrentStepIntentHandler,
    WhichSideIntentHandler, PainIntentHandler, SafetyIntentHandler,
    ChooseIntentHandler, MoreIntentHandler, ThanksIntentHandler,
    YesIntentHandler, NoIntentHandler,
    PauseIntentHandler, ResumeIntentHandler, NextIntentHandler, PreviousIntentHandler,
    StartOverIntentHandler, RepeatGuidanceHandler, RepeatIntentHandler,
    HelpIntentHandler, StopIntentHandler, CancelIntentHandler, NavigateHomeIntentHandler,
    NotAvailableIntentHandler,
    PlaybackStartedHandler, PlaybackStoppedHandler, PlaybackNearlyFinishedHandler,
    PlaybackFinishedHandler, PlaybackFailedHandler,
    PlayCommandHandler, PauseCommandHandler, NextCommandHandler, PreviousCommandHandler,
    SkillDisabledHandler, ExceptionEncounteredHandler, SessionEndedRequestHandler,
    FallbackIntentHandler, AnyOtherRequestHandler,
)


def skill_builder(deps: Deps, adapter: AbstractPersistenceAdapter,
                  skill_id: str | None) -> CustomSkillBuilder:
    """Every handler with its dependencies, persistence, and the catch-all."""
    builder = CustomSkillBuilder(persistence_adapter=adapter)
    builder.skill_id = skill_id or None
    for handler in HANDLERS:
        builder.add_request_handler(handler(deps))
    builder.add_exception_handler(CatchAllExceptionHandler())
    builder.add_global_request_interceptor(SessionState())
    # Every reply is escaped for SSML in one place, whatever handler made it (skill/ssml.py).
    builder.add_global_response_interceptor(EscapeSpeech())
    return builder


def build_skill(deps: Deps, adapter: AbstractPersistenceAdapter,
                skill_id: str | None) -> CustomSkill:
    """The skill, ready to invoke."""
    return skill_builder(deps, adapter, skill_id).create()


def intent_handlers() -> list[type[IntentHandler]]:
    """Handlers of one named intent, for keeping the interaction model in sync."""
    return [h for h in HANDLERS if issubclass(h, IntentHandler) and h.INTENT]


__all__ = ["HANDLERS", "Deps", "EventHandler", "build_skill", "intent_handlers",
           "skill_builder"]
