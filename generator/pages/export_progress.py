"""Open data of progress: every report entry (reports.csv/json) and every amendment change (amendments.csv/json).

One row per entry an agency reported for a task in a period: a task no agency reported on is not a row
(pages say "not reported"). Timeliness and whether the agency's report came on time are computed here as
on the pages (generator.content.progress), never read from the files. One row per change an amending decision
made, with the task's value before and after it, as text.

The JSON records are built as the models below, so reports.json and amendments.json always match the
JSON Schemas published beside them (data/schema/reports.schema.json, amendments.schema.json).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.content.model import AgencyCell, Amendment, AmendmentChange, Task, Text
from generator.content.progress import PlanProgress, Timeliness, timeliness
from generator.content.site import Site, task_url

REPORT_COLUMNS: tuple[str, ...] = (
    "plan",
    "period",
    "task",
    "number",
    "agency",
    "status",
    "timeliness",
    "counted",
    "report_date",
    "report_received",
    "report_on_time",
    "report_document",
    "completed",
    "done_vi",
    "done_en",
    "evidence_numbers",
    "evidence_dates",
    "evidence_urls",
    "difficulties_vi",
    "difficulties_en",
    "proposals_vi",
    "proposals_en",
    "reason_vi",
    "reason_en",
    "url_vi",
    "url_en",
)
"""Every column of reports.csv, in order; the data page explains each (progress_data in generator/content/wording/)."""

AMENDMENT_COLUMNS: tuple[str, ...] = (
    "plan",
    "amendment",
    "decision_number",
    "decision_date",
    "signer",
    "task",
    "kind",
    "before_vi",
    "before_en",
    "after_vi",
    "after_en",
)
"""Every column of amendments.csv, in order."""

Kind = Literal["deadline", "agencies", "cancel", "add"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Record):
    """A text in both languages; `en` is null where it is not translated yet."""

    vi: str
    en: str | None = None


class Document(_Record):
    """A document cited as printed."""

    number: str = Field(description="Number exactly as printed, e.g. '125/BC-SNV'.")
    date: dt.date
    url: str | None = None


class ReportInfo(_Record):
    """The agency's report the entry comes from."""

    date: dt.date = Field(description="The date the report speaks for.")
    received: dt.date | None = Field(description="When the Department of Home Affairs received it, if given.")
    on_time: bool | None = Field(
        description="Received (else dated) on or before the period's due date; null when the plan sets no due date."
    )
    document: Document | None = Field(description="The report document, if cited.")


class ReportRecord(_Record):
    """One entry of reports.json: what one agency reported on one task for one period."""

    plan: str
    period: str = Field(description="Reporting period: 2021-Q1…Q4, 2021-H1/H2 or 2021-Y.")
    task: str = Field(description="Task key, <plan>/<id>.")
    number: str = Field(description="Task number as printed.")
    agency: str = Field(description="Reporting agency key, <city>/<id>.")
    status: Literal["not_started", "in_progress", "completed", "suspended", "dropped"]
    timeliness: Timeliness | None = Field(
        description="Computed from the task's deadline at the period's due date (amendments applied), the"
        " completion date and the report's date; null when an amendment had cancelled the task by then."
    )
    counted: bool = Field(
        description="Whether this is the entry the site counts for the task in this period (the lead's, else"
        " the latest-dated coordinator's)."
    )
    report: ReportInfo
    completed: dt.date | None
    done: Texts | None
    evidence: list[Document]
    difficulties: Texts | None
    proposals: Texts | None
    reason: Texts | None
    url: Texts = Field(description="Paths of the task's page in each language.")


class AmendmentRecord(_Record):
    """One entry of amendments.json: one change an amending decision made."""

    plan: str
    amendment: str = Field(description="Id of the amendment file.")
    decision: Document = Field(description="The amending decision (number, date).")
    signer: str
    task: str = Field(description="Task key, <plan>/<id> (the new task's for 'add').")
    kind: Kind = Field(description="deadline, agencies (lead and/or coordinating), cancel or add.")
    before: Texts | None = Field(description="The task's value before the change; null for cancel and add.")
    after: Texts = Field(description="The value after: the deadline, the agencies, the reason, or the new task's text.")


