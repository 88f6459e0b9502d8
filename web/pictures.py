"""A picture of each routine for the library's cards, drawn as SVG from its body areas and
equipment: the body from the front and from behind with the areas it works on marked, the
mat under it when it uses one, and the other equipment drawn beside it (web/glyphs.py).
Nothing comes from another site.

Pure and deterministic: the same routine and vocabulary always give the same text, so a
hash of it names a version that browsers may keep for good. Written with ElementTree,
which escapes every name and id that reaches the XML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from builder.model import Routine
from builder.render import word_list
from builder.search import widen
from builder.vocabulary import Vocabulary

from .glyphs import BOX_HEIGHT, BOX_WIDTH, DRAWINGS, MAT, PAPER, initial, mat, shape

SIZE = 100
"""The picture is SIZE × SIZE units (its viewBox); the page sets its size on screen."""
BACKGROUND, BODY, HAIR, MARKED = "#e7f0ed", "#c5d0cb", "#9aa8a2", "#b5521b"
"""The calm green of the site behind a grey-green body; a warm terracotta (3:1 against the
body, WCAG 1.4.11) marks the areas the routine works on."""
FIGURE_WIDTH, FIGURE_TOP = 28, 5
COLUMN_LEFT, COLUMN_TOP, COLUMN_HEIGHT = 64, 4, 92
"""Where the equipment beside the body is drawn, one piece under the other."""

# The figure below its head (x from 0 to FIGURE_WIDTH, y from 0 to 85), each shape with
# the area it shows from the front and from behind (None: no area of the vocabulary, such
# as the belly). Those with `mirror` are drawn on the other side as well.
_FIGURE: tuple[tuple[str | None, str | None, str, dict[str, float], bool], ...] = (
    ("neck", "neck", "rect", {"x": 11.5, "y": 12.5, "width": 5, "height": 4}, False),
    ("shoulders", "shoulders", "rect",
     {"x": 4, "y": 16, "width": 20, "height": 5, "rx": 2.5}, False),
    ("chest", "upper-back", "rect", {"x": 6, "y": 21, "width": 16, "height": 12}, False),
    (None, "lower-back", "rect", {"x": 7, "y": 33, "width": 14, "height": 9}, False),
    ("hips", "glutes", "rect", {"x": 6.5, "y": 42, "width": 15, "height": 8, "rx": 2}, False),
    ("arms", "arms", "rect", {"x": 0.5, "y": 17, "width": 4, "height": 24, "rx": 2}, True),
    ("hands", "hands", "circle", {"cx": 2.5, "cy": 44, "r": 2.4}, True),
    ("thighs", "hamstrings", "rect",
     {"x": 7, "y": 50, "width": 6.5, "height": 14, "rx": 2}, True),
    ("knees", "knees", "rect", {"x": 7.25, "y": 64, "width": 6, "height": 4, "rx": 2}, True),
    (None, "calves", "rect", {"x": 7.5, "y": 68, "width": 5.5, "height": 12, "rx": 2}, True),
    ("feet", "feet", "ellipse", {"cx": 10.25, "cy": 82, "rx": 3.5, "ry": 2}, True),
)
DRAWN_AREAS = frozenset(area for front, back, *_ in _FIGURE for area in (front, back) if area)
"""The body areas the figure can show; wider ones (back, legs) show the areas they include."""


@dataclass(frozen=True)
class Picture:
    """A routine's picture and what it shows, in words."""

    svg: str
    """The SVG document (no XML declaration), SIZE × SIZE units."""
    alt: str
    """What it shows, for the image's alt text ("For calves, with foam roller and yoga
    mat"); "" when it shows no area and no equipment."""

    @property
    def version(self) -> str:
        """12 hex digits that change whenever the picture does, for its address."""
        return hashlib.sha256(self.svg.encode("utf-8")).hexdigest()[:12]


