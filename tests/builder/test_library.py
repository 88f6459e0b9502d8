"""The built-in library: every routine is valid, fits, and covers the seed's equipment and goals."""

import pytest

from builder.estimate import estimated_measure
from builder.library import content_hash, load_library
from builder.model import WorkStep
from builder.schedule import plan

LIBRARY = load_library()


def test_the_library_has_at_least_twelve_routines():
    assert len(LIBRARY.routines) >= 12


@pytest.mark.parametrize("kind", ["equipment", "goals"])
def test_every_equipment_and_goal_is_covered(kind):
    used = {term for r in LIBRARY.routines.values() for term in getattr(r, kind)}
    known = set(LIBRARY.context.vocabulary.terms(kind))
    assert known - used == set()


@pytest.mark.parametrize("routine", LIBRARY.routines.values(), ids=lambda r: r.id)
def test_each_routine_is_complete(routine):
    assert routine.summary and routine.intro and routine.goals
    assert routine.safety == LIBRARY.context.phrases.safety or routine.safety
    assert any(isinstance(step, WorkStep) for step in routine.steps)


@pytest.mark.parametrize("routine", LIBRARY.routines.values(), ids=lambda r: r.id)
def test_each_routine_fits_with_estimated_speech(routine):
    _, problems = plan(routine, estimated_measure(routine.voice_pace))
    assert problems == []


def test_the_quick_and_the_long_routine_are_the_lengths_they_promise():
    lengths = {r.id: plan(r, estimated_measure(r.voice_pace))[0].duration_ms / 60_000
               for r in LIBRARY.routines.values()}
    assert any(4 <= minutes <= 6 for minutes in lengths.values()), lengths
    assert any(27 <= minutes <= 34 for minutes in lengths.values()), lengths


def test_every_move_instruction_ends_as_a_sentence():
    for move in LIBRARY.context.moves.values():
        assert move.fields["say"].endswith((".", "!", "?")), move.id


def test_every_catalog_move_is_used():
    used = {step.move for r in LIBRARY.routines.values() for step in r.work_steps}
    assert set(LIBRARY.context.moves) - used == set()


def test_content_hash_changes_with_the_content_only(check):
    first, _ = check("title: T\nsteps:\n  - rest: 5s\n")
    same, _ = check("title: T\n\n\nsteps:\n  - rest: 5s  # moved\n", name="r.yaml")
    other, _ = check("title: T\nsteps:\n  - rest: 6s\n", name="r.yaml")
    assert content_hash(first) == content_hash(same) != content_hash(other)
