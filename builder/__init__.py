"""Routine to timeline: load and validate routines, then schedule what is heard when.

The core is pure: `schedule(routine, measure)` touches no files, voice or encoder.
"""

from .errors import BuilderError, Problem, RoutineError, ScheduleError, UnknownRoutineError
from .library import Library, content_hash, load_library
from .model import Routine
from .schedule import schedule
from .spoken import for_the_ear, unsayable
from .timeline import Chapter, Event, Speech, Timeline, Tone

__all__ = [
    "BuilderError", "Chapter", "Event", "Library", "Problem", "Routine", "RoutineError",
    "ScheduleError", "Speech", "Timeline", "Tone", "UnknownRoutineError", "content_hash",
    "for_the_ear", "load_library", "schedule", "unsayable",
]
