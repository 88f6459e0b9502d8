"""Bar charts of a listener's progress (issue 14), drawn on the server with pygal as SVG to
put inside the page: no script, nothing fetched from another site, the same bytes for the
same numbers (no random ids, no date of drawing), and a title and description a screen
reader announces (the page also says the same in words, with a table of the numbers).

    svg = bars("sessions", "Sessions a week", "3 sessions in the last 7 days…",
               ["30 Nov", "7 Dec"], {"Sessions": [2, 3]}, target=3)

Text in a chart (step titles, written by therapists) is escaped by the XML serialiser
pygal uses, as in any element's text or attribute: `<` stays text, never markup.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from xml.etree import ElementTree as ET

import pygal
from markupsafe import Markup
from pygal.style import Style

# pygal's import appends a finder for its map plugins (pygal.maps.*, not used here) to
# sys.meta_path without find_spec: on Python 3.11 every later import that fails, such as
# pygments probing for ctags, then warns (ImportWarning), an error under the tests'
# filterwarnings. 3.12 skips such finders; taken out, nothing changes but the warning.
_FIXER = getattr(pygal, "PluginImportFixer", ())   # () if a later pygal has none
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _FIXER)]

INK, MUTED, ACCENT, WARM, TARGET = "#1f2a30", "#5b666c", "#2f6f62", "#b86e00", "#a4262c"
# Sized for a phone: the SVG scales to the column's width (style.css), so a viewBox of
# 480 px shown 360 px wide keeps 14 px labels at about 10.5 px, still legible.
WIDTH, HEIGHT = 480, 280
GUIDE = "#d9dedb"
LOOKS = dict(
    background="transparent", plot_background="#fff", foreground=INK,
    foreground_strong=INK, foreground_subtle=MUTED, opacity="1", opacity_hover="1",
    colors=(ACCENT, WARM), value_colors=(INK, INK), font_family="inherit",
    label_font_size=14, major_label_font_size=14, value_font_size=14, legend_font_size=14,
    guide_stroke_color=GUIDE, guide_stroke_dasharray="0")
# The plan's target is the one major guide: a dashed line of its own colour. Without a
# target pygal still makes some guides major, on its own rule: they look like the rest.
WITH_TARGET = Style(**LOOKS, major_guide_stroke_color=TARGET, major_guide_stroke_dasharray="8,4")
PLAIN = Style(**LOOKS, major_guide_stroke_color=GUIDE, major_guide_stroke_dasharray="0")
LONGEST_LABEL = 24   # characters: a longer step title is cut, with "…" (the table has it whole)


def bars(chart_id: str, title: str, description: str, labels: Sequence[str],
         series: Mapping[str, Sequence[int]], target: int | None = None,
         horizontal: bool = False) -> Markup:
    """A bar chart as inline SVG markup: one bar per label for each of `series` (name ->
    whole numbers; two or more are stacked, with a legend), `target` marked across it as a
    labelled line. `chart_id` (a-z, 0-9 and -) must be unique on the page: it names the
    SVG and scopes its style."""
    chart = (pygal.HorizontalStackedBar if horizontal else pygal.StackedBar)(
        _config(series, target, labels, horizontal))
    chart.uuid = chart_id   # pygal's id is random: the same numbers give the same SVG
    # pygal draws a horizontal chart's first bar at the bottom: a list reads from the top.
    order = slice(None, None, -1 if horizontal else 1)
    chart.x_labels = [_cut(label) for label in labels][order]
    for name, values in series.items():
        chart.add(name, list(values)[order])
    chart.add_xml_filter(lambda root: _accessible(root, chart_id, title, description))
    return Markup(chart.render(is_unicode=True))


def _config(series: Mapping[str, Sequence[int]], target: int | None,
            labels: Sequence[str], horizontal: bool) -> pygal.Config:
    top = max([sum(column) for column in zip(*series.values(), strict=True)] + [target or 0, 1])
    y_labels = [{"value": n, "label": f"{n} (plan)" if n == target else str(n)}
                for n in _ticks(top)]
    if target is not None and target not in _ticks(top):
        y_labels.append({"value": target, "label": f"{target} (plan)"})
    return pygal.Config(
        js=[],   # pygal's default is a tooltip script from its authors' site
        disable_xml_declaration=True, pretty_print=False,
        style=PLAIN if target is None else WITH_TARGET,
        width=WIDTH, height=HEIGHT + 24 * max(0, len(labels) - 8), show_legend=len(series) > 1,
        legend_at_bottom=True, legend_at_bottom_columns=len(series),
        print_values=True, print_values_position="top", print_zeroes=False,
        value_formatter=lambda value: f"{value:g}", y_labels=y_labels,
        y_labels_major=[target] if target is not None else [], show_minor_y_labels=True,
        truncate_label=LONGEST_LABEL, truncate_legend=-1, margin=8, spacing=8,
        # Eight dates side by side touched on a phone: slanted, they do not.
        x_label_rotation=0 if horizontal else 30,
        css=("file://style.css", "file://graph.css"))   # pygal's own, written inline


def _cut(label: str) -> str:
    """`label` in LONGEST_LABEL characters at most (pygal cuts labels under the bars, not
    those beside them, which then took most of a phone's width)."""
    return label if len(label) <= LONGEST_LABEL else f"{label[:LONGEST_LABEL - 1]}…"


def _ticks(top: int) -> list[int]:
    """Guides from 0 to at least `top`, at most six, a round step apart (1, 2, 5, 10, 20…)."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if top <= 5 * step:
                return list(range(0, top + step, step))
        power *= 10


def _accessible(root: ET.Element, chart_id: str, title: str, description: str) -> ET.Element:
    """The chart's own title and description, named as its label (role img: a reader hears
    them, not every number in it); no script (pygal's settings for its tooltips, which
    only its script reads) and no comments (they carry the date it was drawn)."""
    for comment in [child for child in root if child.tag is ET.Comment]:
        root.remove(comment)
    for parent in list(root.iter()):   # listed first: the loop takes elements out
        for script in [child for child in parent if child.tag == "script"]:
            parent.remove(script)
        if parent.get("id", "").startswith("activate-serie"):
            del parent.attrib["id"]   # for its script; two charts on a page would repeat it
    heading = root.find("title")
    heading.text = title
    heading.set("id", f"{chart_id}-title")
    desc = ET.Element("desc", {"id": f"{chart_id}-desc"})
    desc.text = description
    root.insert(list(root).index(heading) + 1, desc)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    return root


__all__ = ["bars"]
