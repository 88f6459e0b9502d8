"""Choosing a routine: start one by name, list, recommend, describe, what you need."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from num2words import num2words

from audio.shelf import Track
from builder.model import LEVELS, Routine, WorkStep
from builder.ranking import Wish
from builder.render import wait_words
from builder.search import resolve_term
from builder.spoken import for_the_ear

from ..naming import find_routine, find_track
from ..speech import chapter_name, minutes, say, spoken_duration, spoken_list
from .base import (
    Deps,
    IntentHandler,
    Place,
    current,
    first_title,
    hurting,
    is_playing_here,
    load_place,
    nothing_built,
    pain_choice,
    resume_point,
    suggestions,
    supports_audio,
    whole,
)
from .care import pause_for_care
from .playback import play_from
from .session import offered, remember_offer

MAX_OFFERED = 3
FIRST_RUN_TIPS = 2   # routines started with the tips on asking while one plays


def start(handler_input: HandlerInput, deps: Deps, track: Track, offset_ms: int = 0,
          resumed: bool = False) -> Response:
    """Play `track` from `offset_ms` and remember it as the user's place."""
    builder = handler_input.response_builder
    if not supports_audio(handler_input):
        text = say("no_audio_player", title=track.routine.title, steps=steps_read_aloud(track))
        # A long routine read aloud is cut to Alexa's limit where every reply is (skill/ssml.py).
        return builder.speak(text).set_should_end_session(True).response
    place = load_place(handler_input)
    if resumed:
        speech = say("resuming", title=track.routine.title,
                     chapter=chapter_name(track.chapter_at(offset_ms)))
    else:
        # The first few times, how to ask while it plays: a bare "what's next" may be
        # heard as Next and skip the step (AudioPlayer sends only playback intents).
        starts = whole(place.starts)   # a Decimal from DynamoDB, or anything saved by hand
        tips = say("first_tips") if starts < FIRST_RUN_TIPS else ""
        speech = say("starting", title=track.routine.title, length=minutes(track.duration_ms),
                     tips=tips)
        place.starts = starts + 1
    return play_from(handler_input, deps, track, offset_ms, place, speech,
                     new_session=not resumed)


def in_progress(handler_input: HandlerInput, deps: Deps,
                track: Track) -> tuple[Track, int, Place] | None:
    """If `track`'s routine is the one under way: the build it plays (an earlier one while
    it is kept), where the user is in it, and their place."""
    current_track, offset, place = current(handler_input, deps)
    if current_track is None or current_track.id != track.id:
        return None
    playing = is_playing_here(handler_input, place)
    return (current_track, offset, place) if offset > 0 or playing else None


def carry_on_or_start(handler_input: HandlerInput, deps: Deps, track: Track) -> Response:
    """Start `track`, unless it is the routine in progress: then carry on where it was
    (exactly, on the device that holds it; else from the start of its step or side)."""
    under_way = in_progress(handler_input, deps, track)
    if under_way is not None and hurting(handler_input):
        # Back into the step that hurt only by choosing to carry on gently: "yes" to an
        # older offer, "the first one" or its name must not do it.
        return pain_choice(handler_input)
    if under_way is not None:
        playing, offset, place = under_way
        offset = resume_point(handler_input, playing, offset, place)
        return start(handler_input, deps, playing, offset, resumed=True)
    return start(handler_input, deps, track)


def offer(handler_input: HandlerInput, tracks: list[Track], opener: str,
          opener_for_one: str | None = None, found: bool = False) -> Response:
    """Name the first three of `tracks` (best first) and ask which, or offer the one; say
    how many more there are. Remembers what was said, for "yes", "the second one" and
    "the last one", and the rest, for "more"."""
    chosen, rest = tracks[:MAX_OFFERED], tracks[MAX_OFFERED:]
    remember_offer(handler_input, [t.id for t in chosen], [t.id for t in rest], found)
    names = spoken_list([t.routine.title for t in chosen])
    if len(chosen) == 1 and not rest:
        text = say("offer_one", opener=opener_for_one or say("one_fits"), options=names)
        return handler_input.response_builder.speak(text).ask(text).response
    more = say("and_more", count=num2words(len(rest))) if rest else ""
    text = say("offer", count_sentence=opener, options=names, more=more)
    return handler_input.response_builder.speak(text).ask(say("offer_reprompt")).response


def offer_suggestions(handler_input: HandlerInput, deps: Deps) -> Response:
    """Suggest the two shortest routines not offered just now."""
    picks = suggestions(deps, leave_out=set(offered(handler_input)))
    if not picks:
        return nothing_built(handler_input, deps)
    return offer(handler_input, picks, say("count_other"), say("count_other"))


def not_ready(handler_input: HandlerInput, deps: Deps, routine: Routine) -> Response:
    """A routine of the library with no track yet: when it will be ready, and one that is."""
    status = deps.shelf.build_status()
    if status is not None and routine.id in status.waiting():
        text = say("preparing", wait=wait_words(status.ready_in_s.get(routine.id)))
    else:
        text = say("not_built")
    picks = suggestions(deps, 1)
    builder = handler_input.response_builder
    if not picks:
        return builder.speak(f"{text} {say('nothing_ready')}").set_should_end_session(True) \
            .response
    remember_offer(handler_input, [picks[0].id])
    question = say("meanwhile", title=picks[0].routine.title)
    return builder.speak(f"{text} {question}").ask(question).response


