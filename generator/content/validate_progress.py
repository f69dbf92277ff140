"""Check a plan's amendments (amendments/*.yaml) and reports (reports/<period>/<agency>.yaml) against it.

Called by `validate.Loader` for each plan, after its plan.yaml and task files: every problem is collected
with its line, like everything else `check` reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.content.checker import (
    RULES,
    Checker,
    PlanFacts,
    PlanReader,
    _complete,
    _english,
    _field,
    _plausible,
    resolve_deadline,
    suggestion,
)
from generator.content.files import listing
from generator.content.load import Document, FieldPath
from generator.content.model import (
    PERIOD,
    SLUG,
    Amendment,
    AmendmentChange,
    AmendmentFile,
    City,
    Plan,
    PlanContent,
    Report,
    ReportEntry,
    ReportFile,
    Task,
)
from generator.content.progress import PlanProgress, period_span, plan_periods, task_agencies

CHANGE_KINDS = ("deadline", "lead", "coordinating", "cancel", "add")


@dataclass
class PlanState:
    """What the checks of a plan's reports and amendments need; None where plan.yaml or its city is unreadable."""

    facts: PlanFacts
    plan: Plan | None
    city: City | None
    tasks: list[Task]
    typed_ids: set[str]
    """Every task id typed in the task files, those of tasks with errors too: no 'unknown task' for them."""
    tasks_read: bool
    """Whether every task file could be read: otherwise a task is never called unknown."""


def check_progress(
    loader: PlanReader, folder: Path, state: PlanState
) -> tuple[tuple[Amendment, ...], tuple[Report, ...]]:
    """Read and check a plan's amendments and reports; return those without errors, in applying order."""
    amendments = _amendments(loader, folder, state)
    reports = _reports(loader, folder, state, amendments)
    return amendments, reports


def _entry_rules(checker: Checker, doc: Document, where: FieldPath, entry: ReportEntry) -> None:
    """A completion date goes with 'completed' only; a reason with 'suspended' or 'dropped' only."""
    if entry.status == "completed" and entry.completed is None:
        checker.add(doc, (*where, "status"), "a completed task needs its completion date", "add completed: YYYY-MM-DD")
    elif entry.status != "completed" and entry.completed is not None:
        checker.add(
            doc,
            (*where, "completed"),
            f"a completion date goes with status 'completed' only, not '{entry.status}'",
            "remove completed, or write status: completed",
        )
    if entry.status in ("suspended", "dropped") and entry.reason is None:
        checker.add(
            doc,
            (*where, "status"),
            f"a task reported '{entry.status}' needs the reason",
            "add reason: {vi: …} with the report's words",
        )
    elif entry.status not in ("suspended", "dropped") and entry.reason is not None:
        checker.add(
            doc,
            (*where, "reason"),
            f"a reason goes with status 'suspended' or 'dropped' only, not '{entry.status}'",
            "put what the report says in done, difficulties or proposals",
        )


RULES[ReportEntry] = _entry_rules


def _problem(loader: PlanReader, path: Path, message: str, hint: str = "") -> None:
    loader._missing(path, message, hint)


def _errors_since(checker: Checker, before: int) -> bool:
    return any(not p.warning for p in checker.problems[before:])