def draw(routine: Routine, vocabulary: Vocabulary) -> Picture:
    """The picture of `routine`. Areas and equipment the drawings do not know (a library's
    own vocabulary may add them) are left unmarked and drawn as their initial; never an
    error."""
    alt = describe(routine, vocabulary)
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg",
                             "viewBox": f"0 0 {SIZE} {SIZE}", "width": "96", "height": "96",
                             "role": "img"})
    ET.SubElement(svg, "title").text = alt or routine.title
    shape(svg, "rect", width=SIZE, height=SIZE, rx=12, fill=BACKGROUND)
    beside = [e for e in routine.equipment if e != MAT]
    # Alone, the body stands in the middle; with equipment it makes room on the right.
    left = 2 if beside else (SIZE - 2 * FIGURE_WIDTH - 3) / 2
    if MAT in routine.equipment:
        group = shape(svg, "g", data_equipment=MAT)
        mat(group, left - 1, left + 2 * FIGURE_WIDTH + 5, FIGURE_TOP + 86)
    marked = marked_areas(routine.body_areas, vocabulary)
    _figure(svg, left, "front", marked)
    _figure(svg, left + FIGURE_WIDTH + 3, "back", marked)
    _beside(svg, beside, vocabulary)
    return Picture(ET.tostring(svg, encoding="unicode"), alt)


def describe(routine: Routine, vocabulary: Vocabulary) -> str:
    """The picture in words: the areas (see summed_areas) and the equipment, by name."""
    areas = word_list([vocabulary.name("body_areas", a)
                       for a in summed_areas(routine.body_areas, vocabulary)], "and")
    things = word_list([vocabulary.name("equipment", e) for e in routine.equipment], "and")
    if areas and things:
        return f"For {areas}, with {things}"
    return f"For {areas}" if areas else f"With {things}" if things else ""


def marked_areas(areas: tuple[str, ...], vocabulary: Vocabulary) -> set[str]:
    """The areas to mark: each of `areas` and every narrower one it includes ("legs" marks
    the thighs, hamstrings, calves, glutes and hips)."""
    return {narrow for area in areas for narrow in widen(vocabulary, "body_areas", area)}


def summed_areas(areas: tuple[str, ...], vocabulary: Vocabulary) -> list[str]:
    """`areas` as few words say them: each in place of the widest area it belongs to when
    the routine works on the whole of that one (upper back and lower back: "back"), once,
    in the routine's order. An alt text that read "upper back, lower back, back" was a
    chore to listen to on every card."""
    marked = marked_areas(areas, vocabulary)
    whole = [wide for wide, term in vocabulary.terms("body_areas").items()
             if term.includes and widen(vocabulary, "body_areas", wide) - {wide} <= marked]
    said: list[str] = []
    for area in areas:
        around = [w for w in whole if area in widen(vocabulary, "body_areas", w)]
        widest = max(around, key=lambda w: len(widen(vocabulary, "body_areas", w)),
                     default=area)
        if widest not in said:
            said.append(widest)
    return said


def _figure(svg: ET.Element, left: float, view: str, marked: set[str]) -> None:
    """The body seen from the `view` ("front" or "back"), its `marked` areas coloured."""
    group = shape(svg, "g", transform=f"translate({left:g} {FIGURE_TOP})", data_view=view)
    # The head: hair from behind, so that the two views tell apart at a glance.
    shape(group, "circle", cx=14, cy=7, r=6, fill=HAIR if view == "back" else BODY)
    for front, back, tag, where, mirror in _FIGURE:
        area = front if view == "front" else back
        for place in (where, _mirrored(where)) if mirror else (where,):
            attributes = {"data_area": area} if area else {}
            shape(group, tag, **place, fill=MARKED if area in marked else BODY, **attributes)
    if view == "back":   # the spine, so that the back reads as a back
        shape(group, "path", d="M14 22v19", stroke=PAPER, stroke_width=0.8)


def _mirrored(where: dict[str, float]) -> dict[str, float]:
    """The same shape on the other side of the figure."""
    if "cx" in where:
        return {**where, "cx": FIGURE_WIDTH - where["cx"]}
    return {**where, "x": FIGURE_WIDTH - where["x"] - where["width"]}


def _beside(svg: ET.Element, equipment: list[str], vocabulary: Vocabulary) -> None:
    """The equipment in a column right of the body, each piece in its box, smaller when
    there are many so that all of them fit."""
    if not equipment:
        return
    scale = min(1.0, COLUMN_HEIGHT / (BOX_HEIGHT * len(equipment)))
    top = COLUMN_TOP + (COLUMN_HEIGHT - BOX_HEIGHT * scale * len(equipment)) / 2
    left = COLUMN_LEFT + (SIZE - COLUMN_LEFT - BOX_WIDTH * scale) / 2
    for index, term in enumerate(equipment):
        where = f"translate({left:.2f} {top + index * BOX_HEIGHT * scale:.2f})"
        box = shape(svg, "g", data_equipment=term,
                    transform=where + (f" scale({scale:.3f})" if scale < 1 else ""))
        DRAWINGS.get(term, initial(vocabulary.name("equipment", term)))(box)
