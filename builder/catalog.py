"""The move catalog: reusable techniques in routines/moves/, one YAML file each."""

from __future__ import annotations

import re
from pathlib import Path

from .checker import Checker
from .errors import Problem
from .safety import Safety
from .steps import WORK_KEYS, Move, Timing, build_work_step, check_safety, parse_work_fields
from .vocabulary import Vocabulary
from .yamlsource import read_source

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("equipment", "body_area", "position")


def load_catalog(folder: Path, vocabulary: Vocabulary, safety: Safety, problems: list[Problem],
                 warnings: list[Problem] | None = None) -> dict[str, Move]:
    """Every move in `folder`, by id; problems are appended to `problems`, and warnings to
    `warnings` when given."""
    moves: dict[str, Move] = {}
    for path in sorted(folder.glob("*.yaml")):
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
        ck.known_keys(data, ("id", *WORK_KEYS), (), "a move")
        move_id = data.get("id", path.stem)
        if not isinstance(move_id, str) or not ID_PATTERN.match(move_id):
            ck.fail(("id",), f'"{move_id}" is not a valid id; use lowercase letters, digits '
                    "and hyphens, such as foam-roller-upper-back.")
        fields = parse_work_fields(ck, data, ())
        for key in REQUIRED:
            if key not in data:
                ck.fail((key,), "missing: every catalog move names its "
                        f"{key.replace('_', ' ')}.")
        step = build_work_step(ck, fields, (), Timing(), present=set(data))
        if step is not None:
            check_safety(ck, step, (), goals=None, routine_cautions=())
        move = Move(move_id, fields, ck.source.file)
    problems.extend(ck.problems)
    if warnings is not None:
        warnings.extend(ck.warnings)
    return None if ck.problems else move