def _texts(text: Text | None) -> Texts | None:
    return Texts(vi=text.vi, en=text.en) if text else None


def report_records(site: Site) -> list[ReportRecord]:
    """Every entry of every report, by plan, period (in the plan's order), agency, then entry order."""
    found = []
    for item in site.content.plans:
        progress = site.progress[item.plan.id]
        city = item.plan.city
        for period in progress.periods:
            on_time = {a.agency: a.on_time for a in progress.agency_reporting(period.id)}
            tasks = progress.tasks_at(period.moment)
            for report in progress.reports(period.id):
                for entry in report.entries:
                    current = tasks.get(entry.task) or progress.latest[entry.task]
                    state = progress.status(entry.task, period.id)
                    kept = None if current.cancelled else timeliness(current.task, entry, report.date)
                    url = task_url(item.plan, current.task)
                    document = report.document
                    found.append(
                        ReportRecord(
                            plan=item.plan.id,
                            period=period.id,
                            task=f"{item.plan.id}/{entry.task}",
                            number=current.task.number,
                            agency=f"{city}/{report.agency}",
                            status=entry.status,
                            timeliness=kept,
                            counted=state is not None and state.entry is entry,
                            report=ReportInfo(
                                date=report.date,
                                received=report.received,
                                on_time=on_time.get(report.agency),
                                document=Document(**document.model_dump()) if document else None,
                            ),
                            completed=entry.completed,
                            done=_texts(entry.done),
                            evidence=[Document(**e.model_dump()) for e in entry.evidence],
                            difficulties=_texts(entry.difficulties),
                            proposals=_texts(entry.proposals),
                            reason=_texts(entry.reason),
                            url=Texts(vi=f"/{url}", en=f"/en/{url}"),
                        )
                    )
    return found


def _agencies_text(lead: AgencyCell | None, coordinating: AgencyCell | None, lang: str) -> str | None:
    """Lead and coordinating cells in words: 'Chủ trì: …; Phối hợp: …' (only the cells given)."""
    words = {"vi": ("Chủ trì", "Phối hợp"), "en": ("Lead", "Coordinating")}[lang]
    parts = []
    for word, cell in zip(words, (lead, coordinating), strict=True):
        if cell is not None:
            text = cell.printed.vi if lang == "vi" else cell.printed.en
            if text is None:
                return None  # untranslated: the English column says nothing rather than half
            parts.append(f"{word}: {text}")
    return "; ".join(parts) if parts else ""


def _agencies(lead: AgencyCell | None, coordinating: AgencyCell | None) -> Texts:
    return Texts(vi=_agencies_text(lead, coordinating, "vi") or "", en=_agencies_text(lead, coordinating, "en"))


def _change(task: Task | None, change: AmendmentChange) -> tuple[Kind, Texts | None, Texts]:
    """What a change did, with the task's value before (task: the task as it stood) and after."""
    if change.add is not None:
        return "add", None, Texts(vi=change.add.text.vi, en=change.add.text.en)
    if change.cancel is not None:
        return "cancel", None, Texts(vi=change.cancel.vi, en=change.cancel.en)
    if change.deadline is not None:
        before = task.deadline.text if task is not None and task.deadline is not None else None
        return "deadline", _texts(before), Texts(vi=change.deadline.text.vi, en=change.deadline.text.en)
    # Lead and/or coordinating: before, the same cells as the task had them.
    old_lead = task.lead if task is not None and change.lead is not None else None
    old_coordinating = task.coordinating if task is not None and change.coordinating is not None else None
    return "agencies", _agencies(old_lead, old_coordinating), _agencies(change.lead, change.coordinating)


