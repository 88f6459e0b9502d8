"""A routine being written (in the therapists' editor), checked as a whole: the same rules
as `matcoach validate`, and when it is valid, when each step starts, from estimated speech
lengths (the build knows the exact ones).

    draft = check_draft(yaml_text, context, name="Right shoulder")
    draft.problems      # [Problem]: what stops it being built, each with its field
    draft.chapters      # the estimated timeline's chapters (start_ms), () with problems
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem
from .estimate import estimated_measure
from .model import Routine
from .parse import Context, parse_routine
from .schedule import plan, timing_warnings
from .timeline import Chapter
from .yamlsource import parse_text


@dataclass(frozen=True)
class Draft:
    routine: Routine | None
    """The routine, or None while it has problems."""
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    chapters: tuple[Chapter, ...]
    """Each chapter of the estimated timeline (a step, or one side of it), start_ms in ms
    from the start of the track; () while there are problems."""
    duration_ms: int | None
    """The estimated length of the whole track in ms; None while there are problems."""


def check_draft(text: str, context: Context, name: str, default_id: str = "draft") -> Draft:
    """`text` (routine YAML) checked against `context`, its problems and warnings named
    as coming from `name`. Never raises for anything in the text."""
    warnings: list[Problem] = []
    routine, problems = parse_routine(parse_text(text, name), context, default_id, warnings)
    if routine is None:
        return Draft(None, tuple(problems), tuple(warnings), (), None)
    timeline, cue_problems = plan(routine, estimated_measure(routine.voice_pace))
    if cue_problems:
        found = tuple(Problem(name, None, "", message) for message in cue_problems)
        return Draft(None, found, tuple(warnings), (), None)
    warnings.extend(timing_problems(routine))
    return Draft(routine, (), tuple(warnings), timeline.chapters, timeline.duration_ms)


def timing_problems(routine: Routine) -> list[Problem]:
    """Timing an author set that leaves too little time to move, as warnings, judged with
    estimated speech lengths (the build knows the exact ones)."""
    found = []
    for index, field, message in timing_warnings(routine,
                                                 estimated_measure(routine.voice_pace)):
        line = routine.line_of(("steps", index, field))
        found.append(Problem(routine.file, line, f"step {index + 1}, {field}", message,
                             warning=True))
    return found
