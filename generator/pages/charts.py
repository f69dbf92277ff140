"""Charts as static inline SVG: data in, SVG text out (no JavaScript, no chart library in the browser).

A chart here is one horizontal bar split into segments (tasks by status). Each bar is its own small SVG
so that the page lays the bar's name out as text above it: a long pillar name wraps on a phone instead
of shrinking with the drawing. Colours come from CSS custom properties (theme/assets/site.css, classes
`chart-<key>`), so the light and dark schemes each get readable ones; colour is never the only cue:
every segment wide enough carries its count, some kinds carry a pattern, and the page puts a
legend with names and a table with every number beside the chart.

Pure: no file access, no wording; text goes through ElementTree, which escapes it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 300.0
"""Width of a bar's viewBox; the SVG scales to the column (CSS width: 100%)."""
HEIGHT = 26.0
"""Height of a bar's viewBox: at 300 units in a 350 px column, counts stay at about 15 px."""
FONT = 13.0
DIGIT = 8.0
"""Width a digit of the count takes at FONT size (generous, so a count never overflows its segment)."""
PAD = 4.0
SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


PATTERNS = {
    "hatch": ((0, 0, 0, 6),),
    "cross": ((0, 0, 0, 6), (0, 3, 6, 3)),
}
"""Patterns a segment may lay over its colour: lines (x1, y1, x2, y2) in a 6×6 tile turned 45°."""


@dataclass(frozen=True)
class Segment:
    """A part of a bar: a key (its CSS class chart-<key>), its value and a pattern (a PATTERNS key) or ''."""

    key: str
    value: int
    pattern: str = ""


def _f(value: float) -> str:
    """A coordinate in short form: 12, 12.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _patterns(parent: ET.Element, segments: Sequence[Segment], prefix: str) -> None:
    """The patterns the segments use, once each, with ids `<prefix>-<pattern>` (drawn in the hatch colour)."""
    used = sorted({s.pattern for s in segments if s.pattern})
    if not used:
        return
    defs = ET.SubElement(parent, "defs")
    for name in used:
        pattern = ET.SubElement(
            defs,
            "pattern",
            id=f"{prefix}-{name}",
            width="6",
            height="6",
            patternUnits="userSpaceOnUse",
            patternTransform="rotate(45)",
        )
        for x1, y1, x2, y2 in PATTERNS[name]:
            coords = {"x1": str(x1), "y1": str(y1), "x2": str(x2), "y2": str(y2)}
            ET.SubElement(pattern, "line", {**coords, "class": "chart-hatch"})


def _segment(parent: ET.Element, segment: Segment, attrs: dict[str, str], prefix: str) -> None:
    """A segment's colour, and its pattern over it."""
    ET.SubElement(parent, "rect", {**attrs, "class": f"chart-seg chart-{segment.key}"})
    if segment.pattern:
        ET.SubElement(parent, "rect", {**attrs, "class": "chart-pattern", "fill": f"url(#{prefix}-{segment.pattern})"})


def bar_svg(segments: Sequence[Segment], name: str, id_prefix: str) -> str:
    """One horizontal bar of `segments` (zero values left out), named `name` for screen readers.

    The SVG has role="img" and `name` as its accessible name (aria-label and <title>); `id_prefix`
    makes the pattern id unique on the page. A bar with nothing to count is an empty outline.
    """
    prefix = SAFE_ID.sub("-", id_prefix)
    svg = ET.Element(
        "svg",
        {
            "class": "chart-bar",
            "viewBox": f"0 0 {_f(WIDTH)} {_f(HEIGHT)}",
            "role": "img",
            "aria-label": name,
        },
    )
    ET.SubElement(svg, "title").text = name
    shown = [s for s in segments if s.value > 0]
    total = sum(s.value for s in shown)
    _patterns(svg, shown, prefix)
    x = 0.0
    for segment in shown:
        width = WIDTH * segment.value / total
        attrs = {"x": _f(x), "y": "0", "width": _f(width), "height": _f(HEIGHT)}
        _segment(svg, segment, attrs, prefix)
        label = str(segment.value)
        if width >= DIGIT * len(label) + 2 * PAD:
            text = ET.SubElement(
                svg,
                "text",
                {
                    "x": _f(x + width / 2),
                    "y": _f(HEIGHT / 2),
                    "class": "chart-count",
                    "text-anchor": "middle",
                    "dominant-baseline": "central",
                    "font-size": _f(FONT),
                },
            )
            text.text = label
        x += width
    ET.SubElement(
        svg,
        "rect",
        {"x": "0.5", "y": "0.5", "width": _f(WIDTH - 1), "height": _f(HEIGHT - 1), "class": "chart-frame"},
    )
    return ET.tostring(svg, encoding="unicode")


def swatch_svg(segment: Segment, id_prefix: str) -> str:
    """A legend's colour sample for a segment kind, hidden from screen readers (its name is text beside it)."""
    prefix = SAFE_ID.sub("-", id_prefix)
    svg = ET.Element(
        "svg",
        {"class": "chart-swatch", "viewBox": "0 0 16 16", "width": "16", "height": "16", "aria-hidden": "true"},
    )
    _patterns(svg, [segment], prefix)
    _segment(svg, segment, {"x": "0.5", "y": "0.5", "width": "15", "height": "15"}, prefix)
    ET.SubElement(svg, "rect", {"x": "0.5", "y": "0.5", "width": "15", "height": "15", "class": "chart-frame"})
    return ET.tostring(svg, encoding="unicode")
