"""Ranked recommendations: what the skill offers first for what a person asked."""

from dataclasses import replace

import pytest

from builder.lengths import routine_length
from builder.library import load_library
from builder.ranking import Wish, rank_routines, time_fit
from builder.search import filter_routines

LIBRARY = load_library()
VOCABULARY = LIBRARY.context.vocabulary
EVERYTHING = list(LIBRARY.routines.values())
# Estimated once: each estimate schedules the whole routine.
LENGTHS_MS = {r.id: routine_length(r, None).total_ms for r in EVERYTHING}
MINUTE_MS = 60_000


def estimated(routine):
    return LENGTHS_MS[routine.id]


def ranked(**wish) -> list[str]:
    """The ids the real library offers for a wish, best first."""
    return [r.id for r in rank_routines(EVERYTHING, VOCABULARY, Wish(**wish), estimated)]


def test_routines_made_for_the_spiky_ball_come_before_those_using_it_for_a_step():
    order = ranked(equipment="spiky-ball")
    assert set(order) == {"shoulder-knot-wall", "trigger-points-lying", "happy-feet",
                          "full-body-thirty", "leg-cramp-care"}
    made_for = {"shoulder-knot-wall", "trigger-points-lying", "happy-feet"}
    assert set(order[:3]) == made_for


def test_ten_minutes_for_the_shoulders_offers_nothing_over_eleven():
    order = ranked(area="shoulders", max_ms=10 * MINUTE_MS)
    assert order[0] == "shoulder-knot-wall"
    assert all(LENGTHS_MS[i] <= 11 * MINUTE_MS for i in order)
    assert "after-work-unwind" not in order   # works the shoulders, but lasts 15 minutes


def test_with_more_time_the_routine_about_the_shoulders_still_comes_first():
    # after-work-unwind fills sixteen minutes better, but spends a third of its work on
    # the shoulders; shoulder-knot-wall spends all of it there.
    assert ranked(area="shoulders", max_ms=16 * MINUTE_MS) == [
        "shoulder-knot-wall", "after-work-unwind"]


def test_asked_for_gentle_only_gentle_foam_roller_routines_are_offered():
    order = ranked(equipment="foam-roller", level="gentle")
    assert order and {LIBRARY.get(rid).level for rid in order} == {"gentle"}
    assert set(order) == {r.id for r in filter_routines(EVERYTHING, VOCABULARY,
                                                        equipment="foam-roller")
                          if r.level == "gentle"}


def test_without_a_level_the_routines_made_for_the_roller_come_first():
    order = ranked(equipment="foam-roller")
    assert order[:2] == ["before-workout", "after-workout"]
    assert order.index("full-body-thirty") > order.index("before-workout")


def test_nothing_stated_offers_everything_shortest_first():
    order = ranked()
    assert set(order) == set(LIBRARY.routines)
    assert [LENGTHS_MS[i] for i in order] == sorted(LENGTHS_MS.values())


@pytest.mark.parametrize("wish", [
    {"equipment": "trampoline"}, {"area": "elbows"}, {"goal": "levitation"},
    {"equipment": "chi-ball", "area": "feet"}, {"max_ms": MINUTE_MS},
])
def test_asking_for_what_nobody_offers_gives_nothing(wish):
    assert ranked(**wish) == []


def test_the_same_wish_gives_the_same_order():
    wish = Wish(equipment="foam-roller", area="back", max_ms=15 * MINUTE_MS, level="gentle")
    first = rank_routines(EVERYTHING, VOCABULARY, wish, estimated)
    assert first and rank_routines(EVERYTHING, VOCABULARY, wish, estimated) == first


# Copies of one routine that differ only in what a test sets: the rest of the fit is equal.
BASE = LIBRARY.get("five-minute-reset")


def copies(lengths_ms: dict[str, int], **changes: dict[str, object]):
    """Copies of BASE named by `lengths_ms`'s keys, each with its `changes`; and a length
    function giving each its length (ms)."""
    made = [replace(BASE, id=i, **{k: v[i] for k, v in changes.items() if i in v})
            for i in lengths_ms]
    return made, lambda r: lengths_ms[r.id]


def test_a_routine_may_run_a_tenth_over_the_time_and_no_more():
    routines, length = copies({"over-5": 630_000, "over-10": 660_000, "over-11": 666_000})
    order = rank_routines(routines, VOCABULARY, Wish(max_ms=600_000), length)
    assert [r.id for r in order] == ["over-5", "over-10"]


def test_the_routine_that_fills_the_time_best_comes_first():
    routines, length = copies({"half": 300_000, "over-5": 630_000, "short-5": 570_000,
                               "exact": 600_000})
    order = rank_routines(routines, VOCABULARY, Wish(max_ms=600_000), length)
    assert [r.id for r in order] == ["exact", "short-5", "over-5", "half"]


def test_a_level_asked_for_is_a_constraint_like_the_others():
    # "Something deep": a moderate routine is not what was asked for (the skill would say
    # it fits best), so only routines of that level are offered.
    routines, length = copies({"deep": 1, "moderate": 2, "gentle": 3},
                              level={"deep": "deep", "moderate": "moderate",
                                     "gentle": "gentle"})
    for level in ("gentle", "moderate", "deep"):
        order = rank_routines(routines, VOCABULARY, Wish(level=level), length)
        assert [r.id for r in order] == [level]


def test_needing_other_equipment_than_what_was_named_fits_less():
    more = BASE.equipment + ("wheat-bag",)
    routines, length = copies({"needs-more": 1, "mat-and-wall": 2, "just-it": 3},
                              equipment={"needs-more": more,
                                         "mat-and-wall": BASE.equipment + ("wall",)})
    order = rank_routines(routines, VOCABULARY, Wish(equipment="foam-roller"), length)
    # A wall is in every home; a wheat bag is not.
    assert [r.id for r in order] == ["mat-and-wall", "just-it", "needs-more"]


def test_equal_fits_keep_the_order_given():
    routines, length = copies({"b": 1, "a": 1, "c": 1})
    order = rank_routines(routines, VOCABULARY, Wish(equipment="foam-roller"), length)
    assert [r.id for r in order] == ["b", "a", "c"]


def test_a_level_that_is_not_a_level_is_refused():
    with pytest.raises(ValueError, match="gentle, moderate, deep"):
        rank_routines(EVERYTHING, VOCABULARY, Wish(level="extreme"), estimated)


@pytest.mark.parametrize(("length_ms", "fit"), [
    (600_000, 1.0), (300_000, 0.5), (570_000, 0.95), (630_000, 0.75), (660_000, 0.5),
    (0, 0.0),
])
def test_time_fit(length_ms, fit):
    assert time_fit(length_ms, 600_000) == pytest.approx(fit)


def test_time_fit_of_no_time_at_all_is_nothing():
    assert time_fit(0, 0) == 0.0
