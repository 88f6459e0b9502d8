"""Questions in the middle of a routine: what's next, what is this step, which side, how
long is left. Each is answered from the cue sheet at the listener's exact offset, and the
routine carries on from that offset (or, when it was paused, the skill offers to)."""

from __future__ import annotations

import re

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from audio.shelf import Track
from builder.model import RestStep, Step, WorkStep
from builder.spoken import for_the_ear
from builder.timeline import Chapter
from builder.wording import switch_words

from ..speech import chapter_name, say, spoken_duration
from .base import (
    at_end,
    current,
    holds_stream,
    hurting,
    is_playing_here,
    pain_choice,
    resume_point,
)
from .playback import PlaybackIntentHandler, next_chapter, nothing_playing, play_from
from .session import remember_offer

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def step_of(track: Track, chapter: Chapter) -> Step | None:
    """The routine step a chapter plays (None for the introduction and the finish)."""
    steps = track.routine.steps
    return steps[chapter.step] if chapter.step is not None and chapter.step < len(steps) \
        else None


def step_summary(track: Track, chapter: Chapter) -> str:
    """One sentence on what to do in this chapter, as the voice says it: the first of the
    step's instruction on its first side; on a later side, the first sentence of what is
    said at the switch that names the side (the instruction names the first side only)."""
    step = step_of(track, chapter)
    if step is None:
        return ""
    if isinstance(step, RestStep):
        return _first_sentence(step.say or track.routine.phrases.rest)
    sides = step.sides
    if not chapter.side or chapter.side not in sides[1:]:
        return _first_sentence(step.say)
    before = sides[sides.index(chapter.side) - 1]
    words = switch_words(step, track.routine.phrases, chapter.side, before)
    naming = [s for s in _SENTENCE_END.split(words) if chapter.side in s.lower()]
    return _first_sentence(naming[0] if naming else words)


def _first_sentence(text: str) -> str:
    return for_the_ear(_SENTENCE_END.split(" ".join(text.split()))[0])


def _wait(chapter: Chapter, offset_ms: int) -> str:
    return spoken_duration(max(0, chapter.start_ms - offset_ms))


def whats_next(track: Track, offset_ms: int) -> str:
    """"Next, in 40 seconds: Glute roll, right side." (the next step or side)."""
    following = next_chapter(track, offset_ms)
    if following is None:
        return say("whats_next_end", wait=spoken_duration(track.duration_ms - offset_ms))
    return say("whats_next", wait=_wait(following, offset_ms),
               chapter=chapter_name(following))


def this_step(track: Track, offset_ms: int) -> str:
    """"This is Glute roll, left side. Sit on the roller ..." (its name and one sentence)."""
    chapter = track.chapter_at(offset_ms)
    step = step_of(track, chapter)
    if step is not None:
        key = "this_rest" if isinstance(step, RestStep) else "this_step"
        return say(key, chapter=chapter.title, summary=step_summary(track, chapter))
    following = next_chapter(track, offset_ms)
    if chapter.index == 0 and following is not None:
        return say("this_intro", title=track.routine.title, chapter=following.title,
                   wait=_wait(following, offset_ms))
    return say("this_finish", title=track.routine.title)


def which_side(track: Track, offset_ms: int) -> str:
    """"You're on the left side of Glute roll. Then the right side, in 30 seconds."."""
    chapter = track.chapter_at(offset_ms)
    step = step_of(track, chapter)
    if step is None or isinstance(step, RestStep):
        work = next((c for c in track.chapters[chapter.index + 1:]
                     if isinstance(step_of(track, c), WorkStep)), None)
        if work is None:
            return say("this_finish", title=track.routine.title)
        return say("side_between", chapter=work.title, wait=_wait(work, offset_ms))
    if not chapter.side:
        return say("side_none", step=step.title)
    text = say("side_now", side=chapter.side, step=step.title)
    later = next_chapter(track, offset_ms)
    if later is not None and later.step == chapter.step and later.side:
        return f"{text} {say('side_then', side=later.side, wait=_wait(later, offset_ms))}"
    return f"{text} {say('side_last')}"


def time_left(track: Track, offset_ms: int) -> str:
    """"40 seconds left in Glute roll, left side, and 12 minutes left in the routine."."""
    chapter = track.chapter_at(offset_ms)
    total = spoken_duration(track.duration_ms - offset_ms)
    if chapter.step is None:
        text = say("time_left_last", total_left=total)
    else:
        text = say("time_left", step_left=spoken_duration(chapter.end_ms - offset_ms),
                   chapter=chapter.title, total_left=total)
    return text[0].upper() + text[1:]


class QuestionHandler(PlaybackIntentHandler):
    """A question about where the listener is: answered, then the routine carries on at
    the same offset; while it is paused, the answer ends by offering to carry on."""

    def act(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        track, offset, place = current(handler_input, self.deps)
        if track is None:
            return nothing_playing(handler_input, self.deps, spoken=True)
        if at_end(track, offset):   # its last second: nothing to carry on with
            return builder.speak(say("this_finish", title=track.routine.title)) \
                .set_should_end_session(True).response
        if is_playing_here(handler_input, place):
            text = self.answer(track, offset)
            return play_from(handler_input, self.deps, track, offset, place, text)
        if place.playing and not holds_stream(handler_input, place):
            # It plays on another speaker: about where that one has got to, and nothing
            # started here.
            return builder.speak(self.answer(track, offset)).set_should_end_session(True) \
                .response
        # Paused: about where carrying on would start (the step again, after being away).
        text = self.answer(track, resume_point(handler_input, track, offset, place))
        if hurting(handler_input):   # the choice they still have to make comes first
            return pain_choice(handler_input, text)
        remember_offer(handler_input, [track.id])
        question = say("carry_on_here")
        return builder.speak(f"{text} {question}").ask(question).response

    def answer(self, track: Track, offset_ms: int) -> str:
        raise NotImplementedError


class WhatsNextIntentHandler(QuestionHandler):
    """"What's next": the next step or side, and when it starts."""

    INTENT = "WhatsNextIntent"

    def answer(self, track: Track, offset_ms: int) -> str:
        return whats_next(track, offset_ms)


class CurrentStepIntentHandler(QuestionHandler):
    """"What is this step", "what am I doing": its name and one sentence on what to do."""

    INTENT = "CurrentStepIntent"

    def answer(self, track: Track, offset_ms: int) -> str:
        return this_step(track, offset_ms)


class WhichSideIntentHandler(QuestionHandler):
    """"Which side am I on": this side, and the next one with when it starts."""

    INTENT = "WhichSideIntent"

    def answer(self, track: Track, offset_ms: int) -> str:
        return which_side(track, offset_ms)


class TimeLeftIntentHandler(QuestionHandler):
    """"How long is left": in this step and in the routine."""

    INTENT = "TimeLeftIntent"

    def answer(self, track: Track, offset_ms: int) -> str:
        return time_left(track, offset_ms)
