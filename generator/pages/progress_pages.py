"""Progress pages of a plan, one per reporting period (ke-hoach/<plan>/tien-do/<period>/) and their index,
and what plan and reform-area pages show of progress: sentences, charts and their table equivalents.

The numbers all come from generator/content/progress.py; this module only puts them into words and pictures
for the templates (progress_*.md.j2, progress_macros.j2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.content.labels import STATUS_NAMES, section
from generator.content.model import Pillar, Plan
from generator.content.progress import STATUSES, AgencyReporting, Period, PlanProgress, Status, Tally
from generator.content.site import PROGRESS_PAGE, plan_url
from generator.pages.charts import Segment, bar_svg, swatch_svg
from generator.pages.compiled_report import docx_url, print_url

if TYPE_CHECKING:
    from generator.pages.scope import Scope
    from generator.pages.templating import Templating

WORDS = section("progress_charts")
PATTERNS: dict[str, str] = {"not_reported": "hatch", "cancelled": "cross"}
"""Statuses drawn with a pattern over their colour: no report and no longer a task are not progress."""


def progress_url(plan: Plan) -> str:
    """Site-relative URL of a plan's list of reporting periods."""
    return f"{plan_url(plan)}{PROGRESS_PAGE}"


def period_url(plan: Plan, period: Period) -> str:
    """Site-relative URL of a plan's page for one period: stable, so it can be cited ("as of 2021-Q2")."""
    return f"{progress_url(plan)}{period.id}/"


@dataclass(frozen=True)
class ChartRow:
    """One bar of a chart and one row of its table: a name (the bar's text label) and a tally."""

    name: str
    tally: Tally
    url: str | None = None


class ProgressWords:
    """Sentences and names of progress in one language."""

    def __init__(self, renderer: Templating) -> None:
        self.lang = renderer.lang
        self.w: dict[str, str] = WORDS[renderer.lang]
        self.renderer = renderer

    def period_name(self, period: Period) -> str:
        """The report's name as the plan's calendar prints it, else the quarter ('Quý I/2021', 'Q1 2021')."""
        if period.report is not None:
            return f"{self.renderer.tr_plain(period.report)} ({period.id})"
        words = self.renderer.w
        quarter = int(period.id.rsplit("Q", 1)[1])
        return str(words["periods"]["quarter"].format(quarter=words["quarters"][quarter - 1], year=period.start.year))

    def summary(self, tally: Tally) -> str:
        """One sentence: 'Of 12 tasks: 5 completed (1 late), 3 in progress, 4 not reported.'"""
        total = len(tally)
        if total == 0:
            return self.w["summary_none"]
        late: dict[Status, int] = {}
        for item in tally.late:
            late[item.status] = late.get(item.status, 0) + 1
        parts = []
        for status, count in tally.by_status.items():
            if count:
                part = self.w["summary_part"].format(n=count, value=STATUS_NAMES[self.lang][status].lower())
                if late.get(status):
                    part += self.w["summary_late"].format(n=late[status])
                parts.append(part)
        opening = self.w["summary_one"] if total == 1 else self.w["summary"].format(n=total)
        return opening + ", ".join(parts) + "."

    def reporting(self, item: AgencyReporting) -> str:
        """An agency's reporting for a period in a word: on time, late, not reported, reported (no due date)."""
        if item.report is None:
            return self.w["not_reported"]
        if item.on_time is None:
            return self.w["reported"]
        return self.w["on_time"] if item.on_time else self.w["late_report"]


def segments(tally: Tally) -> list[Segment]:
    """A tally's statuses as chart segments, in STATUSES order."""
    return [Segment(status, tally.by_status[status], PATTERNS.get(status, "")) for status in STATUSES]


def chart_columns(rows: list[ChartRow]) -> list[Status]:
    """The statuses a chart's table shows: those counted in at least one row, in STATUSES order."""
    return [s for s in STATUSES if any(row.tally.by_status[s] for row in rows)]


def install(renderer: Templating) -> ProgressWords:
    """Give a renderer's templates what progress sections need (plan, reform-area and progress pages)."""
    words = ProgressWords(renderer)
    site = renderer.site
    renderer.env.globals.update(
        cw=words.w,  # the progress_charts wording; pw is progress_pages' (task, agency and amendment pages)
        progress_of=lambda plan: site.progress[plan.id],
        progress_url=progress_url,
        period_url=period_url,
        period_name=words.period_name,
        progress_summary=words.summary,
        reporting_word=words.reporting,
        chart_columns=chart_columns,
        chart_bar=lambda tally, name, key: Markup(bar_svg(segments(tally), name, key)),
        chart_key=lambda key, shown: [
            (Markup(swatch_svg(Segment(s, 1, PATTERNS.get(s, "")), f"{key}-{s}")), s) for s in shown
        ],
        pillar_rows=lambda progress, period: pillar_rows(renderer, progress, period),
        city_rows=lambda pillar: city_rows(renderer, words, pillar),
        compiled_docx_url=lambda plan, period: docx_url(plan.id, period.id),
        compiled_print_url=lambda plan, period: print_url(plan.id, period.id),
    )
    return words


def pillar_rows(renderer: Templating, progress: PlanProgress, period: Period) -> list[ChartRow]:
    """A period's tallies by reform area, named and linked, for a chart and its table."""
    site = renderer.site
    rows = []
    for pillar_id, tally in progress.pillar_tally(period.id).items():
        if not len(tally):
            continue
        pillar = site.pillars.get(pillar_id)
        if pillar is None:
            rows.append(ChartRow(WORDS[renderer.lang]["other_pillar"], tally))
        else:
            rows.append(ChartRow(renderer.tr_plain(pillar.name), tally, f"linh-vuc/{pillar.id}/"))
    return rows


@dataclass(frozen=True)
class CityProgress:
    """A plan's progress in one reform area, at its latest period with reports (None: no report yet)."""

    plan: Plan
    city: str
    period: Period | None
    row: ChartRow | None


def city_rows(renderer: Templating, words: ProgressWords, pillar: Pillar) -> list[CityProgress]:
    """Each plan's tally of a reform area's tasks at the plan's latest period with reports, side by side."""
    site = renderer.site
    found = []
    for item in site.content.plans:
        plan = item.plan
        progress = site.progress[plan.id]
        city = f"{renderer.tr_plain(site.city_of(plan).name)} {plan.year}"
        latest = progress.latest_period
        row = None
        if latest is not None:
            tally = progress.pillar_tally(latest.id).get(pillar.id, Tally(()))
            row = ChartRow(f"{city}: {words.period_name(latest)}", tally, period_url(plan, latest))
        found.append(CityProgress(plan, city, latest, row))
    return found


def progress_pages(renderer: Templating, scope: Scope | None = None) -> dict[str, str]:
    """Each plan's list of periods and one page per period, in the renderer's language: `{markdown_path: text}`;
    only of the plans in `scope` when given."""
    install(renderer)
    site = renderer.site
    pages: dict[str, str] = {}
    for item in site.content.plans:
        plan = item.plan
        if scope is not None and plan_url(plan) not in scope:
            continue
        progress = site.progress[plan.id]
        context: dict[str, Any] = {"plan": plan, "progress": progress, "city": site.city_of(plan)}
        url = progress_url(plan)
        pages[f"{url}index.md"] = renderer.env.get_template("progress_index.md.j2").render(page_url=url, **context)
        for period in progress.periods:
            url = period_url(plan, period)
            template = renderer.env.get_template("progress_period.md.j2")
            pages[f"{url}index.md"] = template.render(page_url=url, period=period, **context)
    return pages
