"""Report forms as an agency uses them: `report-form` writes an agency's .xlsx, the agency fills it in (here with
openpyxl, once re-saved by LibreOffice as offices' software rewrites it), `report-import` writes the report YAML,
and the built site shows it; broken forms give the golden problems of tests/golden/report-import/."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from generator.__main__ import main
from generator.content.load import parse_text
from generator.forms.report_import import dump
from generator.forms.report_layout import COLUMN, FIRST_ROW, HEAD_ROWS, IDENTITY_SHEET, REPORT_SHEET, STATUS_LABELS

from .conftest import FIXTURES, ROOT, assert_golden, make_root

GOLDEN = ROOT / "tests" / "golden" / "report-import"
PLAN = "beta-2021"
REPORTS = "content/plans/beta-2021/reports"


def run(root: Path, *args: str | Path) -> tuple[int, str]:
    """Run the command line on `root`; its exit code and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(root), *map(str, args)])
    return code, out.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_root(tmp_path, FIXTURES / "progress")


def forms(root: Path, period: str = "2021-Q1", *agency: str) -> Path:
    out = root.parent / f"forms-{period}"
    code, printed = run(
        root, "report-form", "--plan", PLAN, "--period", period, *[a for x in agency for a in ("--agency", x)],
        "--out", out,
    )  # fmt: skip
    assert code == 0, printed
    return out


def cell(field: str, row: int) -> str:
    return f"{COLUMN[field].letter}{row}"  # type: ignore[index]


def fill(form: Path, target: Path, rows: dict[int, dict[str, Any]], day: Any = dt.date(2021, 3, 30)) -> Path:
    """The agency's part: the report's date and document, then a status (and more) for some task rows."""
    book = load_workbook(form)
    sheet = book[REPORT_SHEET]
    sheet[f"C{HEAD_ROWS['date']}"] = day
    sheet[f"C{HEAD_ROWS['document_number']}"] = "15/BC-SYT"
    sheet[f"C{HEAD_ROWS['document_date']}"] = dt.date(2021, 3, 31)
    for row, values in rows.items():
        for field, value in values.items():
            sheet[cell(field, row)] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


# so-y-te's Q1 form: 1.a (coordinating, through "Các sở, ban, ngành"), 2.a (lead), 2.e (lead, through the group).
FILLED = {
    FIRST_ROW: {"status": "Đang thực hiện", "done": "Đã góp ý dự thảo, gửi Sở Nội vụ: 2 lần"},
    FIRST_ROW + 1: {
        "status": "Hoàn thành",
        "completed": dt.date(2021, 3, 1),
        "done": 'Rà soát 120 thủ tục, "đơn giản hóa" 15 # thủ tục',
        "evidence_number": "12/QĐ-SYT",
        "evidence_date": dt.date(2021, 3, 1),
    },
    FIRST_ROW + 2: {"status": "Tạm dừng", "reason": "Chờ sửa chữa trụ sở.", "difficulties": "yes"},
}


def health_form(root: Path, name: str = "bao-cao-so-y-te-2021-Q1.xlsx", **overrides: Any) -> Path:
    rows = {**FILLED, **overrides.pop("rows", {})}
    return fill(forms(root) / name, root.parent / "filled" / name, rows, **overrides)


