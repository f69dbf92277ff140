"""Swimlane diagrams of procedures as inline SVG: a layout in plain geometry, then its SVG text."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from generator.content.procedures import Procedure, Step
from generator.pages.fontmetrics import text_width
from generator.pages.procedure_words import limit_text, plain_text

Point = tuple[float, float]

FONT = 13.0
"""Font size of step boxes, in px; lane headers use it bold, branch labels a smaller one."""
LINE = 17.0
CHIP_FONT = 12.0
CHIP_LINE = 15.0
LANE_W = 180.0
"""Width of every lane's column of boxes."""
PAD_X = 8.0
PAD_Y = 7.0
MARGIN = 8.0
GUTTER_PAD = 10.0
GAP_PAD = 9.0
TRACK = 7.0
SUBCOLUMNS = 2
"""Most columns a lane widens to for steps that sit side by side."""
"""Distance between parallel edges running through the same gap or gutter."""

WORDS = {
    "vi": {"diagram": "Sơ đồ quy trình", "limit": "Thời hạn", "unverified": "chưa xác minh", "once": "một lần"},
    "en": {"diagram": "Process diagram", "limit": "Time limit", "unverified": "unverified", "once": "once"},
}
DESCRIPTION = {
    "vi": "Mỗi làn là một chủ thể; mỗi hộp là một bước, đánh số như danh sách các bước bên dưới sơ đồ.",
    "en": "Each lane is one party; each box is one step, numbered as in the list of steps below the diagram.",
}


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in SVG user units."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """x of the right side."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """y of the bottom side."""
        return self.y + self.h

    def overlaps(self, other: Rect) -> bool:
        """Whether the two rectangles share interior area."""
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


@dataclass(frozen=True)
class TextLine:
    """One line of text: where its baseline starts, what it says and how wide it is estimated to be."""

    x: float
    y: float
    text: str
    width: float
    size: float
    anchor: str = "start"
    css: str = ""

    @property
    def box(self) -> Rect:
        """The area the line may ink: from ascender to descender, and its estimated width."""
        left = self.x - self.width / 2 if self.anchor == "middle" else self.x
        return Rect(left, self.y - self.size * 0.95, self.width, self.size * 1.2)


@dataclass
class Node:
    """A box in the diagram: a step, or the label of a branch (a 'chip') that its edge passes through."""

    id: str
    kind: str
    lane: int
    row: int
    column: int = 0
    """Global column index, counted across all lanes."""
    rect: Rect = Rect(0, 0, 0, 0)
    lines: list[TextLine] = field(default_factory=list)
    css: str = ""
    texts: list[tuple[str, str]] = field(default_factory=list)
    """(css class, text) before wrapping."""
    outgoing: list[Wire] = field(default_factory=list)
    incoming: list[Wire] = field(default_factory=list)


@dataclass
class Wire:
    """One drawn polyline from the bottom of a node to the top of another."""

    source: Node
    target: Node
    start: Point = (0.0, 0.0)
    end: Point = (0.0, 0.0)
    exit_track: int = 0
    entry_track: int = 0
    gutter: int | None = None
    gutter_track: int = 0
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    """A `next` of a step as drawn: one polyline, or two through the chip that carries its condition."""

    source: str
    target: str
    chip: str | None
    polylines: tuple[tuple[Point, ...], ...]


@dataclass(frozen=True)
class Lane:
    """The column of one actor."""

    actor: str
    rect: Rect
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class Layout:
    """Everything the SVG draws, in user units."""

    width: float
    height: float
    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    header_bottom: float


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width` (estimated); a word too long alone is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size, bold=bold) > width:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold=bold) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _step_texts(number: int, step: Step, lang: str) -> list[tuple[str, str]]:
    words = WORDS[lang]
    texts = [("pd-label", f"{number}. {plain_text(step.label, lang)}")]
    limit = step.time_limit
    if limit is not None:
        flag = f" ({words['unverified']})" if not limit.verified else ""
        texts.append(("pd-limit", f"{words['limit']}: {limit_text(limit, lang)}{flag}"))
    if not step.verified:
        texts.append(("pd-flag", f"[{words['unverified']}]"))
    return texts


Way = tuple[Step, int, "Node | None"]


def _nodes(procedure: Procedure, lang: str) -> tuple[list[Node], list[Way]]:
    """A node per step in file order, each followed by the chips that carry the conditions of its branches."""
    lanes = {a.id: i for i, a in enumerate(procedure.actors)}
    steps = {s.id: s for s in procedure.steps}
    nodes: list[Node] = []
    ways: list[Way] = []
    for number, step in enumerate(procedure.steps, 1):
        node = Node(step.id, "step", lanes[step.actor], 0, texts=_step_texts(number, step, lang))
        node.css = "pd-step" + ("" if step.verified else " pd-unverified")
        node.css += " pd-start" if step.id == procedure.start else ""
        node.css += " pd-end" if step.id in procedure.end else ""
        nodes.append(node)
        for index, way in enumerate(step.next):
            chip = None
            if way.condition is not None:
                text = plain_text(way.condition, lang) + (f" ({WORDS[lang]['once']})" if way.once else "")
                # A chip starts in its target's lane; placement may move it to a free neighbouring one.
                chip = Node(f"{step.id}>{way.to}", "chip", lanes[steps[way.to].actor], 0, css="pd-chip")
                chip.texts = [("", text)]
                nodes.append(chip)
            ways.append((step, index, chip))
    return nodes, ways


def _wrap_nodes(nodes: list[Node]) -> None:
    for node in nodes:
        size, line = (FONT, LINE) if node.kind == "step" else (CHIP_FONT, CHIP_LINE)
        wrapped = [(css, text) for css, whole in node.texts for text in wrap(whole, LANE_W - 2 * PAD_X, size)]
        width = LANE_W
        if node.kind == "chip":
            width = min(LANE_W, max(text_width(t, size) for _, t in wrapped) + 2 * PAD_X)
        node.rect = Rect(0, 0, width, len(wrapped) * line + 2 * PAD_Y)
        node.lines = [TextLine(0, 0, t, text_width(t, size), size, css=css) for css, t in wrapped]


def _wire(nodes: dict[str, Node], ways: list[Way]) -> list[tuple[Way, list[Wire]]]:
    wired: list[tuple[Way, list[Wire]]] = []
    for way in ways:
        step, index, chip = way
        source, target = nodes[step.id], nodes[step.next[index].to]
        wires = [Wire(source, target)] if chip is None else [Wire(source, chip), Wire(chip, target)]
        for wire in wires:
            wire.source.outgoing.append(wire)
            wire.target.incoming.append(wire)
        wired.append((way, wires))
    return wired


def _place(nodes: list[Node], lane_count: int) -> list[int]:
    """Put each node in a row below all its forward predecessors and in a free column of its lane.

    Rows are shared across lanes. A lane widens to SUBCOLUMNS columns so that parallel steps (the outcomes of
    one branching step) sit side by side; beyond that a node moves down a row. A chip prefers its target's
    lane (widening it likewise), then its source's, then the nearest lane with a free column. Returns the
    column count of each lane.
    """
    order = {node.id: index for index, node in enumerate(nodes)}
    columns = [1] * lane_count
    used: dict[tuple[int, int], set[int]] = {}

    def position(lane: int, column: int) -> float:
        return lane + column / SUBCOLUMNS

    for node in nodes:
        before = [w.source for w in node.incoming if order[w.source.id] < order[node.id]]
        row = max((p.row + 1 for p in before), default=0)
        aim = sum(position(p.lane, p.column) for p in before) / len(before) if before else 0.0
        if node.kind == "chip":
            source, wanted = before[0].lane, node.lane
            lanes = sorted(range(lane_count), key=lambda i: (i != wanted, i != source, abs(i - wanted), i))
        else:
            lanes = [node.lane]
        while True:
            busy = used.get((row, lanes[0]), set())
            if len(busy) >= columns[lanes[0]] and columns[lanes[0]] < SUBCOLUMNS:
                columns[lanes[0]] += 1
            free = [(lane, c) for lane in lanes for c in range(columns[lane]) if c not in used.get((row, lane), set())]
            if free:
                # Keep the preferred lane first, then come as close as possible to the predecessors.
                node.lane, node.column = min(free, key=lambda f: (lanes.index(f[0]), abs(position(*f) - aim)))
                node.row = row
                used.setdefault((row, node.lane), set()).add(node.column)
                break
            row += 1
    starts = [sum(columns[:lane]) for lane in range(lane_count)]
    for node in nodes:
        node.column += starts[node.lane]
    return columns


def _gutters(wires: list[Wire], column_count: int) -> list[int]:
    """Route every wire that skips rows through a gutter beside a column; return each gutter's track count."""
    spans: list[list[tuple[int, int, Wire]]] = [[] for _ in range(column_count + 1)]
    for wire in wires:
        exit_gap, entry_gap = wire.source.row + 1, wire.target.row
        if exit_gap == entry_gap:
            continue
        a, b = wire.source.column, wire.target.column
        wire.gutter = min(sorted({a, a + 1, b, b + 1}), key=lambda c: abs(c - 0.5 - a) + abs(c - 0.5 - b))
        spans[wire.gutter].append((min(exit_gap, entry_gap), max(exit_gap, entry_gap), wire))
    counts = []
    for gutter in spans:
        # Wires whose gap ranges do not touch share a track; touching ones would run into each other.
        ends: list[int] = []
        for first, last, wire in sorted(gutter, key=lambda span: (span[0], span[1])):
            track = next((t for t, end in enumerate(ends) if end < first), len(ends))
            if track == len(ends):
                ends.append(last)
            ends[track] = last
            wire.gutter_track = track
        counts.append(len(ends))
    return counts


