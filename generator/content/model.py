"""The content model: pillars, cities and their agencies, plans and their tasks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, StringConstraints, model_validator

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
GROUP = r"^[A-Za-z0-9]+$"
PERIOD = r"^\d{4}-(Q[1-4]|H[12]|Y)$"
TASK_KEY = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
URL = r"^https?://[^\s]+$"
# One address, no display name: what a mailto: link can carry (RFC 5322's rarer forms are refused).
EMAIL = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
PATTERN_RULES = {
    SLUG: ("id", "lower-case ASCII letters, digits and single hyphens"),
    GROUP: ("group id", "ASCII letters and digits only, e.g. '3' or 'VII'"),
    PERIOD: ("period", "a period is YYYY-Q1…Q4, YYYY-H1/H2 or YYYY-Y"),
    TASK_KEY: ("task key", "'<plan>/<task>', e.g. 'da-nang-2021/3-d'"),
    URL: ("link", "a web address starting with https:// or http://, without spaces"),
    EMAIL: ("e-mail address", "one address such as cchc@example.gov.vn, without spaces or a name"),
}
"""What each text pattern of the model is called and its rule in words, for `check`'s messages."""

Slug = Annotated[str, StringConstraints(pattern=SLUG)]
"""An ASCII identifier: lower-case letters, digits and single hyphens (`so-noi-vu`)."""

GroupId = Annotated[str, StringConstraints(pattern=GROUP)]
PeriodId = Annotated[str, StringConstraints(pattern=PERIOD)]
"""A reporting period: `2021-Q1`…`2021-Q4`, `2021-H1`, `2021-H2` or `2021-Y` (the whole year)."""
DeadlineKind = Literal[
    "date",
    "month",
    "quarter",
    "half_year",
    "year",
    "ongoing",
    "recurring",
    "event",
    "conditional",
    "milestones",
]
AgencyKind = Literal[
    "people_committee",
    "office",
    "department",
    "city_unit",
    "district",
    "commune",
    "central_body",
    "enterprise",
    "press",
    "mass_organisation",
    "group",
]
Comparator = Literal["at_least", "at_most", "exactly", "range"]
ReportStatus = Literal["not_started", "in_progress", "completed", "suspended", "dropped"]
"""A task's progress as an agency reports it (the computed statuses are in generator.content.progress)."""


class Strict(BaseModel):
    """Base of every content record: unknown keys are errors."""

    # Numbers are taken as text where text is expected, so `number: 1` and `group: 7` need no quotes.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Text(Strict):
    """A published text in both languages; Vietnamese is authoritative."""

    vi: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Vietnamese text exactly as printed in the source."
    )
    en: str | None = Field(None, description="Faithful English translation; missing means not yet translated.")


class Marked(Strict):
    """A paragraph of the plan with its printed label."""

    marker: str = Field("", description="The printed label, e.g. 'a)', '-', 'Điều 1.'; empty if none.")
    text: Text = Field(description="The paragraph.")


class Pillar(Strict):
    """One of the seven national fields of administrative reform (PAR Index framework)."""

    id: Slug = Field(description="Stable identifier, used in URLs.")
    order: int = Field(description="Position in the national framework, 0 = direction and management.")
    name: Text = Field(description="Official name.")
    description: Text = Field(description="What the field covers, for readers.")


class PillarFile(Strict):
    """The file content/pillars.yaml."""

    pillars: list[Pillar] = Field(description="The national taxonomy, in framework order.")


class Includes(Strict):
    """Who belongs to a generic group: every agency of some kinds, and named agencies."""

    kinds: list[AgencyKind] = Field([], description="Every agency of these kinds belongs to the group (not 'group').")
    agencies: list[Slug] = Field(
        [], description="Agencies that belong to it besides those kinds; none of them a group."
    )


class Agency(Strict):
    """A body named in a plan: a department, a district, or a generic group such as 'Các sở, ban, ngành'."""

    id: Slug = Field(description="ASCII slug of the Vietnamese name, unique within the city.")
    name: Text = Field(description="Official name; English from the glossary.")
    short: list[str] = Field([], description="Abbreviations seen in the sources.")
    aliases: list[str] = Field([], description="Every spelling printed in the sources' agency cells.")
    kind: AgencyKind = Field(description="What sort of body this is.")
    includes: Includes | None = Field(
        None,
        description="For a group only: who belongs to it, so a task given to the group is counted on its members'"
        " pages. Left out when the plan does not make the membership plain.",
    )