def test_a_form_lists_the_agencys_tasks_locked_with_drop_down_dates_and_identity(project: Path) -> None:
    folder = forms(project)
    assert sorted(p.name for p in folder.iterdir()) == [
        f"bao-cao-{a}-2021-Q1.xlsx" for a in ("so-noi-vu", "so-tai-chinh", "so-tu-phap", "so-y-te")
    ]
    book = load_workbook(folder / "bao-cao-so-y-te-2021-Q1.xlsx")
    assert book.sheetnames == ["Hướng dẫn", REPORT_SHEET, IDENTITY_SHEET]
    assert "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO" in [c.value for c in book["Hướng dẫn"]["A"]]
    assert "HOW TO FILL IN THIS REPORT FORM" in [c.value for c in book["Hướng dẫn"]["A"]]
    sheet = book[REPORT_SHEET]
    rows = [[c.value for c in row[:5]] for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW + 3)]
    assert rows == [
        ["1.a", "Ban hành Kế hoạch kiểm tra cải cách hành chính.", "Phối hợp (qua: Các sở, ban, ngành)", "Trước 31/3", None],
        ["2.a", "Rà soát thủ tục hành chính ngành y tế.", "Chủ trì", "Quý II", None],
        ["2.e", "Niêm yết thủ tục hành chính tại trụ sở.", "Chủ trì (qua: Các sở, ban, ngành)", "Quý III", None],
        [None] * 5,
    ]  # fmt: skip
    assert [sheet[cell("task_id", r)].value for r in range(FIRST_ROW, FIRST_ROW + 3)] == ["1-a", "2-a", "2-e"]
    assert sheet.column_dimensions[COLUMN["task_id"].letter].hidden
    assert sheet.protection.sheet
    assert book.security is not None
    assert book.security.lockStructure
    assert sheet[cell("text", FIRST_ROW)].protection.locked
    assert not sheet[cell("status", FIRST_ROW)].protection.locked
    assert not sheet[f"C{HEAD_ROWS['date']}"].protection.locked
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status = validations[f"F{FIRST_ROW}:F{FIRST_ROW + 2}"]
    assert status.type == "list"
    assert status.formula1 == '"' + ",".join(STATUS_LABELS) + '"'
    assert list(STATUS_LABELS) == ["Chưa bắt đầu", "Đang thực hiện", "Hoàn thành", "Tạm dừng", "Dừng thực hiện"]
    dates = next(v for v in validations.values() if v.type == "date")
    assert set(str(dates.sqref).split()) == {"G10:G12", "J10:J12", "C5", "C7"}
    assert sheet.freeze_panes == f"B{FIRST_ROW}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1
    identity = book[IDENTITY_SHEET]
    assert identity.sheet_state == "hidden"
    assert [[c.value for c in row] for row in identity.iter_rows(max_row=5)] == [
        ["form", "bao-cao-tien-do-cchc"], ["version", "1"], ["plan", PLAN], ["period", "2021-Q1"], ["agency", "so-y-te"],
    ]  # fmt: skip


def test_a_later_form_shows_the_last_reported_status_and_leaves_out_cancelled_tasks(project: Path) -> None:
    sheet = load_workbook(forms(project, "2021-Q3", "so-noi-vu") / "bao-cao-so-noi-vu-2021-Q3.xlsx")[REPORT_SHEET]
    rows = {r[0].value: (r[2].value, r[4].value) for r in sheet.iter_rows(min_row=FIRST_ROW) if r[0].value}
    # 2.c was cancelled on 15 June; 2.f was added then; 2.d was given to so-noi-vu on 10 August.
    assert rows == {
        "1.a": ("Chủ trì", "Hoàn thành (2021-H1)"),
        "1.d": ("Chủ trì", "Đang thực hiện (2021-H1)"),
        "2.d": ("Chủ trì", "Chưa bắt đầu (2021-H1)"),
        "2.e": ("Chủ trì (qua: Các sở, ban, ngành)", "Đang thực hiện (2021-H1)"),
        "2.f": ("Chủ trì", "Chưa bắt đầu (2021-H1)"),
    }


def test_report_form_refuses_a_group_an_unknown_period_and_an_agency_without_tasks(project: Path) -> None:
    out = project.parent / "none"
    for args, message in (
        (("--period", "2021-Q2"), "'2021-Q2' is not a reporting period of beta-2021: 2021-Q1, 2021-H1"),
        (("--period", "2021-Q1", "--agency", "so-ban-nganh"), "'so-ban-nganh' is a group of agencies"),
        (("--period", "2021-Q1", "--agency", "ubnd-quan-mot"), "'ubnd-quan-mot' neither leads nor coordinates"),
    ):
        code, printed = run(project, "report-form", "--plan", PLAN, *args, "--out", out)
        assert code == 1
        assert message in printed
        assert "no form written" in printed
    assert not out.exists()


