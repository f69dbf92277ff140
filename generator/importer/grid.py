"""The raw task table both readers produce: header-mapped rows, page breaks and group headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.base.slug import fold

FIELDS = ("number", "text", "lead", "coordinating", "deadline", "output", "notes")


class NoPlanTable(ValueError):
    """The file holds no task table with recognisable Vietnamese headers."""


@dataclass
class Row:
    """One printed table row, its cells by field, where it was, and whether a page break preceded it."""

    cells: dict[str, str]
    line: int
    after_break: bool = False
    heading: bool = False  # a group heading printed outside the table (Markdown '#### IV. …')


@dataclass
class Grid:
    rows: list[Row] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    heading_line: str = ""  # the text just above the table (e.g. "I. NỘI DUNG CÔNG VIỆC …")
    footnote: str = ""


def column_field(header: str) -> str | None:
    """The field a header cell names, in any wording the two sources (and Word tables) use."""
    h = re.sub(r"<[^>]+>|\*", "", fold(header).lower()).strip()
    if h in ("tt", "stt", "so tt", "so thu tu"):
        return "number"
    if h.startswith(("noi dung", "nhiem vu", "ten nhiem vu")):
        return "text"
    if "chu tri" in h:
        return "lead"
    if "phoi hop" in h:
        return "coordinating"
    if h.startswith(("thoi gian", "thoi han", "tien do")):
        return "deadline"
    if h.startswith(("san pham", "ket qua")):
        return "output"
    if h.startswith("ghi chu"):
        return "notes"
    return None


def header_map(cells: list[str]) -> dict[int, str] | None:
    """Column index → field for a header row; None when the row is not a task-table header."""
    mapping = {i: f for i, c in enumerate(cells) if (f := column_field(c)) is not None}
    fields = set(mapping.values())
    if {"number", "text"} <= fields and ("lead" in fields or "deadline" in fields):
        return mapping
    return None
