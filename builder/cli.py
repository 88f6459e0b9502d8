"""CLI commands over the library: list, show, moves, validate."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import click

from . import home
from .draft import timing_problems
from .durations import clock, format_ms
from .errors import BuilderError, Problem, RoutineError, quoted
from .files import is_yaml_name
from .lengths import Length, routine_length
from .library import (
    Library,
    check_files,
    library_files,
    library_part,
    load_context,
    load_library,
    routine_files,
)
from .model import RestStep, Routine, WorkStep
from .render import describe_cues, length_label
from .search import filter_routines, resolve_term
from .wording import caution_words, side_words, switch_words

library_option = click.option(
    "--library", "library_dir", type=click.Path(file_okay=False, path_type=Path),
    envvar="MATCOACH_ROUTINES", help="Routine folder (default: the built-in library).")
INDENT = " " * 12
tracks_option = click.option(
    "--tracks", type=click.Path(file_okay=False, path_type=Path), default=home.tracks_dir,
    show_default="MATCOACH_AUDIO_DIR, else HOME/tracks", help="Where built tracks are.")


class ProblemsError(click.ClickException):
    """Exit 1 after printing each problem on its own line."""

    def __init__(self, problems: list[Problem] | list[str], summary: str) -> None:
        super().__init__(summary)
        self.problems = problems

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True)
        click.echo(self.format_message(), err=True)


def open_library(library_dir: Path | None) -> Library:
    """The library, or a CLI error listing its problems."""
    try:
        return load_library(library_dir)
    except RoutineError as exc:
        raise ProblemsError(exc.problems, _count(exc.problems) + " in the library.") from exc


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--equipment", metavar="E", help="Only routines that use this equipment.")
@click.option("--area", metavar="A", help="Only routines for this body area.")
@click.option("--goal", metavar="G", help="Only routines for this goal.")
@click.option("--max-minutes", type=click.IntRange(min=1), metavar="N",
              help="Only routines of at most N minutes.")
@library_option
@tracks_option
def list_command(as_json, equipment, area, goal, max_minutes, library_dir, tracks) -> None:
    """List the routines in the library, with their lengths."""
    library = open_library(library_dir)
    vocabulary = library.context.vocabulary
    lengths = {r.id: routine_length(r, tracks) for r in library.routines.values()}
    chosen = filter_routines(
        library.routines.values(), vocabulary,
        equipment=_term(vocabulary, "equipment", equipment, "--equipment"),
        area=_term(vocabulary, "body_areas", area, "--area"),
        goal=_term(vocabulary, "goals", goal, "--goal"),
        max_ms=max_minutes * 60_000 if max_minutes else None,
        length=lambda r: lengths[r.id].total_ms)
    if as_json:
        click.echo(json.dumps([_summary(r, lengths[r.id]) for r in chosen], indent=2))
    else:
        _print_table(chosen, lengths, library)


@click.command("show")
@click.argument("target", metavar="ID|FILE")
@library_option
@tracks_option
def show_command(target, library_dir, tracks) -> None:
    """Show a routine as a person reads it, with each step's timing and what each caution
    says. ID is a routine of the library; FILE a routine file anywhere (such as
    my-routine.yaml), checked against the library's catalog as `build` does."""
    library = open_library(library_dir)
    routine = routine_from(library, target)
    click.echo(describe_routine(routine, routine_length(routine, tracks), library))


def is_file_target(target: str) -> bool:
    """Whether a command's ID|FILE argument names a file: it ends in .yaml or .yml (in any
    case), or a file of that name exists."""
    return is_yaml_name(target) or Path(target).is_file()


