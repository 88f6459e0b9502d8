"""The controlled words of the library: equipment, body areas, goals, levels, positions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import Problem, RoutineError, quoted
from .limits import MAX_ALIASES, MAX_ID_CHARS, MAX_TITLE_CHARS
from .yamlsource import Path_, read_source

if TYPE_CHECKING:
    from .checker import Checker

KINDS = ("equipment", "body_areas", "goals", "levels", "positions")
KEYS = {"equipment": ("name", "synonyms", "also_needs"),
        "body_areas": ("name", "synonyms", "includes")}
"""The keys an entry of each vocabulary may have; the others have a name and synonyms."""
_PLAIN = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: an id, what to call it, and what people say for it."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    includes: tuple[str, ...] = ()
    """Narrower terms this one covers: asking for "back" finds "lower-back" too."""
    also_needs: tuple[str, ...] = ()
    """For equipment: what else a person needs with it, as names for "You need" lists
    ("thin towel" with the wheat bag, which is laid on the body in its towel)."""


@dataclass(frozen=True)
class Vocabulary:
    """Every vocabulary of a library, each an ordered mapping of id to Term."""

    equipment: dict[str, Term]
    body_areas: dict[str, Term]
    goals: dict[str, Term]
    levels: dict[str, Term]
    positions: dict[str, Term]

    @classmethod
    def empty(cls) -> Vocabulary:
        """A vocabulary without terms, for checking files that name none (speech.yaml)."""
        return cls({}, {}, {}, {}, {})

    def terms(self, kind: str) -> dict[str, Term]:
        """The terms of one vocabulary, by its name in KINDS."""
        return getattr(self, kind)

    def name(self, kind: str, term_id: str) -> str:
        """The display name of a term, or the id itself when it is unknown."""
        term = self.terms(kind).get(term_id)
        return term.name if term else term_id

    def needs(self, equipment: Iterable[str]) -> list[str]:
        """What a person needs for this equipment, as names for a "You need" list: each
        piece's name, followed by what it also needs (once, however many pieces need it)."""
        found: list[str] = []
        for term_id in equipment:
            term = self.equipment.get(term_id)
            for name in (self.name("equipment", term_id), *(term.also_needs if term else ())):
                if name not in found:
                    found.append(name)
        return found


def load_vocabulary(folder: Path) -> Vocabulary:
    """Read every vocabulary file in `folder`; raise RoutineError listing all problems."""
    problems: list[Problem] = []
    loaded = {kind: _load_kind(folder / f"{kind}.yaml", kind, problems) for kind in KINDS}
    if problems:
        raise RoutineError(problems)
    return Vocabulary(**loaded)


def check_id(ck: Checker, value: Any, path: Path_, example: str) -> bool:
    """Whether `value` is an id a routine can name: lowercase letters, digits and hyphens
    (such as `example`), at most MAX_ID_CHARS of them, and read back by YAML as this same
    text when a routine writes it unquoted (5 or 2024-01-01 would be read as a number or a
    date, on as true, and never match it); else a problem at `path`."""
    # Imported here, not at the top: the catalog imports this module.
    from .catalog import ID_PATTERN
    well_formed = isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None
    if not well_formed or len(value) > MAX_ID_CHARS:
        ck.fail(path, f"{quoted(value)} is not a valid id; use lowercase letters, digits and "
                f"hyphens, at most {MAX_ID_CHARS} of them, such as {example}.")
        return False
    # How YAML 1.1 reads the id written plainly, as in `equipment: [5]` (not quoted).
    if yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) != _PLAIN:
        ck.fail(path, f"{quoted(value)} is not a valid id, as a routine naming it would be read "
                f"as a number, a date, true or false; use a word, such as {example}.")
        return False
    return True