def test_round_trip_form_filled_imported_checked_built_and_published(project: Path) -> None:
    filled = health_form(project)
    code, printed = run(project, "report-import", filled)
    assert code == 0, printed
    assert printed == (
        "wrote content/plans/beta-2021/reports/2021-Q1/so-y-te.yaml from bao-cao-so-y-te-2021-Q1.xlsx: 3 tasks\n"
    )
    written = (project / REPORTS / "2021-Q1/so-y-te.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[4:] == [
        "date: 2021-03-30",
        'document: {number: "15/BC-SYT", date: 2021-03-31}',
        "entries:",
        "  - task: 1-a",
        "    status: in_progress",
        '    done: {vi: "Đã góp ý dự thảo, gửi Sở Nội vụ: 2 lần"}',
        "  - task: 2-a",
        "    status: completed",
        "    completed: 2021-03-01",
        '    done: {vi: "Rà soát 120 thủ tục, \\"đơn giản hóa\\" 15 # thủ tục"}',
        "    evidence:",
        '      - {number: "12/QĐ-SYT", date: 2021-03-01}',
        "  - task: 2-e",
        "    status: suspended",
        '    difficulties: {vi: "yes"}',
        "    reason: {vi: Chờ sửa chữa trụ sở.}",
    ]
    code, printed = run(project, "check")
    assert code == 0
    assert "content is valid" in printed
    site = project.parent / "site"
    code, printed = run(project, "build", "--site", site, "--no-search")
    assert code == 0, printed
    task = (site / "en/ke-hoach/beta-2021/2-a/index.html").read_text(encoding="utf-8")
    assert "Rà soát 120 thủ tục" in task
    assert "12/QĐ-SYT" in task
    period = (site / "ke-hoach/beta-2021/tien-do/2021-Q1/index.html").read_text(encoding="utf-8")
    assert "Sở Y tế" in period
    english = (site / "en/ke-hoach/beta-2021/tien-do/2021-Q1/index.html").read_text(encoding="utf-8")
    assert "4 of 4 agencies have reported." in " ".join(english.split())
    rows = list(csv.DictReader(io.StringIO((site / "data/reports.csv").read_text(encoding="utf-8-sig"))))
    ours = {r["task"]: r["status"] for r in rows if r["agency"] == "beta/so-y-te" and r["period"] == "2021-Q1"}
    assert ours == {"beta-2021/1-a": "in_progress", "beta-2021/2-a": "completed", "beta-2021/2-e": "suspended"}


def test_reimport_changes_nothing_a_changed_form_says_what_changes(project: Path) -> None:
    filled = health_form(project)
    assert run(project, "report-import", filled)[0] == 0
    target = project / REPORTS / "2021-Q1/so-y-te.yaml"
    first = target.read_bytes()
    code, printed = run(project, "report-import", filled)
    assert (code, printed) == (
        0,
        "unchanged content/plans/beta-2021/reports/2021-Q1/so-y-te.yaml: bao-cao-so-y-te-2021-Q1.xlsx is imported"
        " already\n",
    )
    assert target.read_bytes() == first
    changed = fill(
        filled,
        filled,
        {FIRST_ROW: {"status": "Hoàn thành", "completed": dt.date(2021, 3, 25)}, FIRST_ROW + 2: dict.fromkeys(
            ("status", "reason", "difficulties"))},
    )  # fmt: skip
    code, printed = run(project, "report-import", changed)
    assert code == 0
    assert printed.splitlines() == [
        "updated content/plans/beta-2021/reports/2021-Q1/so-y-te.yaml from bao-cao-so-y-te-2021-Q1.xlsx: 2 tasks",
        "  task 1-a: status Đang thực hiện → Hoàn thành",
        "  task 1-a: completed changed",
        "  task 2-e: removed",
    ]


