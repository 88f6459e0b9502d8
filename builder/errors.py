"""Errors the builder raises; only the edges (CLI, skill) turn them into output."""

from __future__ import annotations

from dataclasses import dataclass

QUOTED_CHARS = 40
"""The most characters of a value a message quotes: enough to recognise it, and a whole
routine's worth of text quoted back (a 5 KB mapping once was) tells nobody anything."""


def shorten(text: str, longest: int = QUOTED_CHARS) -> str:
    """`text` as a message may show it: cut to `longest` characters with an ellipsis, and
    each character a terminal would not show as itself (a control character such as ESC
    or a newline, a lone surrogate, an invisible one such as a zero-width space) written
    as its escape, such as \\x1b."""
    cut = text[:longest] + ("\u2026" if len(text) > longest else "")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in cut)


def quoted(value: object) -> str:
    """Any value, as a message quotes it: shortened (see shorten), in double quotes."""
    return f'"{shorten(str(value))}"'


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located so a person can go and fix it."""

    file: str
    line: int | None
    field: str
    message: str
    warning: bool = False
    """Worth changing but harmless: the routine still loads, builds and is served.
    Warnings are kept apart from problems (Checker.warnings), never mixed into them."""

    def __lt__(self, other: Problem) -> bool:
        """Reading order: by file, then line (what concerns the whole file first)."""
        return self._order() < other._order()

    def _order(self) -> tuple:
        line = -1 if self.line is None else self.line
        return self.file, line, self.field, self.message, self.warning

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        mark = " warning:" if self.warning else ""
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{mark}{field} {self.message}"


class BuilderError(Exception):
    """Base class for every error raised by the builder package."""


class RoutineError(BuilderError):
    """One or more files are not valid routines, moves or vocabularies."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownRoutineError(BuilderError):
    """A routine id that is not in the library."""

    def __init__(self, routine_id: str, suggestions: list[str]) -> None:
        self.routine_id = routine_id
        self.suggestions = suggestions
        hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f'There is no routine "{routine_id}" in the library.{hint}')


class ScheduleError(BuilderError):
    """A routine whose cues collide or do not fit the time they must fill.

    `lines` holds the line in `where` of each problem's field (None: not known), so that
    each reads "file:line: step 2 (Title): ..." like every other problem with a file.
    """

    def __init__(self, where: str, problems: list[str],
                 lines: list[int | None] | None = None) -> None:
        self.where = where
        self.problems = problems
        self.lines = lines or [None] * len(problems)
        super().__init__("\n".join(
            f"{where}:{line}: {p}" if line else f"{where}: {p}"
            for p, line in zip(problems, self.lines, strict=True)))
