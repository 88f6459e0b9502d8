"""The move catalog: reusable techniques in routines/moves/, one YAML file each."""

from __future__ import annotations

import re
from pathlib import Path

from .checker import Checker
from .errors import Problem, quoted
from .files import yaml_files
from .safety import Safety
from .steps import (
    WORK_KEYS,
    Citation,
    Move,
    Timing,
    build_work_step,
    check_safety,
    parse_work_fields,
)
from .vocabulary import Vocabulary, check_id
from .yamlsource import read_source

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""An id: lowercase words of letters and digits joined by hyphens. It ends at \\Z, not
$, which would also match before a final newline and let "calf-roll\\n" through."""
REQUIRED = ("equipment", "body_area", "position")
MOVE_KEYS = ("id", "sources", *WORK_KEYS)   # sources: moves only, never spoken
CITATION_KEYS = ("publisher", "title", "url", "says")


def load_catalog(folder: Path, vocabulary: Vocabulary, safety: Safety, problems: list[Problem],
                 warnings: list[Problem] | None = None) -> dict[str, Move]:
    """Every move in `folder`, by id; problems are appended to `problems`, and warnings to
    `warnings` when given."""
    moves: dict[str, Move] = {}
    for path in yaml_files(folder):
        move = parse_move(path, vocabulary, safety, problems, warnings)
        if move is None:
            continue
        if move.id in moves:
            problems.append(Problem(move.file, 1, "id", f'the move id "{move.id}" is also used by '
                                    f"{moves[move.id].file}; give each move its own id."))
            continue
        moves[move.id] = move
    return moves


def parse_move(path: Path, vocabulary: Vocabulary, safety: Safety, problems: list[Problem],
               warnings: list[Problem] | None = None) -> Move | None:
    """One move file, checked as strictly as a routine step, safety rules included (but
    those about a routine's goals, which are checked where the move is used); warnings as
    in load_catalog."""
    ck = Checker(read_source(path), vocabulary, safety)
    data = ck.source.data
    move = None
    if not ck.problems and ck.mapping(data, (), "a move") is not None:
        ck.known_keys(data, MOVE_KEYS, (), "a move")
        move_id = data.get("id", path.stem)
        # As a vocabulary term's: routines name a move by its id, written plainly in YAML.
        check_id(ck, move_id, ("id",), "foam-roller-upper-back")
        fields = parse_work_fields(ck, data, ())
        for key in REQUIRED:
            if key not in data:
                ck.fail((key,), "missing: every catalog move names its "
                        f"{key.replace('_', ' ')}.")
        step = build_work_step(ck, fields, (), Timing(), present=set(data))
        if step is not None:
            check_safety(ck, step, (), goals=None, routine_cautions=())
        sources = _sources(ck, data["sources"]) if "sources" in data else ()
        move = Move(move_id, fields, ck.source.file, sources)
    problems.extend(ck.problems)
    if warnings is not None:
        warnings.extend(ck.warnings)
    return None if ck.problems else move


def _sources(ck: Checker, value: object) -> tuple[Citation, ...]:
    """The published guidance a move cites: a list of {publisher, title, url, says}, with
    publisher, title and url required; each bad entry is reported at its own line."""
    shape = ("list each source on a line starting with a dash, with publisher, title and "
             "url (and says: what it says).")
    if not isinstance(value, list) or not value:
        ck.fail(("sources",), f"sources must be a list of published guidance; {shape}")
        return ()
    found = []
    for index, raw in enumerate(value):
        citation = _citation(ck, raw, ("sources", index), f"source {index + 1}", shape)
        if citation is not None:
            found.append(citation)
    return tuple(found)


def _citation(ck: Checker, raw: object, path: tuple, name: str, shape: str) -> Citation | None:
    if not isinstance(raw, dict):
        ck.fail(path, f"{name} is not a mapping; {shape}")
        return None
    ck.known_keys(raw, CITATION_KEYS, path, "a source")
    missing = [key for key in CITATION_KEYS[:3] if key not in raw]
    if missing:
        listed = " or ".join(filter(None, (", ".join(missing[:-1]), missing[-1])))
        ck.fail(path, f"{name} has no {listed}; {shape}")
        return None
    texts = citation_texts(ck, raw, path)
    return None if texts is None else Citation(**texts)


def citation_texts(ck: Checker, fields: dict, path: tuple) -> dict[str, str] | None:
    """The texts of a source that has a publisher, title and url (and perhaps says), each
    held to the text rules, the url a web address; None with a problem. For the catalog's
    sources and safety.yaml's alike."""
    texts = {key: ck.text(fields[key], (*path, key)) for key in CITATION_KEYS if key in fields}
    if None in texts.values():
        return None
    if not texts["url"].startswith(("https://", "http://")):
        ck.fail((*path, "url"), f"{quoted(texts['url'])} is not a web address; give the page's "
                "full address, starting with https://.")
        return None
    return texts