def test_a_report_edited_by_hand_is_kept_unless_replace(project: Path) -> None:
    filled = health_form(project)
    assert run(project, "report-import", filled)[0] == 0
    target = project / REPORTS / "2021-Q1/so-y-te.yaml"
    edited = target.read_text(encoding="utf-8").replace("date: 2021-03-30", "date: 2021-03-30\nreceived: 2021-04-01")
    target.write_text(edited, encoding="utf-8")
    code, printed = run(project, "report-import", filled)
    assert code == 1
    assert printed.splitlines() == [
        "bao-cao-so-y-te-2021-Q1.xlsx: content/plans/beta-2021/reports/2021-Q1/so-y-te.yaml was edited by hand after"
        " its import: it is kept",
        "  hint: compare it with the form; to overwrite it with the form, import again with --replace",
        "1 problem in 1 file; nothing written",
    ]
    assert target.read_text(encoding="utf-8") == edited
    code, printed = run(project, "report-import", "--replace", filled)
    assert code == 0
    assert printed.splitlines()[1:] == ["  received: 2021-04-01 → (none)"]
    assert "received" not in target.read_text(encoding="utf-8")
    # A report written by hand (no hash) is kept the same way.
    hand = fill(
        forms(project) / "bao-cao-so-noi-vu-2021-Q1.xlsx",
        project.parent / "filled/bao-cao-so-noi-vu-2021-Q1.xlsx",
        {FIRST_ROW: {"status": "Hoàn thành", "completed": dt.date(2021, 3, 20)}},
    )
    code, printed = run(project, "report-import", hand)
    assert code == 1
    assert "so-noi-vu.yaml was written by hand: it is kept" in printed


def test_english_added_after_import_is_kept_where_the_vietnamese_is_unchanged(project: Path) -> None:
    filled = health_form(project)
    assert run(project, "report-import", filled)[0] == 0
    target = project / REPORTS / "2021-Q1/so-y-te.yaml"
    translated = (
        target.read_text(encoding="utf-8")
        .replace(
            '    done: {vi: "Đã góp ý dự thảo, gửi Sở Nội vụ: 2 lần"}',
            '    done: {vi: "Đã góp ý dự thảo, gửi Sở Nội vụ: 2 lần", en: "Commented on the draft: twice"}',
        )
        .replace(
            "    reason: {vi: Chờ sửa chữa trụ sở.}", "    reason: {vi: Chờ sửa chữa trụ sở., en: Awaiting repairs.}"
        )
    )
    assert translated.count(", en: ") == 2
    target.write_text(translated, encoding="utf-8")
    code, printed = run(project, "report-import", filled)
    assert (code, printed.split()[0]) == (0, "unchanged")  # translating is not an edit of the report
    assert target.read_text(encoding="utf-8") == translated
    # A corrected form: the translation of the unchanged text stays, that of the changed text goes.
    fill(filled, filled, {FIRST_ROW + 2: {"reason": "Chờ kinh phí sửa chữa trụ sở."}})
    code, printed = run(project, "report-import", filled)
    assert code == 0
    assert printed.splitlines()[1:] == ["  task 2-e: reason changed"]
    after = target.read_text(encoding="utf-8")
    assert '{vi: "Đã góp ý dự thảo, gửi Sở Nội vụ: 2 lần", en: "Commented on the draft: twice"}' in after
    assert "    reason: {vi: Chờ kinh phí sửa chữa trụ sở.}" in after
    assert run(project, "check")[0] == 0


def test_one_bad_form_writes_nothing_at_all(project: Path) -> None:
    good = health_form(project)
    bad = fill(
        forms(project) / "bao-cao-so-tai-chinh-2021-Q1.xlsx",
        project.parent / "filled/bao-cao-so-tai-chinh-2021-Q1.xlsx",
        {FIRST_ROW: {"status": "xong"}},
    )
    before = sorted(p.name for p in (project / REPORTS / "2021-Q1").iterdir())
    code, printed = run(project, "report-import", good, bad)
    assert code == 1
    assert printed.endswith("nothing written\n")
    assert sorted(p.name for p in (project / REPORTS / "2021-Q1").iterdir()) == before


