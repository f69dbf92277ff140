"""The compiled report of a period (.docx and printable page) from the progress fixture's reports: what it
says, that it is built from the same data as the period page, byte for byte the same on every build, that
LibreOffice opens it, and that the period pages link to it in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import time
import uuid
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import generator.publish.build
from generator.__main__ import main
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.compiled_docx import document_bytes
from generator.pages.compiled_print import page_html
from generator.pages.compiled_report import Table, compile_report, docx_name
from generator.publish.compiled_publish import compiled_files

from .conftest import FIXTURES, make_root

EPOCH = 1638316800  # 2021-12-01 00:00 UTC
MOMENT = dt.datetime.fromtimestamp(EPOCH, dt.UTC)
PERIOD = "ke-hoach/beta-2021/tien-do/2021-Q1/"
Q1_DOCX = f"{PERIOD}{docx_name('beta-2021', '2021-Q1')}"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("compiled"), FIXTURES / "progress")


@pytest.fixture(scope="module")
def site(root: Path) -> Site:
    content, _ = load_content(root)
    return Site(content)


@pytest.fixture(scope="module")
def q1(site: Site) -> docx.document.Document:
    report = compile_report(site, "beta-2021", "2021-Q1")
    assert report is not None
    return docx.Document(io.BytesIO(document_bytes(report, MOMENT)))


def texts(table: docx.table.Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_title_block_has_the_issuer_the_nation_and_blanks_for_the_office(q1: docx.document.Document) -> None:
    block = q1.tables[0]
    left, right = block.cell(0, 0).text.splitlines(), block.cell(0, 1).text.splitlines()
    assert left[:2] == ["UBND THÀNH PHỐ BÊ-TA", "SỞ NỘI VỤ"]
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    # The number and the date of signing are the office's to fill: no digits invented.
    assert block.cell(1, 0).text == "Số:        /BC-SNV"
    assert block.cell(1, 1).text == "Bê-ta, ngày      tháng      năm"
    body = [p.text for p in q1.paragraphs]
    assert body[body.index("BÁO CÁO") + 1] == (
        "Tình hình thực hiện Kế hoạch cải cách hành chính năm 2021 – Báo cáo Quý I (2021-Q1)"
    )
    assert "Kính gửi: Ủy ban nhân dân thành phố Bê-ta." in body


def test_numbered_sections_as_headings(q1: docx.document.Document) -> None:
    headings = [
        (p.style.name, p.text) for p in q1.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"),
        ("Heading 2", "1. Số nhiệm vụ theo lĩnh vực và tình hình thực hiện"),
        ("Heading 2", "2. Nhiệm vụ trễ hạn"),
        ("Heading 1", "II. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN"),
        ("Heading 2", "1. Cơ quan chưa gửi báo cáo"),
        ("Heading 2", "2. Cơ quan gửi báo cáo trễ hạn"),
    ]


def test_the_tables_hold_the_fixtures_numbers(q1: docx.document.Document, site: Site) -> None:
    """Q1 of the fixture: 9 tasks (1 completed, 6 in progress, 1 not started, 1 not reported), task 1.b late
    (due in Q1, still in progress), Sở Y tế sent nothing, Sở Tư pháp's report arrived on 8 April (due 5 April)."""
    by_pillar, late, missing, late_reports = (texts(t) for t in q1.tables[1:5])
    assert by_pillar == [
        ["STT", "Lĩnh vực", "Tổng số", "Chưa bắt đầu", "Đang thực hiện", "Hoàn thành", "Chưa báo cáo", "Trễ hạn"],
        ["1", "Chỉ đạo, điều hành cải cách hành chính", "4", "0", "3", "1", "0", "1"],
        ["2", "Cải cách thủ tục hành chính", "5", "1", "3", "0", "1", "0"],
        ["", "Tổng cộng", "9", "1", "6", "1", "1", "1"],
    ]
    assert late == [
        ["STT", "Số hiệu", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình hình thực hiện"],
        ["1", "1.b", "Rà soát quy chế làm việc.", "Sở Tư pháp", "Quý I", "Đang thực hiện"],
    ]
    assert missing == [["STT", "Cơ quan"], ["1", "Sở Y tế"]]
    assert late_reports == [
        ["STT", "Cơ quan", "Ngày nhận báo cáo", "Số văn bản"],
        ["1", "Sở Tư pháp", "08/04/2021", "7/BC-STP"],
    ]
    # The same numbers the period page shows (generator/content/progress.py), not a count of its own.
    tally = site.progress["beta-2021"].tally("2021-Q1")
    assert by_pillar[-1][2:] == [
        str(len(tally)),
        *(str(tally.by_status[s]) for s in ("not_started", "in_progress", "completed", "not_reported")),
        str(len(tally.late)),
    ]
    assert (
        "Tổng số 9 nhiệm vụ: 1 chưa bắt đầu, 6 đang thực hiện, 1 hoàn thành, 1 chưa báo cáo; 1 nhiệm vụ trễ hạn."
        in [p.text for p in q1.paragraphs]
    )


def test_every_data_tables_header_row_repeats_and_no_row_splits(q1: docx.document.Document) -> None:
    data_tables = q1.tables[1:-1]  # between the title block and the signature block
    assert len(data_tables) == 4
    for table in data_tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs for run in p.runs)


