"""Swimlane layout: boxes never overlap, every edge is drawn around them, long labels wrap inside their boxes."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.content.model import Text
from generator.content.procedures import Procedure, load_procedures
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages import fontmetrics
from generator.pages.diagram import LANE_W, PAD_X, Layout, Node, Rect, layout, swimlane_svg, wrap
from generator.pages.fontmetrics import advance, covers, text_width

from .conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
Segment = tuple[tuple[float, float], tuple[float, float]]


def real_procedures() -> list[Procedure]:
    content, _ = load_content(ROOT)
    procedures, problems = load_procedures(ROOT, {ref.key for ref in Site(content).tasks})
    assert not problems
    return procedures


PROCEDURES = real_procedures()
CASES = [(p, lang) for p in PROCEDURES for lang in ("vi", "en")]
IDS = [f"{p.id}-{lang}" for p, lang in CASES]


def long_procedure() -> Procedure:
    """Seven steps in three lanes with very long Vietnamese labels, a loop and a three-way branch."""
    label = Text(
        vi="Tiếp nhận, kiểm tra tính chính xác, đầy đủ của hồ sơ, cập nhật vào Hệ thống thông tin một cửa "
        "điện tử và cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả cho tổ chức, cá nhân "
        "(Mẫu-số-01-Giấy-tiếp-nhận-hồ-sơ-và-hẹn-trả-kết-quả)",
        en="Receive the dossier",
    )

    def step(id_: str, actor: str, *ways: tuple[str, str | None]) -> dict[str, object]:
        return {
            "id": id_,
            "actor": actor,
            "label": label,
            "action": label,
            "verified": id_ != "c",
            "time_limit": {"value": 7, "unit": "working_days", "verified": False, "basis": label},
            "next": [{"to": to, "condition": {"vi": cond} if cond else None} for to, cond in ways],
        }

    long_condition = "Hồ sơ chưa đầy đủ, chưa hợp lệ theo quy định của pháp luật chuyên ngành có liên quan"
    return Procedure.model_validate(
        {
            "id": "dai",
            "title": label,
            "summary": label,
            "legal_basis": [],
            "actors": [
                {"id": "a", "name": {"vi": "Tổ chức, cá nhân có yêu cầu giải quyết thủ tục hành chính"}},
                {"id": "b", "name": {"vi": "Bộ phận tiếp nhận và trả kết quả (Bộ phận Một cửa)"}},
                {"id": "c", "name": {"vi": "Cơ quan có thẩm quyền giải quyết"}},
            ],
            "start": "a",
            "end": ["f", "g"],
            "steps": [
                step("a", "a", ("b", None)),
                step("b", "b", ("c", "Đủ"), ("d", long_condition), ("g", "Không thuộc thẩm quyền")),
                step("c", "c", ("e", "Đúng hạn"), ("f", "Từ chối"), ("e2", "Quá hạn")),
                step("d", "a", ("b", None)),
                step("e2", "c", ("e", None)),
                step("e", "b", ("f", None)),
                step("f", "b"),
                step("g", "b"),
            ],
        }
    )


def all_cases() -> list[tuple[Procedure, str]]:
    return [*CASES, (long_procedure(), "vi")]


def segments(plan: Layout) -> list[tuple[int, Segment]]:
    """Every straight piece of every drawn polyline, with the number of the polyline it belongs to."""
    pieces = []
    lines = [points for edge in plan.edges for points in edge.polylines]
    for number, points in enumerate(lines):
        pieces.extend((number, (a, b)) for a, b in itertools.pairwise(points) if a != b)
    return pieces


def crosses_interior(segment: Segment, rect: Rect) -> bool:
    (x1, y1), (x2, y2) = segment
    left, right, top, bottom = rect.x + 0.5, rect.right - 0.5, rect.y + 0.5, rect.bottom - 0.5
    if x1 == x2:
        return left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top
    return top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left


def on_bottom(point: tuple[float, float], node: Node) -> bool:
    return point[1] == node.rect.bottom and node.rect.x < point[0] < node.rect.right


def on_top(point: tuple[float, float], node: Node) -> bool:
    return point[1] == node.rect.y and node.rect.x < point[0] < node.rect.right


@pytest.mark.parametrize(("procedure", "lang"), all_cases(), ids=[*IDS, "long-labels"])
def test_boxes_never_overlap_and_stay_in_their_lane(procedure: Procedure, lang: str) -> None:
    plan = layout(procedure, lang)
    for a, b in itertools.combinations(plan.nodes, 2):
        assert not a.rect.overlaps(b.rect), (a.id, b.id)
    lanes = {lane.actor: lane.rect for lane in plan.lanes}
    actors = {s.id: s.actor for s in procedure.steps}
    for node in plan.nodes:
        assert node.rect.y > plan.header_bottom
        assert node.rect.x > 0
        assert node.rect.right < plan.width
        assert node.rect.bottom < plan.height
        if node.kind == "step":
            lane = lanes[actors[node.id]]
            assert lane.x <= node.rect.x, node.id
            assert node.rect.right <= lane.right, node.id


@pytest.mark.parametrize(("procedure", "lang"), all_cases(), ids=[*IDS, "long-labels"])
def test_every_edge_is_drawn_around_the_boxes(procedure: Procedure, lang: str) -> None:
    plan = layout(procedure, lang)
    nodes = {node.id: node for node in plan.nodes}
    drawn = {(edge.source, edge.target): edge for edge in plan.edges}
    assert set(drawn) == {(s.id, w.to) for s in procedure.steps for w in s.next}
    for step in procedure.steps:
        for way in step.next:
            edge = drawn[(step.id, way.to)]
            first, last = edge.polylines[0], edge.polylines[-1]
            assert on_bottom(first[0], nodes[step.id])
            assert on_top(last[-1], nodes[way.to])
            if way.condition is None:
                assert edge.chip is None
                assert len(edge.polylines) == 1
            else:  # the line passes through the label that carries the condition
                chip = nodes[str(edge.chip)]
                assert len(edge.polylines) == 2
                assert on_top(first[-1], chip)
                assert on_bottom(last[0], chip)
    for number, segment in segments(plan):
        (x1, y1), (x2, y2) = segment
        assert x1 == x2 or y1 == y2, segment  # orthogonal
        for node in plan.nodes:
            assert not crosses_interior(segment, node.rect), (number, segment, node.id)


@pytest.mark.parametrize(("procedure", "lang"), all_cases(), ids=[*IDS, "long-labels"])
def test_no_two_lines_run_along_each_other(procedure: Procedure, lang: str) -> None:
    pieces = segments(layout(procedure, lang))
    for (n1, ((ax1, ay1), (ax2, ay2))), (n2, ((bx1, by1), (bx2, by2))) in itertools.combinations(pieces, 2):
        if n1 == n2:
            continue
        if ax1 == ax2 == bx1 == bx2:  # both vertical on the same x: their spans may only touch
            overlap = min(max(ay1, ay2), max(by1, by2)) - max(min(ay1, ay2), min(by1, by2))
            assert overlap <= 0, (n1, n2, ax1)
        if ay1 == ay2 == by1 == by2:
            overlap = min(max(ax1, ax2), max(bx1, bx2)) - max(min(ax1, ax2), min(bx1, bx2))
            assert overlap <= 0, (n1, n2, ay1)


@pytest.mark.parametrize(("procedure", "lang"), all_cases(), ids=[*IDS, "long-labels"])
def test_text_wraps_inside_its_box(procedure: Procedure, lang: str) -> None:
    plan = layout(procedure, lang)
    for node in plan.nodes:
        inner = Rect(node.rect.x + PAD_X - 0.5, node.rect.y, node.rect.w - 2 * PAD_X + 1, node.rect.h)
        for line in node.lines:
            box = line.box
            assert inner.x <= box.x, (node.id, line.text)
            assert box.right <= inner.right, (node.id, line.text)
            assert node.rect.y < box.y, (node.id, line.text)
            assert box.bottom < node.rect.bottom, (node.id, line.text)
            assert line.width == text_width(line.text, line.size)
    for lane in plan.lanes:
        for line in lane.lines:
            assert lane.rect.x < line.box.x
            assert line.box.right < lane.rect.right
            assert line.box.bottom < plan.header_bottom


def test_long_vietnamese_labels_take_several_lines() -> None:
    plan = layout(long_procedure(), "vi")
    step = next(n for n in plan.nodes if n.id == "b")
    texts = [line.text for line in step.lines]
    assert len(texts) >= 8
    assert " ".join(texts).replace("- ", "-").startswith("2. Tiếp nhận, kiểm tra tính chính xác")
    assert "Thời hạn: 7 ngày làm việc (chưa xác minh)" in " ".join(texts)
    chip = next(n for n in plan.nodes if n.id == "b>d")
    assert len(chip.lines) >= 2
    assert chip.rect.w <= LANE_W


def test_wrap_cuts_a_word_longer_than_the_line() -> None:
    word = "Mẫu-số-01-Giấy-tiếp-nhận-hồ-sơ-và-hẹn-trả-kết-quả"
    lines = wrap(f"xem {word} nhé", 120, 13)
    assert "".join(lines).replace(" ", "") == f"xem{word}nhé"
    assert all(text_width(line, 13) <= 120 for line in lines)
    assert wrap("", 100, 13) == []


@pytest.mark.parametrize(("procedure", "lang"), CASES, ids=IDS)
def test_the_svg_has_an_accessible_name_and_draws_the_layout(procedure: Procedure, lang: str) -> None:
    plan = layout(procedure, lang)
    root = ET.fromstring(swimlane_svg(procedure, lang))
    assert root.get("role") == "img"
    ids = str(root.get("aria-labelledby")).split()
    named = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert [named[i].tag for i in ids] == [f"{SVG}title", f"{SVG}desc"]
    title = procedure.title.vi if lang == "vi" else str(procedure.title.en)
    assert str(named[ids[0]].text).endswith(title)
    assert (float(str(root.get("width"))), float(str(root.get("height")))) == (
        round(plan.width, 1),
        round(plan.height, 1),
    )
    paths = [el for el in root.iter(f"{SVG}path") if el.get("class") == "pd-edge"]
    assert len(paths) == sum(len(edge.polylines) for edge in plan.edges)
    boxes = [el for el in root.iter(f"{SVG}rect") if "pd-step" in str(el.get("class"))]
    assert len(boxes) == len(procedure.steps)
    assert not any(el.tag.endswith("script") or el.tag.endswith("foreignObject") for el in root.iter())
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert texts == [line.text for lane in plan.lanes for line in lane.lines] + [
        line.text for node in plan.nodes for line in node.lines
    ]


def test_unverified_steps_are_dashed_and_flagged() -> None:
    plan = layout(next(p for p in PROCEDURES if p.id == "cap-giay-chung-nhan-lan-dau"), "en")
    step = next(n for n in plan.nodes if n.id == "niem-yet")
    assert "pd-unverified" in step.css
    texts = [line.text for line in step.lines]
    assert texts[-1] == "[unverified]"
    assert "Time limit: 15 calendar days (unverified)" in " ".join(texts)


def test_the_stylesheet_uses_scheme_colours_only() -> None:
    css = Path(ROOT / "theme/assets/diagram.css").read_text(encoding="utf-8")
    screen = css.split("@media print")[0]
    assert "#" not in screen.replace("#fff", "")  # no fixed colours outside print: light and dark both work
    assert "overflow-x: auto" in screen


VIETNAMESE = (
    "".join(
        base + mark
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    )
    + "đĐ“”‘’–—…"
)


def test_the_font_has_every_character_of_vietnamese_and_of_the_labels() -> None:
    labels = {line.text for p, lang in all_cases() for n in layout(p, lang).nodes for line in n.lines}
    labels |= {line.text for p, lang in all_cases() for lane in layout(p, lang).lanes for line in lane.lines}
    chars = set(unicodedata.normalize("NFC", VIETNAMESE)) | set("".join(labels))
    assert sorted(c for c in chars if not covers(c)) == []
    assert not covers("≤")
    assert advance("≤") == advance("≤", bold=True) == 1.0  # one it lacks counts 1 em, wider than any Latin letter


# Fonts a reader's browser may use instead of Noto Sans, where Debian installs them (Chromium pulls them in). A
# character the first lacks comes from the next, as fontconfig does.
DEBIAN_FONTS = Path("/usr/share/fonts/truetype")
READER_FONTS = {
    "DejaVu Sans": [("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf")],
    "Liberation Sans": [
        ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
        ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    ],
}


@pytest.mark.parametrize("family", list(READER_FONTS))
def test_every_line_set_in_a_common_sans_serif_stays_in_its_box(family: str) -> None:
    """What the browser test checks in one font, checked here in the fonts browsers fall back to: each line, with
    its real advance widths in that font, lies inside its box (a step, a chip, or the header of its lane)."""
    paths = [[DEBIAN_FONTS / pair[bold] for pair in READER_FONTS[family]] for bold in (0, 1)]
    if not all(path.exists() for chain in paths for path in chain):
        pytest.fail(
            f"{family} is not installed here\n  hint: `make chromium` installs fonts-dejavu-core and fonts-liberation"
        )
    fonts = [[(f.getBestCmap(), f["hmtx"], f["head"].unitsPerEm) for f in map(TTFont, chain)] for chain in paths]

    def width(text: str, size: float, bold: bool) -> float:
        total = 0.0
        for char in text:
            cmap, hmtx, units = next(m for m in fonts[bold] if ord(char) in m[0])
            total += hmtx[cmap[ord(char)]][0] / units
        return total * size

    outside = []
    for procedure, lang in all_cases():
        plan = layout(procedure, lang)
        boxes = [(n.rect, line, False) for n in plan.nodes for line in n.lines]
        boxes += [(lane.rect, line, True) for lane in plan.lanes for line in lane.lines]
        for rect, line, bold in boxes:
            real = replace(line, width=width(line.text, line.size, bold)).box
            if not (rect.x <= real.x and real.right <= rect.right):
                outside.append((procedure.id, line.text))
    assert outside == []


def test_widths_measured_ahead_in_another_process_are_the_ones_measured_here() -> None:
    """The build measures the font in a copy of itself while it validates the content (generator/publish/build.py):
    what it remembers must be what this process would measure, and spare it the font."""
    script = (
        "import json, sys\n"
        "from generator.pages import fontmetrics\n"
        "fontmetrics.remember({(c, b): w for c, b, w in json.load(sys.stdin)})\n"
        "width = fontmetrics.text_width('Tiếp nhận hồ sơ – “Một cửa”', 14, bold=True)\n"
        "print(width, fontmetrics._font.cache_info().currsize)\n"
    )
    widths = [[c, b, w] for (c, b), w in fontmetrics.measured().items()]
    run = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(widths), capture_output=True, text=True, check=True, cwd=ROOT
    )
    width, fonts_loaded = run.stdout.split()
    assert float(width) == text_width("Tiếp nhận hồ sơ – “Một cửa”", 14, bold=True)
    assert fonts_loaded == "0"


def test_every_character_of_the_real_labels_is_measured_ahead() -> None:
    labels = {line.text for p, lang in all_cases() for n in layout(p, lang).nodes for line in n.lines}
    labels |= {line.text for p, lang in all_cases() for lane in layout(p, lang).lanes for line in lane.lines}
    assert set("".join(labels)) <= set(fontmetrics.VIETNAMESE)