def test_dump_writes_texts_that_read_back_exactly() -> None:
    texts = ["yes", "1.10", "a: b", "x #y", "- gạch", "[a]", "Có, không", "'q'", "Dòng 1\nDòng 2", "~", "Null"]
    data = {
        "date": dt.date(2021, 3, 1),
        "entries": [{"task": "1-a", "status": "in_progress", "done": {"vi": t}} for t in texts],
    }
    read = parse_text(dump(data))
    assert [e["done"]["vi"] for e in read["entries"]] == texts


# Broken forms: each a golden file of what report-import prints.


def broken(root: Path, case: str) -> list[Path]:
    folder = forms(root)
    health = folder / "bao-cao-so-y-te-2021-Q1.xlsx"
    target = root.parent / "broken" / "bao-cao-so-y-te-2021-Q1.xlsx"
    if case == "wrong-status":
        return [fill(health, target, {**FILLED, FIRST_ROW: {"status": "xong"}})]
    if case == "date-as-text":
        return [fill(health, target, {**FILLED, FIRST_ROW + 1: {**FILLED[FIRST_ROW + 1], "completed": "01/03/2021"}})]
    if case == "missing-fields":
        rows = {
            FIRST_ROW: {"done": "Chưa chọn tình trạng."},
            FIRST_ROW + 1: {"status": "Hoàn thành", "evidence_number": "12/QĐ-SYT"},
            FIRST_ROW + 2: {"status": "Dừng thực hiện", "completed": dt.date(2021, 4, 2)},
        }
        return [fill(health, target, rows, day=None)]
    path = fill(health, target, FILLED)
    book = load_workbook(path)
    sheet = book[REPORT_SHEET]
    if case == "row-moved":  # sorted by the text column: rows 2.a and 2.e swap
        one, two = FIRST_ROW + 1, FIRST_ROW + 2
        for column in range(1, 15):
            a, b = sheet.cell(one, column), sheet.cell(two, column)
            a.value, b.value = b.value, a.value
    elif case == "row-deleted":
        sheet.delete_rows(FIRST_ROW + 1)
    elif case == "row-inserted":
        sheet.insert_rows(FIRST_ROW + 1)
        sheet.cell(FIRST_ROW + 1, 2, "Nhiệm vụ phát sinh")
    elif case == "row-added":
        sheet.cell(FIRST_ROW + 3, 1, "2.g")
        sheet[cell("status", FIRST_ROW + 3)] = "Đang thực hiện"
    elif case == "other-period":  # last quarter's form sent again for the 6-month report
        book.save(path)
        return [path]
    elif case == "other-agency":  # Sở Y tế filled in Sở Tài chính's form and named the file after itself
        other = fill(folder / "bao-cao-so-tai-chinh-2021-Q1.xlsx", target, {FIRST_ROW: {"status": "Hoàn thành"}})
        return [other]
    book.save(path)
    return [path]


def not_forms(root: Path) -> list[Path]:
    folder = root.parent / "broken"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ghi-chu.xlsx").write_text("Báo cáo quý I\n", encoding="utf-8")
    book = Workbook()
    book.active.append(["Số TT", "Nội dung", "Tình trạng"])  # type: ignore[union-attr]
    book.save(folder / "bang-tu-lam.xlsx")
    good = fill(forms(root) / "bao-cao-so-y-te-2021-Q1.xlsx", folder / "hong.xlsx", FILLED)
    (folder / "hong.xlsx").write_bytes(good.read_bytes()[:2000])  # cut off: a damaged download
    return [folder / "ghi-chu.xlsx", folder / "bang-tu-lam.xlsx", folder / "hong.xlsx", folder / "khong-co.xlsx"]