def steps_read_aloud(track: Track) -> str:
    """The steps of a routine as a spoken list, for devices that cannot play it; the
    routine's words pass through the same normaliser as the track's."""
    parts = []
    for number, step in enumerate(track.routine.steps, 1):
        if isinstance(step, WorkStep):
            sides = " on each side" if step.sides else ""
            parts.append(f"Step {number}, {for_the_ear(step.title)}, "
                         f"{spoken_duration(step.work_ms)}{sides}. {for_the_ear(step.say)}")
        else:
            parts.append(f"Step {number}, rest for {spoken_duration(step.rest_ms)}.")
    return " ".join(parts)


def alternatives(deps: Deps, count: int = MAX_OFFERED) -> str:
    """A few real routine names to suggest."""
    return spoken_list([t.routine.title for t in suggestions(deps, count)])


class StartRoutineIntentHandler(IntentHandler):
    """"Start the lower back release", "play upper back foam rolling"."""

    INTENT = "StartRoutineIntent"
    SLOTS = ("routine",)

    def handle(self, handler_input: HandlerInput) -> Response:
        shelf = self.deps.shelf
        words = self.slot(handler_input, "routine")
        track = shelf.get(self.resolved(handler_input, "routine") or "") \
            or (find_track(shelf, words) if words else None)
        if track:
            return carry_on_or_start(handler_input, self.deps, track)
        routine = shelf.library.routines.get(self.resolved(handler_input, "routine") or "") \
            or (find_routine(shelf.library, words) if words else None)
        if routine is not None:
            built = shelf.get(routine.id)   # matched only among the whole library
            if built is not None:
                return carry_on_or_start(handler_input, self.deps, built)
            return not_ready(handler_input, self.deps, routine)   # not playable yet
        if not shelf.tracks():
            return nothing_built(handler_input, self.deps)
        related = self.related(words) if words else []
        if related:   # "my lower back one": offer what works on that part of the body
            opener = say("unknown_but", words=words)
            return offer(handler_input, related, opener, opener)
        key = "unknown_routine" if words else "no_routine_named"
        text = say(key, words=words, options=alternatives(self.deps))
        return handler_input.response_builder.speak(text) \
            .ask(say("which", first=first_title(self.deps))).response


    def related(self, words: str) -> list[Track]:
        """Routines for a body area or equipment named among the words, if any is."""
        vocabulary = self.deps.shelf.library.context.vocabulary
        for word in [words, *words.split()]:
            for kind, key in (("body_areas", "area"), ("equipment", "equipment")):
                term = resolve_term(vocabulary, kind, word)
                if term:
                    return self.deps.shelf.rank(Wish(**{key: term}))
        return []


class FilteringHandler(IntentHandler):
    """Shared by list and recommend: equipment, body area, goal and minutes from slots."""

    SLOTS = ("equipment", "area", "goal", "minutes", "level")
    KINDS = {"equipment": "equipment", "area": "body_areas", "goal": "goals",
             "level": "levels"}

    def filters(self, handler_input: HandlerInput) -> dict:
        """What was asked for; None for words that name no known term."""
        vocabulary = self.deps.shelf.library.context.vocabulary
        found: dict = {}
        for slot, kind in self.KINDS.items():
            words = self.slot(handler_input, slot)
            if words:
                found[slot] = self.resolved(handler_input, slot) \
                    or resolve_term(vocabulary, kind, words)
        spoken_minutes = self.slot(handler_input, "minutes")
        # AMAZON.NUMBER gives ASCII digits; "²" passed isdigit() and then broke int().
        if spoken_minutes and spoken_minutes.isascii() and spoken_minutes.isdigit() \
                and len(spoken_minutes) <= 4:
            found["max_ms"] = int(spoken_minutes) * 60_000
        if found.get("level") not in (None, *LEVELS):
            found["level"] = None   # an id from the envelope that is no level of ours
        return found

    def handle(self, handler_input: HandlerInput) -> Response:
        filters = self.filters(handler_input)
        if not self.deps.shelf.tracks():
            return nothing_built(handler_input, self.deps)
        # Words that name nothing we know ("a trampoline") match no routine.
        known = None not in filters.values()
        chosen = self.deps.shelf.rank(Wish(**filters)) if known else []
        if not chosen:
            picks = suggestions(self.deps)
            remember_offer(handler_input, [t.id for t in picks])
            text = say("offer_none", options=spoken_list([t.routine.title for t in picks]))
            return handler_input.response_builder.speak(text).ask(say("offer_reprompt")) \
                .response
        return offer(handler_input, chosen, self.opener(filters, len(chosen)), found=True)

    def opener(self, filters: dict, count: int) -> str:
        """How to introduce what was found."""
        if filters:
            return say("count_best")
        return say("count_all" if count > MAX_OFFERED else "count_every", count=count)


class ListRoutinesIntentHandler(FilteringHandler):
    """"What routines do you have", "what can I do with a spiky ball"."""

    INTENT = "ListRoutinesIntent"


class RecommendIntentHandler(FilteringHandler):
    """"I have ten minutes for my shoulders", "something for stress", "something short"."""

    INTENT = "RecommendIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if self.slot(handler_input, "area") and (
                hurting(handler_input) or
                is_playing_here(handler_input, load_place(handler_input))):
            # "My back hurts" in the middle of a routine is pain, not a wish for another.
            return pause_for_care(handler_input, self.deps, "pain")
        return super().handle(handler_input)

    def opener(self, filters: dict, count: int) -> str:
        """"The quickest are" when nothing narrowed the choice."""
        return say("count_best") if filters else say("count_quickest")