def test_the_signature_block_leaves_the_signer_to_the_office(q1: docx.document.Document) -> None:
    block = q1.tables[-1]
    assert block.cell(0, 0).text.splitlines() == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, …"]
    signer = [line for line in block.cell(0, 1).text.splitlines() if line]
    assert signer == ["QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", "(Chữ ký, dấu)", "Họ và tên"]


def test_a4_margins_and_times_new_roman(q1: docx.document.Document) -> None:
    section = q1.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    normal = q1.styles["Normal"]
    assert normal.font.size.pt == 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    for name in ("Heading 1", "Heading 2"):  # a theme font would override the name in Word
        heading = q1.styles[name].element.rPr.find(qn("w:rFonts"))
        assert heading.get(qn("w:asciiTheme")) is None
        assert heading.get(qn("w:ascii")) == "Times New Roman"
    table_sizes = {
        run.font.size.pt
        for table in q1.tables[1:-1]
        for row in table.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
    }
    assert table_sizes == {13}
    assert section.different_first_page_header_footer  # the page number from the second page on
    assert 'instr="PAGE"' in section.header._element.xml


def test_a_period_without_reports_has_no_compiled_report(site: Site) -> None:
    """The real plans have no report: nothing is compiled for them, as their period pages say no report was
    published (a document listing every agency as 'not reported' would state what is only missing here)."""
    assert compile_report(site, "beta-2021", "2021-Y") is None
    assert all(compile_report(site, "alpha-2021", p.id) is None for p in site.progress["alpha-2021"].periods)
    files = compiled_files(site, MOMENT)
    assert sorted(files) == sorted(
        f"ke-hoach/beta-2021/tien-do/{p}/{name}"
        for p in ("2021-Q1", "2021-H1", "2021-Q3")
        for name in (docx_name("beta-2021", p), "ban-in/index.html")
    )


def test_the_real_plans_publish_no_compiled_report() -> None:
    content, _ = load_content(Path(__file__).resolve().parent.parent)
    assert compiled_files(Site(content), MOMENT) == {}


def test_the_same_moment_gives_the_same_bytes_whatever_the_clock(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx dates its zip entries by the clock: the entries carry the build's moment instead."""
    first = compiled_files(site, MOMENT)
    monkeypatch.setattr(time, "time", lambda: EPOCH + 86400 * 400 + 17)
    second = compiled_files(site, MOMENT)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first[Q1_DOCX])) as package:
        assert {info.date_time for info in package.infolist()} == {(2021, 12, 1, 0, 0, 0)}
    properties = docx.Document(io.BytesIO(first[Q1_DOCX])).core_properties
    dates = {properties.created, properties.modified}
    assert {d.replace(tzinfo=None) for d in dates if d is not None} == {MOMENT.replace(tzinfo=None)}
    assert properties.author == properties.last_modified_by == ""
    later = compiled_files(site, MOMENT + dt.timedelta(days=1))
    assert later[Q1_DOCX] != first[Q1_DOCX]  # the dates are the moment's: the comparison above could fail


