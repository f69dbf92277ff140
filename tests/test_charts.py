"""Charts (generator/pages/charts.py): the SVG's structure, the counts it shows, its names, and escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.pages.charts import WIDTH, Segment, bar_svg, swatch_svg


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def segments_of(root: ET.Element) -> list[tuple[str, float, float]]:
    return [
        (rect.get("class", "").split()[-1], float(rect.get("x", "")), float(rect.get("width", "")))
        for rect in root.iter("rect")
        if "chart-seg" in rect.get("class", "")
    ]


def test_a_bar_splits_its_width_by_value_in_order_and_leaves_out_zeros() -> None:
    root = parse(bar_svg([Segment("completed", 3), Segment("late", 0), Segment("in_progress", 1)], "Area", "c1"))
    assert root.tag == "svg"
    assert root.get("viewBox") == f"0 0 {WIDTH:g} 26"
    assert segments_of(root) == [("chart-completed", 0, 225), ("chart-in_progress", 225, 75)]
    assert [t.text for t in root.iter("text")] == ["3", "1"]  # every segment wide enough carries its count


def test_a_bar_is_an_image_named_for_screen_readers() -> None:
    root = parse(bar_svg([Segment("completed", 2)], "Area. Of 2 tasks: 2 completed.", "c1"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Area. Of 2 tasks: 2 completed."
    title = root.find("title")
    assert title is not None
    assert title.text == "Area. Of 2 tasks: 2 completed."


def test_a_count_too_wide_for_its_segment_is_left_to_the_table() -> None:
    root = parse(bar_svg([Segment("completed", 1), Segment("in_progress", 99)], "Area", "c1"))
    assert [t.text for t in root.iter("text")] == ["99"]  # 1 of 100 is 3 units wide: no room for "1"


def test_patterned_segments_get_a_pattern_with_an_id_unique_to_the_chart() -> None:
    segments = [Segment("completed", 1), Segment("not_reported", 1, "hatch"), Segment("cancelled", 1, "cross")]
    root = parse(bar_svg(segments, "Area", "chart 2021-Q1/2"))
    ids = sorted(p.get("id", "") for p in root.iter("pattern"))
    assert ids == ["chart-2021-Q1-2-cross", "chart-2021-Q1-2-hatch"]  # unsafe characters replaced
    fills = [r.get("fill") for r in root.iter("rect") if r.get("class") == "chart-pattern"]
    assert fills == ["url(#chart-2021-Q1-2-hatch)", "url(#chart-2021-Q1-2-cross)"]
    cross = next(p for p in root.iter("pattern") if p.get("id", "").endswith("cross"))
    assert len(list(cross.iter("line"))) == 2


def test_a_bar_without_anything_to_count_is_an_empty_frame() -> None:
    root = parse(bar_svg([Segment("completed", 0)], "Area", "c1"))
    assert segments_of(root) == []
    assert [r.get("class") for r in root.iter("rect")] == ["chart-frame"]


def test_names_are_escaped() -> None:
    name = "<script>alert(1)</script> & \"quoted\" 'x'"
    svg = bar_svg([Segment("completed", 1)], name, '"><b>')
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.get("aria-label") == name
    assert root.find("title").text == name  # type: ignore[union-attr]


def test_a_swatch_is_hidden_from_screen_readers_and_drawn_like_its_segment() -> None:
    root = parse(swatch_svg(Segment("cancelled", 1, "cross"), "key-cancelled"))
    assert root.get("aria-hidden") == "true"
    assert root.get("role") is None
    assert [r.get("class") for r in root.iter("rect")] == ["chart-seg chart-cancelled", "chart-pattern", "chart-frame"]
    assert [p.get("id") for p in root.iter("pattern")] == ["key-cancelled-cross"]
