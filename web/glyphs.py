"""Small drawings of the equipment for the routines' pictures (web/pictures.py), as SVG
elements: each piece in a box of BOX_WIDTH × BOX_HEIGHT units, but the mat, which is the
ground under the body. Built with ElementTree, which escapes every text and attribute."""

from __future__ import annotations

import math
from collections.abc import Callable
from xml.etree import ElementTree as ET

BOX_WIDTH, BOX_HEIGHT = 34, 24
"""The box each piece of equipment is drawn in (SVG user units)."""

ACCENT, DEEP, SOFT = "#5f9e8f", "#2f6f62", "#a9cfc4"   # the site's calm greens
WOOD, STITCH, WARM = "#d8b26e", "#9c7a3c", "#b5521b"
MUTED, INK, PAPER = "#5b666c", "#1f2a30", "#fbfaf7"
BRICK = "#d6cbbd"


def shape(parent: ET.Element, tag: str, **attributes: float | str) -> ET.Element:
    """Appends an SVG element to `parent`; numbers are written as short decimals ("2.5",
    "7"), trailing underscores dropped from names (class_) and other underscores made
    hyphens (stroke_width -> stroke-width)."""
    written = {name.rstrip("_").replace("_", "-"): _number(value)
               for name, value in attributes.items()}
    return ET.SubElement(parent, tag, written)


def _number(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, int | float) else value


def foam_roller(box: ET.Element) -> None:
    """A cylinder lying down: its body and its near end."""
    shape(box, "ellipse", cx=5, cy=12, rx=3.5, ry=7, fill=ACCENT)
    shape(box, "rect", x=5, y=5, width=24, height=14, fill=ACCENT)
    shape(box, "ellipse", cx=29, cy=12, rx=3.5, ry=7, fill=DEEP)


def spiky_ball(box: ET.Element) -> None:
    """A ball with spikes all round: a star of 14 points around a lighter core."""
    points = []
    for index in range(28):
        radius = 10.5 if index % 2 == 0 else 8
        angle = math.pi * index / 14
        points.append(f"{17 + radius * math.sin(angle):.2f},{12 - radius * math.cos(angle):.2f}")
    shape(box, "polygon", points=" ".join(points), fill=DEEP)
    shape(box, "circle", cx=17, cy=12, r=6, fill=ACCENT)


def soft_ball(box: ET.Element) -> None:
    """A soft ball: round, pale, with a shine."""
    shape(box, "circle", cx=17, cy=12, r=9.5, fill=SOFT, stroke=DEEP, stroke_width=1)
    shape(box, "ellipse", cx=13.5, cy=8.5, rx=3, ry=2, fill=PAPER)


def wheat_bag(box: ET.Element) -> None:
    """A stitched pillow with warmth rising from it."""
    shape(box, "rect", x=5, y=11, width=24, height=11, rx=4, fill=WOOD)
    shape(box, "rect", x=7.5, y=13.5, width=19, height=6, rx=2, fill="none", stroke=STITCH,
          stroke_width=0.8, stroke_dasharray="2 1.5")
    for x in (12, 17, 22):
        shape(box, "path", d=f"M{x} 9q-2-1.5 0-3.5q2-1.5 0-3.5", fill="none", stroke=WARM,
              stroke_width=1.2, stroke_linecap="round")


def wall(box: ET.Element) -> None:
    """A patch of brick wall."""
    shape(box, "rect", x=6, y=1, width=22, height=22, fill=BRICK)
    for row, y in enumerate((1, 6.5, 12, 17.5)):
        if y > 1:
            shape(box, "path", d=f"M6 {y}h22", stroke=PAPER, stroke_width=0.8)
        for x in ((11.5, 22.5) if row % 2 == 0 else (17,)):
            shape(box, "path", d=f"M{x} {y}v5.5", stroke=PAPER, stroke_width=0.8)


def chair(box: ET.Element) -> None:
    """A chair from the side: its back (down to the floor), seat and front leg."""
    shape(box, "rect", x=21.5, y=1, width=2.5, height=22, rx=1, fill=MUTED)
    shape(box, "rect", x=9, y=12, width=15, height=2.5, rx=1, fill=MUTED)
    shape(box, "rect", x=9, y=12, width=2.5, height=11, rx=1, fill=MUTED)


def initial(name: str) -> Callable[[ET.Element], None]:
    """Equipment we have no drawing for (a library's own vocabulary may add some): its
    name's first letter in a ring, so the picture still counts it."""
    letter = name.strip()[:1].upper() or "?"

    def draw(box: ET.Element) -> None:
        shape(box, "circle", cx=17, cy=12, r=9.5, fill="none", stroke=MUTED, stroke_width=1.5)
        shape(box, "text", x=17, y=16, text_anchor="middle", font_size=11, font_weight=700,
              font_family="system-ui, sans-serif", fill=INK).text = letter
    return draw


DRAWINGS: dict[str, Callable[[ET.Element], None]] = {
    "foam-roller": foam_roller, "spiky-ball": spiky_ball, "chi-ball": soft_ball,
    "wheat-bag": wheat_bag, "wall": wall, "chair": chair,
}
"""The drawing of each piece of equipment of the built-in vocabulary that sits beside the
body (the yoga mat is the ground under it: see mat)."""

MAT = "yoga-mat"


def mat(parent: ET.Element, left: float, right: float, y: float) -> None:
    """The yoga mat under the body: a strip from `left` to `right` at height `y`, rolled up
    at its right end."""
    shape(parent, "rect", x=left, y=y, width=right - left, height=4, rx=2, fill=ACCENT)
    shape(parent, "circle", cx=right - 2, cy=y + 1, r=3, fill=DEEP)