def _amendments(loader: PlanReader, folder: Path, state: PlanState) -> tuple[Amendment, ...]:
    check = loader.checker
    read: list[tuple[Document, Amendment, bool]] = []
    for file in listing(loader.content, folder / "amendments", "*.yaml"):
        before = len(check.problems)
        if not re.fullmatch(SLUG, file.stem):
            _problem(
                loader,
                file,
                f"'{file.stem}' is not a valid amendment id (lower-case ASCII letters, digits and single hyphens)",
                "name the file after the decision, e.g. 2021-06-15-1234-qd-ubnd.yaml",
            )
        doc = loader._doc(file)
        parsed = check.parse(doc, AmendmentFile) if doc else None
        if doc is None or parsed is None:
            continue
        _english(check, doc, parsed)
        decision = _field(parsed, "decision", None)
        if decision is None or not _complete(decision):
            continue  # without its date nothing can be ordered or applied
        if state.facts.year:
            _plausible(check, doc, ("decision", "date"), decision.date, state.facts.year)
        fields = {**parsed.__dict__, "changes": _field(parsed, "changes", [])}
        amendment = Amendment.model_construct(**fields, id=file.stem, path=doc.path)
        read.append((doc, amendment, not _errors_since(check, before)))
    read.sort(key=lambda item: (item[1].decision.date, item[1].id))
    known = {t.id for t in state.tasks} | state.typed_ids
    cancelled: dict[str, Amendment] = {}
    result: list[Amendment] = []
    for doc, amendment, clean in read:
        before = len(check.problems)
        raw = doc.data.get("changes") if isinstance(doc.data, dict) else None
        changes: list[AmendmentChange] = []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            change = _change(loader, doc, ("changes", index), item, state, amendment, known, cancelled)
            if change is not None:
                changes.append(change)
        if clean and not _errors_since(check, before):
            result.append(amendment.model_copy(update={"changes": changes}))
        else:
            # Its added tasks are not called unknown where reports name them: one problem, not two.
            added = [c.get("add") for c in raw or [] if isinstance(c, dict)]
            state.typed_ids |= {str(a["id"]) for a in added if isinstance(a, dict) and a.get("id") is not None}
    return tuple(result)


def _change(
    loader: PlanReader,
    doc: Document,
    at: FieldPath,
    raw: Any,
    state: PlanState,
    amendment: Amendment,
    known: set[str],
    cancelled: dict[str, Amendment],
) -> AmendmentChange | None:
    """Check one change (already parsed with its file); return it with its deadline or added task resolved."""
    check = loader.checker
    if not isinstance(raw, dict):
        return None  # reported by the parse of the file
    kinds = [name for name in CHANGE_KINDS if raw.get(name) is not None]
    named = [k for k in kinds if k not in ("lead", "coordinating")] + (
        ["lead/coordinating"] if {"lead", "coordinating"} & set(kinds) else []
    )
    if not named:
        check.add(doc, at, "the change changes nothing", f"give one of: {', '.join(CHANGE_KINDS)}")
        return None
    if len(named) > 1:
        check.add(
            doc,
            at,
            f"a change does one thing, this one does {len(named)}: {', '.join(named)}",
            "write each as a change of its own (lead and coordinating may go together)",
        )
        return None
    task_id = raw.get("task")
    if "add" in kinds:
        if task_id is not None:
            check.add(doc, (*at, "task"), "an added task has no 'task': its id is add.id", "remove task")
        return _added(loader, doc, at, raw, state, known)
    if task_id is None:
        check.add(doc, at, "missing required field 'task'", "name the task changed: task: <id>")
        return None
    if not isinstance(task_id, str):
        return None  # reported by the parse of the file
    if task_id not in known:
        if state.tasks_read:
            hint = suggestion(task_id, sorted(known)) or f"the ids are those of {state.facts.id}'s tasks/*.yaml"
            check.add(doc, (*at, "task"), f"unknown task '{task_id}' in {state.facts.id}", hint)
        return None
    earlier = cancelled.get(task_id)
    if earlier is not None:
        check.add(
            doc,
            (*at, "task"),
            f"task '{task_id}' was cancelled by {earlier.decision.number} of {earlier.decision.date.isoformat()}",
            "a cancelled task cannot change: remove this change",
        )
        return None
    for cell in ("lead", "coordinating"):
        agencies = raw.get(cell, {}).get("agencies") if isinstance(raw.get(cell), dict) else None
        if isinstance(agencies, list):
            loader._agency_refs(state.facts, doc, (*at, cell, "agencies"), [str(a) for a in agencies])
    change = _parsed(raw)
    if change is None:
        return None
    if "cancel" in kinds:
        cancelled[task_id] = amendment
    if change.deadline is not None and state.facts.year:
        deadline = resolve_deadline(check, doc, (*at, "deadline"), change.deadline, state.facts.year)
        change = change.model_copy(update={"deadline": deadline})
    return change


