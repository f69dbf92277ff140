"""Read-only indexes over validated content: who leads what, which tasks fall in which pillar, URLs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from generator.content.model import Agency, City, Content, Group, Pillar, Plan, PlanContent, Task
from generator.content.progress import PlanProgress, Status, members


@dataclass(frozen=True)
class TaskRef:
    """A task together with the plan it belongs to."""

    plan: Plan
    task: Task

    @property
    def key(self) -> str:
        """The public id: '<plan>/<task>' (e.g. 'da-nang-2021/3-d')."""
        return f"{self.plan.id}/{self.task.id}"


@dataclass(frozen=True)
class AgencyRef:
    """An agency together with its city."""

    city: City
    agency: Agency

    @property
    def key(self) -> str:
        """The public id: '<city>/<agency>' (e.g. 'da-nang/so-noi-vu')."""
        return f"{self.city.id}/{self.agency.id}"


# Where the pages of each language go. Hand-written pages (content/pages/<name>.<lang>.md → <name>/) and a
# plan's task pages (ke-hoach/<plan>/<task>/) must not take these names: they would overwrite each other.
HOME_URL = ""
PLANS_URL = "ke-hoach/"
PILLARS_URL = "linh-vuc/"
AGENCIES_URL = "co-quan/"
DEADLINES_URL = "thoi-han/"
DATA_URL = "du-lieu/"
FINDER_URL = "tra-cuu/"
WHATS_NEW_URL = "thay-doi/"
PROCEDURES_URL = "quy-trinh/"
SECTIONS = (PLANS_URL, PILLARS_URL, AGENCIES_URL, DEADLINES_URL, DATA_URL, FINDER_URL, WHATS_NEW_URL, PROCEDURES_URL)
"""The generated sections: every page the renderer writes lies in one of them or is the home page."""
EMBEDS_URL = "nhung/"
"""The embeddable cards (generator/pages/embeds.py): nhung/<page URL without its final '/'>.html, in each language."""
ROOT_FOLDERS = ("en/", "data/", "nguon/", "pagefind/", "assets/", EMBEDS_URL)
"""What the build puts at the site root beside the pages: the English site, open data and schemas (export,
schema), the source texts, the search index (Pagefind), the theme's files (MkDocs) and the embeddable cards."""
SOURCE_PAGE = "van-ban-goc/"
PROGRESS_PAGE = "tien-do/"
"""A plan's progress pages: ke-hoach/<plan>/tien-do/<period>/, one per reporting period ("as of 2021-Q2")."""
AMENDMENTS_PAGE = "dieu-chinh/"
"""A plan's amendment log: ke-hoach/<plan>/dieu-chinh/."""
PLAN_PAGES = (SOURCE_PAGE, PROGRESS_PAGE, AMENDMENTS_PAGE)
"""The pages of a plan beside its task pages (its feed and calendar are files, which no task id can name)."""


def reserved_names() -> set[str]:
    """The names a hand-written page cannot take (without their trailing '/')."""
    return {url.rstrip("/") for url in (*SECTIONS, *ROOT_FOLDERS)}


def plan_url(plan: Plan) -> str:
    """Site-relative URL of a plan page (identical in both languages)."""
    return f"{PLANS_URL}{plan.id}/"


def task_url(plan: Plan, task: Task) -> str:
    """Site-relative URL of a task page."""
    return f"{plan_url(plan)}{task.id}/"


def agency_url(city: City, agency: Agency) -> str:
    """Site-relative URL of an agency page."""
    return f"{AGENCIES_URL}{city.id}/{agency.id}/"


def pillar_url(pillar: Pillar) -> str:
    """Site-relative URL of a pillar page."""
    return f"{PILLARS_URL}{pillar.id}/"


def source_url(plan: Plan) -> str:
    """Site-relative URL of the page that publishes a plan's official text."""
    return f"{plan_url(plan)}{SOURCE_PAGE}"


def embed_url(url: str) -> str:
    """Site-relative URL of the embeddable card of the page at `url` (a plan, agency or task page)."""
    return f"{EMBEDS_URL}{url.rstrip('/')}.html"


def markdown_path(url: str) -> str:
    """Return the Markdown file that MkDocs serves at `url` (directory URLs)."""
    return f"{url}index.md" if url else "index.md"


