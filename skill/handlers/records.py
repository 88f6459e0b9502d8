"""Listening history from what the skill already knows (issue 14): a session opens when a
routine starts, and grows with what the AudioPlayer events report of the stream.

What was heard is what played: each stream from where it started (`Place.stream_from_ms`)
to the furthest offset reported (`Place.reach_ms`), summed over the streams of the
session, so skipping ahead adds nothing and going back hears again. A step is done when
the end tone of each of its chapters (sides) was reached while playing: jumping past a
step, or to its second side, does not do it. Nothing here may stop the routine: without
a history (`Deps.listening` None) or with a store that fails, playback goes on.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from audio.shelf import Track

from ..plans import caller
from .base import Deps, Place, whole


def open_session(handler_input: HandlerInput, deps: Deps, place: Place, track: Track) -> None:
    """Record a new session of `track` for the caller, kept in `place` (before it moves)."""
    place.history, place.heard_ms, place.ends = 0, 0, []
    if deps.listening is None:
        return
    who = caller(handler_input)
    place.history = deps.listening.start(who, track.id, track.build) or 0
    place.listener = who.listener


def goes_on(deps: Deps, place: Place, track: Track) -> bool:
    """Whether playing `track` carries on the place's session: the same routine, in the
    same sitting (plans/history.py SITTING: a routine carried on the next day is that
    day's session)."""
    return bool(place.history) and place.routine == track.id and deps.listening is not None \
        and deps.listening.ongoing(place.history, place.listener)


def theirs(handler_input: HandlerInput, place: Place) -> bool:
    """Whether the place's session is the caller's: theirs, or a request naming no voice
    (a button, or Alexa not recognising it: someone of the account). In a household,
    another person carrying the routine on starts a session of their own."""
    who = caller(handler_input)
    return who.listener in (place.listener, who.account)


def leave_stream(handler_input: HandlerInput, deps: Deps, place: Place, track: Track) -> None:
    """The place's stream is about to be replaced by one of `track`: record how far it got
    (its steps only when it is `track`'s build; any other is another timeline)."""
    if not place.history:
        return
    reach = whole(place.reach_ms)
    if place.routine == track.id and place.build == track.build:
        reach = min(reach, track.duration_ms)
    reached(deps, place, track, reach)
    place.heard_ms = whole(place.heard_ms) + max(0, reach - whole(place.stream_from_ms))
    place.stream_from_ms = reach


def reached(deps: Deps, place: Place, track: Track, offset_ms: int,
            finished: bool = False) -> None:
    """The place's stream has played to `offset_ms` of `track` (the end, with `finished`):
    record what was heard and the steps done. Nothing when `track` is not the build the
    stream plays (an offset means something only in its own timeline)."""
    if not place.history or deps.listening is None or track.id != place.routine \
            or track.build != place.build:
        return
    start = whole(place.stream_from_ms)
    offset_ms = min(offset_ms, track.duration_ms)   # a device's report past the end
    if offset_ms <= start and not finished:
        return   # nothing played in this stream yet (PlaybackStarted): nothing to write
    place.reach_ms = max(whole(place.reach_ms), offset_ms)
    ends = set(place.ends) | _ends_between(track, start, offset_ms)
    place.ends = sorted(ends)
    played = whole(place.heard_ms) + max(0, offset_ms - start)
    if not deps.listening.heard(place.history, place.listener, played,
                                _steps_done(track, ends), finished):
        place.history = 0   # deleted meanwhile ("delete my history"): no more of it


def hurt(handler_input: HandlerInput, deps: Deps, place: Place, track: Track,
         offset_ms: int) -> None:
    """"It hurts" at `offset_ms` of the place's stream: in the session, if it is the
    caller's (another person's pain is not theirs to have)."""
    if place.history and deps.listening is not None and track.build == place.build \
            and theirs(handler_input, place):
        deps.listening.pain(place.history, place.listener, track.chapter_at(offset_ms).step)


def _key(chapter) -> str:
    return f"{chapter.step}:{chapter.side or ''}"


def _end_tone(track: Track, index: int) -> int:
    """When chapter `index`'s end tone sounds (ms): the end of its work window, or of the
    chapter where the cue sheet has none."""
    chapter = track.chapters[index]
    if index < len(track.work) and track.work[index][1] > track.work[index][0]:
        return track.work[index][1]
    return chapter.end_ms


def _ends_between(track: Track, start_ms: int, end_ms: int) -> set[str]:
    """The step chapters whose end tone sounds after `start_ms`, up to `end_ms`."""
    return {_key(c) for c in track.chapters
            if c.step is not None and start_ms < _end_tone(track, c.index) <= end_ms}


def _steps_done(track: Track, ends: set[str]) -> set[int]:
    """The steps all of whose chapters' end tones were heard."""
    chapters: dict[int, set[str]] = {}
    for chapter in track.chapters:
        if chapter.step is not None:
            chapters.setdefault(chapter.step, set()).add(_key(chapter))
    return {step for step, keys in chapters.items() if keys <= ends}
