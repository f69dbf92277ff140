"""`python -m generator report-import FILES…`: filled report forms (.xlsx) in, report YAML out.

Every file is read and checked before anything is written; each problem names its file and cell
(`bao-cao-so-noi-vu-2021-Q1.xlsx:Báo cáo!F12: status 'xong' is not one of …`), and one problem in one
file writes nothing at all. A written report starts with a comment holding the SHA-256 of its data without English,
so that a report edited by hand after its import is recognised and kept unless `--replace` is given, while
the English a maintainer adds is kept by the next import wherever the Vietnamese is unchanged;
re-importing the same form writes nothing, a changed one prints what changes. The written reports are
also checked as `check` reads them (content/ copied aside with them), so an import never leaves
content/ invalid.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from generator.base.errors import ContentError, visible
from generator.content.load import UnreadableYaml, parse_text
from generator.content.model import City, Content, PlanContent
from generator.content.progress import Period, PlanProgress
from generator.forms.report_layout import (
    COLUMNS,
    FIRST_ROW,
    FORM_KIND,
    FORM_VERSION,
    HEAD_ROWS,
    HEAD_VALUE_COLUMN,
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    IDENTITY_TASKS_ROW,
    INPUT_FIELDS,
    REPORT_SHEET,
    STATUS_LABEL,
    STATUS_LABELS,
    Field,
    form_file_name,
)

MAX_BYTES = 20 * 1024 * 1024
"""A form of a thousand tasks is well under 1 MB: anything past this is not a form, and is not opened."""
MAX_ROWS = 20_000
"""Rows read of a sheet: formatting a whole column writes a million empty rows, which are not read."""
HASH_LINE = "# sha256 of its data without English: "
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PLAIN = re.compile(r"[^\W\d_][^:#\n\t,\[\]{}]*[^\s:#,\[\]{}]|[^\W\d_]")
"""A text YAML reads back unchanged without quotes, in a {flow: mapping} too: it starts with a letter and has
no ':', '#', line break or flow punctuation (',', brackets, braces)."""
SLUG_PLAIN = re.compile(r"[a-z0-9]*[a-z-][a-z0-9-]*")
RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
NAMED = re.compile(r"bao-cao-(?P<agency>[a-z0-9-]+)-(?P<period>\d{4}-(?:Q[1-4]|H[12]|Y))\.xlsx", re.IGNORECASE)
INDEX = {c.field: i for i, c in enumerate(COLUMNS)}
LETTER = {c.field: c.letter for c in COLUMNS}


@dataclass(frozen=True)
class FormProblem:
    """One problem in one filled form: its file, its cell (or none for the whole file), a message, a hint."""

    file: str
    where: str
    message: str
    hint: str = ""

    def format(self) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        text = f"{place}: {visible(self.message)}"
        return f"{text}\n  hint: {visible(self.hint)}" if self.hint else text


@dataclass
class Imported:
    """A form read and checked: where its report goes and the report's data, ready to write."""

    source: Path
    plan: str
    period: str
    agency: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        return f"content/plans/{self.plan}/reports/{self.period}/{self.agency}.yaml"


class Form:
    """The cells of one workbook, read once (openpyxl's read-only mode reads a sheet as a stream)."""

    def __init__(self, path: Path, problems: list[FormProblem]) -> None:
        self.name = path.name
        self.problems = problems

    def problem(self, where: str, message: str, hint: str = "") -> None:
        self.problems.append(FormProblem(self.name, where, message, hint))


def cell(field_name: Field, row: int) -> str:
    return f"{REPORT_SHEET}!{LETTER[field_name]}{row}"


