"""The layout of an agency's report form (.xlsx): sheets, cells, columns and status labels.

`report_form` writes forms with it and `report_import` reads them back with it, so the two cannot drift
apart: a cell moves here, in one place. A form that changes its layout gets a new FORM_VERSION, and
import refuses a form of another version rather than read the wrong cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.content.labels import STATUS_NAMES

FORM_VERSION = "1"
"""Written in every form; import reads only forms of this version."""
FORM_KIND = "bao-cao-tien-do-cchc"
"""What the identity sheet says the workbook is: a progress report form of this project."""

REPORT_SHEET = "Báo cáo"
GUIDE_SHEET = "Hướng dẫn"
IDENTITY_SHEET = "_bieu_mau"
"""The hidden sheet that says which plan, period and agency the form is for, and its tasks in order."""

# The identity sheet: a key in column A, its value in column B, one per row, then one row per task
# (row of the report sheet in A, task id in B) from IDENTITY_TASKS_ROW on.
IDENTITY_KEYS = ("form", "version", "plan", "period", "agency")
IDENTITY_TASKS_ROW = 10


def form_file_name(agency: str, period: str) -> str:
    """The file name of a form: `bao-cao-so-noi-vu-2021-Q1.xlsx`."""
    return f"bao-cao-{agency}-{period}.xlsx"


# The report sheet's head: each a label (column B) and a value (column C, merged to E).
Head = Literal["plan", "agency", "period", "date", "document_number", "document_date"]


@dataclass(frozen=True)
class HeadCell:
    key: Head
    row: int
    label: str
    """Vietnamese / English, as printed beside the value."""
    editable: bool


HEAD = (
    HeadCell("plan", 2, "Kế hoạch / Plan", False),
    HeadCell("agency", 3, "Cơ quan báo cáo / Reporting agency", False),
    HeadCell("period", 4, "Kỳ báo cáo / Reporting period", False),
    HeadCell("date", 5, "Số liệu tính đến ngày (*) / Report as of (*)", True),
    HeadCell("document_number", 6, "Số văn bản báo cáo / Report number", True),
    HeadCell("document_date", 7, "Ngày văn bản báo cáo / Report date", True),
)
HEAD_ROWS = {cell.key: cell.row for cell in HEAD}
HEAD_LABEL_COLUMN = "B"
HEAD_VALUE_COLUMN = "C"
HEAD_VALUE_LAST_COLUMN = "H"

HEADER_ROW = 9
FIRST_ROW = HEADER_ROW + 1
"""The first task row of the report sheet."""

Field = Literal[
    "number",
    "text",
    "role",
    "deadline",
    "last",
    "status",
    "completed",
    "done",
    "evidence_number",
    "evidence_date",
    "difficulties",
    "proposals",
    "reason",
    "task_id",
]


@dataclass(frozen=True)
class Column:
    field: Field
    letter: str
    header: str
    """Vietnamese, a line break, English."""
    width: float
    editable: bool
    kind: Literal["text", "date", "status"] = "text"


COLUMNS = (
    Column("number", "A", "Số TT\nNo.", 5, False),
    Column("text", "B", "Nội dung nhiệm vụ\nTask", 34, False),
    Column("role", "C", "Vai trò\nRole", 11, False),
    Column("deadline", "D", "Thời hạn\nDeadline", 11, False),
    Column("last", "E", "Tình trạng kỳ trước\nLast reported", 12, False),
    Column("status", "F", "Tình trạng (*)\nStatus (*)", 14, True, "status"),
    Column("completed", "G", "Ngày hoàn thành\nCompleted on", 11, True, "date"),
    Column("done", "H", "Kết quả thực hiện\nWhat was done", 24, True),
    Column("evidence_number", "I", "Số văn bản minh chứng\nEvidence: number", 12, True),
    Column("evidence_date", "J", "Ngày văn bản minh chứng\nEvidence: date", 11, True, "date"),
    Column("difficulties", "K", "Khó khăn, vướng mắc\nDifficulties", 17, True),
    Column("proposals", "L", "Đề xuất, kiến nghị\nProposals", 17, True),
    Column("reason", "M", "Lý do tạm dừng, dừng\nReason (suspended, dropped)", 15, True),
    Column("task_id", "N", "Mã nhiệm vụ\nTask id", 8, False),
)
"""The report sheet's columns; the last one (the task id) is hidden: import checks each row by it."""
COLUMN = {c.field: c for c in COLUMNS}
LAST_COLUMN = COLUMNS[-1].letter
LAST_VISIBLE_COLUMN = COLUMNS[-2].letter
INPUT_FIELDS: tuple[Field, ...] = tuple(c.field for c in COLUMNS if c.editable)

REPORTED = ("not_started", "in_progress", "completed", "suspended", "dropped")
"""The statuses an agency may report (cancelled and not reported are the site's, never typed)."""
STATUS_LABELS: dict[str, str] = {STATUS_NAMES["vi"][s]: s for s in REPORTED}
"""The drop-down's Vietnamese labels, as the site shows them, and the status each stands for."""
STATUS_LABEL: dict[str, str] = {s: label for label, s in STATUS_LABELS.items()}
ROLE_LABELS = {"lead": "Chủ trì", "coordinating": "Phối hợp"}