def _parsed(raw: dict[str, Any]) -> AmendmentChange | None:
    """A change as its file's parse read it, or None when it has errors (that parse reported them).

    The parse keeps only the changes without errors, so their places in the file are lost; reading the
    raw change again, silently, keeps each change with its own line.
    """
    try:
        return AmendmentChange.model_validate(raw)
    except ValidationError:
        return None


def _added(
    loader: PlanReader,
    doc: Document,
    at: FieldPath,
    raw: dict[str, Any],
    state: PlanState,
    known: set[str],
) -> AmendmentChange | None:
    check = loader.checker
    change = _parsed(raw)
    task = change.add if change is not None else None
    if task is None:
        return None
    where: FieldPath = (*at, "add")
    if task.id in known:
        check.add(
            doc,
            (*where, "id"),
            f"task '{task.id}' already exists in {state.facts.id}",
            "an added task needs a new id; to change a task, name it in task: with what changes",
        )
        return None
    task = loader.check_task(doc, where, task, state.facts, known)
    known.add(task.id)
    assert change is not None
    return change.model_copy(update={"add": task})


def _reports(
    loader: PlanReader, folder: Path, state: PlanState, amendments: tuple[Amendment, ...]
) -> tuple[Report, ...]:
    base = folder / "reports"
    periods = {p.id: p for p in plan_periods(state.plan)} if state.plan is not None and _complete(state.plan) else None
    for stray in listing(loader.content, base, "*"):
        _problem(
            loader,
            stray,
            "a report file lies in the folder of its period",
            f"move it to reports/<period>/<agency>.yaml, e.g. reports/{state.facts.year or 2021}-Q1/{stray.stem}.yaml",
        )
    progress = None
    if state.plan is not None and _complete(state.plan) and state.city is not None:
        progress = PlanProgress(
            PlanContent(plan=state.plan, tasks=tuple(state.tasks), amendments=amendments), state.city
        )
    result: list[Report] = []
    for period_folder in listing(loader.content, base, "*", folders=True):
        period_id = period_folder.name
        valid = re.fullmatch(PERIOD, period_id) is not None
        if periods is not None and period_id not in periods:
            what = "one of the plan's reporting periods" if valid else "a reporting period"
            _problem(
                loader,
                period_folder,
                f"'{period_id}' is not {what}",
                f"periods of {state.facts.id}: {', '.join(periods)}"
                + ("" if state.plan is None or state.plan.reporting_calendar else " (no reporting_calendar: quarters)"),
            )
        for file in listing(loader.content, period_folder, "*.yaml"):
            report = _report(loader, file, period_id if valid else None, state, progress)
            if report is not None and (periods is None or period_id in periods):
                result.append(report)
    order = list(periods or ())
    result.sort(key=lambda r: (order.index(r.period) if r.period in order else len(order), r.agency))
    return tuple(result)


