"""The plan editor's data: what the page offers (the move catalog, the vocabularies), and
what it sends back, a routine in the shape of a routine file, turned into YAML and checked
by the builder's own rules (builder.draft) with each problem keyed to its field.

The page keeps the routine as the same mapping a routine file holds (title, level, steps
with move, sides, work, say...), so whatever the editor has no field for (cues of an
imported file, say) goes through untouched, and export writes what was imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import yaml

from builder.draft import Draft, check_draft
from builder.durations import clock, format_ms
from builder.errors import Problem
from builder.limits import MAX_DEPTH
from builder.parse import Context
from builder.yamlsource import parse_text
from plans.text import hidden, shows

ONE_DAY = dt.timedelta(days=1)
CHECKS_KEPT = 64   # drafts: a few per therapist at work at once
ROUTINE_ID = "plan"          # a plan's routine needs no id of its own: its plan is its key
NOTE_MAX = 500
UNTIL_YEARS = 2          # the furthest a plan's "until" may be
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")   # what <input type="date"> sends
_STEP_FIELD = re.compile(r"step (\d+)(?:, (.+))?")


class EditorError(Exception):
    """What the editor sent cannot be a plan; `field` names its field ("" for the whole)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Schedule:
    times_per_week: int | None
    until: dt.date | None
    note: str


def offered(context: Context) -> dict:
    """What the editor offers: the move catalog (for search by body area, equipment and
    position) and the vocabularies' ids with their names, as JSON-ready data."""
    vocabulary = context.vocabulary
    kinds = {kind: [{"id": term_id, "name": vocabulary.name(kind, term_id)}
                    for term_id in vocabulary.terms(kind)]
             for kind in ("equipment", "body_areas", "positions", "levels")}
    moves = [{"id": move.id, "title": move.fields.get("title", move.id),
              "equipment": list(move.fields.get("equipment", ())),
              "body_area": list(move.fields.get("body_area", ())),
              "position": move.fields.get("position"),
              "sides": _sides(move.fields.get("sides")),
              "work": format_ms(move.fields.get("work", 30_000)),
              "say": move.fields.get("say", ""), "feel": move.fields.get("feel", "")}
             for move in sorted(context.moves.values(),
                                key=lambda m: m.fields.get("title", m.id))]
    return {"moves": moves, **kinds}


def routine_yaml(routine: object) -> str:
    """The editor's routine (a mapping) as routine YAML; EditorError if it is not one."""
    if not isinstance(routine, dict):
        raise EditorError("", "The plan's routine is missing.")
    if _deeper_than(routine, MAX_DEPTH):
        raise EditorError("", f"The plan's routine is nested too deep: a routine file "
                          f"nests at most {MAX_DEPTH} levels.")
    routine = {key: value for key, value in routine.items() if key != "id"}
    return yaml.safe_dump(routine, sort_keys=False, allow_unicode=True, width=88)


def editable(text: str, name: str) -> tuple[dict | None, list[Problem]]:
    """Routine YAML (an imported file, or a stored version) as the editor's mapping, read
    with the builder's limits; None with the problems when it cannot be read as one."""
    source = parse_text(text, name)
    if source.problems:
        return None, list(source.problems)
    if not isinstance(source.data, dict):
        return None, [Problem(name, None, "", "this is not a routine: a routine file is "
                              "a set of key: value lines (title, steps...).")]
    return source.data, []


@functools.lru_cache(maxsize=CHECKS_KEPT)
def check(text: str, context: Context, name: str) -> Draft:
    """The routine YAML checked by the builder's rules. Kept for the same text, catalog
    (a context is replaced, not changed, when the library changes) and name: a plan's
    page checks its routine at every view, and the editor sends the same routine again
    after a keystroke that changed nothing; a long routine with dense cues takes seconds
    to schedule (measured: 4 steps of 59 minutes with 1 s breaths, 12 s)."""
    return check_draft(text, context, name, default_id=ROUTINE_ID)


