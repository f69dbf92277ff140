"""Progress computed from reports and amendments: periods, current tasks, statuses, timeliness, tallies.

Nothing here is typed by a maintainer: on time or late, cancelled, not reported and who has reported
are all worked out from the plan, its amendments and its agencies' reports. Pure functions, no file access.

The entry point is `PlanProgress(plan_content, city)` (also `Site.progress[plan_id]`):
- `periods`: the plan's reporting periods, in order, each with its span and due date (or none);
- `current(task_id, at)` / `tasks_at(at)`: tasks as amended at a date (original kept, changes listed);
- `statuses(period_id)`: one `TaskStatus` per task for a period: status, timeliness, entry, report;
- `timeline(task_id)`: a task's `TaskStatus` in every period;
- `agency_reporting(period_id)`: which agencies were expected to report, which did, on time or not;
- `pillar_tally(period_id)` / `agency_scorecard(agency_id, period_id)`: counts by status and timeliness;
- `latest_period`: the latest period that has any report (the site opens on it), or None.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal

from generator.content.deadlines import goes_on
from generator.content.model import (
    Amendment,
    AmendmentChange,
    City,
    Content,
    Plan,
    PlanContent,
    Report,
    ReportEntry,
    Task,
    Text,
)

Status = Literal["not_started", "in_progress", "completed", "suspended", "dropped", "cancelled", "not_reported"]
"""A task's status for a period: a reported status, 'cancelled' (by an amendment) or 'not_reported'."""
STATUSES: tuple[Status, ...] = (
    "not_started",
    "in_progress",
    "completed",
    "suspended",
    "dropped",
    "cancelled",
    "not_reported",
)
"""Every status, in the order pages list them."""
Timeliness = Literal["on_time", "late", "not_due", "no_fixed_deadline"]
TIMELINESS: tuple[Timeliness, ...] = ("on_time", "late", "not_due", "no_fixed_deadline")
Role = Literal["lead", "coordinating", "through_group"]
ROLES: tuple[Role, ...] = ("lead", "coordinating", "through_group")
"""How an agency is given a task: named as lead, named as coordinator, or through a group it belongs to."""

# Months each kind of period covers (first, last).
SPANS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12), "Y": (1, 12)}


def period_span(period_id: str) -> tuple[date, date]:
    """First and last day of a period id such as '2021-Q2' (Apr 1 – Jun 30) or '2021-Y'."""
    year, part = period_id.split("-")
    first, last = SPANS[part]
    return date(int(year), first, 1), date(int(year), last, calendar.monthrange(int(year), last)[1])


@dataclass(frozen=True)
class Period:
    """A reporting period of a plan: its id, its span and, when the plan sets one, its due date."""

    id: str
    start: date
    end: date
    due: date | None
    """The day reports are due, from the plan's calendar; None when the plan sets no due date."""
    report: Text | None = None
    """The report's name in the plan's calendar ('Báo cáo Quý I'); None for a default quarter."""

    @property
    def moment(self) -> date:
        """The day the period's state is taken at: its due date, else its last day."""
        return self.due or self.end


def plan_periods(plan: Plan) -> tuple[Period, ...]:
    """The plan's periods: its calendar's entries in order, else the four quarters of its year, undated."""
    if plan.reporting_calendar:
        return tuple(
            Period(entry.period, *period_span(entry.period), due=entry.due.date, report=entry.report)
            for entry in plan.reporting_calendar
        )
    return tuple(Period(f"{plan.year}-Q{q}", *period_span(f"{plan.year}-Q{q}"), due=None) for q in range(1, 5))


def members(city: City) -> dict[str, frozenset[str]]:
    """For each group agency of the city, the concrete (non-group) agencies its `includes` names."""
    result: dict[str, frozenset[str]] = {}
    for group in city.agencies:
        if group.kind != "group":
            continue
        includes = group.includes
        result[group.id] = frozenset(
            a.id
            for a in city.agencies
            if a.kind != "group" and includes is not None and (a.kind in includes.kinds or a.id in includes.agencies)
        )
    return result


def task_agencies(task: Task, role: Literal["lead", "coordinating"]) -> tuple[str, ...]:
    """The agency ids of a task's lead or coordinating cell (none when it is not printed)."""
    cell = task.lead if role == "lead" else task.coordinating
    return tuple(cell.agencies) if cell is not None else ()


@dataclass(frozen=True)
class AppliedChange:
    """A change of an amendment, with the amendment (decision number, date) that made it."""

    amendment: Amendment
    change: AmendmentChange