def routine_from(library: Library, target: str) -> Routine:
    """The routine a command's ID|FILE argument names: a library id, or a routine file
    checked against the library's catalog and vocabularies.

    Raises click.ClickException for an unknown id (with near ones) or a missing file, and
    ProblemsError listing every problem of a file that is not a valid routine.
    """
    if not is_file_target(target):
        try:
            return library.get(target)
        except BuilderError as exc:
            raise click.ClickException(str(exc)) from exc
    path = Path(target)
    if not path.is_file():
        raise click.ClickException(f"There is no routine file at {path}.")
    part = library_part(path)
    if part is not None:
        raise click.ClickException(f"{path}: {_not_routines(*part, folder=False)}")
    routines, problems = check_files([path], library.context)
    if problems:
        raise ProblemsError(problems, f"{path} is not a valid routine.")
    return next(iter(routines.values()))


@click.command("moves")
@library_option
def moves_command(library_dir) -> None:
    """List the move catalog that routine steps can name with `move:`."""
    try:
        context = load_context(library_dir)
    except RoutineError as exc:
        raise ProblemsError(exc.problems, _count(exc.problems) + " in the catalog.") from exc
    vocabulary = context.vocabulary
    rows = [(m.id, format_ms(m.fields["work"]),
             ", ".join(vocabulary.name("equipment", e) for e in m.fields["equipment"]),
             vocabulary.name("positions", m.fields["position"]))
            for m in context.moves.values()]
    _echo_rows(("MOVE", "WORK", "EQUIPMENT", "POSITION"), rows)