def test_report_summary_writes_what_the_build_publishes(
    root: Path, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    out = tmp_path / "out"
    assert (
        main(["--root", str(root), "report-summary", "--plan", "beta-2021", "--period", "2021-Q1", "--out", str(out)])
        == 0
    )
    written = out / docx_name("beta-2021", "2021-Q1")
    assert capsys.readouterr().out == f"wrote {written}\n"
    assert written.read_bytes() == compiled_files(site, MOMENT)[Q1_DOCX]


@pytest.mark.parametrize(
    ("plan", "period", "code", "expected"),
    [
        (
            "gamma-2021",
            "2021-Q1",
            2,
            "report-summary: --plan: no plan 'gamma-2021'\n  hint: plans: alpha-2021, beta-2021\n",
        ),
        (
            "beta-2021",
            "2021-Q2",
            2,
            "report-summary: --period: plan 'beta-2021' has no period '2021-Q2'\n"
            "  hint: periods: 2021-Q1, 2021-H1, 2021-Q3, 2021-Y\n",
        ),
        (
            "beta-2021",
            "2021-Y",
            1,
            "report-summary: beta-2021 2021-Y: no agency has reported for this period, so there is nothing to compile\n"
            "  hint: add the reports under content/plans/beta-2021/reports/2021-Y/ first\n",
        ),
    ],
)
def test_report_summary_refuses_in_one_line(
    root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    plan: str,
    period: str,
    code: int,
    expected: str,
) -> None:
    args = ["--root", str(root), "report-summary", "--plan", plan, "--period", period, "--out", str(tmp_path)]
    assert main(args) == code
    assert capsys.readouterr().out == expected
    assert not list(tmp_path.iterdir())


def test_libreoffice_converts_it_to_pdf_with_its_vietnamese(site: Site, tmp_path: Path) -> None:
    report = compile_report(site, "beta-2021", "2021-H1")
    assert report is not None
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(document_bytes(report, MOMENT))
    pdf = to_pdf(source)
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Rà soát quy chế làm việc.",
        "Sở Y tế",
    ):
        assert line in text