def read_workbook(path: Path, problems: list[FormProblem]) -> dict[str, list[tuple[Any, ...]]] | None:
    """The values of every sheet of a workbook, or None (with a problem) when it is not a readable .xlsx."""
    name = path.name
    if not path.is_file():
        problems.append(FormProblem(name, "", "no such file"))
        return None
    if path.stat().st_size > MAX_BYTES:
        problems.append(FormProblem(name, "", f"larger than {MAX_BYTES // 2**20} MB: not a report form"))
        return None
    if not zipfile.is_zipfile(path):
        problems.append(
            FormProblem(
                name,
                "",
                "not an Excel workbook (.xlsx), or a damaged one",
                "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)",
            )
        )
        return None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file; each is one problem here
        problems.append(
            FormProblem(
                name,
                "",
                f"the workbook cannot be read ({type(error).__name__}): it is damaged or not an .xlsx",
                "open it in Excel or LibreOffice and save it again as an Excel workbook (.xlsx)",
            )
        )
        return None
    try:
        return {
            sheet.title: [
                tuple(row) for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=len(COLUMNS), values_only=True)
            ]
            for sheet in book.worksheets
            if sheet.title in (REPORT_SHEET, IDENTITY_SHEET)
        }
    except Exception as error:
        problems.append(FormProblem(name, "", f"the workbook cannot be read ({type(error).__name__}): it is damaged"))
        return None
    finally:
        book.close()


def value(rows: list[tuple[Any, ...]], row: int, column: int) -> Any:
    """The value of a cell (1-based row, 0-based column), None when the sheet does not reach it; blank text is None."""
    if row - 1 >= len(rows) or column >= len(rows[row - 1]):
        return None
    found = rows[row - 1][column]
    return None if isinstance(found, str) and not found.strip() else found