@click.command("validate")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
def validate_command(paths) -> None:
    """Check routine files or folders; print every problem and warning; exit 0 only if all
    are valid (warnings alone do not fail)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    checked = 0
    parts = {path: library_part(path) for path in paths}
    problems += [Problem(str(path), None, "", _not_routines(*part, folder=path.is_dir()))
                 for path, part in parts.items() if part is not None]
    paths = tuple(path for path, part in parts.items() if part is None)
    problems += [Problem(str(path), None, "", "this folder holds no routine files (.yaml or "
                         ".yml) and no moves; give a routine file or a library folder.")
                 for path in paths if path.is_dir() and not library_files(path)]
    for folder, files in _group_by_library(paths).items():
        try:
            context = load_context(folder, warnings)
        except RoutineError as exc:
            problems.extend(exc.problems)
            continue
        routines, found = check_files(files, context, warnings)
        problems.extend(found)
        warnings.extend(_timing_warnings(routines.values()))
        checked += len(files)
    problems, warnings = sorted(set(problems)), sorted(set(warnings))
    if problems:
        also = f" and {_count(warnings, 'warning')}" if warnings else ""
        raise ProblemsError(sorted(problems + warnings), f"{_count(problems)}{also} found.")
    for warning in warnings:
        click.echo(str(warning), err=True)
    valid = "The routine is valid" if checked == 1 else f"All {checked} routines are valid"
    click.echo(f"{valid}, with {_count(warnings, 'warning')}." if warnings else f"{valid}.")


def _not_routines(part: str, library: Path, folder: bool) -> str:
    """One sentence for a path inside a library's `part` (moves or vocabulary) given where
    a routine was expected: what it is, and the command that checks it."""
    what = {("moves", True): "the move catalog", ("moves", False): "a move of the catalog",
            ("vocabulary", True): "the vocabulary folder",
            ("vocabulary", False): "a vocabulary file"}[part, folder]
    routine = "a folder of routines" if folder else "a routine"
    return (f"this is {what} of the library in {library}, not {routine}; validate the "
            f"library folder instead (matcoach validate {library}), which checks its moves "
            "and vocabularies too.")


def _timing_warnings(routines) -> list[Problem]:
    """Timing an author set that leaves too little time to move (builder.draft)."""
    return [problem for routine in routines for problem in timing_problems(routine)]


def describe_routine(routine: Routine, length: Length, library: Library) -> str:
    """The routine as text: what it is for, what you need, then each step with its time."""
    vocabulary = library.context.vocabulary
    names = vocabulary.name
    lines = [routine.title, routine.summary, "",
             f"Length: {length_label(length)}",
             f"Level: {routine.level}",
             "You need: " + ", ".join(vocabulary.needs(routine.equipment)),
             "Body areas: " + ", ".join(names("body_areas", a) for a in routine.body_areas),
             "Good for: " + ", ".join(names("goals", g) for g in routine.goals),
             "", f"Safety: {routine.safety}"]
    # Cautions as they are heard: in full where first needed, a reminder at the last step.
    said = caution_words(routine)
    lines.extend(f"Caution: {words}" for words in said.get(None, ()))
    if routine.intro:
        lines.append(f"Intro: {routine.intro}")
    lines.append("")
    approx = "" if length.exact else "~"
    for index, step in enumerate(routine.steps):
        start = approx + clock(length.step_starts_ms.get(index, 0))
        lines.extend(_describe_step(index, step, start, names, said.get(index, ()),
                                    routine.phrases))
    lines.append(f"Finish: {routine.outro}")
    return "\n".join(line.rstrip() for line in lines)


def _describe_step(index: int, step: WorkStep | RestStep, start: str, names,
                   cautions: tuple[str, ...], phrases) -> list[str]:
    prefix = f"{start:>7}  {index + 1}. "
    if isinstance(step, RestStep):
        return [f"{prefix}{step.title} ({format_ms(step.rest_ms)})",
                *([f"{INDENT}{step.say}"] if step.say else []), ""]
    each = f"{format_ms(step.work_ms)}"
    if step.sides:
        each += f" each side, {' then '.join(step.sides)}"
    details = [each]
    if step.position:
        details.append(names("positions", step.position))
    if step.equipment:
        details.append(", ".join(names("equipment", e) for e in step.equipment))
    lines = [f"{prefix}{step.title} ({'; '.join(details)})",
             *(f"{INDENT}Caution: {words}" for words in cautions), f"{INDENT}{step.say}"]
    if step.safety:
        lines.append(f"{INDENT}Safety: {step.safety}")
    if len(step.sides) > 1:
        lines.append(f"{INDENT}First side: {side_words(step, phrases)}")
    if step.feel:
        lines.append(f"{INDENT}Feel: {step.feel}")
    lines.extend(f"{INDENT}Switch: {switch_words(step, phrases, side, before)}"
                 for before, side in pairwise(step.sides))
    cues = describe_cues(step.cues)
    if cues:
        lines.append(f"{INDENT}Cues: {cues}")
    return [*lines, ""]


def _term(vocabulary, kind: str, words: str | None, option: str) -> str | None:
    if words is None:
        return None
    term = resolve_term(vocabulary, kind, words)
    if term is None:
        known = ", ".join(vocabulary.terms(kind))
        raise click.BadParameter(f"{quoted(words)} is not one I know. Try one of: {known}.",
                                 param_hint=option)
    return term


def _summary(routine: Routine, length: Length) -> dict:
    return {"id": routine.id, "title": routine.title, "equipment": list(routine.equipment),
            "body_areas": list(routine.body_areas), "goals": list(routine.goals),
            "level": routine.level, "duration_s": round(length.total_ms / 1000),
            "duration_exact": length.exact}


def _print_table(chosen: list[Routine], lengths: dict[str, Length], library: Library) -> None:
    if not chosen:
        click.echo("No routine matches; try fewer filters.")
        return
    names = library.context.vocabulary.name
    rows = [(r.id, r.title, length_label(lengths[r.id], short=True), r.level,
             ", ".join(names("equipment", e) for e in r.equipment)) for r in chosen]
    _echo_rows(("ID", "TITLE", "LENGTH", "LEVEL", "EQUIPMENT"), rows)
    if not all(lengths[r.id].exact for r in chosen):
        click.echo("\n~ estimated length; `matcoach build` gives the exact one.")


def _echo_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def _group_by_library(paths: tuple[Path, ...]) -> dict[Path, list[Path]]:
    """Routine files by the library folder whose catalog they are checked against."""
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        files = routine_files(path) if path.is_dir() else [path]
        folder = path if path.is_dir() else path.parent
        groups.setdefault(folder, []).extend(files)
    return groups


def _count(items: list, noun: str = "problem") -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"