@dataclass(frozen=True)
class CurrentTask:
    """A task as amended at some date, with its original and the changes applied to it, oldest first."""

    task: Task
    """The task as it stands: amended deadline, lead and coordinators."""
    original: Task
    """The task as the plan (or the amendment that added it) first set it."""
    changes: tuple[AppliedChange, ...] = ()
    """Every change applied, in decision order: deadline, agencies, cancel (the adding change is `added`)."""
    added: AppliedChange | None = None
    """The change that added the task, for a task added by an amendment."""

    @property
    def id(self) -> str:
        """The task id."""
        return self.task.id

    @property
    def cancelled(self) -> AppliedChange | None:
        """The change that cancelled the task, if any."""
        return next((c for c in self.changes if c.change.cancel is not None), None)

    @property
    def deadline_changes(self) -> tuple[AppliedChange, ...]:
        """The changes that revised the deadline, oldest first (the original is `original.deadline`)."""
        return tuple(c for c in self.changes if c.change.deadline is not None)


def apply(original: Task, changes: Iterable[AppliedChange], added: AppliedChange | None = None) -> CurrentTask:
    """The task after `changes` (already those in force, in decision order)."""
    task, applied = original, []
    for item in changes:
        change = item.change
        update = {name: getattr(change, name) for name in ("deadline", "lead", "coordinating") if getattr(change, name)}
        if update:
            task = task.model_copy(update=update)
        applied.append(item)
    return CurrentTask(task, original, tuple(applied), added)


def current_tasks(tasks: Iterable[Task], amendments: Iterable[Amendment], at: date) -> dict[str, CurrentTask]:
    """Every task as it stands at `at`: amendments decided on or before that day applied, in decision order.

    Printed tasks come first in printed order, then added tasks in the order they were added; a cancelled
    task stays (its `cancelled` says by which decision).
    """
    ordered = sorted(amendments, key=lambda a: (a.decision.date, a.id))
    in_force = [AppliedChange(a, c) for a in ordered if a.decision.date <= at for c in a.changes]
    originals: dict[str, tuple[Task, AppliedChange | None]] = {t.id: (t, None) for t in tasks}
    for item in in_force:
        if item.change.add is not None and item.change.add.id not in originals:
            originals[item.change.add.id] = (item.change.add, item)
    changes: dict[str, list[AppliedChange]] = {}
    for item in in_force:
        if item.change.add is None and item.change.task is not None:
            changes.setdefault(item.change.task, []).append(item)
    return {task_id: apply(task, changes.get(task_id, ()), added) for task_id, (task, added) in originals.items()}


def fixed_end(task: Task) -> date | None:
    """The end of a task's deadline, or None when it never falls due (ongoing, recurring, event, conditional)."""
    deadline = task.deadline
    if deadline is None or goes_on(deadline.kind, [m.kind for m in deadline.milestones]):
        return None
    return deadline.end


def timeliness(task: Task, entry: ReportEntry, report_date: date) -> Timeliness:
    """On time or late, from the task's (current) deadline, the entry's completion date and the report's date.

    Completed: on time when completed on or before the deadline's end, else late. Otherwise late when the
    deadline ended before the report's date, else not due yet. A deadline with no dated end (ongoing,
    recurring, event, conditional, milestones that end ongoing, none printed) is never late.
    """
    end = fixed_end(task)
    if end is None:
        return "no_fixed_deadline"
    if entry.status == "completed" and entry.completed is not None:
        return "on_time" if entry.completed <= end else "late"
    return "late" if end < report_date else "not_due"


@dataclass(frozen=True)
class TaskStatus:
    """A task's state for one period."""

    task: CurrentTask
    period: Period
    status: Status
    entry: ReportEntry | None = None
    """The entry counted: the lead's, else the latest-dated coordinator's; None when not reported."""
    report: Report | None = None
    """The report that entry comes from (its agency is the reporting agency)."""
    timeliness: Timeliness | None = None
    """None for a task not reported or cancelled."""

    @property
    def deadline_passed(self) -> bool:
        """Whether the task's dated deadline ended before the period did (for tasks not reported)."""
        end = fixed_end(self.task.task)
        return self.status != "cancelled" and end is not None and end < self.period.end


@dataclass(frozen=True)
class AgencyReporting:
    """Whether an agency reported for a period, and whether on time."""

    agency: str
    expected: bool
    """It leads or coordinates at least one task in force, directly or through a group."""
    report: Report | None
    """Its report for the period, if it sent one."""
    due: date | None
    """The period's due date; None when the plan sets none."""

    @property
    def on_time(self) -> bool | None:
        """Received (else dated) on or before the due date; None when not reported or there is no due date."""
        if self.report is None or self.due is None:
            return None
        return (self.report.received or self.report.date) <= self.due


