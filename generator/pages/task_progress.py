"""What the task, agency and amendment-log pages show of a plan's progress: views over `PlanProgress`.

Nothing is computed here that `progress` does not already decide (status, timeliness, who reported): this
module only picks, for one page, the periods, states, changes and counts its template lays out.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Amendment, Plan, Task, Text
from generator.content.progress import (
    ROLES,
    AgencyReporting,
    AppliedChange,
    CurrentTask,
    Period,
    PlanProgress,
    Role,
    Tally,
    TaskStatus,
)
from generator.content.site import AMENDMENTS_PAGE, AgencyRef, Site, TaskRef, plan_url


def amendments_url(plan: Plan) -> str:
    """Site-relative URL of a plan's amendment log (every plan has one, saying so when it is empty)."""
    return f"{plan_url(plan)}{AMENDMENTS_PAGE}"


def added_refs(site: Site) -> list[TaskRef]:
    """Tasks that amendments added, plan by plan, in the order they were added.

    They are not in `Site.tasks` (the printed tasks, which the indexes, finder and open data list as the
    plan printed them); they get their own task pages, which say which decision added them.
    """
    return [
        TaskRef(item.plan, current.original)
        for item in site.content.plans
        for current in site.progress[item.plan.id].latest.values()
        if current.added is not None
    ]


@dataclass(frozen=True)
class PeriodRow:
    """A period on a task page's timeline: the task's state then, and whether anyone had reported yet."""

    period: Period
    state: TaskStatus
    any_report: bool
    """Whether any agency reported for the period: without any, 'not reported' says nothing of the task."""


@dataclass(frozen=True)
class TaskView:
    """What a task page shows of progress: the task as amended now, its badge and its timeline."""

    current: CurrentTask
    latest: TaskStatus | None
    """The task's state in the plan's latest period with reports; None when the plan has no report yet."""
    timeline: tuple[PeriodRow, ...]
    """Every period where the task exists; empty when the plan has no report yet (the page says so)."""

    def changes(self, kind: str) -> tuple[AppliedChange, ...]:
        """The changes of one field ('deadline', 'lead', 'coordinating'), oldest first."""
        return tuple(c for c in self.current.changes if getattr(c.change, kind) is not None)


def task_view(site: Site, ref: TaskRef) -> TaskView:
    """The progress a task page shows."""
    progress = site.progress[ref.plan.id]
    current = progress.latest[ref.task.id]
    latest_period = progress.latest_period
    if latest_period is None:
        return TaskView(current, None, ())
    reported = {r.period for r in progress.content.reports}
    rows = tuple(PeriodRow(s.period, s, s.period.id in reported) for s in progress.timeline(ref.task.id))
    return TaskView(current, progress.status(ref.task.id, latest_period.id), rows)


@dataclass(frozen=True)
class Scorecard:
    """An agency's tasks in one plan: per period and role, the tally; apart, its own reports."""

    plan: Plan
    progress: PlanProgress
    any_report: bool
    """Whether the plan has any report: without one, the page gives task counts and 'no report yet'."""
    rows: dict[Role, tuple[tuple[Period, Tally, bool], ...]]
    """For each role, one row per period: the period, the tally, whether anyone reported for it."""
    reporting: tuple[tuple[Period, AgencyReporting], ...]
    """The agency's own report per period, for the periods it was expected or sent one."""

    def has(self, role: Role) -> bool:
        """Whether the agency has a task in that role in any period (a table for it is worth showing)."""
        return any(len(tally) for _, tally, _ in self.rows[role])

    def count(self, role: Role) -> int:
        """How many tasks the agency has in that role in the plan's latest state."""
        return len(self.rows[role][-1][1]) if self.rows[role] else 0


def scorecards(site: Site, ref: AgencyRef) -> list[Scorecard]:
    """The scorecard of an agency in each plan of its city where it has a task (any role)."""
    result: list[Scorecard] = []
    for item in site.content.plans:
        if item.plan.city != ref.city.id:
            continue
        progress = site.progress[item.plan.id]
        reported = {r.period for r in progress.content.reports}
        rows = {
            role: tuple(
                (p, progress.agency_scorecard(ref.agency.id, p.id)[role], p.id in reported) for p in progress.periods
            )
            for role in ROLES
        }
        if not any(len(tally) for role in ROLES for _, tally, _ in rows[role]):
            continue
        reporting = tuple(
            (p, a)
            for p in progress.periods
            if p.id in reported
            for a in progress.agency_reporting(p.id)
            if a.agency == ref.agency.id
        )
        result.append(Scorecard(item.plan, progress, bool(reported), rows, reporting))
    return result


@dataclass(frozen=True)
class LoggedChange:
    """A change of an amendment as the log shows it: the task before it (None for an added task) and after."""

    kind: str
    """'deadline', 'lead', 'coordinating', 'cancel' or 'add' (a lead and coordinating change gives two)."""
    before: Task | None
    after: Task
    reason: Text | None = None
    """Why a task was cancelled, as the decision gives it."""


def amendment_log(progress: PlanProgress) -> list[tuple[Amendment, list[LoggedChange]]]:
    """Every amendment of a plan, in decision order, with each change and the task before and after it."""
    tasks: dict[str, Task] = {t.id: t for t in progress.content.tasks}
    log: list[tuple[Amendment, list[LoggedChange]]] = []
    for amendment in progress.amendments:
        logged: list[LoggedChange] = []
        for change in amendment.changes:
            if change.add is not None:
                tasks.setdefault(change.add.id, change.add)
                logged.append(LoggedChange("add", None, change.add))
                continue
            before = tasks[change.task or ""]
            if change.cancel is not None:
                logged.append(LoggedChange("cancel", before, before, change.cancel))
                continue
            update = {n: getattr(change, n) for n in ("deadline", "lead", "coordinating") if getattr(change, n)}
            after = before.model_copy(update=update)
            tasks[after.id] = after
            logged.extend(LoggedChange(kind, before, after) for kind in update)
        log.append((amendment, logged))
    return log