class Feedback(Strict):
    """Where a reader reports a problem with a task or an agency: an e-mail address or a web page, not both."""

    email: Annotated[str, StringConstraints(pattern=EMAIL)] | None = Field(
        None, description="An address the city reads; the link opens an e-mail naming the task or agency."
    )
    url: Annotated[str, StringConstraints(pattern=URL)] | None = Field(
        None, description="The city's own feedback portal (https://…)."
    )

    @model_validator(mode="after")
    def _one(self) -> Feedback:
        if (self.email is None) == (self.url is None):
            raise ValueError("give either an e-mail address (email) or a web address (url), exactly one")
        return self


class City(Strict):
    """A city (centrally-run) and its registry of agencies."""

    id: Slug = Field(description="Stable identifier, used in URLs.")
    name: Text = Field(description="City name.")
    feedback: Feedback | None = Field(
        None,
        description="Where readers report a problem ('Góp ý'): only a channel the city runs; without it no link"
        " is shown.",
    )
    agencies: list[Agency] = Field(description="Every agency the city's plans name.")


class Figure(Strict):
    """A quantitative target stated in a text."""

    value: FiniteFloat = Field(description="The number as printed (50 for '50%').")
    value_max: FiniteFloat | None = Field(
        None, description="Upper bound, above `value`: required with comparator 'range', refused with any other."
    )
    unit: str = Field(description="Unit: '%', 'agencies', 'hours' …")
    comparator: Comparator = Field("exactly", description="How the value bounds the result.")
    measure: Text = Field(description="What is measured.")


class MilestoneOverride(Strict):
    """One step of a several-milestone deadline, given by hand."""

    label: Text = Field(description="The step's printed label.")
    kind: DeadlineKind = Field(description="Kind of the step's deadline.")
    start: dt.date | None = Field(None, description="First day of the step's period.")
    end: dt.date | None = Field(None, description="Due date of the step.")


class Deadline(Strict):
    """The 'Thời gian' cell of a task, and what it means."""

    text: Text = Field(description="The cell verbatim (vi) and its English rendering.")
    kind: DeadlineKind | None = Field(None, description="Normalized kind; read from the text when omitted.")
    start: dt.date | None = Field(None, description="First day of the period, where the text implies one.")
    end: dt.date | None = Field(None, description="Due date, where the text implies one.")
    milestones: list[MilestoneOverride] = Field([], description="Steps, for kind 'milestones' given by hand.")
    trigger: Text | None = Field(None, description="The event or direction an event/conditional deadline waits for.")


class AgencyCell(Strict):
    """An agency cell of the task table: as printed, and resolved to agency ids."""

    printed: Text = Field(description="The cell verbatim.")
    agencies: list[Slug] = Field(description="Agency ids the cell names, in printed order.")


class Task(Strict):
    """A task or sub-item of a plan's task table."""

    id: Slug = Field(
        description="Stable plan-local id: the number with '.' → '-' and đ → 'dd' (`3-d`, `1-dd`, `1-m-2`);"
        " never the name of another page of the plan, such as 'van-ban-goc'."
    )
    number: str = Field(description="Number as printed in context (`3.d`, `13.a`, `1.m.2`).")
    marker: str = Field(description="The row's printed label: 'd)', '13', '-', '+'.")
    group: GroupId = Field(description="Id of the plan group (and so the pillar) it belongs to.")
    parent: str | None = Field(None, description="Id of the parent task, for sub-items.")
    text: Text = Field(description="The 'Nội dung' cell.")
    lead: AgencyCell | None = Field(None, description="Lead agencies ('Cơ quan chủ trì'), if printed.")
    coordinating: AgencyCell | None = Field(None, description="Coordinating agencies ('Cơ quan phối hợp'), if printed.")
    deadline: Deadline | None = Field(None, description="The deadline cell, if printed.")
    output: Text | None = Field(None, description="Expected output ('Sản phẩm'), if printed.")
    notes: Text | None = Field(None, description="The 'Ghi chú' cell, if printed.")
    budget_funded: bool = Field(False, description="Funded from the city's reform budget (Hải Phòng's '(*)').")
    targets: list[Figure] = Field([], description="Quantitative targets stated in the text.")
    editorial_notes: list[Text] = Field([], description="Source defects and editorial decisions about this task.")


class Signer(Strict):
    """Who signed the decision."""

    name: str = Field(description="Full name as printed.")
    capacity: Text = Field(description="Capacity, as printed in the signature block.")


class Decision(Strict):
    """The decision that promulgates the plan."""

    number: str = Field(description="Number exactly as printed, e.g. '4988/QĐ-UBND'.")
    date: dt.date = Field(description="Date of signature.")
    place: Text = Field(description="Place of signature.")
    signer: Signer = Field(description="The signatory.")
    legal_bases: list[Text] = Field([], description="The 'Căn cứ / Thực hiện / Theo đề nghị' paragraphs.")
    articles: list[Marked] = Field([], description="The decision's articles.")