@dataclass(frozen=True)
class Tally:
    """Counts of a list of task states by status and timeliness (every status and timeliness present, 0 or more)."""

    items: tuple[TaskStatus, ...]

    @cached_property
    def by_status(self) -> dict[Status, int]:
        """How many tasks have each status, in STATUSES order."""
        counts = Counter(item.status for item in self.items)
        return {status: counts[status] for status in STATUSES}

    @cached_property
    def by_timeliness(self) -> dict[Timeliness, int]:
        """How many reported tasks are on time, late, not due, with no fixed deadline."""
        counts = Counter(item.timeliness for item in self.items if item.timeliness is not None)
        return {kind: counts[kind] for kind in TIMELINESS}

    @property
    def late(self) -> tuple[TaskStatus, ...]:
        """The late tasks, in task order."""
        return tuple(item for item in self.items if item.timeliness == "late")

    def __len__(self) -> int:
        return len(self.items)


class PlanProgress:
    """The progress of one plan: its periods, amended tasks, reports, and what follows from them."""

    def __init__(self, content: PlanContent, city: City) -> None:
        self.content = content
        self.plan = content.plan
        self.city = city
        self.periods = plan_periods(content.plan)
        self.amendments = tuple(sorted(content.amendments, key=lambda a: (a.decision.date, a.id)))
        self.members = members(city)
        self._groups = {g.id: g.pillar for g in content.plan.groups}
        self._kinds = {a.id: a.kind for a in city.agencies}
        self._at: dict[int, dict[str, CurrentTask]] = {}

    def period(self, period_id: str) -> Period:
        """A period of the plan by id (KeyError when the plan has no such period)."""
        return self._periods[period_id]

    @cached_property
    def _periods(self) -> dict[str, Period]:
        return {p.id: p for p in self.periods}

    def reports(self, period_id: str) -> tuple[Report, ...]:
        """The reports sent for a period, by agency id."""
        return tuple(r for r in self.content.reports if r.period == period_id)

    def tasks_at(self, at: date) -> dict[str, CurrentTask]:
        """Every task as amended at `at`, keyed by id (see `current_tasks`)."""
        # Only the decisions in force matter: one computation per set of them, however many dates are asked.
        key = sum(1 for a in self.amendments if a.decision.date <= at)
        if key not in self._at:
            self._at[key] = current_tasks(self.content.tasks, self.amendments, at)
        return self._at[key]

    def current(self, task_id: str, at: date | None = None) -> CurrentTask:
        """A task as amended at `at` (default: with every amendment)."""
        return self.tasks_at(at or date.max)[task_id]

    @cached_property
    def latest(self) -> dict[str, CurrentTask]:
        """Every task with every amendment applied: what the task pages and calendars show now."""
        return self.tasks_at(date.max)

    @cached_property
    def _statuses(self) -> dict[str, tuple[TaskStatus, ...]]:
        return {p.id: self._compute(p) for p in self.periods}

    def statuses(self, period_id: str) -> tuple[TaskStatus, ...]:
        """One state per task (printed and added, cancelled included) for a period, in task order."""
        return self._statuses[period_id]

    def status(self, task_id: str, period_id: str) -> TaskStatus | None:
        """A task's state for a period; None when the task does not exist yet at that period's moment."""
        return self._index[period_id].get(task_id)

    @cached_property
    def _index(self) -> dict[str, dict[str, TaskStatus]]:
        return {period: {s.task.id: s for s in states} for period, states in self._statuses.items()}

    def timeline(self, task_id: str) -> tuple[TaskStatus, ...]:
        """A task's state in every period where it exists, in period order."""
        return tuple(s for p in self.periods if (s := self.status(task_id, p.id)) is not None)

    def _compute(self, period: Period) -> tuple[TaskStatus, ...]:
        tasks = self.tasks_at(period.moment)
        entries: dict[str, list[tuple[Report, ReportEntry]]] = {}
        for report in self.reports(period.id):
            for entry in report.entries:
                entries.setdefault(entry.task, []).append((report, entry))
        return tuple(self._state(task, period, entries.get(task.id, [])) for task in tasks.values())

    def _state(self, task: CurrentTask, period: Period, found: list[tuple[Report, ReportEntry]]) -> TaskStatus:
        cancelled = task.cancelled
        if cancelled is not None:
            return TaskStatus(task, period, "cancelled")
        chosen = pick_entry(task.task, found, self.members)
        if chosen is None:
            return TaskStatus(task, period, "not_reported")
        report, entry = chosen
        return TaskStatus(task, period, entry.status, entry, report, timeliness(task.task, entry, report.date))

    def expected(self, at: date) -> frozenset[str]:
        """Concrete agencies that lead or coordinate a task in force at `at`, directly or through a group."""
        found: set[str] = set()
        for task in self.tasks_at(at).values():
            if task.cancelled is None:
                for role in ("lead", "coordinating"):
                    for agency in task_agencies(task.task, role):
                        found |= self.members.get(agency, {agency} if self._kinds.get(agency) != "group" else set())
        return frozenset(found)

    def agency_reporting(self, period_id: str) -> tuple[AgencyReporting, ...]:
        """Every agency expected to report for a period or that did, by agency id: reported or not, on time."""
        period = self.period(period_id)
        expected = self.expected(period.moment)
        sent = {r.agency: r for r in self.reports(period_id)}
        return tuple(
            AgencyReporting(agency, agency in expected, sent.get(agency), period.due)
            for agency in sorted(expected | set(sent))
        )

    def pillar_tally(self, period_id: str) -> dict[str, Tally]:
        """For each pillar the plan's groups map to, the tally of its tasks' states for a period."""
        result: dict[str, list[TaskStatus]] = {pillar: [] for pillar in self._groups.values()}
        for state in self.statuses(period_id):
            result.setdefault(self._groups.get(state.task.task.group, ""), []).append(state)
        return {pillar: Tally(tuple(items)) for pillar, items in result.items()}

    def tally(self, period_id: str) -> Tally:
        """The tally of every task's state for a period."""
        return Tally(self.statuses(period_id))

    def roles(self, task: Task) -> dict[str, Role]:
        """Every agency given a task and how: 'lead' or 'coordinating' when named (lead first), else 'through_group'."""
        result: dict[str, Role] = {}
        for role in ("lead", "coordinating"):
            for agency in task_agencies(task, role):
                result.setdefault(agency, role)
        for agency in list(result):
            for member in self.members.get(agency, ()):
                result.setdefault(member, "through_group")
        return result

    @cached_property
    def _by_agency(self) -> dict[str, dict[str, dict[Role, list[TaskStatus]]]]:
        index: dict[str, dict[str, dict[Role, list[TaskStatus]]]] = {}
        for period, states in self._statuses.items():
            per_agency = index.setdefault(period, {})
            for state in states:
                for agency, role in self.roles(state.task.task).items():
                    per_agency.setdefault(agency, {r: [] for r in ROLES})[role].append(state)
        return index

    def agency_scorecard(self, agency_id: str, period_id: str) -> dict[Role, Tally]:
        """An agency's tasks for a period, apart by role (lead, coordinating, through a group), each tallied."""
        found = self._by_agency[period_id].get(agency_id, {})
        return {role: Tally(tuple(found.get(role, ()))) for role in ROLES}

    @cached_property
    def latest_period(self) -> Period | None:
        """The latest period (in the plan's order) that has at least one report; None when none has."""
        reported = {r.period for r in self.content.reports}
        return next((p for p in reversed(self.periods) if p.id in reported), None)


