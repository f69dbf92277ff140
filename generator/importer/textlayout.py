"""Read the task table of a plain-text / Markdown extraction (tab-separated rows, Markdown headings)."""

from __future__ import annotations

import re

from generator.importer.grid import Grid, NoPlanTable, Row, header_map
from generator.importer.normal import strip_debris

# A group heading printed between table chunks: "#### IV. Cải cách tổ chức bộ máy".
_MD_HEADING = re.compile(r"^#{1,6}\s*(?P<text>(?:[IVXLC]+|\d+)\.\s+\S.*)$")
_RULE = re.compile(r"^[\s|:-]*-{3,}[\s|:-]*$")  # a Markdown table rule "----\t---\t…"


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    # A Markdown pipe table row "| a | b |".
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_row(line: str) -> bool:
    return "\t" in line or (line.lstrip().startswith("|") and line.count("|") >= 3)


def read_table(lines: list[str]) -> Grid:
    """The task table of `lines`: rows by field, with page breaks (blank lines, repeated headers) marked."""
    start = None
    mapping: dict[int, str] = {}
    for i, line in enumerate(lines):
        if _is_row(line) and (found := header_map(_cells(line))):
            start, mapping = i, found
            break
    if start is None:
        raise NoPlanTable("no task table: no row with the headers TT / Nội dung / Cơ quan chủ trì")
    last = max(i for i, line in enumerate(lines) if _is_row(line))
    grid = Grid()
    grid.heading_line = next((strip_debris(s).strip() for s in reversed(lines[:start]) if s.strip()), "")
    width = max(mapping) + 1
    header = _cells(lines[start])
    grid.extra_columns = [header[i].strip() for i in range(len(header)) if i not in mapping and header[i].strip()]
    pending_break = False
    for i in range(start + 1, last + 1):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            pending_break = True
            continue
        if _is_row(line):
            cells = _cells(line)
            if _RULE.match(line):
                pending_break = True
                continue
            if header_map(cells):  # the header repeated on a new page
                pending_break = True
                continue
            cells += [""] * (width - len(cells))
            values = {mapping[j]: cells[j].strip() for j in mapping}
            grid.rows.append(Row(values, i + 1, after_break=pending_break))
            pending_break = False
        elif m := _MD_HEADING.match(stripped):
            grid.rows.append(Row({"number": "", "text": strip_debris(m["text"]).strip()}, i + 1, heading=True))
            pending_break = True
        else:
            pending_break = True
    for line in lines[last + 1 :]:
        text = strip_debris(line).strip()
        if text.lower().startswith("ghi chú"):
            grid.footnote = text
            break
        if text:
            break
    return grid
