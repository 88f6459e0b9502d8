"""The routines' pictures (web/pictures.py), drawn from the built-in vocabulary: every
area and piece of equipment is drawn, terms a library adds give a picture too, text from a
routine is escaped, and the same routine always gives the same picture."""

from __future__ import annotations

import dataclasses
import re
from xml.etree import ElementTree as ET

import pytest

from builder.library import load_context
from builder.parse import parse_routine
from builder.search import widen
from builder.yamlsource import parse_text
from web.glyphs import DRAWINGS, MAT
from web.pictures import BODY, DRAWN_AREAS, MARKED, SIZE, draw, summed_areas

SVG = "{http://www.w3.org/2000/svg}"
CONTEXT = load_context(None)
VOCABULARY = CONTEXT.vocabulary
AREAS = list(VOCABULARY.body_areas)
EQUIPMENT = list(VOCABULARY.equipment)


def routine(**fields):
    """A routine of the built-in vocabulary with these fields in place of its own."""
    text = "title: Test\nsummary: A test.\nsteps:\n  - {title: Breathe, say: Breathe., work: 20s}\n"
    parsed, problems = parse_routine(parse_text(text, "r.yaml"), CONTEXT, default_id="r")
    assert parsed is not None, problems
    return dataclasses.replace(parsed, **fields)


def parsed(svg: str) -> ET.Element:
    """The picture as XML (which it must be, or the browser shows a broken image)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {SIZE} {SIZE}"
    return root


def fills(root: ET.Element) -> dict[str, set[str]]:
    """Each area's fills in the picture, both views together."""
    found: dict[str, set[str]] = {}
    for shape in root.iter():
        if shape.get("data-area"):
            found.setdefault(shape.get("data-area"), set()).add(shape.get("fill"))
    return found


def marked(root: ET.Element) -> set[str]:
    return {area for area, colours in fills(root).items() if MARKED in colours}


@pytest.mark.parametrize("area", AREAS)
def test_every_body_area_is_marked_and_nothing_else(area):
    root = parsed(draw(routine(body_areas=(area,)), VOCABULARY).svg)
    assert marked(root), f"{area} is not drawn"
    assert marked(root) == widen(VOCABULARY, "body_areas", area) & DRAWN_AREAS
    assert all(colours == {BODY} for name, colours in fills(root).items()
               if name not in marked(root)), "the other areas stay as they are"


@pytest.mark.parametrize(("areas", "shown"), [
    (("legs",), {"thighs", "hamstrings", "calves", "glutes", "hips"}),
    (("back", "neck"), {"upper-back", "lower-back", "neck"}),
    ((), set()),
])
def test_a_wide_area_marks_every_area_it_includes(areas, shown):
    assert marked(parsed(draw(routine(body_areas=areas), VOCABULARY).svg)) == shown


@pytest.mark.parametrize("term", EQUIPMENT)
def test_every_piece_of_equipment_has_its_own_drawing(term):
    root = parsed(draw(routine(equipment=(term,)), VOCABULARY).svg)
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("data-equipment") == term]
    assert len(group) >= 2, "drawn, with more than one shape"
    assert group.find(f"{SVG}text") is None, "not the initial that unknown ones get"
    assert term == MAT or term in DRAWINGS


def test_all_the_equipment_at_once_fits_in_the_picture():
    root = parsed(draw(routine(equipment=tuple(EQUIPMENT)), VOCABULARY).svg)
    beside = [g for g in root.iter(f"{SVG}g") if g.get("data-equipment") not in (None, MAT)]
    assert len(beside) == len(EQUIPMENT) - 1
    for group in beside:
        x, y, scale = map(float, re.fullmatch(r"translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+)\)",
                                              group.get("transform")).groups())
        assert 0 <= x and x + 34 * scale <= SIZE and 0 <= y and y + 24 * scale <= SIZE


def test_terms_a_library_adds_still_give_a_picture():
    picture = draw(routine(equipment=("trampoline", "yoga-mat"), body_areas=("jaw",)),
                   VOCABULARY)
    root = parsed(picture.svg)
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("data-equipment") == "trampoline"]
    assert group.find(f"{SVG}text").text == "T", "its initial"
    assert marked(root) == set(), "an area without a drawing marks nothing"
    assert picture.alt == "For jaw, with trampoline and yoga mat"


def test_text_from_a_routine_is_escaped():
    hostile = "</title><script>alert(1)</script> & ]]> \"'"
    picture = draw(routine(title=hostile), VOCABULARY)
    root = parsed(picture.svg)
    assert root.find(f"{SVG}title").text == hostile, "no area or equipment: its title"
    assert not list(root.iter(f"{SVG}script"))
    odd = '<b onload="x">&amp;'
    root = parsed(draw(routine(equipment=(odd,), body_areas=(odd,)), VOCABULARY).svg)
    assert root.find(f"{SVG}title").text == f"For {odd}, with {odd}"
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("data-equipment") == odd]
    assert group.find(f"{SVG}text").text == "<"
    assert not [e for e in root.iter() if e.get("onload")]


def test_the_same_routine_gives_the_same_picture():
    first = draw(routine(equipment=("foam-roller", "yoga-mat"), body_areas=("calves",)),
                 VOCABULARY)
    again = draw(routine(equipment=("foam-roller", "yoga-mat"), body_areas=("calves",)),
                 VOCABULARY)
    assert first == again and first.version == again.version
    assert re.fullmatch(r"[0-9a-f]{12}", first.version)
    other = draw(routine(equipment=("foam-roller", "yoga-mat"), body_areas=("feet",)),
                 VOCABULARY)
    assert other.version != first.version, "another picture, another address"


@pytest.mark.parametrize(("areas", "said"), [
    (("calves",), ["calves"]),
    (("upper-back", "lower-back", "back"), ["back"]),
    (("upper-back", "lower-back", "chest"), ["back", "chest"]),
    (("upper-back", "chest"), ["upper-back", "chest"]),   # not the whole back
    (("calves", "hamstrings", "thighs", "hips", "glutes", "neck"), ["legs", "neck"]),
    (("jaw", "jaw"), ["jaw"]),
])
def test_the_alt_text_names_a_whole_wider_area_once(areas, said):
    assert summed_areas(areas, VOCABULARY) == said


def test_a_picture_of_nothing_has_no_alt_text():
    assert draw(routine(equipment=(), body_areas=()), VOCABULARY).alt == ""