class Site:
    """Everything the page templates look up, computed once from the content."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.cities = {c.id: c for c in content.cities}
        self.pillars = {p.id: p for p in content.pillars}

    @cached_property
    def tasks(self) -> list[TaskRef]:
        """Every task of every plan, in plan and printed order."""
        return [TaskRef(p.plan, t) for p in self.content.plans for t in p.tasks]

    @cached_property
    def agencies(self) -> list[AgencyRef]:
        """Every agency of every city."""
        return [AgencyRef(c, a) for c in self.content.cities for a in c.agencies]

    @cached_property
    def agency_by_key(self) -> dict[tuple[str, str], AgencyRef]:
        """Every agency, keyed by city id and agency id."""
        return {(ref.city.id, ref.agency.id): ref for ref in self.agencies}

    def agency(self, city_id: str, agency_id: str) -> AgencyRef:
        """Look up an agency of a city."""
        return self.agency_by_key[(city_id, agency_id)]

    def group(self, plan: Plan, task: Task) -> Group:
        """The plan group a task belongs to."""
        return next(g for g in plan.groups if g.id == task.group)

    def pillar_of(self, ref: TaskRef) -> Pillar:
        """The national pillar of a task."""
        return self.pillars[self.group(ref.plan, ref.task).pillar]

    def city_of(self, plan: Plan) -> City:
        """The city of a plan."""
        return self.cities[plan.city]

    def plan_content(self, plan_id: str) -> PlanContent:
        """A plan and its tasks."""
        return next(p for p in self.content.plans if p.plan.id == plan_id)

    @cached_property
    def children(self) -> dict[str, list[TaskRef]]:
        """Sub-items of each task, keyed by the parent's public id."""
        result: dict[str, list[TaskRef]] = defaultdict(list)
        for ref in self.tasks:
            if ref.task.parent:
                result[f"{ref.plan.id}/{ref.task.parent}"].append(ref)
        return result

    @cached_property
    def task_by_key(self) -> dict[str, TaskRef]:
        """Every task, keyed by its public id."""
        return {ref.key: ref for ref in self.tasks}

    def parent(self, ref: TaskRef) -> TaskRef | None:
        """The parent of a sub-item."""
        if ref.task.parent is None:
            return None
        return self.task_by_key[f"{ref.plan.id}/{ref.task.parent}"]

    def ancestors(self, ref: TaskRef) -> list[TaskRef]:
        """Parents of a task, outermost first."""
        chain: list[TaskRef] = []
        current = self.parent(ref)
        while current is not None:
            chain.insert(0, current)
            current = self.parent(current)
        return chain

    @cached_property
    def progress(self) -> dict[str, PlanProgress]:
        """Each plan's progress (periods, amended tasks, statuses, who reported), keyed by plan id."""
        return {p.plan.id: PlanProgress(p, self.cities[p.plan.city]) for p in self.content.plans}

    @cached_property
    def members(self) -> dict[str, dict[str, frozenset[str]]]:
        """For each city id, the agencies each of its groups includes (see progress.members)."""
        return {c.id: members(c) for c in self.content.cities}

    def groups_of(self, ref: AgencyRef) -> list[Agency]:
        """The groups an agency belongs to, in registry order."""
        groups = self.members[ref.city.id]
        return [a for a in ref.city.agencies if ref.agency.id in groups.get(a.id, ())]

    def current_status(self, ref: TaskRef) -> Status | None:
        """A task's status in its plan's latest period with reports (see PlanProgress.latest_period), for the
        finder, the open data and the task page's badge; None when that period has no report on it."""
        progress = self.progress[ref.plan.id]
        latest = progress.latest_period
        state = progress.status(ref.task.id, latest.id) if latest else None
        return state.status if state and state.status != "not_reported" else None

    @cached_property
    def by_agency(self) -> dict[str, dict[str, list[TaskRef]]]:
        """For each agency key, the tasks it leads ('lead'), coordinates ('coordinating'), both as printed, and
        the tasks given, as lead or coordinator, to a group it belongs to ('through_group'), each task once."""
        result: dict[str, dict[str, list[TaskRef]]] = defaultdict(
            lambda: {"lead": [], "coordinating": [], "through_group": []}
        )
        for ref in self.tasks:
            named: set[str] = set()
            for role in ("lead", "coordinating"):
                cell = getattr(ref.task, role)
                for agency_id in cell.agencies if cell else []:
                    result[f"{ref.plan.city}/{agency_id}"][role].append(ref)
                    named.add(agency_id)
            groups = self.members[ref.plan.city]
            through = {m for a in named for m in groups.get(a, ())} - named
            for agency_id in sorted(through):
                result[f"{ref.plan.city}/{agency_id}"]["through_group"].append(ref)
        return result

    @cached_property
    def _by_pillar(self) -> dict[str, dict[str, list[TaskRef]]]:
        """`by_pillar` of every pillar, in one pass over the tasks (a pass per pillar was most of rendering
        the reform-area pages at 10,000 tasks)."""
        result: dict[str, dict[str, list[TaskRef]]] = defaultdict(lambda: {p.plan.id: [] for p in self.content.plans})
        for ref in self.tasks:
            result[self.pillar_of(ref).id][ref.plan.id].append(ref)
        return result

    def by_pillar(self, pillar: Pillar) -> dict[str, list[TaskRef]]:
        """Tasks of a pillar, per plan id, in printed order (a new dict and lists: the caller's to change)."""
        return {plan: list(refs) for plan, refs in self._by_pillar[pillar.id].items()}

    def duties_of(self, ref: AgencyRef) -> list[tuple[Plan, object]]:
        """Duties sections of every plan of the agency's city that name the agency."""
        return [
            (p.plan, duty)
            for p in self.content.plans
            if p.plan.city == ref.city.id
            for duty in p.plan.duties
            if ref.agency.id in duty.agencies
        ]
