"""Open data of the plans themselves: everything a plan file holds besides its tasks, and who a task names.

plans.json carries each plan's purposes, numeric targets (with their figures), general tasks, funding,
general duties and duties per agency, reporting calendar, task-table groups and notes, closing paragraph
and the editors' notes, built as the models below so that it always matches data/schema/plans.schema.json.
The parts a journalist reads as a table are also CSV, one row per printed paragraph: plan-purposes.csv,
plan-targets.csv and plan-target-figures.csv, plan-general-tasks.csv, plan-general-duties.csv,
plan-duties.csv, plan-calendar.csv, plan-notes.csv (the funding paragraph, one per plan, is a column of
plans.csv); task-agencies.csv lists the agencies each task names, one row per agency, so that a task's
agencies can be checked against agencies.csv (a cell holding several ids cannot). The rest of the decision
(signer's capacity, place, legal bases, articles), the task table's groups, heading, introduction and
footnote, and the closing paragraph stay in plans.json only: they describe the document rather than the
reform, and the plan's source page shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from generator.content.model import CalendarEntry, Figure, GeneralTask, Group, Marked, PlanTarget, TaskList, Text
from generator.content.site import Site, plan_url, source_url

PLAN_PURPOSE_COLUMNS = ("plan", "purpose", "marker", "text_vi", "text_en")
PLAN_TARGET_COLUMNS = ("plan", "target", "marker", "text_vi", "text_en")
PLAN_FIGURE_COLUMNS = (
    "plan",
    "target",
    "figure",
    "measure_vi",
    "measure_en",
    "comparator",
    "value",
    "value_max",
    "unit",
)
PLAN_GENERAL_TASK_COLUMNS = (
    "plan",
    "general_task",
    "marker",
    "heading_vi",
    "heading_en",
    "item",
    "text_vi",
    "text_en",
)
PLAN_GENERAL_DUTY_COLUMNS = ("plan", "duty", "marker", "text_vi", "text_en")
PLAN_DUTY_COLUMNS = (
    "plan",
    "duty",
    "marker",
    "heading_vi",
    "heading_en",
    "agencies",
    "item",
    "item_marker",
    "text_vi",
    "text_en",
)
PLAN_CALENDAR_COLUMNS = ("plan", "period", "report_vi", "report_en", "due_vi", "due_en", "due_date")
PLAN_NOTE_COLUMNS = ("plan", "note", "about", "text_vi", "text_en")
TASK_AGENCY_COLUMNS = ("task", "role", "position", "agency")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DecisionRecord(_Record):
    """The promulgating decision."""

    number: str = Field(description="Number exactly as printed, e.g. '4988/QĐ-UBND'.")
    date: dt.date
    signer: str = Field(description="Full name of the signatory as printed.")
    signer_capacity: Text = Field(description="Capacity of the signatory, as printed.")
    place: Text = Field(description="Place of signature.")
    legal_bases: list[Text] = Field(description="The 'Căn cứ / Thực hiện / Theo đề nghị' paragraphs.")
    articles: list[Marked] = Field(description="The decision's articles.")


class DutyRecord(_Record):
    """Duties of one agency or group in the implementation section."""

    marker: str = Field(description="Printed label.")
    heading: Text = Field(description="Heading as printed.")
    agencies: list[str] = Field(description="Keys of the agencies the duties concern, <city>/<agency>.")
    items: list[Marked] = Field(description="The duties, as printed.")


class NoteRecord(_Record):
    """A note by the editors: a source defect kept as printed, or an editorial decision."""

    about: str = Field(description="The part of the plan the note concerns, e.g. 'decision.date'.")
    text: Text


class PlanRecord(_Record):
    """One entry of plans.json: a plan, everything it says besides its task table."""

    id: str
    city: Text = Field(description="City name.")
    year: int
    decision: DecisionRecord
    title: Text
    purposes: list[Marked] = Field(description="Purposes and requirements, as printed.")
    targets: list[PlanTarget] = Field(description="Numbered targets, each with the figures it states.")
    general_tasks: list[GeneralTask] = Field(description="General tasks: headings and their bullets.")
    funding: Text | None = Field(description="The funding section, if printed.")
    general_duties: list[Marked] = Field(description="Duties of all agencies.")
    duties: list[DutyRecord] = Field(description="Duties per agency or group.")
    reporting_calendar: list[CalendarEntry] = Field(description="Reports the plan requires and their due dates.")
    groups: list[Group] = Field(description="Headings of the task table and the national reform area of each.")
    task_list: TaskList | None = Field(description="Heading, introduction and footnote of the task table.")
    closing: Text | None = Field(description="Closing paragraph.")
    editorial_notes: list[NoteRecord] = Field(description="Source defects and editorial decisions.")
    source: str = Field(description="Path of the plan's official text as published on the site.")
    url: Text = Field(description="Paths of the plan's page in each language.")


def plan_records(site: Site) -> list[PlanRecord]:
    """Every plan, in content order."""
    found = []
    for item in site.content.plans:
        plan, decision = item.plan, item.plan.decision
        found.append(
            PlanRecord(
                id=plan.id,
                city=site.city_of(plan).name,
                year=plan.year,
                decision=DecisionRecord(
                    number=decision.number,
                    date=decision.date,
                    signer=decision.signer.name,
                    signer_capacity=decision.signer.capacity,
                    place=decision.place,
                    legal_bases=decision.legal_bases,
                    articles=decision.articles,
                ),
                title=plan.title,
                purposes=plan.purposes,
                targets=plan.targets,
                general_tasks=plan.general_tasks,
                funding=plan.funding,
                general_duties=plan.general_duties,
                duties=[
                    DutyRecord(
                        marker=d.marker,
                        heading=d.heading,
                        agencies=[f"{plan.city}/{a}" for a in d.agencies],
                        items=d.items,
                    )
                    for d in plan.duties
                ],
                reporting_calendar=plan.reporting_calendar,
                groups=plan.groups,
                task_list=plan.task_list,
                closing=plan.closing,
                editorial_notes=[NoteRecord(about=n.about, text=n.text) for n in plan.editorial_notes],
                source=f"/{source_url(plan)}",
                url=Text(vi=f"/{plan_url(plan)}", en=f"/en/{plan_url(plan)}"),
            )
        )
    return found


Cell = str | int | float | None


def _vi_en(text: Text | None, name: str) -> dict[str, Cell]:
    return {f"{name}_vi": text.vi if text else "", f"{name}_en": (text.en if text else None) or ""}


def _figure(plan: str, target: int, number: int, figure: Figure) -> dict[str, Cell]:
    return {
        "plan": plan,
        "target": target,
        "figure": number,
        **_vi_en(figure.measure, "measure"),
        "comparator": figure.comparator,
        "value": figure.value,
        "value_max": figure.value_max if figure.value_max is not None else "",
        "unit": figure.unit,
    }


def _marked(plan: str, name: str, paragraphs: Sequence[Marked | PlanTarget]) -> list[dict[str, Cell]]:
    """One row per printed paragraph (a target's figures aside), numbered from 1 in column `name`."""
    return [
        {"plan": plan, name: n, "marker": paragraph.marker, **_vi_en(paragraph.text, "text")}
        for n, paragraph in enumerate(paragraphs, 1)
    ]


def plan_tables(records: list[PlanRecord]) -> dict[str, list[dict[str, Cell]]]:
    """The tabular parts of the plans, by CSV file name (without .csv); positions count from 1."""
    tables: dict[str, list[dict[str, Cell]]] = {name: [] for name in TABLE_COLUMNS if name.startswith("plan-")}
    for p in records:
        tables["plan-purposes"] += _marked(p.id, "purpose", p.purposes)
        tables["plan-targets"] += _marked(p.id, "target", p.targets)
        for t, target in enumerate(p.targets, 1):
            tables["plan-target-figures"] += [_figure(p.id, t, f, figure) for f, figure in enumerate(target.figures, 1)]
        for g, general in enumerate(p.general_tasks, 1):
            head = {"plan": p.id, "general_task": g, "marker": general.marker, **_vi_en(general.heading, "heading")}
            for i, bullet in enumerate(general.items, 1):
                tables["plan-general-tasks"].append({**head, "item": i, **_vi_en(bullet, "text")})
        tables["plan-general-duties"] += _marked(p.id, "duty", p.general_duties)
        for d, duty in enumerate(p.duties, 1):
            head = {"plan": p.id, "duty": d, "marker": duty.marker, **_vi_en(duty.heading, "heading")}
            head["agencies"] = "; ".join(duty.agencies)
            for i, item in enumerate(duty.items, 1):
                tables["plan-duties"].append(
                    {**head, "item": i, "item_marker": item.marker, **_vi_en(item.text, "text")}
                )
        for entry in p.reporting_calendar:
            tables["plan-calendar"].append(
                {
                    "plan": p.id,
                    "period": entry.period,
                    **_vi_en(entry.report, "report"),
                    **_vi_en(entry.due.text, "due"),
                    "due_date": entry.due.date.isoformat(),
                }
            )
        for n, note in enumerate(p.editorial_notes, 1):
            tables["plan-notes"].append({"plan": p.id, "note": n, "about": note.about, **_vi_en(note.text, "text")})
    return tables


def task_agency_rows(site: Site) -> list[dict[str, Cell]]:
    """task-agencies.csv: each agency a task's lead and coordinating cells name, in printed order."""
    rows: list[dict[str, Cell]] = []
    for ref in site.tasks:
        for role, cell in (("lead", ref.task.lead), ("coordinating", ref.task.coordinating)):
            for position, agency in enumerate(cell.agencies if cell else [], 1):
                rows.append(
                    {"task": ref.key, "role": role, "position": position, "agency": f"{ref.plan.city}/{agency}"}
                )
    return rows


TABLE_COLUMNS = {
    "plan-purposes": PLAN_PURPOSE_COLUMNS,
    "plan-targets": PLAN_TARGET_COLUMNS,
    "plan-target-figures": PLAN_FIGURE_COLUMNS,
    "plan-general-tasks": PLAN_GENERAL_TASK_COLUMNS,
    "plan-general-duties": PLAN_GENERAL_DUTY_COLUMNS,
    "plan-duties": PLAN_DUTY_COLUMNS,
    "plan-calendar": PLAN_CALENDAR_COLUMNS,
    "plan-notes": PLAN_NOTE_COLUMNS,
    "task-agencies": TASK_AGENCY_COLUMNS,
}
"""The columns of each of these CSV files, in order (a file with no rows still has its header); the data page
lists the files in this order, the plan's own."""
