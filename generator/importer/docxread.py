"""Read a Word decision (python-docx): paragraphs in order, and the task table from real Word tables.

Merged cells: a cell spanning several columns (a group row across the table) counts once; a cell
continued down several rows (vMerge) repeats its agencies, deadline and output on each row it covers,
but not its number or text (that would print the task twice). A header row repeated on each page is
skipped. Each paragraph of a cell becomes a `<p>` block, so line breaks inside a cell read as the
text layouts' bullets and merged values do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from generator.importer.grid import Grid, NoPlanTable, Row, header_map


class UnreadableDocx(ValueError):
    """Corrupt, encrypted or password-protected: python-docx cannot open it."""


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx is an OLE compound file, not a zip


def _open(path: Path) -> Any:
    head = path.read_bytes()[:8]
    if head == _OLE:
        raise UnreadableDocx("password-protected or encrypted: save an unprotected copy and import that")
    import docx  # python-docx, only for Word files
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise UnreadableDocx(f"not a readable .docx ({type(error).__name__})") from None


def _cell_text(cell: Any) -> str:
    paragraphs = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
    if len(paragraphs) <= 1:
        return paragraphs[0] if paragraphs else ""
    return " ".join(f"<p>{p}</p>" for p in paragraphs)


def read_docx(path: Path) -> tuple[list[str], Grid]:
    """(text lines of the whole document, task table) — the lines are what content/sources/ publishes."""
    document = _open(path)
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    grid = Grid()
    mapping: dict[int, str] | None = None
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(element, document).text.strip()
            lines.append(text)
            if mapping is not None and text and text.lower().startswith("ghi chú") and not grid.footnote:
                grid.footnote = text
            continue
        if tag != "tbl":
            continue
        table = Table(element, document)
        previous: list[Any] = []
        first_row = True
        for row in table.rows:
            cells = list(row.cells)
            texts = [_cell_text(c) for c in cells]
            lines.append("\t".join(t.replace("<p>", "").replace("</p>", " ").strip() for t in texts))
            found = header_map(texts)
            if found is not None:
                if mapping is None:
                    mapping = found
                    grid.heading_line = next((s for s in reversed(lines[:-1]) if s), "")
                    grid.extra_columns = [t for i, t in enumerate(texts) if i not in found and t]
                    grid.rows.clear()
                previous = cells
                first_row = False
                continue  # the header, or its repetition on a new page
            if mapping is None:
                continue
            values: dict[str, str] = {}
            for i, name in mapping.items():
                if i >= len(cells):
                    continue
                cell = cells[i]
                if i and cells[i - 1]._tc is cell._tc:
                    continue  # the same cell spanning several columns
                continued = i < len(previous) and previous[i]._tc is cell._tc
                if continued and name in ("number", "text"):
                    continue
                values[name] = texts[i]
            grid.rows.append(Row(values, len(lines), after_break=first_row))
            previous = cells
            first_row = False
    if mapping is None:
        raise NoPlanTable("no task table: no Word table with the headers TT / Nội dung / Cơ quan chủ trì")
    return lines, grid
