"""What the web pages show about a routine, gathered once from the library and cue sheet."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import BinaryIO

from audio.shelf import Shelf, Track
from audio.status import BuildStatus
from builder.durations import clock
from builder.lengths import Length, routine_length
from builder.model import Routine
from builder.search import widen
from builder.timeline import Chapter

from .pictures import Picture, draw
from .readiness import READY, WAITING, Readiness, readiness

MINUTES_DIGITS = 9   # a billion minutes: more than anyone asks for, less than int() refuses
_CUE = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> ")


@dataclass(frozen=True)
class Card:
    """A routine as the library page lists it, with what its filters match on."""

    routine: Routine
    duration_ms: int
    """How long it lasts: exact once built, estimated before."""
    length: str
    """The length for people: "12 min", or "about 12 min" when estimated."""
    needs: list[str]
    """What you need: the equipment's names, each followed by what it also needs."""
    areas: list[str]
    goals: list[str]
    matches_areas: list[str]
    """Area ids a filter may ask for: the routine's own and every wider one ("back")."""
    readiness: Readiness
    picture: Picture
    """Its picture (web/pictures.py): the body areas it works on and what it uses."""
    level: str
    """The level's name for people (the library's vocabulary: "gentle")."""

    @property
    def id(self) -> str:
        """The routine id."""
        return self.routine.id


@dataclass(frozen=True)
class Line:
    """A line of the transcript and when it is spoken."""

    start_ms: int
    time: str
    text: str


def card(track: Track, shelf: Shelf) -> Card:
    """The card for a built track of `shelf`."""
    return _card(track.routine, track.duration_ms, True, shelf, Readiness(READY))


def pending_card(routine: Routine, shelf: Shelf, ready: Readiness) -> Card:
    """The card for a routine with no playable track yet, with its estimated length."""
    # (A track published since the caller looked is missing from the estimates: work it out.)
    length = estimates(shelf).get(routine.id) or routine_length(routine, shelf.audio_dir)
    return _card(routine, length.total_ms, length.exact, shelf, ready)


def estimates(shelf: Shelf) -> dict[str, Length]:
    """The length of every routine not built yet, worked out once per version of the library
    and tracks (each is a whole schedule: too slow to do on every request)."""
    return shelf.derived("estimated lengths", lambda tracks: {
        routine.id: routine_length(routine, shelf.audio_dir)
        for routine in shelf.library.routines.values() if routine.id not in tracks})


def pictures(shelf: Shelf) -> dict[str, Picture]:
    """The picture of every routine of the library, drawn once per version of the library
    and tracks (all of them take milliseconds: too slow to draw on every request)."""
    vocabulary = shelf.library.context.vocabulary
    return shelf.derived("pictures", lambda tracks: {
        routine.id: draw(routine, vocabulary) for routine in shelf.library.routines.values()})


def library_cards(shelf: Shelf, status: BuildStatus | None) -> list[Card]:
    """A card for every routine of the library, built or not, in the library's order;
    `status` is what the builder reports (None: no builder is running)."""
    library = shelf.library
    tracks = shelf.tracks()
    return [card(tracks[r.id], shelf) if r.id in tracks else
            pending_card(r, shelf, readiness(r.id, False, status))
            for r in library.routines.values()]


def preparing(cards: list[Card], progress: str | None) -> bool:
    """Whether anything is being prepared, so that the pages keep asking how it goes."""
    return progress is not None or any(c.readiness.state == WAITING for c in cards)


def count_text(cards: list[Card], shown: set[str]) -> str:
    """The live count: "3 of 14 routines", then how many of those shown cannot be played
    yet ("…, 2 being prepared, 1 not built"). library.js writes the same words."""
    total = len(cards)
    text = f"{len(shown)} of {total} routine{'' if total == 1 else 's'}"
    states = [c.readiness.state for c in cards if c.id in shown]
    waiting = states.count(WAITING)
    not_built = len(states) - waiting - states.count(READY)
    if waiting:
        text += f", {waiting} being prepared"
    if not_built:
        text += f", {not_built} not built"
    return text


def _card(routine: Routine, duration_ms: int, exact: bool, shelf: Shelf,
          ready: Readiness) -> Card:
    vocabulary = shelf.library.context.vocabulary
    names = vocabulary.name
    wider = {term for term in vocabulary.terms("body_areas")
             if widen(vocabulary, "body_areas", term) & set(routine.body_areas)}
    minutes = max(1, round(duration_ms / 60_000))
    return Card(routine, duration_ms, f"{minutes} min" if exact else f"about {minutes} min",
                vocabulary.needs(routine.equipment),
                [names("body_areas", a) for a in routine.body_areas],
                [names("goals", g) for g in routine.goals], sorted(wider), ready,
                # (A routine added since the pictures were drawn: drawn now.)
                pictures(shelf).get(routine.id) or draw(routine, vocabulary),
                names("levels", routine.level))


def minutes_limit(text: str | None) -> int | None:
    """"At most N minutes" from a form or address: a positive whole number, else no limit."""
    text = (text or "").strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses (it was a 500). A number
    # longer than MINUTES_DIGITS is no limit either: int() refuses 4,301 digits or more
    # (Python's guard against quadratic conversion), which was a 500 too.
    if not text.isdecimal() or len(text) > MINUTES_DIGITS:
        return None
    return int(text) or None


def steps(track: Track) -> list[tuple[Chapter, str, tuple[int, int], str]]:
    """Each chapter with its start time as a clock, its work period (start, end) in ms
    (Track.work; the chapter's start twice when the cue sheet has none), and its name
    without the side ("Glute roll" of "Glute roll, right side"), which the follow-along
    view shows above the side."""
    work = track.work or tuple((c.start_ms, c.start_ms) for c in track.chapters)
    return [(chapter, clock(chapter.start_ms), window, _name(track, chapter))
            for chapter, window in zip(track.chapters, work, strict=True)]


def _name(track: Track, chapter: Chapter) -> str:
    if chapter.side is None or chapter.step is None \
            or not 0 <= chapter.step < len(track.routine.steps):
        return chapter.title
    return track.routine.steps[chapter.step].title


def transcript(handle: BinaryIO | None) -> list[Line]:
    """The lines of a WebVTT transcript, with their start times (none without a file);
    the file is closed."""
    if handle is None:
        return []
    try:
        with handle:
            blocks = handle.read().decode("utf-8").strip().split("\n\n")[1:]
    except (OSError, UnicodeDecodeError):
        return []
    lines = []
    for block in blocks:
        parts = block.splitlines()
        timing = next((p for p in parts if "-->" in p), None)
        match = _CUE.match(timing or "")
        if match:
            h, m, s, ms = (int(g) for g in match.groups())
            start = ((h * 60 + m) * 60 + s) * 1000 + ms
            # Cue text is escaped for WebVTT (&amp; &lt; &gt;); the template escapes for
            # HTML, so unescaped here, or a reader saw "&amp;lt;" on the page.
            text = html.unescape(" ".join(parts[parts.index(timing) + 1:]))
            lines.append(Line(start, clock(start), text))
    return lines