def _load_kind(path: Path, kind: str, problems: list[Problem]) -> dict[str, Term]:
    """The terms of one vocabulary file; its problems are appended to `problems`."""
    # Imported here, not at the top: the checker imports this module.
    from .checker import Checker
    ck = Checker(read_source(path), Vocabulary.empty())
    data = ck.source.data
    if not ck.problems and (not isinstance(data, dict) or not data):
        problems.append(Problem(ck.source.file, 1, "", "a vocabulary maps each id to its name "
                                "and synonyms (id: {name: ..., synonyms: [...]}), and this "
                                "file holds no such entry."))
        return {}
    terms: dict[str, Term] = {}
    for term_id, entry in (data or {}).items():
        term = _term(ck, kind, term_id, entry)
        if term is not None:
            terms[term_id] = term
    for term in terms.values():
        for index, narrower in enumerate(term.includes):
            if not isinstance(narrower, str) or narrower not in terms:
                ck.fail((term.id, "includes", index), f"includes {quoted(narrower)}, which "
                        "is not in this file.")
    _check_words_of_their_own(ck, terms)
    problems.extend(ck.problems)
    return terms


def _check_words_of_their_own(ck: Checker, terms: dict[str, Term]) -> None:
    """A problem for each term that people could not ask for: everything they might say
    for it (its name, its id as words, its synonyms) already means a term before it. The
    interaction model gives each word to the first term that has it, and a term left with
    none made `matcoach models` fail with an IndexError."""
    taken: dict[str, str] = {}
    for term in terms.values():
        words = {w.lower() for w in (term.name, term.id.replace("-", " "), *term.synonyms)}
        if words.issubset(taken):
            owners = ", ".join(dict.fromkeys(taken[w] for w in sorted(words)))
            ck.fail((term.id,), f"everything people could say for it already means {owners}; "
                    "give it a name of its own.")
        for word in words:
            taken.setdefault(word, term.id)


def _term(ck: Checker, kind: str, term_id: str, entry: Any) -> Term | None:
    """One entry, held to the rules of routine text: a valid id, known keys, a name as
    long as a title at most, lists of words, no control characters anywhere."""
    found = len(ck.problems)
    check_id(ck, term_id, (term_id,), "foam-roller")
    noun = f"an entry of {Path(ck.source.file).name}"
    fields = ck.mapping(entry, (term_id,), noun)
    if fields is None:
        return None
    ck.known_keys(fields, KEYS.get(kind, ("name", "synonyms")), (term_id,), noun)
    if "name" not in fields:
        ck.fail((term_id,), "missing: give this entry a name.")
    name = ck.text(fields["name"], (term_id, "name"), MAX_TITLE_CHARS) \
        if "name" in fields else None
    synonyms = _list(ck, fields, (term_id, "synonyms"), "the words people say for it, such "
                     "as [roller, foam roll]", MAX_ALIASES)
    also = _list(ck, fields, (term_id, "also_needs"), "what else it needs, such as "
                 "[thin towel]")
    includes = _list(ck, fields, (term_id, "includes"), "the ids of the narrower terms it "
                     "covers, such as [upper-back, lower-back]", words=False)
    if len(ck.problems) > found or name is None:
        return None
    return Term(term_id, name, synonyms, includes, also)


def _list(ck: Checker, fields: dict, path: Path_, what: str, most: int | None = None,
          words: bool = True) -> tuple:
    """The optional list at `path` (at most `most` items; with `words`, each a text no
    longer than a title); a problem saying `what` to list when it is not such a list."""
    key = path[-1]
    if key not in fields:
        return ()
    value = fields[key]
    if not isinstance(value, list) or not value:
        ck.fail(path, f"list {what}, or leave {key} out.")
        return ()
    if most is not None and len(value) > most:
        ck.fail(path, f"this lists {len(value):,}; keep it to {most}.")
        return ()
    if not words:
        return tuple(value)
    texts = [ck.text(item, (*path, i), MAX_TITLE_CHARS) for i, item in enumerate(value)]
    return () if None in texts else tuple(texts)