def amendment_records(site: Site) -> list[AmendmentRecord]:
    """Every change of every amendment, by plan, then in the order the decisions apply, then printed order."""
    found = []
    for item in site.content.plans:
        progress: PlanProgress = site.progress[item.plan.id]
        tasks: dict[str, Task] = {t.id: t for t in item.tasks}  # as they stand before the change being read
        amendment: Amendment
        for amendment in progress.amendments:
            decision = amendment.decision
            for change in amendment.changes:
                kind, before, after = _change(tasks.get(change.task_id), change)
                found.append(
                    AmendmentRecord(
                        plan=item.plan.id,
                        amendment=amendment.id,
                        decision=Document(number=decision.number, date=decision.date),
                        signer=decision.signer.name,
                        task=f"{item.plan.id}/{change.task_id}",
                        kind=kind,
                        before=before,
                        after=after,
                    )
                )
                if change.add is not None:
                    tasks[change.add.id] = change.add
                elif change.task in tasks:
                    update = {n: getattr(change, n) for n in ("deadline", "lead", "coordinating") if getattr(change, n)}
                    tasks[change.task] = tasks[change.task].model_copy(update=update)
    return found


def _joined(values: list[str]) -> str:
    return "; ".join(values)


def _flag(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def report_rows(records: list[ReportRecord]) -> list[dict[str, str]]:
    """reports.csv: the records flattened, one cell per column of REPORT_COLUMNS."""
    rows = []
    for r in records:
        empty = Texts(vi="")
        done, difficulties, proposals, reason = (t or empty for t in (r.done, r.difficulties, r.proposals, r.reason))
        document = r.report.document
        row = {
            "plan": r.plan,
            "period": r.period,
            "task": r.task,
            "number": r.number,
            "agency": r.agency,
            "status": r.status,
            "timeliness": r.timeliness or "",
            "counted": _flag(r.counted),
            "report_date": r.report.date.isoformat(),
            "report_received": r.report.received.isoformat() if r.report.received else "",
            "report_on_time": _flag(r.report.on_time),
            "report_document": f"{document.number} ({document.date.isoformat()})" if document else "",
            "completed": r.completed.isoformat() if r.completed else "",
            "done_vi": done.vi,
            "done_en": done.en or "",
            "evidence_numbers": _joined([e.number for e in r.evidence]),
            "evidence_dates": _joined([e.date.isoformat() for e in r.evidence]),
            "evidence_urls": _joined([e.url or "" for e in r.evidence]),
            "difficulties_vi": difficulties.vi,
            "difficulties_en": difficulties.en or "",
            "proposals_vi": proposals.vi,
            "proposals_en": proposals.en or "",
            "reason_vi": reason.vi,
            "reason_en": reason.en or "",
            "url_vi": r.url.vi,
            "url_en": r.url.en or "",
        }
        assert tuple(row) == REPORT_COLUMNS, "reports.csv columns and their documentation differ"
        rows.append(row)
    return rows


def amendment_rows(records: list[AmendmentRecord]) -> list[dict[str, str]]:
    """amendments.csv: the records flattened, one cell per column of AMENDMENT_COLUMNS."""
    rows = []
    for r in records:
        before = r.before or Texts(vi="")
        row = {
            "plan": r.plan,
            "amendment": r.amendment,
            "decision_number": r.decision.number,
            "decision_date": r.decision.date.isoformat(),
            "signer": r.signer,
            "task": r.task,
            "kind": r.kind,
            "before_vi": before.vi,
            "before_en": before.en or "",
            "after_vi": r.after.vi,
            "after_en": r.after.en or "",
        }
        assert tuple(row) == AMENDMENT_COLUMNS, "amendments.csv columns and their documentation differ"
        rows.append(row)
    return rows


def record_schemas() -> dict[str, type[BaseModel]]:
    """The model of each progress data file's records, by the file's name."""
    return {"reports": ReportRecord, "amendments": AmendmentRecord}


def progress_data(site: Site, wording: dict[str, Any]) -> dict[str, Any]:
    """What the data page says of the progress files: how many records, and each column's meaning."""
    return {
        "progress_counts": {
            "reports": sum(len(r.entries) for p in site.content.plans for r in p.reports),
            "amendments": sum(len(a.changes) for p in site.content.plans for a in p.amendments),
        },
        "report_columns": [(name, wording["report_columns"][name]) for name in REPORT_COLUMNS],
        "amendment_columns": [(name, wording["amendment_columns"][name]) for name in AMENDMENT_COLUMNS],
        "progress_words": wording["progress_data"],
    }
