"""Parse steps and catalog moves: the fields they share, overrides and defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .checker import Checker, suggest
from .cues import build_cues, check_fit, parse_cues
from .errors import quoted
from .limits import MAX_TITLE_CHARS
from .model import SIDES, RestStep, Step, WorkStep
from .safety import Caution, expand_areas
from .sides import FIRST, SWITCH, Placeholders, brace_problem
from .yamlsource import Path_

WORK_KEYS = ("title", "say", "feel", "safety", "cautions", "equipment", "body_area",
             "position", "sides", "work", "lead_in", "switch", "switch_say", "first_say", "cues")
STEP_KEYS = ("move", *WORK_KEYS)
REST_KEYS = ("rest", "say", "title")
_MISSING_HINTS = {
    "title": "give the step a short name.",
    "say": "write the instruction the voice will speak.",
    "work": "say how long to work, such as 45s or 2m.",
}


@dataclass(frozen=True)
class Citation:
    """Published guidance a catalog move follows (never spoken): who, where, and what it
    says, so a therapist can check the move against it."""

    publisher: str
    title: str
    url: str
    says: str = ""


@dataclass(frozen=True)
class Move:
    """A catalog technique: the work fields a step gets when it names this move."""

    id: str
    fields: dict[str, Any]
    file: str
    sources: tuple[Citation, ...] = ()
    """The guidance the move follows; empty when none was found (the built-in library
    lists each such move, with the reason, in tests/builder/test_content.py)."""


@dataclass(frozen=True)
class Timing:
    """Routine-wide defaults a step falls back on (None: the scheduler's own)."""

    lead_in_ms: int | None = None
    switch_ms: int | None = None


def parse_work_fields(ck: Checker, data: dict, path: Path_) -> dict[str, Any]:
    """The work fields present in `data`, parsed; bad ones are recorded and left out."""
    parsers = {
        "title": lambda v, p: ck.spoken(v, p, MAX_TITLE_CHARS),
        "say": ck.spoken, "feel": ck.spoken, "safety": ck.spoken,
        "cautions": ck.cautions,
        "equipment": lambda v, p: ck.terms(v, "equipment", p),
        "body_area": lambda v, p: ck.terms(v, "body_areas", p),
        "position": lambda v, p: ck.term(v, "positions", p),
        "sides": lambda v, p: _sides(ck, v, p),
        "work": lambda v, p: ck.duration(v, p, minimum_ms=1000),
        "lead_in": ck.gap,
        "switch": ck.gap,
        "switch_say": lambda v, p: _side_words(ck, v, p, SWITCH),
        "first_say": lambda v, p: _side_words(ck, v, p, FIRST),
        "cues": lambda v, p: parse_cues(ck, v, p),
    }
    fields = {}
    for key, parser in parsers.items():
        if key in data:
            value = parser(data[key], (*path, key))
            if value is not None:
                fields[key] = value
    return fields


def parse_step(ck: Checker, raw: Any, path: Path_, moves: dict[str, Move],
               timing: Timing) -> Step | None:
    """One step of a routine: a rest, a catalog move with overrides, or a custom step."""
    data = ck.mapping(raw, path, "a step")
    if data is None:
        return None
    if "rest" in data:
        return _parse_rest(ck, data, path)
    ck.known_keys(data, STEP_KEYS, path, "a step")
    fields = parse_work_fields(ck, data, path)
    if "move" in data:
        move = _find_move(ck, data["move"], (*path, "move"), moves)
        if move is None:
            return None
        fields = merge(move.fields, fields)
    return build_work_step(ck, fields, path, timing, present=set(data), move=data.get("move"))


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Step fields over move fields; cues are merged kind by kind, and a step's cautions
    are added to its move's (a step can add a caution, never drop one)."""
    merged = {**base, **override}
    if "cues" in base and "cues" in override:
        merged["cues"] = {**base["cues"], **override["cues"]}
    if "cautions" in base and "cautions" in override:
        merged["cautions"] = tuple(dict.fromkeys((*base["cautions"], *override["cautions"])))
    return merged


def build_work_step(ck: Checker, fields: dict[str, Any], path: Path_, timing: Timing,
                    present: set[str], move: str | None = None) -> WorkStep | None:
    """A WorkStep from parsed fields, or None after reporting what is missing.

    `present` holds the keys written in the file: a key that is present but did not
    parse has been reported already and is not also called missing.
    """
    missing = [key for key in ("title", "say", "work") if key not in fields]
    for key in missing:
        if key not in present:
            ck.fail((*path, key), f"missing: {_MISSING_HINTS[key]}")
    if missing:
        return None
    cues = build_cues(fields.get("cues", {}))
    check_fit(ck, cues, fields["work"], (*path, "cues"))
    return WorkStep(
        title=fields["title"], say=fields["say"], work_ms=fields["work"],
        lead_in_ms=fields.get("lead_in", timing.lead_in_ms),
        switch_ms=fields.get("switch", timing.switch_ms),
        equipment=fields.get("equipment", ()), body_areas=fields.get("body_area", ()),
        position=fields.get("position"), sides=fields.get("sides", ()),
        safety=fields.get("safety"), cues=cues, cautions=fields.get("cautions", ()),
        switch_say=fields.get("switch_say"), first_say=fields.get("first_say"),
        feel=fields.get("feel"), move=move)


def check_safety(ck: Checker, step: WorkStep, path: Path_, goals: tuple[str, ...] | None,
                 routine_cautions: tuple[Caution, ...]) -> None:
    """Record a problem for every safety rule the step breaks (builder/safety.py), naming
    the rule and its source: a refusal at the step's body_area, missing cautions at its
    cautions (the step's line when it has none). A step whose equipment some rule judges
    by body area must name its body_area: without it no rule could see a roller under the
    lower back. `goals` None: a catalog move, checked again where used."""
    if ck.safety is None:
        return
    if not step.body_areas:
        tools = ck.safety.judged_by_area(step.equipment)
        if tools:
            names = " and ".join(ck.vocabulary.name("equipment", t) for t in tools)
            ck.fail((*path, "body_area"), f"missing: say which body areas this step works "
                    f"(body_area: [...]), so the safety rules for the {names} can check it.")
    areas = expand_areas(step.body_areas, ck.vocabulary)
    carried = {c.id for c in (*step.cautions, *routine_cautions)}
    for rule, message in ck.safety.broken(step.equipment, areas, goals, carried,
                                          step.work_ms):
        field = "body_area" if rule.refuse else "work" if rule.longest_ms else "cautions"
        ck.fail((*path, field), message)


def _parse_rest(ck: Checker, data: dict, path: Path_) -> RestStep | None:
    ck.known_keys(data, REST_KEYS, path, "a rest step")
    rest_ms = ck.duration(data["rest"], (*path, "rest"), minimum_ms=1000)
    say = ck.spoken(data["say"], (*path, "say")) if "say" in data else None
    title = (ck.text(data["title"], (*path, "title"), MAX_TITLE_CHARS) if "title" in data
             else "Rest")
    if rest_ms is None or ("say" in data and say is None) or title is None:
        return None
    return RestStep(rest_ms, say, title)


def _find_move(ck: Checker, name: Any, path: Path_, moves: dict[str, Move]) -> Move | None:
    if isinstance(name, str) and name in moves:
        return moves[name]
    hint = suggest(name, moves) or " Run `matcoach moves` to see the catalog."
    ck.fail(path, f"{quoted(name)} is not a move in the catalog.{hint}")
    return None


def _side_words(ck: Checker, value: Any, path: Path_, placeholders: Placeholders
                ) -> str | None:
    """Words that name sides (switch_say, first_say): text whose only braces are the
    `placeholders` {side} and {other} (builder/sides.py)."""
    text = ck.spoken(value, path)
    if text is None:
        return None
    problem = brace_problem(text, placeholders)
    if problem:
        ck.fail(path, problem)
        return None
    return text


def _sides(ck: Checker, value: Any, path: Path_) -> tuple[str, ...] | None:
    if value == "both":
        return ("right", "left")
    items = value if isinstance(value, list) else [value]
    bad = [item for item in items if item not in SIDES]
    if bad or not items:
        ck.fail(path, f"{quoted(bad[0] if bad else value)} is not a side; use left, right, "
                "a list such as [right, left], or both.")
        return None
    if len(set(items)) != len(items):
        ck.fail(path, "each side can be listed only once.")
        return None
    return tuple(items)