def to_pdf(docx_file: Path) -> Path:
    """LibreOffice's PDF of a .docx, with a private profile so that parallel runs do not collide."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make office` installs it")
    profile = docx_file.parent / f"lo-{uuid.uuid4().hex}"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    run = subprocess.run(
        [*command, "--outdir", str(docx_file.parent), str(docx_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    pdf = docx_file.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def test_libreoffice_repeats_a_long_tables_header_on_each_page(site: Site, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    report = compile_report(site, "beta-2021", "2021-Q1")
    assert report is not None
    blocks = list(report.blocks)
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Table) and b.header[1] == "Số hiệu")
    late = blocks[at]
    assert isinstance(late, Table)
    row = late.rows[0]
    blocks[at] = dataclasses.replace(late, rows=tuple((str(n), *row[1:]) for n in range(1, 121)))
    source = tmp_path / "dai.docx"
    source.write_bytes(document_bytes(dataclasses.replace(report, blocks=tuple(blocks)), MOMENT))
    pdf = to_pdf(source)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    with_rows = [page for page in pages if "Rà soát quy chế làm việc." in page]
    assert len(with_rows) >= 3
    assert all("Nội dung nhiệm vụ" in page for page in with_rows)


def test_the_printable_page_says_what_the_docx_says(site: Site) -> None:
    report = compile_report(site, "beta-2021", "2021-Q1")
    assert report is not None
    page = page_html(report)
    document = docx.Document(io.BytesIO(document_bytes(report, MOMENT)))
    for table in document.tables[1:-1]:
        for row in texts(table):
            for cell in row:
                assert f">{cell}</t" in page
    for block in report.blocks:
        if not isinstance(block, Table):
            assert f">{block.text}</" in page
    assert '<html lang="vi">' in page
    assert "<thead>" in page
    assert "display: table-header-group" in page  # header rows repeat on each printed page
    assert "size: A4" in page


@pytest.fixture(scope="module")
def built(root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture built twice at the same moment, the second with the clock a year later."""
    out = tmp_path_factory.mktemp("compiled-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        generator.publish.build.build_site(root, out / "first", search=False)
        patch.setattr(time, "time", lambda: EPOCH + 86400 * 365)
        generator.publish.build.build_site(root, out / "second", search=False)
    return out / "first", out / "second"


def test_two_builds_publish_identical_compiled_reports(built: tuple[Path, Path]) -> None:
    first, second = built
    names = sorted(
        p.relative_to(first).as_posix() for p in first.rglob("*") if "bao-cao-tong-hop" in p.name or "ban-in" in p.parts
    )
    assert Q1_DOCX in names
    for name in names:
        if (first / name).is_file():
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_period_pages_link_to_it_in_both_languages(built: tuple[Path, Path], site: Site) -> None:
    out = built[0]
    for page in (out / PERIOD / "index.html", out / "en" / PERIOD / "index.html"):
        html = page.read_text(encoding="utf-8")
        links = [part.split('"', 1)[0] for part in html.split('<a href="')[1:]]
        docx_link = next(link for link in links if link.endswith(".docx"))
        print_link = next(link for link in links if link.endswith("ban-in/"))
        assert (page.parent / docx_link).resolve() == (out / Q1_DOCX).resolve()
        assert (page.parent / print_link / "index.html").is_file()
    english = (out / "en" / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "the document is in Vietnamese" in english
    assert (out / Q1_DOCX).read_bytes() == compiled_files(site, MOMENT)[Q1_DOCX]
    # A period without reports: no link, no file.
    assert "ban-in" not in (out / "ke-hoach/beta-2021/tien-do/2021-Y/index.html").read_text(encoding="utf-8")
    assert not (out / "ke-hoach/beta-2021/tien-do/2021-Y/ban-in").exists()


def test_the_printable_pages_links_resolve(built: tuple[Path, Path]) -> None:
    page = built[0] / PERIOD / "ban-in" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '<a href="../">' in html
    assert f'<a href="../{docx_name("beta-2021", "2021-Q1")}" download>' in html
    assert (page.parent / "../index.html").resolve().is_file()


# The order ECMA-376 sets for the children of run, paragraph and table properties (the tags this document
# writes among them): Word refuses a file with them out of order, where LibreOffice reads it anyway.
ORDER = {
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "color", "spacing", "kern", "sz", "szCs", "u", "lang"],
    "pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "widowControl",
        "numPr",
        "pBdr",
        "shd",
        "tabs",
        "spacing",
        "ind",
        "jc",
        "outlineLvl",
        "rPr",
    ],
    "tblPr": ["tblStyle", "tblW", "jc", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook"],
}


def test_properties_are_in_the_schemas_order(site: Site) -> None:
    report = compile_report(site, "beta-2021", "2021-Q1")
    assert report is not None
    with zipfile.ZipFile(io.BytesIO(document_bytes(report, MOMENT))) as package:
        parts = [package.read(name) for name in ("word/document.xml", "word/styles.xml")]
    checked = 0
    for part in parts:
        for parent, order in ORDER.items():
            for element in etree.fromstring(part).iter(qn(f"w:{parent}")):
                tags = [etree.QName(child).localname for child in element]
                known = [order.index(tag) for tag in tags if tag in order]
                assert known == sorted(known), f"{parent}: {tags}"
                checked += 1
    assert checked > 100
