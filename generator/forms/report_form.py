"""`python -m generator report-form`: one Excel form per agency for a reporting period.

Agencies report in Excel, not in YAML: each gets a workbook listing the tasks it leads or coordinates,
with read-only task columns, a status drop-down in the site's Vietnamese words, date cells that accept
only dates, and a hidden identity sheet (plan, period, agency, form version, the task of each row) that
`report-import` checks, so that a form filled for another period or with rows moved is caught.
The layout lives in report_layout, which import reads with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.content.model import City, PlanContent
from generator.content.progress import STATUSES, CurrentTask, Period, PlanProgress, members, task_agencies
from generator.forms.report_layout import (
    COLUMN,
    COLUMNS,
    FIRST_ROW,
    FORM_KIND,
    FORM_VERSION,
    GUIDE_SHEET,
    HEAD,
    HEAD_LABEL_COLUMN,
    HEAD_VALUE_COLUMN,
    HEAD_VALUE_LAST_COLUMN,
    HEADER_ROW,
    IDENTITY_SHEET,
    IDENTITY_TASKS_ROW,
    LAST_COLUMN,
    LAST_VISIBLE_COLUMN,
    REPORT_SHEET,
    ROLE_LABELS,
    STATUS_LABEL,
    form_file_name,
)

FONT = "Times New Roman"  # the typeface of Vietnamese administrative documents; LibreOffice maps it to Liberation Serif
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
DATE_FORMAT = "DD/MM/YYYY"
EXCEL_EPOCH = date(1899, 12, 30)
LINE_HEIGHT = 15.0  # points per line of 11-12 pt text
INPUT_HEIGHT = 2 * LINE_HEIGHT  # room to type in an empty row


def lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide (an estimate: rows are given a
    height, since LibreOffice does not fit wrapped rows of an .xlsx by itself)."""
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


@dataclass(frozen=True)
class FormRow:
    """One task row of an agency's form."""

    task: CurrentTask
    role: str
    """'Chủ trì' or 'Phối hợp', with the group it comes through, if any."""
    last: str
    """The last status reported before this period, with its period, or ''."""


def agency_rows(progress: PlanProgress, city: City, period: Period, agency: str) -> list[FormRow]:
    """The tasks in force at the period's end that `agency` leads or coordinates, named or through a group."""
    groups = members(city)
    names = {a.id: a.name.vi for a in city.agencies}
    earlier = list(progress.periods[: progress.periods.index(period)])
    rows: list[FormRow] = []
    for task in progress.tasks_at(period.end).values():
        if task.cancelled is not None:
            continue
        role = ""
        for kind in ("lead", "coordinating"):
            cell = task_agencies(task.task, kind)
            if agency in cell:
                role = ROLE_LABELS[kind]
            else:
                via = [g for g in cell if agency in groups.get(g, ())]
                if via:
                    role = f"{ROLE_LABELS[kind]} (qua: {', '.join(names[g] for g in via)})"
            if role:
                break
        if not role:
            continue
        last = ""
        for before in reversed(earlier):
            state = progress.status(task.id, before.id)
            if state is not None and state.entry is not None:
                last = f"{STATUS_LABEL[state.entry.status]} ({before.id})"
                break
        rows.append(FormRow(task, role, last))
    return rows


def expected_agencies(progress: PlanProgress, period: Period) -> list[str]:
    """The concrete agencies that lead or coordinate a task in force at the period's end, by id."""
    return sorted(progress.expected(period.end))


def serial(day: date) -> int:
    """A date as Excel's day number (what a date validation's bounds are written in)."""
    return (day - EXCEL_EPOCH).days


def build_form(plan: PlanContent, city: City, progress: PlanProgress, period: Period, agency: str) -> Workbook:
    """The workbook of one agency's form for one period."""
    names = {a.id: a.name for a in city.agencies}
    rows = agency_rows(progress, city, period, agency)
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    sheet = book.create_sheet(REPORT_SHEET)
    identity = book.create_sheet(IDENTITY_SHEET)
    year = plan.plan.year
    bounds = (date(year - 1, 1, 1), date(year + 2, 12, 31))
    report_name = period.report.vi if period.report else f"Báo cáo {period.id}"
    due = f", hạn gửi {period.due.strftime('%d/%m/%Y')}" if period.due else ""
    _guide(guide, plan, report_name, period, due, names[agency].vi)
    _report_sheet(sheet, plan, period, report_name + due, names[agency].vi, rows, bounds)
    identity.append(["form", FORM_KIND])
    identity.append(["version", FORM_VERSION])
    identity.append(["plan", plan.plan.id])
    identity.append(["period", period.id])
    identity.append(["agency", agency])
    for index, row in enumerate(rows):
        identity.cell(IDENTITY_TASKS_ROW + index, 1, FIRST_ROW + index)
        identity.cell(IDENTITY_TASKS_ROW + index, 2, row.task.id)
    identity.sheet_state = "hidden"
    identity.protection.sheet = True
    book.active = 1
    book.security = WorkbookProtection(lockStructure=True)  # no sheet renamed, deleted, or unhidden by mistake
    book.properties.title = f"{report_name} – {names[agency].vi}"
    book.properties.creator = "python -m generator report-form"
    return book