def _gap_tracks(wires: list[Wire], rows: int) -> list[int]:
    """Give each wire a track in the gap below its source and in the gap above its target.

    In a gap, wires that only leave run above direct ones, which run above those that only arrive, and a
    direct wire runs above another whose target port lies under its source port: so no wire's drop from a
    node above ever runs along another's drop into a node below.
    """
    gaps: list[list[tuple[int, Wire]]] = [[] for _ in range(rows + 1)]
    for wire in wires:
        if wire.gutter is None:
            gaps[wire.source.row + 1].append((1, wire))
        else:
            gaps[wire.source.row + 1].append((0, wire))
            gaps[wire.target.row].append((2, wire))
    for index, gap in enumerate(gaps):
        ordered = [w for kind, w in sorted(gap, key=lambda item: (item[0], item[1].start[0])) if kind == 0]
        ordered += _above_first([w for kind, w in gap if kind == 1])
        ordered += [w for kind, w in sorted(gap, key=lambda item: (item[0], item[1].end[0])) if kind == 2]
        for track, wire in enumerate(ordered):
            if wire.source.row + 1 == index:
                wire.exit_track = track
            if wire.target.row == index:
                wire.entry_track = track
    return [len(gap) for gap in gaps]


def _above_first(direct: list[Wire]) -> list[Wire]:
    """Order direct wires so that one whose source port is above another's target port comes first."""
    pending = sorted(direct, key=lambda w: (w.start[0], w.end[0]))
    ordered: list[Wire] = []
    while pending:
        ready = next(
            (w for w in pending if not any(abs(o.start[0] - w.end[0]) < 1 for o in pending if o is not w)),
            pending[0],
        )
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def _ports(node: Node) -> None:
    """Spread the wires leaving the bottom and entering the top of a node, ordered to limit crossings."""
    rect = node.rect
    leaving = sorted(node.outgoing, key=lambda w: (w.target.column, w.target.row))
    for k, wire in enumerate(leaving):
        wire.start = (round(rect.x + rect.w * (k + 1) / (len(leaving) + 1), 1), rect.bottom)
    arriving = sorted(node.incoming, key=lambda w: (w.source.column, -w.source.row))
    for k, wire in enumerate(arriving):
        wire.end = (round(rect.x + rect.w * (k + 1) / (len(arriving) + 1), 1), rect.y)