def text_of(found: Any) -> str:
    """A cell's text as typed: NFC, line breaks as \\n, spaces around removed; a number as written."""
    if isinstance(found, datetime):
        return found.strftime("%d/%m/%Y")
    if isinstance(found, float) and found.is_integer():
        found = int(found)
    text = unicodedata.normalize("NFC", str(found)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


class Reader:
    """Reads and checks filled forms against the content they were made from."""

    def __init__(self, content: Content, period_filter: str | None = None) -> None:
        self.plans = {p.plan.id: p for p in content.plans}
        self.cities = {c.id: c for c in content.cities}
        self.period_filter = period_filter
        self._progress: dict[str, PlanProgress] = {}
        self.seen: dict[tuple[str, str, str], str] = {}

    def progress(self, plan: PlanContent) -> PlanProgress:
        if plan.plan.id not in self._progress:
            self._progress[plan.plan.id] = PlanProgress(plan, self.cities[plan.plan.city])
        return self._progress[plan.plan.id]

    def read(self, path: Path, problems: list[FormProblem]) -> Imported | None:
        before = len(problems)
        sheets = read_workbook(path, problems)
        if sheets is None:
            return None
        form = Form(path, problems)
        if IDENTITY_SHEET not in sheets or REPORT_SHEET not in sheets:
            form.problem(
                "",
                "not a report form: it has no sheet 'Báo cáo' and no form identity",
                "fill in the form `python -m generator report-form` made for the agency, not a copy of its table",
            )
            return None
        identity = {
            str(row[0]): text_of(row[1])
            for row in sheets[IDENTITY_SHEET][: len(IDENTITY_KEYS)]
            if len(row) > 1 and row[0] is not None and row[1] is not None
        }
        if identity.get("form") != FORM_KIND or any(k not in identity for k in IDENTITY_KEYS):
            form.problem(
                "", "not a report form: its identity sheet is missing or altered", "ask for a new form (report-form)"
            )
            return None
        if identity["version"] != FORM_VERSION:
            form.problem(
                "",
                f"a form of version {identity['version']}; this project reads version {FORM_VERSION}",
                "make the agency a new form with `python -m generator report-form`",
            )
            return None
        found = self._identify(form, path, identity)
        if found is None:
            return None
        plan, city, period, agency = found
        ids = [
            (int(row[0]), text_of(row[1]))
            for row in sheets[IDENTITY_SHEET][IDENTITY_TASKS_ROW - 1 :]
            if len(row) > 1 and isinstance(row[0], (int, float)) and row[1] is not None
        ]
        result = Imported(path, plan.plan.id, period.id, agency)
        self._report(form, plan, city, period, agency, ids, sheets[REPORT_SHEET], result)
        return result if len(problems) == before else None

    def _identify(
        self, form: Form, path: Path, identity: dict[str, str]
    ) -> tuple[PlanContent, City, Period, str] | None:
        plan = self.plans.get(identity["plan"])
        if plan is None:
            form.problem("", f"a form of plan '{identity['plan']}', which is not in content/: {', '.join(self.plans)}")
            return None
        city = self.cities[plan.plan.city]
        periods = {p.id: p for p in self.progress(plan).periods}
        period = periods.get(identity["period"])
        if period is None:
            form.problem("", f"a form of period '{identity['period']}', which {plan.plan.id} does not report on")
            return None
        agency = identity["agency"]
        if agency not in {a.id for a in city.agencies if a.kind != "group"}:
            form.problem("", f"a form of agency '{agency}', which is not an agency of {city.id}")
            return None
        if self.period_filter is not None and period.id != self.period_filter:
            form.problem(
                "",
                f"a form of period {period.id}, not of {self.period_filter} being imported",
                f"the agency sent an old form: ask it for its {self.period_filter} report on the form of that period",
            )
            return None
        named = NAMED.fullmatch(path.name)
        if named is not None:
            expected = form_file_name(agency, period.id)
            if named["period"].upper() != period.id.upper():
                form.problem(
                    "",
                    f"the file is named for period {named['period']}, but the form in it is of {period.id}",
                    f"the agency filled the form of another period: ask for {named['period']}'s form, or rename the"
                    f" file {expected} if {period.id} is meant",
                )
                return None
            if named["agency"].lower() != agency:
                form.problem(
                    "",
                    f"the file is named for agency {named['agency']}, but the form in it is {agency}'s",
                    f"the agency filled another agency's form: ask it for its own, or rename the file {expected} if"
                    f" it is {agency}'s report",
                )
                return None
        key = (plan.plan.id, period.id, agency)
        if key in self.seen:
            form.problem(
                "",
                f"a second form of {agency} for {period.id}: {self.seen[key]} is one too",
                "import one of them only",
            )
            return None
        self.seen[key] = path.name
        return plan, city, period, agency

    def _report(
        self,
        form: Form,
        plan: PlanContent,
        city: City,
        period: Period,
        agency: str,
        ids: list[tuple[int, str]],
        rows: list[tuple[Any, ...]],
        result: Imported,
    ) -> None:
        year = plan.plan.year
        bounds = (date(year - 1, 1, 1), date(year + 2, 12, 31))
        head_column = ord(HEAD_VALUE_COLUMN) - ord("A")
        where = {key: f"{REPORT_SHEET}!{HEAD_VALUE_COLUMN}{row}" for key, row in HEAD_ROWS.items()}
        day = self._date(form, where["date"], value(rows, HEAD_ROWS["date"], head_column), bounds)
        if day is None and value(rows, HEAD_ROWS["date"], head_column) is None:
            form.problem(where["date"], "the report's date (số liệu tính đến ngày) is missing", "type it as dd/mm/yyyy")
        if day is not None and day < period.start:
            form.problem(
                where["date"],
                f"the report's date {day:%d/%m/%Y} is before its period {period.id} starts on {period.start:%d/%m/%Y}",
                "give the day the report's figures stand at",
            )
        number = value(rows, HEAD_ROWS["document_number"], head_column)
        raw_day = value(rows, HEAD_ROWS["document_date"], head_column)
        doc_day = self._date(form, where["document_date"], raw_day, bounds)
        if (number is None) != (raw_day is None):
            form.problem(
                where["document_date" if number is not None else "document_number"],
                "the report's number and date go together: " + ("its date" if number else "its number") + " is missing",
                "give both, or neither",
            )
        data: dict[str, Any] = {"date": day}
        if number is not None and doc_day is not None:
            data["document"] = {"number": self._text(form, where["document_number"], number), "date": doc_day}
        entries = self._rows(form, plan, period, agency, ids, rows, day, bounds)
        if not entries and not any(p.file == form.name for p in form.problems):
            form.problem(
                cell("status", FIRST_ROW),
                "no task has a status: the form is empty",
                "choose a status for each task the agency reports on",
            )
        data["entries"] = entries
        result.data = data

    def _rows(
        self,
        form: Form,
        plan: PlanContent,
        period: Period,
        agency: str,
        ids: list[tuple[int, str]],
        rows: list[tuple[Any, ...]],
        day: date | None,
        bounds: tuple[date, date],
    ) -> list[dict[str, Any]]:
        progress = self.progress(plan)
        everything = progress.tasks_at(date.max)
        expected = [task_id for _, task_id in ids]
        last = FIRST_ROW + len(expected) - 1
        found: dict[int, str | None] = {}
        for row in range(FIRST_ROW, max(len(rows), last) + 1):
            hidden = value(rows, row, INDEX["task_id"])
            found[row] = text_of(hidden) if hidden is not None else None
        entries: list[dict[str, Any]] = []
        where_found = {task_id: row for row, task_id in found.items() if task_id is not None}
        known = set(expected)
        kept = [t for t in expected if t in where_found]
        in_order = [t for _, t in sorted(found.items()) if t in known] == kept
        if in_order and kept != expected:  # rows deleted, the others shifted up: name the deleted ones only
            for index, task_id in enumerate(expected):
                if task_id not in where_found:
                    task = everything.get(task_id)
                    form.problem(
                        cell("number", FIRST_ROW + index),
                        f"row deleted: task {task.task.number if task else task_id} is missing (the form has it in row"
                        f" {FIRST_ROW + index})",
                        "rows are never deleted: leave the status empty for a task not reported on",
                    )
            return []
        if in_order and any(where_found[t] != FIRST_ROW + i for i, t in enumerate(expected)):
            for row in range(FIRST_ROW, where_found[expected[-1]]):  # rows inserted, the others shifted down
                if found.get(row) not in known:
                    form.problem(
                        cell("number", row),
                        "row added among the form's tasks",
                        "the form lists the agency's tasks: delete the row (write about other work in a task's"
                        " difficulties or proposals)",
                    )
            return []
        for index, task_id in enumerate(expected):
            row = FIRST_ROW + index
            task = everything.get(task_id)
            number = task.task.number if task is not None else task_id
            here = found.get(row)
            if here != task_id:
                if task_id in where_found:
                    form.problem(
                        cell("number", row),
                        f"row moved: task {number} is in row {where_found[task_id]}, the form has it in row {row}",
                        "rows keep the form's order: undo the sort or move (or ask for a new form)",
                    )
                else:
                    form.problem(
                        cell("number", row),
                        f"row deleted: task {number} is missing (the form has it in row {row})",
                        "rows are never deleted: leave the status empty for a task not reported on",
                    )
                continue
            shown = value(rows, row, INDEX["number"])
            if task is not None and (shown is None or text_of(shown) != task.task.number):
                form.problem(
                    cell("number", row),
                    f"the task number reads '{text_of(shown) if shown is not None else ''}', not {task.task.number}:"
                    " cells were moved",
                    "the grey columns are never changed: undo the change (or ask for a new form)",
                )
                continue
            entry = self._entry(form, row, rows, day, bounds)
            if entry is None:
                continue
            if task is None:
                form.problem(
                    cell("status", row),
                    f"task '{task_id}' is no longer in {plan.plan.id}",
                    "the plan changed since the form was made: make a new form",
                )
                continue
            entry = {"task": task_id, **entry}
            if day is not None and self._in_force(form, row, progress, task_id, agency, day):
                entries.append(entry)
        for row in range(last + 1, max(len(rows), last) + 1):
            filled = any(value(rows, row, i) is not None for i in range(len(COLUMNS)))
            if filled and found.get(row) not in known:
                form.problem(
                    cell("number", row),
                    "row added below the form's tasks",
                    "the form lists the agency's tasks: write about other work in a task's difficulties or proposals",
                )
        return entries

    def _in_force(self, form: Form, row: int, progress: PlanProgress, task_id: str, agency: str, day: date) -> bool:
        current = progress.tasks_at(day).get(task_id)
        where = cell("status", row)
        if current is None:
            added = progress.current(task_id).added
            decision = added.amendment.decision if added else None
            form.problem(
                where,
                f"task {task_id} was added by {decision.number if decision else 'an amendment'} after the report's"
                f" date {day:%d/%m/%Y}",
                "check the report's date, or leave this task's status empty",
            )
            return False
        cancelled = current.cancelled
        if cancelled is not None and cancelled.amendment.decision.date < day:
            decision = cancelled.amendment.decision
            form.problem(
                where,
                f"task {current.task.number} was cancelled by {decision.number} of {decision.date:%d/%m/%Y},"
                f" before the report's date {day:%d/%m/%Y}",
                "a cancelled task is not reported on: leave its status empty",
            )
            return False
        if agency not in progress.roles(current.task):
            form.problem(
                where,
                f"{agency} no longer leads or coordinates task {current.task.number}",
                "an amendment gave it to another agency: leave its status empty",
            )
            return False
        return True

    def _entry(
        self, form: Form, row: int, rows: list[tuple[Any, ...]], day: date | None, bounds: tuple[date, date]
    ) -> dict[str, Any] | None:
        raw = {name: value(rows, row, INDEX[name]) for name in INPUT_FIELDS}
        if all(v is None for v in raw.values()):
            return None
        before = len(form.problems)
        label = raw["status"]
        status = None
        if label is None:
            form.problem(
                cell("status", row),
                "status is missing, but the row has other cells filled in",
                "choose a status from the list, or empty the row",
            )
        else:
            typed = text_of(label)
            status = next((s for lab, s in STATUS_LABELS.items() if lab.casefold() == typed.casefold()), None)
            if status is None:
                form.problem(
                    cell("status", row),
                    f"status '{typed}' is not one of {', '.join(STATUS_LABELS)}",
                    f"choose from the drop-down list of column {LETTER['status']}",
                )
        completed = self._date(form, cell("completed", row), raw["completed"], bounds)
        if status == "completed" and raw["completed"] is None:
            form.problem(
                cell("completed", row),
                "a completed task needs its completion date",
                "type the day it was completed, as dd/mm/yyyy",
            )
        if status is not None and status != "completed" and raw["completed"] is not None:
            form.problem(
                cell("completed", row),
                f"a completion date goes with status '{STATUS_LABEL['completed']}' only, not '{STATUS_LABEL[status]}'",
                "empty the cell, or choose Hoàn thành",
            )
        if completed is not None and day is not None and completed > day:
            form.problem(
                cell("completed", row),
                f"completed {completed:%d/%m/%Y}, after the report's date {day:%d/%m/%Y}",
                "a report tells what was done by its date: check both dates",
            )
        stops = ("suspended", "dropped")
        if status in stops and raw["reason"] is None:
            form.problem(
                cell("reason", row),
                f"status '{STATUS_LABEL[status]}' needs its reason",
                "give the reason the agency reports",
            )
        if status is not None and status not in stops and raw["reason"] is not None:
            form.problem(
                cell("reason", row),
                "a reason goes with status 'Tạm dừng' or 'Dừng thực hiện' only",
                "put it in the difficulties or proposals column instead",
            )
        evidence_day = self._date(form, cell("evidence_date", row), raw["evidence_date"], bounds)
        if (raw["evidence_number"] is None) != (raw["evidence_date"] is None):
            missing: Field = "evidence_date" if raw["evidence_number"] is not None else "evidence_number"
            form.problem(
                cell(missing, row),
                "an evidence document needs its number and its date",
                "give both (e.g. 30/KH-UBND and 20/03/2021), or neither",
            )
        texts = {
            name: self._text(form, cell(name, row), raw[name])
            for name in ("done", "difficulties", "proposals", "reason")
            if raw[name] is not None
        }
        if len(form.problems) > before or status is None:
            return None
        entry: dict[str, Any] = {"status": status}
        if completed is not None:
            entry["completed"] = completed
        if "done" in texts:
            entry["done"] = {"vi": texts["done"]}
        if raw["evidence_number"] is not None and evidence_day is not None:
            number = self._text(form, cell("evidence_number", row), raw["evidence_number"])
            entry["evidence"] = [{"number": number, "date": evidence_day}]
        for name in ("difficulties", "proposals", "reason"):
            if name in texts:
                entry[name] = {"vi": texts[name]}
        return entry

    def _date(self, form: Form, where: str, found: Any, bounds: tuple[date, date]) -> date | None:
        if found is None:
            return None
        if isinstance(found, datetime):
            day = found.date()
        elif isinstance(found, date):
            day = found
        elif isinstance(found, str):
            form.problem(
                where,
                f"date typed as text: '{text_of(found)}'",
                "type the date as a date, e.g. 31/03/2021, so that the spreadsheet accepts it (it then aligns right)",
            )
            return None
        else:
            form.problem(
                where, f"'{text_of(found)}' is not a date", "format the cell as a date and type e.g. 31/03/2021"
            )
            return None
        first, last = bounds
        if not first <= day <= last:
            form.problem(
                where,
                f"implausible date {day:%d/%m/%Y}",
                f"dates of this plan lie between {first:%d/%m/%Y} and {last:%d/%m/%Y}",
            )
            return None
        return day

    def _text(self, form: Form, where: str, found: Any) -> str:
        text = text_of(found)
        bad = CONTROL.search(text)
        if bad:
            form.problem(
                where,
                f"control character U+{ord(bad.group()):04X} in the text",
                "retype the text, or paste it as plain text",
            )
        return text


def scalar(item: Any) -> str:
    """A value as YAML that `check` reads back exactly: dates bare, plain text bare when safe, else quoted."""
    if isinstance(item, date):
        return item.isoformat()
    text = str(item)
    if text.lower() in RESERVED:
        return json.dumps(text)
    if SLUG_PLAIN.fullmatch(text) and not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return text
    if PLAIN.fullmatch(text) and text.lower() not in RESERVED and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def _text(name: str, text: dict[str, str], indent: str) -> str:
    english = f", en: {scalar(text['en'])}" if text.get("en") else ""
    return f"{indent}{name}: {{vi: {scalar(text['vi'])}{english}}}"


def dump(data: dict[str, Any]) -> str:
    """The body of a report file, laid out as content/FORMAT.md shows it."""
    out = [f"date: {scalar(data['date'])}"]
    if "document" in data:
        document = data["document"]
        out.append(f"document: {{number: {scalar(document['number'])}, date: {scalar(document['date'])}}}")
    out.append("entries:")
    for entry in data["entries"]:
        out.append(f"  - task: {scalar(entry['task'])}")
        out.append(f"    status: {entry['status']}")
        if "completed" in entry:
            out.append(f"    completed: {scalar(entry['completed'])}")
        if "done" in entry:
            out.append(_text("done", entry["done"], "    "))
        if "evidence" in entry:
            out.append("    evidence:")
            for item in entry["evidence"]:
                out.append(f"      - {{number: {scalar(item['number'])}, date: {scalar(item['date'])}}}")
        for name in ("difficulties", "proposals", "reason"):
            if name in entry:
                out.append(_text(name, entry[name], "    "))
    return "\n".join(out) + "\n"


TEXTS = ("done", "difficulties", "proposals", "reason")


def without_english(data: Any) -> Any:
    """Data with every `en` of its texts left out: what a form can say."""
    if isinstance(data, dict):
        return {k: without_english(v) for k, v in data.items() if k != "en"}
    if isinstance(data, list):
        return [without_english(v) for v in data]
    return data


def fingerprint(body: str) -> str | None:
    """The SHA-256 of a report's data without its English: adding translations is not an edit of the report
    (the site needs them, the form cannot give them), any other change is. None when the text is not YAML."""
    try:
        data = parse_text(body)
    except UnreadableYaml:
        return None
    canonical = json.dumps(without_english(data), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def translated(data: dict[str, Any], old: Any) -> dict[str, Any]:
    """`data` with the English of the old report's texts kept wherever the Vietnamese is unchanged."""
    english: dict[tuple[Any, str, Any], Any] = {}
    found = old.get("entries") if isinstance(old, dict) else None
    for entry in found if isinstance(found, list) else []:
        for name in TEXTS if isinstance(entry, dict) else ():
            text = entry.get(name)
            if isinstance(text, dict) and text.get("en"):
                english[(entry.get("task"), name, text.get("vi"))] = text["en"]
    entries = []
    for entry in data["entries"]:
        entry = dict(entry)
        for name in TEXTS:
            if name in entry and (entry["task"], name, entry[name]["vi"]) in english:
                entry[name] = {**entry[name], "en": english[(entry["task"], name, entry[name]["vi"])]}
        entries.append(entry)
    return {**data, "entries": entries}


def header(source: str, body: str) -> str:
    return (
        f"# Imported by `python -m generator report-import` from the form {source} (version {FORM_VERSION}).\n"
        "# Add English (en:) to its texts freely; edited otherwise, it is kept: report-import then overwrites it\n"
        "# only with --replace.\n"
        f"{HASH_LINE}{fingerprint(body)}\n"
    )


def split(text: str) -> tuple[str | None, str]:
    """The recorded hash of a report file (None when it has none: written by hand) and the body it covers."""
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    recorded = next((line[len(HASH_LINE) :].strip() for line in lines[:head] if line.startswith(HASH_LINE)), None)
    return recorded, "".join(lines[head:])


def changes(old: Any, new: Any) -> list[str]:
    """What a re-import changes, one line each: the report's date and document, then task by task."""
    lines: list[str] = []
    old = old if isinstance(old, dict) else {}
    for key in ("date", "received", "document"):
        if old.get(key) != new.get(key):
            lines.append(f"{key}: {_show(old.get(key))} → {_show(new.get(key))}")
    before = {e.get("task"): e for e in old.get("entries") or [] if isinstance(e, dict)}
    after = {e["task"]: e for e in new.get("entries", [])}
    for task, entry in after.items():
        if task not in before:
            lines.append(f"task {task}: added, {STATUS_LABEL.get(entry['status'], entry['status'])}")
            continue
        was = before[task]
        fields = [k for k in dict.fromkeys([*was, *entry]) if was.get(k) != entry.get(k)]
        if "status" in fields:
            lines.append(
                f"task {task}: status {STATUS_LABEL.get(str(was.get('status')), was.get('status'))} →"
                f" {STATUS_LABEL[entry['status']]}"
            )
            fields.remove("status")
        if fields:
            lines.append(f"task {task}: {', '.join(str(f) for f in fields)} changed")
    for task in before:
        if task not in after:
            lines.append(f"task {task}: removed")
    return lines


def _show(item: Any) -> str:
    return "(none)" if item is None else json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else str(item)


@dataclass(frozen=True)
class Planned:
    """A report file to write (or leave), and what to say about it."""

    imported: Imported
    text: str
    action: str
    """'wrote', 'updated', 'replaced' or 'unchanged'."""
    details: tuple[str, ...] = ()


def plan_writes(root: Path, items: Sequence[Imported], replace: bool, problems: list[FormProblem]) -> list[Planned]:
    """Decide, for each imported form, whether its report is new, unchanged, updated, or edited by hand."""
    result = []
    for item in items:
        target = root / item.target
        if not target.exists():
            body = dump(item.data)
            result.append(Planned(item, header(item.source.name, body) + body, "wrote"))
            continue
        recorded, old_body = split(target.read_text(encoding="utf-8", errors="replace"))
        try:
            old = parse_text(old_body)
        except UnreadableYaml:
            old = None
        by_hand = recorded is None or recorded != fingerprint(old_body)
        if by_hand and not replace:
            what = "was written by hand" if recorded is None else "was edited by hand after its import"
            problems.append(
                FormProblem(
                    item.source.name,
                    "",
                    f"{item.target} {what}: it is kept",
                    "compare it with the form; to overwrite it with the form, import again with --replace",
                )
            )
            continue
        if not by_hand:
            item.data = translated(item.data, old)
        body = dump(item.data)
        text = header(item.source.name, body) + body
        if not by_hand and old_body == body:
            result.append(Planned(item, text, "unchanged"))
            continue
        found = changes(without_english(old), without_english(parse_text(body)))
        result.append(Planned(item, text, "replaced" if by_hand else "updated", tuple(found)))
    return result


def verify(root: Path, planned: list[Planned], problems: list[FormProblem]) -> None:
    """Check the reports as `check` will: content/ copied aside with them written in, then loaded."""
    from generator.content.validate import load_content

    writes = [p for p in planned if p.action != "unchanged"]
    if not writes:
        return
    with tempfile.TemporaryDirectory(prefix="report-import-") as folder:
        copy = Path(folder)
        shutil.copytree(root / "content", copy / "content", symlinks=True)
        for item in writes:
            target = copy / item.imported.target
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.text, encoding="utf-8")
        try:
            load_content(copy)
        except ContentError as error:
            sources = {p.imported.target: p.imported.source.name for p in writes}
            for found in error.problems:
                if found.path in sources and not found.warning:
                    problems.append(
                        FormProblem(
                            sources[found.path],
                            "",
                            f"the report would not pass check: {found.field}: {found.message}",
                            found.hint,
                        )
                    )


def command(root: Path, files: list[Path], *, replace: bool = False, period: str | None = None) -> int:
    """`python -m generator report-import`: check every form, then write every report or none."""
    from generator.content.validate import load_or_refuse

    content = load_or_refuse(root, "nothing imported: content/ has problems (python -m generator check)")
    if content is None:
        return 1
    reader = Reader(content, period)
    problems: list[FormProblem] = []
    imported = [read for path in files if (read := reader.read(path, problems)) is not None]
    planned = plan_writes(root, imported, replace, problems) if not problems else []
    if not problems:
        verify(root, planned, problems)
    if problems:
        for problem in problems:
            print(problem.format())
        count = len({p.file for p in problems})
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {count} file{'s' if count != 1 else ''};"
            " nothing written"
        )
        return 1
    for item in planned:
        target = root / item.imported.target
        name = item.imported.source.name
        if item.action == "unchanged":
            print(f"unchanged {item.imported.target}: {name} is imported already")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.importing")
        partial.write_text(item.text, encoding="utf-8")
        partial.replace(target)
        count = len(item.imported.data["entries"])
        print(f"{item.action} {item.imported.target} from {name}: {count} task{'s' if count != 1 else ''}")
        for line in item.details or (("(the same report, written anew)",) if item.action != "wrote" else ()):
            print(f"  {line}")
    return 0
