"""Collects located problems while a file's fields are parsed, so all are reported together."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import Any

from .durations import format_ms, parse_duration_ms
from .errors import Problem, quoted, shorten
from .limits import MAX_GAP_MS, MAX_STEP_MS, MAX_TEXT_CHARS
from .safety import Caution, Safety
from .spoken import for_the_ear, unsayable
from .vocabulary import Vocabulary
from .yamlsource import Path_, Source

KIND_NOUNS = {
    "equipment": "piece of equipment",
    "body_areas": "body area",
    "goals": "goal",
    "levels": "level",
    "positions": "position",
}
ASCII_DIGITS = frozenset("0123456789")   # the voice says nothing for "١" or "１" alone
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
"""Embeddings, overrides, isolates and marks (Unicode Standard Annex #9): they reorder the
text around them wherever it is shown, so a title could display as other words in a page,
the feed or a player ("Trojan Source", CVE-2021-42574)."""
HIDDEN_FORMAT = frozenset("\ufeff\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d"
                          "\u206e\u206f\ufff9\ufffa\ufffb\u180e\U000e0001")
"""Format characters no routine text needs, each invisible where it stands: a byte order
mark inside text, the word joiner and invisible operators, the deprecated format
characters, interlinear annotation marks, the Mongolian vowel separator, the language
tag. (The zero-width joiner and non-joiner stay: emoji and some scripts need them.)"""
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols drawn as nothing: the Hangul fillers (Default_Ignorable_Code_Point
in Unicode's DerivedCoreProperties.txt, though their category is Lo) and the blank
Braille pattern."""
INVISIBLE_KINDS = ("Cc", "Cf", "Cs", "Mn", "Me", "Mc", "Zs", "Zl", "Zp")
"""Unicode categories with nothing to see on their own: controls, format characters,
surrogates, combining marks (drawn only on a letter before them), spaces."""


def _visible(char: str) -> bool:
    return unicodedata.category(char) not in INVISIBLE_KINDS and char not in BLANK


def _forbidden(char: str) -> bool:
    """A control character (but tab and line breaks, which become spaces), a lone
    surrogate, a noncharacter (U+FDD0-U+FDEF, and the last two code points of every
    plane: U+FFFE, U+1FFFF ... U+10FFFF), a bidi control or a hidden format character."""
    code = ord(char)
    return (char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cs")
            or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
            or char in BIDI_CONTROLS or char in HIDDEN_FORMAT)


def _not_text(value: Any) -> str:
    """What to do when YAML read something other than text where text belongs: a title
    of 123 or true was read as a number or true/false, and needs quotes to be text."""
    if isinstance(value, bool):
        return ("this was read as true or false, not as text; to mean the word, put it in "
                f"quotes: {quoted(str(value).lower())}.")
    if isinstance(value, int | float):
        return ("this was read as a number, not as text; to mean text, put it in quotes: "
                f"{quoted(value)}.")
    if isinstance(value, list):     # "write some text here" read as if the field were empty
        return ("this is a list, not text; write the words on the same line as the key (in "
                "quotes if they hold ': ' or start with '[').")
    if isinstance(value, dict):
        return ("this is a set of key: value lines, not text; write the words on the same "
                "line as the key (in quotes if they hold ': ').")
    return "write some text here."


def describe(path: Path_) -> str:
    """A field path as a person reads it: ("steps", 1, "cues", "every") -> "step 2, cues.every"."""
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
        rest = ".".join(shorten(p) for p in path[2:] if isinstance(p, str))
        return f"step {path[1] + 1}" + (f", {rest}" if rest else "")
    return ".".join(shorten(p) for p in path if isinstance(p, str))


def suggest(word: str, choices: Iterable[str]) -> str:
    """" Did you mean x?" for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean {close[0]}?" if close else ""


class Checker:
    """Parses values out of one Source, recording a Problem for each bad one.

    Warnings go to their own list, so nothing that asks whether a file is valid (any
    `problems`?) can ever be stopped by one.
    """

    def __init__(self, source: Source, vocabulary: Vocabulary,
                 safety: Safety | None = None) -> None:
        self.source = source
        self.vocabulary = vocabulary
        self.safety = safety
        self.problems: list[Problem] = list(source.problems)
        self.warnings: list[Problem] = []

    def fail(self, path: Path_, message: str) -> None:
        """Record a problem at `path`."""
        line = self.source.line_of(path)
        self.problems.append(Problem(self.source.file, line, describe(path), message))

    def warn(self, path: Path_, message: str) -> None:
        """Record a warning at `path`: worth changing, but the file stays valid."""
        line = self.source.line_of(path)
        self.warnings.append(Problem(self.source.file, line, describe(path), message,
                                     warning=True))

    def known_keys(self, mapping: dict, allowed: Iterable[str], path: Path_, what: str) -> None:
        """Report every key of `mapping` that is not in `allowed`."""
        allowed = sorted(allowed)
        for key in mapping:
            if key not in allowed:
                hint = suggest(key, allowed) or f" Allowed keys: {', '.join(allowed)}."
                self.fail((*path, key), f"{quoted(key)} is not a key of {what}.{hint}")

    def mapping(self, value: Any, path: Path_, what: str) -> dict | None:
        """`value` when it is a mapping, else a problem."""
        if isinstance(value, dict):
            return value
        self.fail(path, f"{what} must be a set of key: value lines.")
        return None

    def text(self, value: Any, path: Path_, longest: int = MAX_TEXT_CHARS) -> str | None:
        """A string with something visible in it, at most `longest` characters, and no
        character that cannot be shown or written out, or that changes how the text
        around it is shown: a control character (NUL, ESC, BEL...), a lone surrogate, a
        noncharacter or a bidi control made transcripts, feeds and replies invalid or
        misleading (issue 10). A number or true/false where text belongs is named as what
        YAML read it as."""
        if not isinstance(value, str):
            self.fail(path, _not_text(value))
            return None
        if not any(_visible(ch) for ch in value):
            self.fail(path, "write some text here.")   # also: only invisible characters
            return None
        bad = next((ch for ch in value if _forbidden(ch)), None)
        if bad is not None:
            self.fail(path, f"remove the invisible character U+{ord(bad):04X}; write only "
                      "letters, numbers, punctuation and spaces.")
            return None
        text = " ".join(value.split())
        if len(text) > longest:
            self.fail(path, f"this is {len(text):,} characters long; keep it to {longest:,}.")
            return None
        return text

    def spoken(self, value: Any, path: Path_, longest: int = MAX_TEXT_CHARS) -> str | None:
        """Text the voice will say: as `text`, with a letter or digit for the voice to say
        (Piper makes no sound at all for "." or "-", and the build failed), and a warning
        for whatever in it the voice cannot say well (the text is kept as written; see
        builder.spoken)."""
        text = self.text(value, path, longest)
        if text is None:
            return None
        if not any(ch.isalpha() or ch in ASCII_DIGITS for ch in for_the_ear(text) or text):
            self.fail(path, "there is nothing here the voice can say; write words, with at "
                      "least one letter or digit.")
            return None
        reasons = unsayable(text)
        if reasons:
            self.warn(path, f"the voice cannot say this well ({'; '.join(reasons)}); "
                      "write it the way you would say it aloud.")
        return text

    def duration(self, value: Any, path: Path_, minimum_ms: int = 0,
                 maximum_ms: int = MAX_STEP_MS) -> int | None:
        """Milliseconds from `minimum_ms` to `maximum_ms` (default: limits.MAX_STEP_MS)."""
        try:
            ms = parse_duration_ms(value)
        except ValueError as exc:
            self.fail(path, str(exc))
            return None
        if ms < minimum_ms:
            self.fail(path, f"{quoted(value)} is too short; use at least "
                      f"{minimum_ms / 1000:g}s.")
            return None
        if ms > maximum_ms:
            self.fail(path, f"{quoted(value)} is too long; use at most "
                      f"{format_ms(maximum_ms)}.")
            return None
        return ms

    def gap(self, value: Any, path: Path_) -> int | None:
        """A lead-in or switch: milliseconds up to limits.MAX_GAP_MS."""
        return self.duration(value, path, maximum_ms=MAX_GAP_MS)

    def integer(self, value: Any, path: Path_, low: int, high: int) -> int | None:
        """A whole number in [low, high]."""
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.fail(path, f"{quoted(value)} must be a whole number from {low} to {high}.")
        return None

    def boolean(self, value: Any, path: Path_) -> bool | None:
        """true or false."""
        if isinstance(value, bool):
            return value
        self.fail(path, f"{quoted(value)} must be true or false.")
        return None

    def term(self, value: Any, kind: str, path: Path_) -> str | None:
        """An id of vocabulary `kind`; a name or synonym gets a pointer to its id."""
        terms = self.vocabulary.terms(kind)
        if isinstance(value, str) and value in terms:
            return value
        noun = KIND_NOUNS[kind]
        hint = self._hint(value, kind) or f" Known: {', '.join(terms)}."
        self.fail(path, f"{quoted(value)} is not a known {noun}.{hint}")
        return None

    def terms(self, value: Any, kind: str, path: Path_) -> tuple[str, ...] | None:
        """One id or a list of ids of vocabulary `kind`."""
        items = value if isinstance(value, list) else [value]
        if not items:
            self.fail(path, "list at least one, or leave this key out.")
            return None
        ids = [self.term(item, kind, (*path, i)) for i, item in enumerate(items)]
        return tuple(ids) if None not in ids else None

    def cautions(self, value: Any, path: Path_) -> tuple[Caution, ...] | None:
        """Caution ids of the safety rules (safety.yaml), as the cautions they name."""
        known = self.safety.cautions if self.safety else {}
        items = value if isinstance(value, list) else [value]
        found = []
        for i, item in enumerate(items):
            if isinstance(item, str) and item in known:
                found.append(known[item])
            else:
                hint = suggest(item, known) or f" Known: {', '.join(known)}."
                self.fail((*path, i) if isinstance(value, list) else path,
                          f"{quoted(item)} is not a caution of the safety rules.{hint}")
        return tuple(found) if len(found) == len(items) and items else None

    def _hint(self, value: Any, kind: str) -> str:
        spoken = str(value).lower().replace("_", "-")
        for term in self.vocabulary.terms(kind).values():
            if spoken in (term.id, term.name.lower(), *(s.lower() for s in term.synonyms)):
                return f" Did you mean {term.id}?"
        return suggest(spoken, self.vocabulary.terms(kind))