def _report(
    loader: PlanReader, file: Path, period_id: str | None, state: PlanState, progress: PlanProgress | None
) -> Report | None:
    check = loader.checker
    before = len(check.problems)
    agency = file.stem
    kinds = {a.id: a.kind for a in state.city.agencies} if state.city is not None else None
    if kinds is not None and kinds.get(agency, "group") == "group":
        progress = None  # who leads what cannot be asked of an unknown agency or a group
    if kinds is not None and agency not in kinds:
        hint = (
            suggestion(agency, sorted(kinds))
            or f"the file is named after the agency's id in content/cities/{state.facts.city_id}.yaml"
        )
        _problem(loader, file, f"unknown agency '{agency}' in {state.facts.city_id}", hint)
    if kinds is not None and kinds.get(agency) == "group":
        _problem(
            loader,
            file,
            f"'{agency}' is a group of agencies: each of its agencies reports for itself",
            "name the file after the agency that sends the report",
        )
    doc = loader._doc(file)
    parsed = check.parse(doc, ReportFile) if doc else None
    if doc is None or parsed is None:
        return None
    _english(check, doc, parsed)
    day: date | None = _field(parsed, "date", None)
    received: date | None = _field(parsed, "received", None)
    if period_id is not None and day is not None:
        starts = period_span(period_id)[0]
        if day < starts:
            check.add(
                doc, ("date",), f"dated {day.isoformat()}, before its period {period_id} starts on {starts.isoformat()}"
            )
    if day is not None and received is not None and received < day:
        check.add(doc, ("received",), f"received {received.isoformat()}, before the report's date {day.isoformat()}")
    if state.facts.year:
        for name, value in (("date", day), ("received", received)):
            _plausible(check, doc, (name,), value, state.facts.year)
    raw = doc.data.get("entries") if isinstance(doc.data, dict) else None
    seen: dict[str, int] = {}
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(item, dict):
            _entry(loader, doc, ("entries", index), item, day, agency, state, progress, seen)
    if _errors_since(check, before) or not _complete(parsed) or period_id is None:
        return None
    return Report.model_construct(**parsed.__dict__, period=period_id, agency=agency, path=doc.path)


def _entry(
    loader: PlanReader,
    doc: Document,
    at: FieldPath,
    raw: dict[str, Any],
    day: date | None,
    agency: str,
    state: PlanState,
    progress: PlanProgress | None,
    seen: dict[str, int],
) -> None:
    """Checks of an entry that need the rest of its file or plan; read from the raw entry (see `Checker.parse`)."""
    check = loader.checker
    completed = _day(raw.get("completed"))
    if completed is not None and day is not None and completed > day:
        check.add(
            doc,
            (*at, "completed"),
            f"completed {completed.isoformat()}, after the report's date {day.isoformat()}",
            "a report tells what was done by its date: check both dates",
        )
    task_id = raw.get("task")
    if not isinstance(task_id, str) or not re.fullmatch(SLUG, task_id):
        return  # reported by the parse of the file
    if task_id in seen:
        line = doc.locate(("entries", seen[task_id]))[0]
        check.add(
            doc,
            (*at, "task"),
            f"task '{task_id}' is reported twice in this file",
            f"merge it with the entry on line {line}",
        )
        return
    seen[task_id] = at[-1]  # type: ignore[assignment]
    if progress is None or day is None:
        return
    everything = progress.tasks_at(date.max)
    if task_id not in everything:
        if task_id not in state.typed_ids and state.tasks_read:
            hint = suggestion(task_id, sorted(everything)) or f"the ids are those of {state.facts.id}'s tasks"
            check.add(doc, (*at, "task"), f"unknown task '{task_id}' in {state.facts.id}", hint)
        return
    current = progress.tasks_at(day).get(task_id)
    if current is None:
        added = everything[task_id].added
        assert added is not None
        decision = added.amendment.decision
        check.add(
            doc,
            (*at, "task"),
            f"task '{task_id}' is added by {decision.number} of {decision.date.isoformat()}, after the report's date"
            f" {day.isoformat()}",
        )
        return
    cancelled = current.cancelled
    if cancelled is not None and cancelled.amendment.decision.date < day:
        decision = cancelled.amendment.decision
        check.add(
            doc,
            (*at, "task"),
            f"task '{task_id}' was cancelled by {decision.number} of {decision.date.isoformat()}, before the report's"
            f" date {day.isoformat()}",
            "a cancelled task is not reported on: remove the entry",
        )
        return
    if agency not in progress.roles(current.task):
        lead, coordinating = task_agencies(current.task, "lead"), task_agencies(current.task, "coordinating")
        given = "; ".join(
            f"{name}: {', '.join(ids)}" for name, ids in (("lead", lead), ("coordinating", coordinating)) if ids
        )
        check.add(
            doc,
            (*at, "task"),
            f"'{agency}' neither leads nor coordinates task '{task_id}'",
            f"task {task_id} is given to {given}" if given else f"task {task_id} names no agency",
        )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # reported by the parse of the file