def layout(procedure: Procedure, lang: str) -> Layout:
    """Compute the swimlane diagram of a procedure in one language: lanes, boxes, labels and routed edges."""
    nodes, ways = _nodes(procedure, lang)
    _wrap_nodes(nodes)
    wired = _wire({n.id: n for n in nodes}, ways)
    wires = [w for _, ws in wired for w in ws]
    lane_count = len(procedure.actors)
    lane_columns = _place(nodes, lane_count)
    column_count = sum(lane_columns)
    rows = max((n.row for n in nodes), default=-1) + 1

    # Across: gutters (sized by the wires they carry) and columns; a lane is a run of columns.
    gutter_w = [2 * GUTTER_PAD + max(0, t - 1) * TRACK for t in _gutters(wires, column_count)]
    gutter_x: list[float] = []
    column_x: list[float] = []
    x = MARGIN
    for column in range(column_count + 1):
        gutter_x.append(x)
        x += gutter_w[column]
        if column < column_count:
            column_x.append(x)
            x += LANE_W
    width = x + MARGIN
    for node in nodes:
        node.rect = Rect(column_x[node.column] + (LANE_W - node.rect.w) / 2, 0, node.rect.w, node.rect.h)
    for node in nodes:
        _ports(node)

    # Down: the lane headers, then gaps (sized by the wires they carry) and rows; nodes sit at the top of a row.
    first = [sum(lane_columns[:lane]) for lane in range(lane_count)]
    last = [first[lane] + lane_columns[lane] - 1 for lane in range(lane_count)]
    headers = [
        wrap(plain_text(a.name, lang), column_x[last[i]] + LANE_W - column_x[first[i]] - 2 * PAD_X, FONT, bold=True)
        for i, a in enumerate(procedure.actors)
    ]
    header_bottom = MARGIN + max((len(h) for h in headers), default=1) * LINE + 2 * PAD_Y
    gap_h = [2 * GAP_PAD + max(0, t - 1) * TRACK for t in _gap_tracks(wires, rows)]
    row_h = [max((n.rect.h for n in nodes if n.row == r), default=0.0) for r in range(rows)]
    gap_y: list[float] = []
    row_y: list[float] = []
    y = header_bottom
    for r in range(rows + 1):
        gap_y.append(y)
        y += gap_h[r]
        if r < rows:
            row_y.append(y)
            y += row_h[r]
    height = y + MARGIN

    for node in nodes:
        node.rect = Rect(node.rect.x, row_y[node.row], node.rect.w, node.rect.h)
        size, line = (FONT, LINE) if node.kind == "step" else (CHIP_FONT, CHIP_LINE)
        anchor = "start" if node.kind == "step" else "middle"
        text_x = node.rect.x + (PAD_X if anchor == "start" else node.rect.w / 2)
        node.lines = [
            TextLine(text_x, node.rect.y + PAD_Y + i * line + size, t.text, t.width, size, anchor, t.css)
            for i, t in enumerate(node.lines)
        ]
    for wire in wires:
        start = (wire.start[0], wire.source.rect.bottom)
        end = (wire.end[0], wire.target.rect.y)
        exit_y = gap_y[wire.source.row + 1] + GAP_PAD + wire.exit_track * TRACK
        entry_y = gap_y[wire.target.row] + GAP_PAD + wire.entry_track * TRACK
        if wire.gutter is None:
            wire.points = [start, (start[0], exit_y), (end[0], exit_y), end]
        else:
            gx = gutter_x[wire.gutter] + GUTTER_PAD + wire.gutter_track * TRACK
            wire.points = [start, (start[0], exit_y), (gx, exit_y), (gx, entry_y), (end[0], entry_y), end]

    lanes = []
    for index, actor in enumerate(procedure.actors):
        a, b = first[index], last[index] + 1
        left = gutter_x[a] + (gutter_w[a] / 2 if index else 0)
        right = gutter_x[b] + (gutter_w[b] / 2 if index < lane_count - 1 else gutter_w[b])
        centre = (column_x[a] + column_x[b - 1] + LANE_W) / 2
        lines = tuple(
            TextLine(centre, MARGIN + PAD_Y + i * LINE + FONT, t, text_width(t, FONT, bold=True), FONT, "middle")
            for i, t in enumerate(headers[index])
        )
        lanes.append(Lane(actor.id, Rect(left, MARGIN, right - left, height - 2 * MARGIN), lines))

    edges = tuple(
        Edge(step.id, step.next[index].to, chip.id if chip else None, tuple(tuple(w.points) for w in ws))
        for (step, index, chip), ws in wired
    )
    return Layout(width, height, tuple(lanes), tuple(nodes), edges, header_bottom)


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def swimlane_svg(procedure: Procedure, lang: str) -> str:
    """The procedure as an accessible inline SVG swimlane diagram, styled by theme/assets/diagram.css."""
    plan = layout(procedure, lang)
    uid = f"pd-{procedure.id}-{lang}"
    title = f"{WORDS[lang]['diagram']}: {plain_text(procedure.title, lang)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pd-svg" role="img" focusable="false" '
        f'width="{_f(plan.width)}" height="{_f(plan.height)}" viewBox="0 0 {_f(plan.width)} {_f(plan.height)}" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(DESCRIPTION[lang])}</desc>',
        f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path class="pd-arrowhead" d="M0,0 L10,5 L0,10 z" '
        f'fill="currentColor"/></marker></defs>',
    ]
    for index, lane in enumerate(plan.lanes):
        r = lane.rect
        css = "pd-lane pd-lane--alt" if index % 2 else "pd-lane"
        out.append(f'<rect class="{css}" x="{_f(r.x)}" y="{_f(r.y)}" width="{_f(r.w)}" height="{_f(r.h)}"/>')
    out.append(
        f'<line class="pd-rule" x1="{_f(MARGIN)}" y1="{_f(plan.header_bottom)}" '
        f'x2="{_f(plan.width - MARGIN)}" y2="{_f(plan.header_bottom)}" stroke="currentColor"/>'
    )
    for lane in plan.lanes:
        out.extend(_text(line, "pd-actor") for line in lane.lines)
    for edge in plan.edges:
        for number, points in enumerate(edge.polylines):
            arrow = number == len(edge.polylines) - 1
            d = " ".join(f"{'M' if i == 0 else 'L'}{_f(x)},{_f(y)}" for i, (x, y) in enumerate(points))
            marker = f' marker-end="url(#{uid}-arrow)"' if arrow else ""
            out.append(f'<path class="pd-edge" d="{d}" fill="none" stroke="currentColor"{marker}/>')
    for node in plan.nodes:
        r = node.rect
        radius = 10 if node.kind == "chip" else 4
        out.append(
            f'<rect class="{node.css}" x="{_f(r.x)}" y="{_f(r.y)}" width="{_f(r.w)}" height="{_f(r.h)}" '
            f'rx="{radius}" fill="none" stroke="currentColor"/>'
        )
        out.extend(_text(line, "pd-text") for line in node.lines)
    out.append("</svg>")
    return "".join(out)


def _text(line: TextLine, css: str) -> str:
    classes = f"{css} {line.css}".strip()
    anchor = ' text-anchor="middle"' if line.anchor == "middle" else ""
    return (
        f'<text class="{classes}" x="{_f(line.x)}" y="{_f(line.y)}"{anchor} font-size="{_f(line.size)}" '
        f'fill="currentColor">{escape(line.text)}</text>'
    )
