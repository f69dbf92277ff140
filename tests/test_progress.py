"""What generator.content.progress computes from reports and amendments: every rule of issue 12's "Computed" list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from generator.content.model import (
    Agency,
    AgencyCell,
    Amendment,
    AmendmentChange,
    AmendmentDecision,
    CalendarEntry,
    City,
    Deadline,
    DueDate,
    Includes,
    MilestoneOverride,
    Plan,
    PlanContent,
    Report,
    ReportEntry,
    Signer,
    Task,
    Text,
)
from generator.content.progress import (
    PlanProgress,
    current_tasks,
    members,
    period_span,
    pick_entry,
    plan_periods,
    timeliness,
)
from generator.content.site import Site
from generator.content.validate import load_content

from .conftest import FIXTURES, ROOT

T = Text(vi="x", en="x")
D = date.fromisoformat


def cell(*agencies: str) -> AgencyCell:
    return AgencyCell(printed=T, agencies=list(agencies))


def task(task_id: str = "1-a", end: str | None = "2021-06-30", kind: str = "month", **fields: Any) -> Task:
    deadline = Deadline(text=T, kind=kind, end=D(end) if end else None)  # type: ignore[arg-type]
    return Task(id=task_id, number="1", marker="a)", group="1", text=T, deadline=deadline, **fields)


def entry(status: str = "in_progress", completed: str | None = None, task_id: str = "1-a") -> ReportEntry:
    reason = T if status in ("suspended", "dropped") else None
    return ReportEntry(task=task_id, status=status, completed=D(completed) if completed else None, reason=reason)  # type: ignore[arg-type]


def report(
    agency: str, day: str, *entries: ReportEntry, period: str = "2021-Q2", received: str | None = None
) -> Report:
    return Report(
        date=D(day),
        received=D(received) if received else None,
        entries=list(entries),
        period=period,
        agency=agency,
        path=f"content/plans/p-2021/reports/{period}/{agency}.yaml",
    )


def amendment(day: str, *changes: AmendmentChange, number: str = "1/QĐ-UBND") -> Amendment:
    decision = AmendmentDecision(number=number, date=D(day), signer=Signer(name="A", capacity=T), title=T)
    return Amendment(decision=decision, changes=list(changes), id=f"{day}-x", path="x")


def plan(calendar: list[tuple[str, str]] | None = None) -> Plan:
    entries = [CalendarEntry(period=p, report=T, due=DueDate(text=T, date=D(d))) for p, d in calendar or []]
    return Plan.model_construct(id="p-2021", city="c", year=2021, reporting_calendar=entries, groups=[])


CITY = City(
    id="c",
    name=T,
    agencies=[
        Agency(id="so-a", name=T, kind="department"),
        Agency(id="so-b", name=T, kind="department"),
        Agency(id="van-phong", name=T, kind="office"),
        Agency(id="so-nganh", name=T, kind="group", includes=Includes(kinds=["department"])),
        Agency(id="nhom-mo", name=T, kind="group"),
    ],
)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2021-Q1", "2021-01-01", "2021-03-31"),
        ("2021-Q2", "2021-04-01", "2021-06-30"),
        ("2021-Q3", "2021-07-01", "2021-09-30"),
        ("2021-Q4", "2021-10-01", "2021-12-31"),
        ("2021-H1", "2021-01-01", "2021-06-30"),
        ("2021-H2", "2021-07-01", "2021-12-31"),
        ("2021-Y", "2021-01-01", "2021-12-31"),
        ("2024-Q1", "2024-01-01", "2024-03-31"),
    ],
)
def test_period_spans(period: str, start: str, end: str) -> None:
    assert period_span(period) == (D(start), D(end))


def test_a_plan_has_its_calendar_periods_in_order_or_four_undated_quarters() -> None:
    dated = plan_periods(plan([("2021-Q1", "2021-03-05"), ("2021-H1", "2021-06-05"), ("2021-Y", "2021-11-05")]))
    assert [(p.id, p.due, p.moment) for p in dated] == [
        ("2021-Q1", D("2021-03-05"), D("2021-03-05")),
        ("2021-H1", D("2021-06-05"), D("2021-06-05")),
        ("2021-Y", D("2021-11-05"), D("2021-11-05")),
    ]
    quarters = plan_periods(plan())
    assert [(p.id, p.due, p.moment) for p in quarters] == [
        ("2021-Q1", None, D("2021-03-31")),
        ("2021-Q2", None, D("2021-06-30")),
        ("2021-Q3", None, D("2021-09-30")),
        ("2021-Q4", None, D("2021-12-31")),
    ]


def test_a_group_includes_the_kinds_and_agencies_it_names_and_never_a_group() -> None:
    city = CITY.model_copy(
        update={
            "agencies": [
                *CITY.agencies,
                Agency(id="tat-ca", name=T, kind="group", includes=Includes(kinds=["office"], agencies=["so-a"])),
            ]
        }
    )
    assert members(city) == {
        "so-nganh": {"so-a", "so-b"},
        "nhom-mo": set(),
        "tat-ca": {"van-phong", "so-a"},
    }


def test_an_amendment_applies_from_its_decision_date_on() -> None:
    moved = amendment(
        "2021-06-15", AmendmentChange(task="1-a", deadline=Deadline(text=T, kind="quarter", end=D("2021-09-30")))
    )
    before = current_tasks([task()], [moved], D("2021-06-14"))["1-a"]
    on = current_tasks([task()], [moved], D("2021-06-15"))["1-a"]
    assert before.task.deadline
    assert before.task.deadline.end == D("2021-06-30")
    assert before.changes == ()
    assert on.task.deadline
    assert on.task.deadline.end == D("2021-09-30")
    assert on.original.deadline
    assert on.original.deadline.end == D("2021-06-30")
    assert [c.amendment.decision.number for c in on.deadline_changes] == ["1/QĐ-UBND"]


def test_amendments_apply_in_decision_order_and_add_and_cancel_tasks() -> None:
    later = amendment("2021-09-01", AmendmentChange(task="1-a", lead=cell("so-b")), number="2/QĐ-UBND")
    earlier = amendment(
        "2021-06-15",
        AmendmentChange(task="1-a", lead=cell("so-a")),
        AmendmentChange(add=task("2-a")),
        AmendmentChange(task="1-b", cancel=T),
    )
    tasks = current_tasks([task(), task("1-b")], [later, earlier], D("2021-12-31"))
    assert list(tasks) == ["1-a", "1-b", "2-a"]
    assert tasks["1-a"].task.lead == cell("so-b")
    assert tasks["1-b"].cancelled is not None
    assert tasks["2-a"].added is not None
    assert "2-a" not in current_tasks([task()], [earlier], D("2021-06-14"))


@pytest.mark.parametrize(
    ("status", "completed", "day", "expected"),
    [
        ("completed", "2021-06-30", "2021-07-05", "on_time"),  # completed on the deadline's last day
        ("completed", "2021-07-01", "2021-07-05", "late"),  # one day after
        ("in_progress", None, "2021-06-30", "not_due"),  # report on the deadline's last day
        ("in_progress", None, "2021-07-01", "late"),  # the day after
        ("not_started", None, "2021-07-01", "late"),
        ("suspended", None, "2021-03-31", "not_due"),
    ],
)
def test_timeliness_compares_with_the_deadline_end(status: str, completed: str | None, day: str, expected: str) -> None:
    assert timeliness(task(), entry(status, completed), D(day)) == expected


@pytest.mark.parametrize("kind", ["ongoing", "recurring", "event", "conditional"])
def test_ongoing_recurring_event_and_conditional_deadlines_are_never_late(kind: str) -> None:
    assert timeliness(task(end=None, kind=kind), entry(), D("2022-12-31")) == "no_fixed_deadline"


def test_milestones_that_end_ongoing_and_tasks_without_a_dated_end_are_never_late() -> None:
    steps = [
        MilestoneOverride(label=T, kind="month", end=D("2021-02-28")),
        MilestoneOverride(label=T, kind="ongoing"),
    ]
    goes_on = task(kind="milestones", end="2021-02-28").model_copy(
        update={"deadline": Deadline(text=T, kind="milestones", end=D("2021-02-28"), milestones=steps)}
    )
    assert timeliness(goes_on, entry(), D("2021-12-31")) == "no_fixed_deadline"
    undated = task().model_copy(update={"deadline": None})
    assert timeliness(undated, entry("completed", "2021-12-01"), D("2021-12-31")) == "no_fixed_deadline"


def test_the_lead_entry_counts_before_a_later_coordinator_entry() -> None:
    shared = task(lead=cell("so-a"), coordinating=cell("so-b", "van-phong"))
    lead = report("so-a", "2021-06-01", entry("in_progress"))
    coordinator = report("so-b", "2021-06-20", entry("completed", "2021-06-10"))
    office = report("van-phong", "2021-06-25", entry("in_progress"))
    found = [(r, r.entries[0]) for r in (coordinator, lead, office)]
    assert pick_entry(shared, found, {})[0].agency == "so-a"  # type: ignore[index]
    # Without the lead's, the latest-dated coordinator's.
    assert pick_entry(shared, found[:1] + found[2:], {})[0].agency == "van-phong"  # type: ignore[index]
    assert pick_entry(shared, [], {}) is None
    # A member of a lead group is a lead.
    through = task(lead=cell("so-nganh"), coordinating=cell("van-phong"))
    assert (
        pick_entry(through, [(office, office.entries[0]), (lead, lead.entries[0])], members(CITY))[0].agency == "so-a"
    )  # type: ignore[index]


def progress(
    tasks: list[Task],
    reports: list[Report],
    amendments: list[Amendment] = (),
    calendar: Any = None,  # type: ignore[assignment]
) -> PlanProgress:
    content = PlanContent(plan=plan(calendar), tasks=tuple(tasks), reports=tuple(reports), amendments=tuple(amendments))
    return PlanProgress(content, CITY)


def test_not_reported_differs_from_not_started_and_cancelled_tasks_are_never_late() -> None:
    tasks = [task("1-a", lead=cell("so-a")), task("1-b", lead=cell("so-a")), task("1-c", lead=cell("so-b"))]
    cancel = amendment("2021-05-01", AmendmentChange(task="1-c", cancel=T))
    sent = report("so-a", "2021-07-10", entry("not_started", task_id="1-a"), period="2021-Q3")
    states = {s.task.id: s for s in progress(tasks, [sent], [cancel]).statuses("2021-Q3")}
    assert (states["1-a"].status, states["1-a"].timeliness) == ("not_started", "late")
    assert (states["1-b"].status, states["1-b"].timeliness, states["1-b"].deadline_passed) == (
        "not_reported",
        None,
        True,
    )
    assert (states["1-c"].status, states["1-c"].timeliness, states["1-c"].deadline_passed) == ("cancelled", None, False)
    # Before the decision, the task is not cancelled.
    assert progress(tasks, [], [cancel]).status("1-c", "2021-Q1").status == "not_reported"  # type: ignore[union-attr]


def test_lateness_uses_the_deadline_in_force_at_the_period() -> None:
    moved = amendment(
        "2021-06-15", AmendmentChange(task="1-a", deadline=Deadline(text=T, kind="quarter", end=D("2021-09-30")))
    )
    sent = report("so-a", "2021-07-01", entry(), period="2021-Q3")
    assert progress([task(lead=cell("so-a"))], [sent]).status("1-a", "2021-Q3").timeliness == "late"  # type: ignore[union-attr]
    assert progress([task(lead=cell("so-a"))], [sent], [moved]).status("1-a", "2021-Q3").timeliness == "not_due"  # type: ignore[union-attr]


def test_who_is_expected_to_report_and_who_reported_on_time() -> None:
    tasks = [
        task("1-a", lead=cell("so-a"), coordinating=cell("so-nganh", "nhom-mo")),
        task("1-b", lead=cell("van-phong")),
    ]
    calendar = [("2021-Q2", "2021-07-05")]
    on_due = report("so-a", "2021-06-30", entry(task_id="1-a"), received="2021-07-05")
    late = report("so-b", "2021-06-30", entry(task_id="1-a"), received="2021-07-06")
    dated = report("van-phong", "2021-07-05", entry(task_id="1-b"))
    found = {a.agency: a for a in progress(tasks, [on_due, late, dated], calendar=calendar).agency_reporting("2021-Q2")}
    # so-b through the group; never a group itself; nhom-mo names no member.
    assert {k: (a.expected, a.report is not None, a.on_time) for k, a in found.items()} == {
        "so-a": (True, True, True),
        "so-b": (True, True, False),
        "van-phong": (True, True, True),  # no `received`: its date counts
    }
    undated = {a.agency: a.on_time for a in progress(tasks, [on_due]).agency_reporting("2021-Q2")}
    assert undated == {"so-a": None, "so-b": None, "van-phong": None}  # no due date: just reported or not


def test_scorecard_keeps_leads_coordinations_and_group_tasks_apart() -> None:
    tasks = [
        task("1-a", lead=cell("so-a")),
        task("1-b", lead=cell("so-b"), coordinating=cell("so-a")),
        task("1-c", lead=cell("so-nganh")),
        task("1-d", lead=cell("so-nganh"), coordinating=cell("so-a")),
    ]
    card = progress(tasks, []).agency_scorecard("so-a", "2021-Q1")
    assert {role: [s.task.id for s in tally.items] for role, tally in card.items()} == {
        "lead": ["1-a"],
        "coordinating": ["1-b", "1-d"],
        "through_group": ["1-c"],
    }
    assert card["lead"].by_status["not_reported"] == 1


# The fixture plan, as a reader would check it period by period.

FIXTURE_STATES = {
    "2021-Q1": "1-a completed on_time so-noi-vu | 1-b in_progress late so-tu-phap | 1-c in_progress not_due so-tai-chinh"
    " | 1-d in_progress no_fixed_deadline so-noi-vu | 2-a not_reported | 2-b not_started not_due so-tu-phap"
    " | 2-c in_progress not_due so-noi-vu | 2-d in_progress not_due so-tu-phap | 2-e in_progress not_due so-tai-chinh",
    "2021-H1": "1-a completed on_time so-noi-vu | 1-b completed late so-tu-phap | 1-c in_progress not_due so-tai-chinh"
    " | 1-d in_progress no_fixed_deadline so-noi-vu | 2-a not_reported | 2-b suspended not_due so-tu-phap"
    " | 2-c cancelled | 2-d not_started not_due so-tai-chinh | 2-e in_progress not_due so-tai-chinh"
    " | 2-f not_started not_due so-noi-vu",
    "2021-Q3": "1-a completed on_time so-noi-vu | 1-b completed late so-tu-phap | 1-c completed on_time so-tai-chinh"
    " | 1-d in_progress no_fixed_deadline so-noi-vu | 2-a not_reported | 2-b dropped not_due so-tu-phap"
    " | 2-c cancelled | 2-d in_progress not_due so-noi-vu | 2-e completed on_time so-tai-chinh"
    " | 2-f in_progress not_due so-noi-vu",
}


@pytest.fixture(scope="module")
def fixture_site() -> Site:
    content, _ = load_content(FIXTURES / "progress")
    return Site(content)


def test_the_fixture_plan_period_by_period(fixture_site: Site) -> None:
    found = fixture_site.progress["beta-2021"]
    assert [p.id for p in found.periods] == ["2021-Q1", "2021-H1", "2021-Q3", "2021-Y"]
    for period, expected in FIXTURE_STATES.items():
        shown = " | ".join(
            " ".join(x for x in (s.task.id, s.status, s.timeliness, s.report.agency if s.report else None) if x)
            for s in found.statuses(period)
        )
        assert shown == expected, period
    assert {s.status for s in found.statuses("2021-Y")} == {"not_reported", "cancelled"}
    assert found.latest_period is not None
    assert found.latest_period.id == "2021-Q3"
    reporting = {a.agency: (a.report is not None, a.on_time) for a in found.agency_reporting("2021-Q1")}
    assert reporting == {
        "so-noi-vu": (True, True),
        "so-tai-chinh": (True, True),
        "so-tu-phap": (True, False),  # received 2021-04-08, due 2021-04-05
        "so-y-te": (False, None),  # never reports
    }
    timeline = found.timeline("1-c")
    assert [(s.period.id, s.task.task.deadline.text.vi) for s in timeline] == [  # type: ignore[union-attr]
        ("2021-Q1", "Tháng 6"),
        ("2021-H1", "Quý III"),
        ("2021-Q3", "Quý III"),
        ("2021-Y", "Quý III"),
    ]
    assert [s.period.id for s in found.timeline("2-f")] == ["2021-H1", "2021-Q3", "2021-Y"]  # added on 15/6
    pillars = found.pillar_tally("2021-Q3")
    assert pillars["chi-dao-dieu-hanh"].by_status["completed"] == 3
    assert [s.task.id for s in found.tally("2021-Q3").late] == ["1-b"]
    assert fixture_site.current_status(fixture_site.task_by_key["beta-2021/2-c"]) == "cancelled"
    assert fixture_site.current_status(fixture_site.task_by_key["beta-2021/2-a"]) is None  # "no report yet"
    assert fixture_site.current_status(fixture_site.task_by_key["beta-2021/1-c"]) == "completed"


def test_the_fixture_agency_pages_count_group_tasks_apart(fixture_site: Site) -> None:
    roles = fixture_site.by_agency["beta/so-tai-chinh"]
    assert {k: [r.task.id for r in v] for k, v in roles.items()} == {
        "lead": ["1-c", "2-d"],  # as printed; 2-d's lead changes later (progress.latest)
        "coordinating": [],
        "through_group": ["1-a", "2-e"],
    }
    assert [g.id for g in fixture_site.groups_of(fixture_site.agency("beta", "so-tai-chinh"))] == ["so-ban-nganh"]


def test_the_real_plans_have_no_period_with_reports() -> None:
    content, _ = load_content(ROOT)
    site = Site(content)
    for found in site.progress.values():
        assert found.latest_period is None
    assert all(site.current_status(ref) is None for ref in site.tasks)
    hai_phong = site.progress["hai-phong-2021"]
    assert [(p.id, p.due) for p in hai_phong.periods] == [
        ("2021-Q1", D("2021-03-05")),
        ("2021-H1", D("2021-06-05")),
        ("2021-Q3", D("2021-09-05")),
        ("2021-Y", D("2021-11-05")),
    ]
    assert [(p.id, p.due) for p in site.progress["da-nang-2021"].periods] == [(f"2021-Q{q}", None) for q in range(1, 5)]


def test_the_department_of_justice_of_da_nang_counts_the_tasks_of_its_groups() -> None:
    content, _ = load_content(ROOT)
    site = Site(content)
    groups = {g.id for g in site.groups_of(site.agency("da-nang", "so-tu-phap"))}
    assert "so-ban-nganh" in groups
    through = site.by_agency["da-nang/so-tu-phap"]["through_group"]
    expected = [
        ref
        for ref in site.tasks
        if ref.plan.id == "da-nang-2021"
        and (named := {a for c in (ref.task.lead, ref.task.coordinating) if c for a in c.agencies}) & groups
        and "so-tu-phap" not in named
    ]
    assert through == expected
    assert len(through) >= 50  # "60 of the plan's 95 tasks and sub-items" name Sở, ban, ngành
