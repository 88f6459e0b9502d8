"""The routine library: every routine of a folder, checked against its catalog."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import routines as builtin

from .catalog import load_catalog
from .errors import Problem, RoutineError, UnknownRoutineError
from .files import yaml_files
from .model import Routine
from .parse import Context, parse_routine_file
from .phrases import load_phrases
from .safety import Safety
from .safety_file import load_safety
from .vocabulary import Vocabulary, load_vocabulary

PARTS = ("moves", "vocabulary")
"""The subfolders of a library that hold its move catalog and its vocabularies."""
T = TypeVar("T")


@dataclass(frozen=True)
class Library:
    """Checked routines by id, with the context they were checked against."""

    folder: Path
    routines: dict[str, Routine]
    context: Context

    def get(self, routine_id: str) -> Routine:
        """The routine with this id; UnknownRoutineError suggests near ids."""
        if routine_id in self.routines:
            return self.routines[routine_id]
        close = difflib.get_close_matches(routine_id, self.routines, n=2, cutoff=0.5)
        raise UnknownRoutineError(routine_id, close)


def load_context(folder: Path | None = None, warnings: list[Problem] | None = None) -> Context:
    """Vocabularies, catalog and phrases of `folder`, falling back to the built-in ones;
    the catalog's warnings are appended to `warnings` when given.

    Raises RoutineError with the problems of every vocabulary file at once (speech.yaml
    and safety.yaml too), or else of the catalog: a bad one leaves no routine checkable.
    """
    folder = folder or builtin.LIBRARY_DIR
    vocab_dir = _own_or_builtin(folder / "vocabulary", builtin.VOCABULARY_DIR)
    problems: list[Problem] = []
    vocabulary = _gather(problems, load_vocabulary, vocab_dir)
    phrases = _gather(problems, load_phrases, vocab_dir / "speech.yaml")
    safety = _gather(problems, _safety, vocab_dir, vocabulary) if vocabulary else None
    if problems or vocabulary is None or phrases is None or safety is None:
        raise RoutineError(problems)
    moves = load_catalog(_own_or_builtin(folder / "moves", builtin.MOVES_DIR), vocabulary,
                         safety, problems, warnings)
    if problems:
        raise RoutineError(problems)
    return Context(vocabulary, moves, phrases, safety)


def _gather(problems: list[Problem], load: Callable[..., T], *args: Any) -> T | None:
    """What `load(*args)` reads, or None with its problems appended to `problems`."""
    try:
        return load(*args)
    except RoutineError as exc:
        problems.extend(exc.problems)
        return None


def _safety(vocab_dir: Path, vocabulary: Vocabulary) -> Safety:
    """The built-in safety rules, always, and a library's own added to them."""
    builtin_file = builtin.VOCABULARY_DIR / "safety.yaml"
    if vocab_dir.resolve() == builtin.VOCABULARY_DIR.resolve():
        return load_safety([(builtin_file, vocabulary)])
    own = vocab_dir / "safety.yaml"
    return load_safety([(builtin_file, None)] + ([(own, vocabulary)] if own.is_file() else []))


def load_library(folder: Path | None = None) -> Library:
    """Every routine in `folder` (default: the built-in library); RoutineError lists problems."""
    folder = Path(folder or builtin.LIBRARY_DIR)
    context = load_context(folder)
    routines, problems = check_files(routine_files(folder), context)
    if problems:
        raise RoutineError(problems)
    return Library(folder, routines, context)


def scan_library(folder: Path | None = None) -> tuple[Library, list[Problem]]:
    """Every valid routine in `folder`, and the problems of the files left out.

    For a server that must go on serving when one file is bad. RoutineError only when the
    catalog or vocabularies themselves are broken (then no routine can be checked).
    """
    folder = Path(folder or builtin.LIBRARY_DIR)
    context = load_context(folder)
    routines, problems = check_files(routine_files(folder), context)
    return Library(folder, routines, context), problems


def library_files(folder: Path | None = None) -> list[Path]:
    """Every file the library of `folder` is read from: routines, and its own catalog and
    vocabularies when it has them (hidden files left out, see yaml_files)."""
    folder = Path(folder or builtin.LIBRARY_DIR)
    return [*routine_files(folder), *yaml_files(folder / "moves"),
            *yaml_files(folder / "vocabulary")]


def routine_files(folder: Path) -> list[Path]:
    """The routine files of a library folder (moves and vocabularies live in subfolders):
    its YAML files, whatever the case of .yaml or .yml, hidden ones left out."""
    return yaml_files(folder)


def library_part(path: Path) -> tuple[str, Path] | None:
    """("moves" or "vocabulary", the library folder) when `path` is a library's move
    catalog or vocabulary folder, or a file in one; None for anything else. Checked as
    routines, their files gave dozens of errors that were all beside the point.

    A folder is taken for one when it has one of those names and its parent holds
    routines or the other folder (a folder of routines that happens to be called moves
    is not one)."""
    folder = path if path.is_dir() else path.parent
    if folder.name in ("", ".", ".."):
        folder = folder.resolve()
    if folder.name not in PARTS:
        return None
    library = folder.parent
    other = next(part for part in PARTS if part != folder.name)
    if routine_files(library) or (library / other).is_dir():
        return folder.name, library
    return None


def check_files(paths: list[Path], context: Context, warnings: list[Problem] | None = None
                ) -> tuple[dict[str, Routine], list[Problem]]:
    """Parse routine files; ids must be unique across them. Warnings, which never keep a
    routine out, are appended to `warnings` when given."""
    routines: dict[str, Routine] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            routine, found = parse_routine_file(path, context, warnings=warnings)
        except Exception as exc:   # a fault no check foresaw must not stop the other files
            found = [Problem(str(path), None, "",
                             f"could not be read ({type(exc).__name__}: {exc}).")]
            routine = None
        problems.extend(found)
        if routine is None:
            continue
        if routine.id in routines:
            line = routine.source_lines.get(("id",))   # None: the id is the file's name
            problems.append(Problem(routine.file, line, "id", f'the id "{routine.id}" is also '
                                    f"used by {routines[routine.id].file}; ids must be unique."))
            continue
        routines[routine.id] = routine
    return routines, problems


def content_hash(routine: Routine) -> str:
    """A digest of everything that decides how the routine sounds (not where it was read)."""
    content = asdict(routine)
    content.pop("file")
    content.pop("source_lines")
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _own_or_builtin(folder: Path, fallback: Path) -> Path:
    return folder if folder.is_dir() else fallback
