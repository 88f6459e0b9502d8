"""Parse one routine file into a Routine: the only place routine YAML is interpreted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .catalog import ID_PATTERN
from .checker import Checker
from .errors import Problem, quoted
from .estimate import estimate
from .limits import MAX_ALIASES, MAX_ID_CHARS, MAX_ROUTINE_MS, MAX_STEPS, MAX_TITLE_CHARS
from .model import LEVELS, Routine, Step, WorkStep
from .phrases import Phrases
from .safety import Safety
from .steps import Move, Timing, check_safety, parse_step
from .vocabulary import Vocabulary
from .yamlsource import Source, read_source

ROUTINE_KEYS = ("id", "title", "aliases", "summary", "equipment", "body_areas", "goals", "level",
                "intro", "safety", "cautions", "steps", "outro", "voice", "lead_in",
                "switch")
PACE_RANGE = (0.5, 2.0)


class Context:
    """What a routine is checked against: vocabularies, the catalog and default speech."""

    def __init__(self, vocabulary: Vocabulary, moves: dict[str, Move], phrases: Phrases,
                 safety: Safety):
        self.vocabulary = vocabulary
        self.moves = moves
        self.phrases = phrases
        self.safety = safety


def parse_routine_file(path: Path, context: Context, display: str | None = None,
                       warnings: list[Problem] | None = None
                       ) -> tuple[Routine | None, list[Problem]]:
    """Read and check one routine file; the routine is None when there are problems.
    Warnings (which never make it None) are appended to `warnings` when given."""
    source = read_source(path, display)
    return parse_routine(source, context, default_id=path.stem, warnings=warnings)


def parse_routine(source: Source, context: Context, default_id: str,
                  warnings: list[Problem] | None = None
                  ) -> tuple[Routine | None, list[Problem]]:
    """Check a parsed YAML source as a routine; warnings as in parse_routine_file."""
    ck = Checker(source, context.vocabulary, context.safety)
    routine = None if ck.problems else _routine(ck, source.data, context, default_id)
    if warnings is not None:
        warnings.extend(sorted(ck.warnings))
    return (None if ck.problems else routine), sorted(ck.problems)


def _routine(ck: Checker, raw: Any, context: Context, default_id: str) -> Routine | None:
    data = ck.mapping(raw, (), "a routine")
    if data is None:
        return None
    ck.known_keys(data, ROUTINE_KEYS, (), "a routine")
    timing = Timing(
        lead_in_ms=_optional(ck, data, "lead_in", ck.gap, Timing.lead_in_ms),
        switch_ms=_optional(ck, data, "switch", ck.gap, Timing.switch_ms))
    steps = _steps(ck, data.get("steps"), context, timing)
    routine = Routine(
        id=_routine_id(ck, data.get("id", default_id)),
        title=_required_text(ck, data, "title"),
        aliases=_optional(ck, data, "aliases", lambda v, p: _aliases(ck, v, p), ()),
        summary=_optional(ck, data, "summary", ck.text, ""),
        equipment=_covering(ck, data, "equipment", "equipment", steps),
        body_areas=_covering(ck, data, "body_areas", "body_areas", steps),
        goals=_optional(ck, data, "goals", lambda v, p: ck.terms(v, "goals", p), ()),
        level=_level(ck, data.get("level", "gentle")),
        safety=_optional(ck, data, "safety", ck.spoken, None) or context.phrases.safety_for(
            str(data.get("id", default_id))),
        intro=_optional(ck, data, "intro", ck.spoken, None),
        outro=_optional(ck, data, "outro", ck.spoken, context.phrases.outro),
        steps=tuple(s for s in steps if s is not None),
        phrases=context.phrases,
        voice_pace=_voice_pace(ck, data.get("voice")),
        cautions=_optional(ck, data, "cautions", ck.cautions, ()),
        file=ck.source.file, source_lines=dict(ck.source.lines))
    for index, step in enumerate(steps):
        if isinstance(step, WorkStep):
            check_safety(ck, step, ("steps", index), routine.goals, routine.cautions)
    if not ck.problems:
        _check_length(ck, routine)
    return routine


def _check_length(ck: Checker, routine: Routine) -> None:
    """A problem when the routine would last over MAX_ROUTINE_MS. The timed parts alone
    (work and rests) are summed first, so that a year of work is refused by arithmetic
    before anything is scheduled; then the estimate adds speech, lead-ins and switches."""
    timed_ms = sum(s.total_work_ms if isinstance(s, WorkStep) else s.rest_ms
                   for s in routine.steps)
    total_ms = timed_ms if timed_ms > MAX_ROUTINE_MS else estimate(routine).duration_ms
    if total_ms > MAX_ROUTINE_MS:
        ck.fail(("steps",), f"these steps last about {total_ms / 3_600_000:.1f} hours; a "
                f"routine may last at most {MAX_ROUTINE_MS // 3_600_000} hours.")


def _optional(ck: Checker, data: dict, key: str, parse: Any, default: Any) -> Any:
    if key not in data:
        return default
    value = parse(data[key], (key,))
    return default if value is None else value


def _required_text(ck: Checker, data: dict, key: str) -> str:
    if key not in data:
        ck.fail((key,), f"missing: every routine needs a {key}.")
        return ""
    return ck.spoken(data[key], (key,), MAX_TITLE_CHARS) or ""   # Alexa says it


def _aliases(ck: Checker, value: Any, path: tuple) -> tuple[str, ...] | None:
    """One other name people say for the routine, or a list of at most MAX_ALIASES, each
    as long as a title at most: each becomes a synonym in the interaction model."""
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_ALIASES:
        ck.fail(path, f"this routine has {len(items):,} aliases; keep it to {MAX_ALIASES}, "
                "the names people are most likely to say.")
        return None
    texts = [ck.text(item, (*path, i), MAX_TITLE_CHARS) for i, item in enumerate(items)]
    return None if None in texts else tuple(texts)


def _routine_id(ck: Checker, value: Any) -> str:
    if isinstance(value, str) and ID_PATTERN.fullmatch(value) and len(value) <= MAX_ID_CHARS:
        return value
    ck.fail(("id",), f"{quoted(value)} is not a valid id; use lowercase letters, digits and "
            f"hyphens, at most {MAX_ID_CHARS} of them, such as lower-back-release (it defaults "
            "to the file name).")
    return str(value)


def _level(ck: Checker, value: Any) -> str:
    if value in LEVELS:
        return value
    return ck.term(value, "levels", ("level",)) or "gentle"


def _voice_pace(ck: Checker, value: Any) -> float:
    if value is None:
        return 1.0
    voice = ck.mapping(value, ("voice",), "voice")
    if voice is None:
        return 1.0
    ck.known_keys(voice, ("pace",), ("voice",), "voice")
    pace = voice.get("pace", 1.0)
    low, high = PACE_RANGE
    if isinstance(pace, bool) or not isinstance(pace, int | float) or not low <= pace <= high:
        ck.fail(("voice", "pace"), f"{quoted(pace)} is not a speaking pace; use a number from "
                f"{low} (slow) to {high} (fast), 1 being the voice's own pace.")
        return 1.0
    return float(pace)


def _steps(ck: Checker, value: Any, context: Context, timing: Timing) -> list[Step | None]:
    if value is None or value == []:
        ck.fail(("steps",), "this routine has no steps; add at least one.")
        return []
    if not isinstance(value, list):
        ck.fail(("steps",), "steps must be a list, each item starting with a dash.")
        return []
    if len(value) > MAX_STEPS:
        ck.fail(("steps",), f"this routine has {len(value):,} steps; a routine may have at "
                f"most {MAX_STEPS}.")
        return []
    return [parse_step(ck, raw, ("steps", i), context.moves, timing)
            for i, raw in enumerate(value)]


def _covering(ck: Checker, data: dict, key: str, kind: str,
              steps: list[Step | None]) -> tuple[str, ...]:
    """The routine's list for `kind`, completed with what its steps use.

    Equipment must be declared in full, because it is the "what you need" list; body
    areas the steps touch are added after the declared ones.
    """
    used = [t for s in steps if isinstance(s, WorkStep) for t in getattr(s, kind)]
    used = list(dict.fromkeys(used))
    if key not in data:
        return tuple(used)
    declared = ck.terms(data[key], kind, (key,))
    if declared is None:
        return tuple(used)
    absent = [t for t in used if t not in declared]
    if absent and kind == "equipment":
        names = ", ".join(ck.vocabulary.name(kind, t) for t in absent)
        ck.fail((key,), f"the steps also use the {names}; add {', '.join(absent)} to this list "
                "so people know what they need.")
    return tuple(dict.fromkeys((*declared, *absent)))