class Source(Strict):
    """The official text the plan is transcribed from."""

    file: str = Field(description="File name under content/sources/.")


class PlanTarget(Strict):
    """A numbered target of the plan (Hải Phòng I.2)."""

    marker: str = Field(description="Printed label.")
    text: Text = Field(description="The target as printed.")
    figures: list[Figure] = Field([], description="Every figure it states.")


class GeneralTask(Strict):
    """A general task heading and its bullets (Hải Phòng II.1)."""

    marker: str = Field(description="Printed label.")
    heading: Text = Field(description="Heading as printed.")
    items: list[Text] = Field([], description="One per printed bullet.")


class Duty(Strict):
    """Duties of one agency or group in the implementation section."""

    marker: str = Field(description="Printed label.")
    heading: Text = Field(description="Heading as printed.")
    agencies: list[Slug] = Field([], description="Agency ids the duties concern.")
    items: list[Marked] = Field([], description="The duties, as printed.")


class DueDate(Strict):
    """A reporting due date: the printed words and the date they mean."""

    text: Text = Field(description="The printed words.")
    date: dt.date = Field(description="The date they mean for the plan's year.")


class CalendarEntry(Strict):
    """A report the plan requires, and when it is due."""

    period: PeriodId = Field(
        description="The reporting period the report covers ('2021-Q1', '2021-H1', '2021-Y'): the folder"
        " reports/<period>/ holds the agencies' reports for it."
    )
    report: Text = Field(description="Which report.")
    due: DueDate = Field(description="When it is due.")


class Group(Strict):
    """A heading of the plan's task table, mapped to a national pillar."""

    id: GroupId = Field(description="Plan-local id: the printed number without punctuation ('3', 'VII').")
    number: str = Field(description="Number as printed ('3.', 'VII.').")
    heading: Text = Field(description="Heading as printed.")
    pillar: Slug = Field(description="Id of the national pillar it belongs to.")


class EditorialNote(Strict):
    """A note by the editors: a source defect kept as printed, or an editorial decision."""

    about: str = Field(description="The field the note concerns, e.g. 'decision.date'.")
    text: Text = Field(description="The note.")


class TaskList(Strict):
    """The printed heading, introduction and footnote of the task table."""

    heading: Text | None = Field(None, description="Heading as printed.")
    intro: Text | None = Field(None, description="Introductory text.")
    footnote: Text | None = Field(None, description="Footnote, e.g. on tasks marked (*).")


class Plan(Strict):
    """A city's administrative-reform plan for one year, as promulgated by a decision."""

    id: Slug = Field(description="Stable identifier: city id and year ('da-nang-2021').")
    city: Slug = Field(description="Id of the city.")
    year: int = Field(description="The year the plan covers.")
    title: Text = Field(description="Title of the plan.")
    decision: Decision = Field(description="The promulgating decision.")
    source: Source = Field(description="The official text.")
    purposes: list[Marked] = Field([], description="Purposes and requirements.")
    targets: list[PlanTarget] = Field([], description="Numeric targets.")
    general_tasks: list[GeneralTask] = Field([], description="General tasks.")
    funding: Text | None = Field(None, description="The funding section.")
    general_duties: list[Marked] = Field([], description="Duties of all agencies.")
    duties: list[Duty] = Field([], description="Duties per agency.")
    reporting_calendar: list[CalendarEntry] = Field(
        [],
        description="Reports and their due dates: the plan's reporting periods, in this order. Without it the"
        " plan reports on the four quarters of its year, with no due date.",
    )
    groups: list[Group] = Field(description="Headings of the task table.")
    task_list: TaskList | None = Field(None, description="Heading and notes of the task table.")
    closing: Text | None = Field(None, description="Closing paragraph.")
    editorial_notes: list[EditorialNote] = Field([], description="Source defects and editorial decisions.")


class Evidence(Strict):
    """A document that shows what was done, cited as printed."""

    number: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Number exactly as printed, e.g. '125/QĐ-UBND'."
    )
    date: dt.date = Field(description="Date of the document.")
    url: Annotated[str, StringConstraints(pattern=URL)] | None = Field(None, description="Where it is published.")


class ReportDocument(Evidence):
    """The report itself, as printed (e.g. '125/BC-SNV')."""