GUIDE_VI = (
    "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO",
    "1. Biểu mẫu này dành riêng cho cơ quan, kỳ báo cáo và kế hoạch ghi ở sheet «Báo cáo». Không dùng biểu"
    " mẫu của kỳ khác hoặc của cơ quan khác.",
    "2. Mỗi dòng là một nhiệm vụ mà cơ quan chủ trì hoặc phối hợp (cột «Vai trò»). Các cột nền xám được khóa;"
    " chỉ điền vào các ô nền vàng. Không thêm, xóa, sắp xếp hoặc di chuyển dòng.",
    "3. Ô «Số liệu tính đến ngày» là bắt buộc. Ngày nhập dạng ngày/tháng/năm, ví dụ 31/03/2021; không gõ"
    " ngày dưới dạng chữ.",
    "4. Cột «Tình trạng»: chọn trong danh sách (Chưa bắt đầu, Đang thực hiện, Hoàn thành, Tạm dừng, Dừng"
    " thực hiện). Để trống nếu không báo cáo nhiệm vụ đó trong kỳ này.",
    "5. Hoàn thành: ghi «Ngày hoàn thành» (không sau ngày tính số liệu). Tạm dừng, Dừng thực hiện: ghi «Lý do».",
    "6. Văn bản minh chứng: ghi cả số hiệu (ví dụ 30/KH-UBND) và ngày ban hành.",
    "7. Lưu tệp dưới dạng Excel (.xlsx), giữ nguyên tên tệp, và gửi Sở Nội vụ.",
)
GUIDE_EN = (
    "HOW TO FILL IN THIS REPORT FORM",
    "1. This form is for the agency, reporting period and plan named on the «Báo cáo» sheet only. Do not use a"
    " form of another period or agency.",
    "2. Each row is a task the agency leads or coordinates (column «Vai trò», role). Grey columns are locked;"
    " fill in the yellow cells only. Do not add, delete, sort or move rows.",
    "3. «Số liệu tính đến ngày» (report as of) is required. Type dates as day/month/year, e.g. 31/03/2021,"
    " never as text.",
    "4. Status: pick from the list (not started, in progress, completed, suspended, dropped). Leave it empty"
    " for a task not reported on this period.",
    "5. Completed: give the completion date (not after the report's date). Suspended or dropped: give the reason.",
    "6. Evidence: give both the document's number (e.g. 30/KH-UBND) and its date.",
    "7. Save as an Excel workbook (.xlsx), keep the file name, and send it to the Department of Home Affairs.",
)


