"""Questions about a routine: what it is ("tell me about the lower back release") and what
it needs ("what do I need"), for the one named, just offered, or under way."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from audio.shelf import Track

from ..naming import find_track
from ..speech import minutes, say, spoken_list
from .base import IntentHandler, current, first_title, hurting, is_playing_here, pain_choice
from .playback import play_from
from .routines import alternatives, in_progress
from .session import offered, remember_offer


def with_article(name: str) -> str:
    """"a spiky ball", "an exercise band" (every piece of equipment is one thing)."""
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


class RoutineQuestionHandler(IntentHandler):
    """Shared by describe and what-do-I-need: the named routine, or the one in progress."""

    SLOTS = ("routine",)

    def target(self, handler_input: HandlerInput) -> Track | None:
        words = self.slot(handler_input, "routine")
        shelf = self.deps.shelf
        if words:
            return shelf.get(self.resolved(handler_input, "routine") or "") \
                or find_track(shelf, words)
        # The routine just offered or described, else the one in progress.
        ids = offered(handler_input)
        track, _, _ = current(handler_input, self.deps)
        return (shelf.get(ids[0]) if ids else None) or track

    def equipment(self, track: Track) -> str:
        needs = self.deps.shelf.library.context.vocabulary.needs(track.routine.equipment)
        return spoken_list([with_article(name) for name in needs], "and")

    def handle(self, handler_input: HandlerInput) -> Response:
        track = self.target(handler_input)
        builder = handler_input.response_builder
        words = self.slot(handler_input, "routine")
        if track is None and words:   # a name we do not know: say so, and offer real ones
            text = say("unknown_routine", words=words, options=alternatives(self.deps))
            return builder.speak(text).ask(say("which", first=first_title(self.deps))).response
        if track is None:
            text = say("need_what", first=first_title(self.deps))
            return builder.speak(text).ask(text).response
        text = self.answer(track)
        under_way = in_progress(handler_input, self.deps, track)
        if under_way is not None:
            # About the routine in progress: it carries on, or offers to.
            playing, offset, place = under_way
            if is_playing_here(handler_input, place):
                return play_from(handler_input, self.deps, playing, offset, place, text)
            if hurting(handler_input):
                return pain_choice(handler_input, text)
            remember_offer(handler_input, [track.id])
            return builder.speak(f"{text} {say('carry_on')}").ask(say("carry_on")).response
        remember_offer(handler_input, [track.id])
        return builder.speak(f"{text} {say('start_it')}").ask(say("start_it")).response

    def answer(self, track: Track) -> str:
        raise NotImplementedError


class DescribeRoutineIntentHandler(RoutineQuestionHandler):
    """"Tell me about the lower back release"."""

    INTENT = "DescribeRoutineIntent"

    def answer(self, track: Track) -> str:
        routine = track.routine
        return say("describe", title=routine.title, summary=routine.summary,
                   length=minutes(track.duration_ms), level=routine.level,
                   equipment=self.equipment(track))


class WhatDoINeedIntentHandler(RoutineQuestionHandler):
    """"What do I need for the five minute reset"."""

    INTENT = "WhatDoINeedIntent"

    def answer(self, track: Track) -> str:
        return say("need", title=track.routine.title, equipment=self.equipment(track))