class ReportEntry(Strict):
    """What one report says about one task."""

    task: Slug = Field(description="Id of the task in this plan (also a task added by an amendment).")
    status: ReportStatus = Field(description="Progress at the report's date.")
    completed: dt.date | None = Field(
        None, description="When the task was completed: required with status 'completed', refused otherwise."
    )
    done: Text | None = Field(None, description="What was done.")
    evidence: list[Evidence] = Field([], description="Documents that show it.")
    difficulties: Text | None = Field(None, description="Difficulties met ('khó khăn, vướng mắc').")
    proposals: Text | None = Field(None, description="Proposals ('đề xuất, kiến nghị').")
    reason: Text | None = Field(
        None, description="Why the task is suspended or dropped: required with those statuses, refused otherwise."
    )


class ReportFile(Strict):
    """The file reports/<period>/<agency>.yaml: one agency's report for one reporting period."""

    date: dt.date = Field(description="The date the report speaks for ('tính đến ngày'), not before its period starts.")
    received: dt.date | None = Field(
        None,
        description="When the Department of Home Affairs received it, not before `date`; on time means on or"
        " before the period's due date.",
    )
    document: ReportDocument | None = Field(None, description="The report document, as printed.")
    entries: list[ReportEntry] = Field(description="One entry per task reported on; one task at most once.")


class Report(ReportFile):
    """A report file as loaded: its period and agency come from its path."""

    period: PeriodId = Field(description="The period folder it lies in.")
    agency: Slug = Field(description="The agency that reports: the file name without '.yaml'.")
    path: str = Field(description="Repo-relative path of the file.")


class AmendmentDecision(Strict):
    """The decision that amends a plan, as printed."""

    number: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Number exactly as printed, e.g. '1234/QĐ-UBND'."
    )
    date: dt.date = Field(description="Date of signature: the change applies from this date on.")
    signer: Signer = Field(description="The signatory.")
    title: Text = Field(description="Title of the decision.")


class AmendmentChange(Strict):
    """One change a decision makes: exactly one of deadline, lead and/or coordinating, cancel, add."""

    task: Slug | None = Field(None, description="The task changed or cancelled; not given with `add`.")
    deadline: Deadline | None = Field(None, description="The revised deadline, read like a task's.")
    lead: AgencyCell | None = Field(None, description="The new lead agencies.")
    coordinating: AgencyCell | None = Field(None, description="The new coordinating agencies.")
    cancel: Text | None = Field(None, description="The task is cancelled; the reason, as the decision gives it.")
    add: Task | None = Field(None, description="A new task, written as in tasks/*.yaml.")

    @property
    def kind(self) -> Literal["deadline", "agencies", "cancel", "add"] | None:
        """What the change does; None when it names no change or more than one kind."""
        kinds: list[Literal["deadline", "agencies", "cancel", "add"]] = []
        if self.deadline is not None:
            kinds.append("deadline")
        if self.lead is not None or self.coordinating is not None:
            kinds.append("agencies")
        if self.cancel is not None:
            kinds.append("cancel")
        if self.add is not None:
            kinds.append("add")
        return kinds[0] if len(kinds) == 1 else None

    @property
    def task_id(self) -> str:
        """The id of the task it concerns (the added task's own id for `add`)."""
        return self.add.id if self.add is not None else self.task or ""


class AmendmentFile(Strict):
    """The file amendments/<id>.yaml: a decision that changes the plan during the year."""

    decision: AmendmentDecision = Field(description="The amending decision.")
    changes: list[AmendmentChange] = Field(description="What it changes, in printed order.")


class Amendment(AmendmentFile):
    """An amendment file as loaded: its id comes from its file name."""

    id: Slug = Field(description="The file name without '.yaml', e.g. '2021-06-15-1234-qd-ubnd'.")
    path: str = Field(description="Repo-relative path of the file.")


class PlanContent(BaseModel):
    """A validated plan with its tasks, deadlines resolved."""

    model_config = ConfigDict(frozen=True)

    plan: Plan
    tasks: tuple[Task, ...]
    files: dict[str, str] = {}
    """Repo-relative YAML file each task is written in, by task id."""
    reports: tuple[Report, ...] = ()
    """Every agency's report for every period, by period (in the plan's order) then agency id."""
    amendments: tuple[Amendment, ...] = ()
    """Every amending decision, by decision date then id: the order they apply in."""


class Content(BaseModel):
    """Everything under content/, validated and cross-checked."""

    model_config = ConfigDict(frozen=True)

    pillars: tuple[Pillar, ...]
    cities: tuple[City, ...]
    plans: tuple[PlanContent, ...]
    procedures: tuple[Any, ...] = ()
    """Process descriptions (generator.content.procedures.Procedure, which builds on this module)."""