def _guide(sheet: Worksheet, plan: PlanContent, report: str, period: Period, due: str, agency: str) -> None:
    sheet.column_dimensions["A"].width = 72  # fits A4 portrait unscaled (LibreOffice ignores fit-to-width here)
    text = [
        f"{report} ({period.id}){due}",
        f"{plan.plan.title.vi} ({plan.plan.decision.number})",
        f"Cơ quan báo cáo: {agency}",
        "",
        *GUIDE_VI,
        "",
        *GUIDE_EN,
    ]
    for index, line in enumerate(text, start=1):
        cell = sheet.cell(index, 1, line)
        bold = index <= 3 or line in (GUIDE_VI[0], GUIDE_EN[0])
        cell.font = Font(name=FONT, size=12, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[index].height = lines(line, 62) * 16.0
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.protection.sheet = True


def _report_sheet(
    sheet: Worksheet,
    plan: PlanContent,
    period: Period,
    period_text: str,
    agency: str,
    rows: list[FormRow],
    bounds: tuple[date, date],
) -> None:
    last_row = FIRST_ROW + max(len(rows), 1) - 1
    sheet["A1"] = "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH / ADMINISTRATIVE REFORM PROGRESS REPORT"
    sheet["A1"].font = Font(name=FONT, size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{LAST_VISIBLE_COLUMN}1")
    values = {
        "plan": f"{plan.plan.title.vi} ({plan.plan.decision.number})",
        "agency": agency,
        "period": f"{period_text} ({period.id})",
    }
    date_cells = []
    for head in HEAD:
        label = sheet[f"{HEAD_LABEL_COLUMN}{head.row}"]
        label.value = head.label
        label.font = Font(name=FONT, size=11, bold=True)
        label.alignment = Alignment(horizontal="right", vertical="center")
        value = sheet[f"{HEAD_VALUE_COLUMN}{head.row}"]
        sheet.merge_cells(f"{HEAD_VALUE_COLUMN}{head.row}:{HEAD_VALUE_LAST_COLUMN}{head.row}")
        value.font = Font(name=FONT, size=11, bold=not head.editable)
        value.alignment = Alignment(horizontal="left", vertical="center")
        if head.editable:
            value.protection = Protection(locked=False)
            value.fill = INPUT_FILL
            value.border = BOX
            if head.key in ("date", "document_date"):
                value.number_format = DATE_FORMAT
                date_cells.append(value.coordinate)
        else:
            value.value = values[head.key]
    for column in COLUMNS:
        cell = sheet[f"{column.letter}{HEADER_ROW}"]
        cell.value = column.header
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[column.letter].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 60
    for index, row in enumerate(rows):
        number = FIRST_ROW + index
        task = row.task.task
        fixed = {
            "number": task.number,
            "text": task.text.vi,
            "role": row.role,
            "deadline": task.deadline.text.vi if task.deadline else "",
            "last": row.last,
            "task_id": task.id,
        }
        for column in COLUMNS:
            cell = sheet[f"{column.letter}{number}"]
            cell.font = Font(name=FONT, size=11)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.editable:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
                if column.kind == "date":
                    cell.number_format = DATE_FORMAT
            else:
                cell.value = fixed[column.field] or None
                cell.fill = LOCKED_FILL
                cell.number_format = "@"  # a number such as 1.10 stays text
        height = max(
            lines(str(fixed[c.field] or ""), c.width) for c in COLUMNS if not c.editable and c.field != "task_id"
        )
        sheet.row_dimensions[number].height = max(height * LINE_HEIGHT, INPUT_HEIGHT)
    _validations(sheet, last_row, date_cells, bounds)
    sheet.column_dimensions[LAST_COLUMN].hidden = True
    sheet.freeze_panes = f"B{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{LAST_VISIBLE_COLUMN}{last_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the tasks need
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True
    # Locked: the task columns and the form's layout; rows and columns may still be resized.
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def _validations(sheet: Worksheet, last_row: int, head_dates: list[str], bounds: tuple[date, date]) -> None:
    labels = [STATUS_LABEL[s] for s in STATUSES if s in STATUS_LABEL]
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Tình trạng không hợp lệ",
        error="Chọn một tình trạng trong danh sách: " + ", ".join(labels) + ".",
        promptTitle="Tình trạng",
        prompt="Chọn trong danh sách; để trống nếu không báo cáo nhiệm vụ này.",
    )
    column = COLUMN["status"].letter
    status.add(f"{column}{FIRST_ROW}:{column}{last_row}")
    first, last = bounds
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=str(serial(first)),
        formula2=str(serial(last)),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Ngày không hợp lệ",
        error=f"Nhập một ngày từ {first.strftime('%d/%m/%Y')} đến {last.strftime('%d/%m/%Y')}, dạng ngày/tháng/năm.",
        promptTitle="Ngày",
        prompt="Nhập ngày dạng ngày/tháng/năm, ví dụ 31/03/2021.",
    )
    for field in ("completed", "evidence_date"):
        letter = COLUMN[field].letter
        dates.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
    for coordinate in head_dates:
        dates.add(coordinate)
    sheet.add_data_validation(status)
    sheet.add_data_validation(dates)


def write_forms(
    plan: PlanContent, city: City, period_id: str, agencies: list[str] | None, out: Path
) -> tuple[list[Path], list[str]]:
    """Write the forms of `agencies` (default: every agency expected to report) into `out`.

    Returns the files written and the problems (one line each) that stopped some agency's form.
    """
    progress = PlanProgress(plan, city)
    periods = {p.id: p for p in progress.periods}
    if period_id not in periods:
        return [], [f"'{period_id}' is not a reporting period of {plan.plan.id}: {', '.join(periods)}"]
    period = periods[period_id]
    kinds = {a.id: a.kind for a in city.agencies}
    problems: list[str] = []
    chosen = agencies or expected_agencies(progress, period)
    for agency in chosen:
        if agency not in kinds:
            problems.append(f"unknown agency '{agency}' in {city.id}")
        elif kinds[agency] == "group":
            problems.append(f"'{agency}' is a group of agencies: each of its agencies gets a form of its own")
        elif not agency_rows(progress, city, period, agency):
            problems.append(f"'{agency}' neither leads nor coordinates a task of {plan.plan.id} in {period_id}")
    if problems:
        return [], problems
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for agency in chosen:
        target = out / form_file_name(agency, period_id)
        build_form(plan, city, progress, period, agency).save(target)
        written.append(target)
    return written, []


def command(root: Path, plan_id: str, period_id: str, agencies: list[str] | None, out: Path) -> int:
    """`python -m generator report-form`: print the forms written, or why none was; return the exit code."""
    from generator.content.validate import load_or_refuse

    content = load_or_refuse(root, "no form written: content/ has problems (python -m generator check)")
    if content is None:
        return 1
    plans = {p.plan.id: p for p in content.plans}
    if plan_id not in plans:
        print(f"unknown plan '{plan_id}': {', '.join(plans)}")
        return 1
    plan = plans[plan_id]
    city = next(c for c in content.cities if c.id == plan.plan.city)
    written, problems = write_forms(plan, city, period_id, agencies, out)
    for problem in problems:
        print(problem)
    if problems:
        print("no form written")
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0