def pick_entry(
    task: Task, found: list[tuple[Report, ReportEntry]], groups: dict[str, frozenset[str]]
) -> tuple[Report, ReportEntry] | None:
    """The entry that speaks for a task: a lead's (named, or a member of a lead group), else a coordinator's.

    Among several, the latest-dated report's, then the greatest agency id, so the choice never depends on
    file order. `groups` is `members(city)`.
    """
    leads = {m for a in task_agencies(task, "lead") for m in (a, *groups.get(a, ()))}
    lead = [item for item in found if item[0].agency in leads]
    pool = lead or found
    if not pool:
        return None
    return max(pool, key=lambda item: (item[0].date, item[0].agency))


def lead_agencies(content: Content) -> dict[str, frozenset[str]]:
    """For each task key ('<plan>/<task>'), the agencies whose entry speaks for it first (see pick_entry): its
    current lead agencies and the members of its lead groups. The history of reports picks entries with it."""
    cities = {c.id: c for c in content.cities}
    result: dict[str, frozenset[str]] = {}
    for item in content.plans:
        groups = members(cities[item.plan.city])
        for task in current_tasks(item.tasks, item.amendments, date.max).values():
            leads = task_agencies(task.task, "lead")
            result[f"{item.plan.id}/{task.id}"] = frozenset(m for a in leads for m in (a, *groups.get(a, ())))
    return result