def report(draft: Draft) -> dict:
    """The check as the page shows it: problems and warnings keyed to fields
    ("steps.1.work", "title"; "" for the whole), and the preview: when each chapter
    starts (m:ss) and the whole length."""
    return {"ok": draft.routine is not None,
            "problems": [_keyed(p) for p in draft.problems],
            "warnings": [_keyed(p) for p in draft.warnings],
            "preview": [{"title": c.title, "start": clock(c.start_ms), "step": c.step}
                        for c in draft.chapters],
            "length": clock(draft.duration_ms) if draft.duration_ms is not None else None}


def schedule(sent: object, today: dt.date) -> Schedule:
    """The schedule the editor sent: times a week (1-21, or none), until a date (or none)
    and a note (at most NOTE_MAX characters); `today` is the server's date (UTC).
    EditorError naming the field: the page sends whatever its fields hold, and so can
    anyone with the page's token."""
    if not isinstance(sent, dict):
        raise EditorError("schedule", "The schedule is missing: send its fields "
                          "(times_per_week, until, note).")
    return Schedule(_times(sent.get("times_per_week")), _until(sent.get("until"), today),
                    _note(sent.get("note")))


def _times(times: object) -> int | None:
    """The number field's value, sent as a number or as its text. Booleans are not
    numbers here (JSON's true is Python's 1), and text is at most two digits, so that
    int() never reads thousands of them."""
    if times is None or times == "":
        return None
    if isinstance(times, str) and len(times) <= 2 and times.isascii() and times.isdigit():
        times = int(times)
    if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= 21:
        raise EditorError("times_per_week", "Give a number of times a week from 1 to 21, "
                          "or leave it empty.")
    return times


def _until(until: object, today: dt.date) -> dt.date | None:
    """The date field's value, as it writes it (YYYY-MM-DD), from today to two years
    ahead: an appointment already past, or decades away, is a slip of the picker.
    "Today" is the therapist's, which may be the server's yesterday or tomorrow (UTC-12
    to UTC+14), so a day either side of the server's date is allowed. Checked only here,
    when a plan is saved: a stored plan keeps showing its date."""
    if until is None or until == "":
        return None
    try:
        if not isinstance(until, str) or not _DATE.fullmatch(until):
            raise ValueError(until)
        day = dt.date.fromisoformat(until)
    except ValueError:
        raise EditorError("until", "Give the date as the date picker writes it "
                          "(2027-01-14), or leave it empty.") from None
    earliest, latest = today - ONE_DAY, _years_after(today, UNTIL_YEARS) + ONE_DAY
    if not earliest <= day <= latest:
        raise EditorError("until", "Give a date from today to two years ahead, "
                          "or leave it empty.")
    return day


def _note(note: object) -> str:
    """The note, stripped before it is measured (the spaces a textarea keeps around the
    words are not the therapist's 500 characters)."""
    note = (note or "").strip() if isinstance(note, str | None) else note
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise EditorError("note", f"Keep the note to {NOTE_MAX} characters.")
    if hidden(note, allowed="\n\t"):
        raise EditorError("note", "The note holds control or invisible characters.")
    if note and not shows(note):
        raise EditorError("note", "The note has no character that shows.")
    return note


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29th of February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _deeper_than(value: object, most: int) -> bool:
    """Whether lists and mappings in `value` nest more than `most` levels: measured
    without recursion, because YAML's dumper recurses and a few hundred levels of JSON
    lists would end it in RecursionError."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > most:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _keyed(problem: Problem) -> dict:
    match = _STEP_FIELD.fullmatch(problem.field)
    if match:
        key = f"steps.{int(match[1]) - 1}" + (f".{match[2]}" if match[2] else "")
    else:
        key = problem.field
    return {"field": key, "message": problem.message, "line": problem.line}


def _sides(sides: object) -> str:
    if not sides:
        return "none"
    return "both" if tuple(sides) in (("right", "left"), ("left", "right")) else sides[0]
