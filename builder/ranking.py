"""Offer routines best fit first: what the skill answers to "what can I do with a spiky
ball", "I have ten minutes for my shoulders" or "something gentle".

Pure: routines, vocabulary and a length function in, an ordered list out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import LEVELS, Routine, WorkStep
from .search import filter_routines, widen
from .vocabulary import Vocabulary

TIME_TOLERANCE = 1.1
"""A routine may run this much longer than the time a person has: ten minutes takes a
10½-minute routine, not a 15-minute one."""
EVERYDAY_EQUIPMENT = frozenset({"yoga-mat", "wall", "chair"})
"""Things every home has: needing them besides the named equipment costs nothing."""

# The score is a sum of points; the highest comes first. Each term is a share or a fit in
# 0..1 times its weight, so the weights say what outweighs what.
EQUIPMENT_POINTS = 2.0
"""Times the share of work time spent with the named equipment: a routine made for it
(most of its work with it) gains over 1 point, one using it for a step or two little
(full-body-thirty with the spiky ball: 0.17)."""
EXTRA_EQUIPMENT_POINTS = 0.5
"""Taken off per other piece a routine needs (beyond the named one and everyday things):
the person said what they have, and may have nothing else."""
AREA_POINTS = 2.0
"""Times the share of work time on the named body area (widened through `includes`)."""
TIME_POINTS = 1.0
"""Times how well the routine fills the time (see time_fit): it orders routines of like
focus, its whole range worth no more than half the work moving to the area or equipment."""
OVER_TIME_COST = 5.0
"""Running over the time counts five times as much as falling short of it: 5 % over
fits like 25 % short, so a routine under the time comes before one slightly over it."""
SCORE_DIGITS = 9
"""Scores are rounded to this many digits so equal fits computed by different sums of
floats tie exactly and fall to the tie rule (shorter first, then the order given)."""


@dataclass(frozen=True)
class Wish:
    """What a person asked for; None = not said."""

    equipment: str | None = None
    """An equipment id, e.g. "spiky-ball": what they have."""
    area: str | None = None
    """A body area id, widened through `includes` (see builder/search.py widen)."""
    goal: str | None = None
    """A goal id, e.g. "reduce-stress"."""
    max_ms: int | None = None
    """The time they have, in ms."""
    level: str | None = None
    """One of model.LEVELS: gentle | moderate | deep."""


def rank_routines(routines: Iterable[Routine], vocabulary: Vocabulary, wish: Wish,
                  length: Callable[[Routine], int]) -> list[Routine]:
    """Routines that fit every stated constraint, best fit first.

    Hard constraints (a routine failing one is left out): it uses the named equipment
    (`routine.equipment`); one of its body areas is the named area or one it includes;
    the named goal is among its goals; its `length` (ms) is at most max_ms × TIME_TOLERANCE;
    its level is the level asked for.

    The rest is points, summed (see the *_POINTS constants for why each weighs what it
    does): EQUIPMENT_POINTS × the share of work time spent with the named equipment, less
    EXTRA_EQUIPMENT_POINTS per other non-everyday piece the routine needs; AREA_POINTS ×
    the share of work time on the area; TIME_POINTS × how well it fills max_ms (time_fit).
    Equal points (and nothing stated, where everything scores 0): shorter first, then the
    order given.

    Raises ValueError for a level that is not one of model.LEVELS.
    """
    if wish.level is not None and wish.level not in LEVELS:
        raise ValueError(f"level {wish.level!r} is not one of {', '.join(LEVELS)}.")
    areas = widen(vocabulary, "body_areas", wish.area) if wish.area else set()
    candidates = filter_routines(routines, vocabulary, equipment=wish.equipment,
                                 area=wish.area, goal=wish.goal)
    if wish.level is not None:   # pressure that is too much (or too little) spoils a session
        candidates = [r for r in candidates if r.level == wish.level]
    # Lengths may be estimates that schedule the whole routine: asked for last, once each.
    fitting = [(r, length(r)) for r in candidates]
    if wish.max_ms is not None:
        fitting = [(r, ms) for r, ms in fitting if ms <= wish.max_ms * TIME_TOLERANCE]
    ranked = sorted(enumerate(fitting), key=lambda item: (
        -score(item[1][0], item[1][1], wish, areas), item[1][1], item[0]))
    return [routine for _, (routine, _) in ranked]


def score(routine: Routine, length_ms: int, wish: Wish, areas: set[str]) -> float:
    """The routine's points for `wish` (higher fits better), `areas` being the wished area
    widened; 0 when nothing is wished."""
    points = 0.0
    if wish.equipment:
        points += EQUIPMENT_POINTS * work_share(
            routine, lambda s: wish.equipment in s.equipment)
        extra = set(routine.equipment) - {wish.equipment} - EVERYDAY_EQUIPMENT
        points -= EXTRA_EQUIPMENT_POINTS * len(extra)
    if areas:
        points += AREA_POINTS * work_share(routine, lambda s: bool(areas & set(s.body_areas)))
    if wish.max_ms is not None:
        points += TIME_POINTS * time_fit(length_ms, wish.max_ms)
    return round(points, SCORE_DIGITS)


def work_share(routine: Routine, counts: Callable[[WorkStep], bool]) -> float:
    """The share (0..1) of the routine's work time (WorkStep.total_work_ms, all sides) in
    steps for which `counts` is true; 0 for a routine without work time."""
    total = sum(s.total_work_ms for s in routine.work_steps)
    part = sum(s.total_work_ms for s in routine.work_steps if counts(s))
    return part / total if total else 0.0


def time_fit(length_ms: int, max_ms: int) -> float:
    """How well a routine of `length_ms` fills `max_ms`: 1 when it lasts exactly that, down
    by the share it falls short, or OVER_TIME_COST times the share it runs over (10 % over,
    the most allowed, fits like half the time). 0 when max_ms is not positive."""
    if max_ms <= 0:
        return 0.0
    gap = (length_ms - max_ms) / max_ms
    return 1.0 - (gap * OVER_TIME_COST if gap > 0 else -gap)