CASES = (
    "wrong-status",
    "date-as-text",
    "missing-fields",
    "row-moved",
    "row-deleted",
    "row-inserted",
    "row-added",
    "other-agency",
)


@pytest.mark.parametrize("case", CASES)
def test_a_broken_form_is_refused_naming_its_cells(project: Path, case: str) -> None:
    files = broken(project, case)
    code, printed = run(project, "report-import", *files)
    assert code == 1
    assert not (project / REPORTS / "2021-Q1/so-y-te.yaml").exists()
    assert_golden(GOLDEN / f"{case}.txt", printed)


def test_a_form_of_another_period_is_refused(project: Path) -> None:
    files = broken(project, "other-period")
    code, printed = run(project, "report-import", "--period", "2021-H1", *files)
    assert code == 1
    renamed = files[0].with_name("bao-cao-so-y-te-2021-H1.xlsx")
    shutil.copy(files[0], renamed)
    code, more = run(project, "report-import", renamed)
    assert code == 1
    assert_golden(GOLDEN / "other-period.txt", printed + more)


def test_files_that_are_not_forms_are_refused_in_one_line_each(project: Path) -> None:
    code, printed = run(project, "report-import", *not_forms(project))
    assert code == 1
    assert_golden(GOLDEN / "not-a-form.txt", printed)


# The three commands that need valid content refuse the same way: its problems, their count, their own last line.
REFUSALS = {
    "report-form": ["--plan", PLAN, "--period", "2021-Q1"],
    "report-import": ["form.xlsx"],
    "report-summary": ["--plan", PLAN, "--period", "2021-Q1"],
}
LAST_LINES = {
    "report-form": "no form written: content/ has problems (python -m generator check)",
    "report-import": "nothing imported: content/ has problems (python -m generator check)",
    "report-summary": "No report was written: the content has problems.",
}


@pytest.mark.parametrize("ci", [False, True])
@pytest.mark.parametrize("command", REFUSALS)
def test_content_with_problems_is_refused_with_the_commands_own_last_line(
    project: Path, command: str, ci: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = project / "content/plans/beta-2021/tasks/1.yaml"
    task.write_text(task.read_text(encoding="utf-8") + "\nbogus_field: 1\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true" if ci else "false")
    out = project.parent / "out"
    code, printed = run(
        project, command, *REFUSALS[command], *(["--out", out] if "--plan" in REFUSALS[command] else [])
    )
    problem = "content/plans/beta-2021/tasks/1.yaml:46:1: YAML syntax error: expected <block end>, but found '?'"
    # Only report-summary also writes them as CI annotations (as `check` does); the form commands run on a desk.
    annotation = (
        [
            "::error file=content/plans/beta-2021/tasks/1.yaml,line=46,col=1,title=content::YAML syntax error: expected <block end>, but found '?'"
        ]
        if ci and command == "report-summary"
        else []
    )
    assert (code, printed) == (1, "\n".join([problem, "1 problem in 1 file", *annotation, LAST_LINES[command], ""]))
    assert not out.exists()


# LibreOffice rewrites the whole file (styles, shared strings, validations, the hidden sheet), as offices' software does.


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: `make office` installs it")
def test_a_form_resaved_by_libreoffice_still_imports_the_same(project: Path, tmp_path: Path) -> None:
    filled = health_form(project)
    out = tmp_path / "resaved"
    profile = f"file:///tmp/lo-forms-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir", out, filled],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    resaved = out / filled.name
    assert resaved.read_bytes() != filled.read_bytes()
    book = load_workbook(resaved)
    assert book[IDENTITY_SHEET].sheet_state == "hidden"
    assert any(v.type == "list" for v in book[REPORT_SHEET].data_validations.dataValidation)
    code, printed = run(project, "report-import", resaved)
    assert code == 0, printed
    imported = (project / REPORTS / "2021-Q1/so-y-te.yaml").read_text(encoding="utf-8")
    assert run(project, "report-import", filled)[1].startswith("unchanged ")  # the same report as the original's
    assert "status: completed" in imported
