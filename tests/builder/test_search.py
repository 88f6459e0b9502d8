import pytest

from builder.library import load_library
from builder.search import filter_routines, resolve_term, widen

LIBRARY = load_library()
VOCABULARY = LIBRARY.context.vocabulary


@pytest.mark.parametrize(("kind", "words", "term"), [
    ("equipment", "spiky-ball", "spiky-ball"),
    ("equipment", "massage ball", "spiky-ball"),
    ("equipment", "Heat Pack", "wheat-bag"),
    ("equipment", "warm compress", "wheat-bag"),
    ("equipment", "foam rollr", "foam-roller"),
    ("body_areas", "between my shoulder blades", "upper-back"),
    ("goals", "stress", "reduce-stress"),
    ("equipment", "trampoline", None),
])
def test_people_can_use_their_own_words(kind, words, term):
    assert resolve_term(VOCABULARY, kind, words) == term


def test_a_wide_area_includes_the_narrow_ones():
    assert widen(VOCABULARY, "body_areas", "back") == {"back", "upper-back", "lower-back"}


def test_filters_combine():
    everything = list(LIBRARY.routines.values())
    balls = filter_routines(everything, VOCABULARY, equipment="spiky-ball")
    assert balls and all("spiky-ball" in r.equipment for r in balls)
    backs = filter_routines(everything, VOCABULARY, area="back")
    assert backs and all({"back", "upper-back", "lower-back"} & set(r.body_areas) for r in backs)
    short = filter_routines(everything, VOCABULARY, max_ms=1, length=lambda r: 2)
    assert short == []
