"""The compiled report (generator/pages/compiled_report.py) as a Word document, laid out as Nghị định
30/2020/NĐ-CP lays out an administrative document, as far as python-docx can: A4, margins 20/20/30/15 mm,
Times New Roman, the two-column title block, numbered headings, tables whose header row repeats on each
page, the 'Nơi nhận' and signature block, and the page number at the top from the second page on.

Byte-reproducible: python-docx dates the document's properties and its zip entries with the clock; both
are pinned to the build's moment (generator/publish/publication.py: SOURCE_DATE_EPOCH, else the last commit).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from generator.pages.compiled_report import (
    BLANK_DATE,
    DOCUMENT_KIND,
    ISSUER,
    MOTTO,
    NATION,
    NUMBER,
    RECIPIENTS,
    SIGNATURE,
    SIGNER_NAME,
    SIGNER_TITLE,
    CompiledReport,
    Heading,
    Paragraph,
    Table,
)

FONT = "Times New Roman"
BODY = Pt(14)
TABLE = Pt(13)
SMALL = Pt(12)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
# What follows w:pBdr in a paragraph's properties and w:tblCellMar in a table's (ECMA-376 §17.3.1.26, §17.4.60).
AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
AFTER_CELL_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def set_font(element: object, size: Pt | None = None) -> None:
    """Times New Roman for every script of a style's or run's properties, Vietnamese marked as the language.

    A theme font (asciiTheme …) overrides a named one in Word: those attributes are removed. Elements go in
    the schema's order (Word refuses a file whose run properties are out of order; LibreOffice does not).
    """
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for name in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(name), None)
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FONT)
    if size is not None:
        rpr.sz_val = size
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), "vi-VN")


def _styles(document: object) -> None:
    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    set_font(normal.element, BODY)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", BODY), ("Heading 2", BODY)):
        style = styles[name]
        set_font(style.element, size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.first_line_indent = Mm(10)
        style.paragraph_format.keep_with_next = True
    set_font(styles["Table Grid"].element, TABLE)


def _run(
    paragraph: DocxParagraph, text: str, *, bold: bool = False, italic: bool = False, size: Pt | None = None
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = size


def _line(
    container: object, text: str, *, bold: bool = False, italic: bool = False, size: Pt | None = None
) -> DocxParagraph:
    """A centred line of the title block or of the signature."""
    paragraph: DocxParagraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Mm(0)
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _rule(container: object, indent_mm: float) -> None:
    """The short line under a name or the motto: an empty paragraph's bottom border, shortened by indents."""
    paragraph: DocxParagraph = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(indent_mm)
    fmt.space_after = Pt(6)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_BORDERS)


def _cell(table: DocxTable, row: int, column: int) -> _Cell:
    cell = table.cell(row, column)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # each cell is filled with add_paragraph
    return cell


def _widths(table: DocxTable, widths: tuple[float, ...]) -> None:
    """Fixed column widths, in the grid (LibreOffice reads it) and in each cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _title_block(document: object, report: CompiledReport) -> None:
    table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _line(left, report.authority, size=Pt(13))
    _line(left, ISSUER, bold=True, size=Pt(13))
    _rule(left, 22)
    _line(right, NATION, bold=True, size=Pt(12))
    _line(right, MOTTO, bold=True, size=Pt(13))
    _rule(right, 20)
    _line(_cell(table, 1, 0), NUMBER, size=Pt(13))
    _line(_cell(table, 1, 1), f"{report.place}, {BLANK_DATE}", italic=True, size=Pt(14))
    _widths(table, (70, 100))


def _title(document: object, report: CompiledReport) -> None:
    first = _line(document, DOCUMENT_KIND, bold=True, size=BODY)
    first.paragraph_format.space_before = Pt(18)
    _line(document, report.title, bold=True, size=BODY)
    _rule(document, 65)
    addressed = _line(document, f"Kính gửi: {report.addressee}.", size=BODY)
    addressed.paragraph_format.space_after = Pt(12)


def _paragraph(document: object, text: str, *, before_table: bool) -> None:
    paragraph = document.add_paragraph(text)  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.keep_with_next = before_table or None  # a table's lead-in stays with it


def repeat_header(row: object) -> None:
    """Mark a table row as its header: Word and LibreOffice repeat it at the top of each page."""
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _keep_row(row: object) -> None:
    """A row is never split across two pages."""
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))


def _cell_margins(table: DocxTable, mm: float) -> None:
    """Narrow left and right cell margins (Word's default is 1.9 mm), so that a number column stays narrow."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, *AFTER_CELL_MARGINS)


def _table(document: object, block: Table) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, 1)
    repeat_header(table.rows[0])
    for row_number, values in enumerate((block.header, *block.rows)):
        header = row_number == 0
        total = block.total and row_number == len(block.rows)
        _keep_row(table.rows[row_number])
        for column, value in enumerate(values):
            paragraph = table.cell(row_number, column).paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            if header or block.numeric[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if header:  # the header row stays with the first row of data
                paragraph.paragraph_format.keep_with_next = True
            _run(paragraph, value, bold=header or total, size=TABLE)
    _widths(table, block.widths)
    document.add_paragraph().paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]


def _signature(document: object) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    heading = left.add_paragraph()
    heading.paragraph_format.space_after = Pt(0)
    _run(heading, "Nơi nhận:", bold=True, italic=True, size=SMALL)
    for line in RECIPIENTS:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, f"- {line}", size=Pt(11))
    _line(right, SIGNER_TITLE, bold=True, size=BODY)
    _line(right, SIGNATURE, italic=True, size=BODY)
    for _ in range(4):
        _line(right, "", size=BODY)
    _line(right, SIGNER_NAME, bold=True, size=BODY)
    _widths(table, (80, 85))


def _page_numbers(section: object) -> None:
    """The page number centred at the top, from the second page on (the first page has the title block)."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def document_bytes(report: CompiledReport, moment: dt.datetime) -> bytes:
    """The report as a .docx, identical for the same report and moment."""
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _styles(document)
    _page_numbers(section)
    _title_block(document, report)
    _title(document, report)
    following = (*report.blocks[1:], None)
    for block, after in zip(report.blocks, following, strict=True):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            _paragraph(document, block.text, before_table=isinstance(after, Table))
        else:
            _table(document, block)
    _signature(document)
    naive = moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    properties = document.core_properties
    properties.title = f"Báo cáo: {report.title}"
    properties.author = properties.last_modified_by = ""
    properties.language = "vi-VN"
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = naive
    buffer = io.BytesIO()
    document.save(buffer)
    return pin_zip(buffer.getvalue(), naive)


def pin_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The same zip with every entry dated `moment` and the same attributes on any machine."""
    stamp = max(ZIP_EPOCH, (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
