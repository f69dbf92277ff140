"""Render validated content into the Markdown pages of one language: `{relative_path: text}`."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from collections.abc import Callable
from typing import Any

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from generator.content.deadlines import goes_on
from generator.content.history import Commit, History, Revision, StatusChange
from generator.content.labels import FINDER, KIND_NAMES, LABELS, MONTHS_EN, STATUS_NAMES, WORDING, section
from generator.content.model import Content, Deadline, Figure, Text
from generator.content.site import (
    AGENCIES_URL,
    DATA_URL,
    DEADLINES_URL,
    FINDER_URL,
    HOME_URL,
    PILLARS_URL,
    PLANS_URL,
    WHATS_NEW_URL,
    Site,
    TaskRef,
    agency_url,
    markdown_path,
    pillar_url,
    plan_url,
    source_url,
    task_url,
)
from generator.pages.changelog import added_removed, describe
from generator.pages.export import TASK_COLUMNS
from generator.pages.export_progress import progress_data
from generator.pages.procedure_pages import install, procedure_pages
from generator.pages.progress_pages import install as install_progress
from generator.pages.progress_pages import progress_pages
from generator.pages.search import number_key, task_search_data
from generator.pages.status_changes import StatusText, status_text
from generator.pages.task_progress import added_refs, amendment_log, amendments_url, scorecards, task_view
from generator.pages.text import in_language, plain, shorten
from generator.scope import Scope

BULLET = re.compile(r"^([-+•])\s+(.*)$")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
UNDATED = {"ongoing", "recurring", "event", "conditional"}


def format_date(day: dt.date | None, lang: str) -> str:
    """A date the way readers of each language write it: 30/4/2021 or 30 April 2021."""
    if day is None:
        return ""
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _relpath(target: str, start: str) -> str:
    """`posixpath.relpath("/" + target, "/" + start)`, five times faster for the plain paths pages link to
    (a page links to a few hundred others: this was a tenth of rendering every page)."""
    to = [part for part in target.split("/") if part]
    at = [part for part in start.split("/") if part]
    if "." in to or ".." in to or "." in at or ".." in at:
        return posixpath.relpath("/" + target, "/" + start)
    common = 0
    for mine, theirs in zip(to, at, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def relative(from_url: str, to_url: str) -> str:
    """A link from one site-relative directory URL to another that works on any host and subpath."""
    if to_url.startswith(("http://", "https://", "#", "mailto:")):
        return to_url
    target, _, fragment = to_url.partition("#")
    path = _relpath(target, from_url)
    if path == ".":
        path = "./"
    elif target == "" or target.endswith("/"):
        path += "/"
    return path + (f"#{fragment}" if fragment else "")


def lines_html(text: str) -> Markup:
    """Turn a printed cell (lines, some of them '- ' or '+ ' bullets) into escaped HTML."""
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append('<ul class="printed">' + "".join(items) + "</ul>")
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = BULLET.match(line)
        if bullet:
            css = "plus" if bullet[1] == "+" else "dash"
            items.append(f'<li class="{css}">{escape(bullet[2])}</li>')
        else:
            flush()
            parts.append(f"<p>{escape(line)}</p>")
    flush()
    return Markup("".join(parts))


def prose(text: str, **values: Any) -> Markup:
    """A sentence of the wording inside an element, its {placeholders} filled in: <, > and & escaped.

    Quotes stay as typed, as they did when the sentences were written in the templates: they are safe
    outside attributes, and "&#39;" would only make the Markdown and its diffs harder to read.
    """
    return Markup(html.escape(text.format(**values) if values else text, quote=False))


class _Compiled(BytecodeCache):
    """The templates compiled once per process, not once per language: each language's Environment
    (same settings, its own filters) loads the code the first one compiled. Keyed by template and
    checked against its source (Jinja's checksum), so an edit under `serve` is compiled afresh."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _Compiled()


class RowMemo:
    """Rows of task tables rendered before, for a program that renders the same site again and again (the
    live preview): the index pages list every task, and rendering their rows again was most of a save.

    A row is given again only for the same page, the same flags and the very same plan and task objects:
    the preview's PlanMemo keeps those of an unchanged plan, and a changed plan's are new objects. What
    else a row shows (city and agency names, whether a deadline passed) changes only with what makes
    the preview render every page, which starts with an empty memo. Rows not asked for in a render are
    dropped after it (`next`).
    """

    def __init__(self) -> None:
        self.before: dict[tuple[Any, ...], tuple[object, object, Markup]] = {}
        self.now: dict[tuple[Any, ...], tuple[object, object, Markup]] = {}

    def row(self, key: tuple[Any, ...], plan: object, task: object, make: Callable[[], Markup]) -> Markup:
        found = self.now.get(key) or self.before.get(key)
        if found is None or found[0] is not plan or found[1] is not task:
            found = (plan, task, make())
        self.now[key] = found
        return found[2]

    def next(self) -> None:
        """Keep only the rows of the last render."""
        self.before, self.now = self.now, {}


class Renderer:
    """Renders the pages of one language."""

    def __init__(
        self,
        content: Content,
        lang: str,
        today: dt.date,
        history: History,
        source_texts: dict[str, str],
        rows: RowMemo | None = None,
    ) -> None:
        self.site = Site(content)
        self.rows = rows
        self.lang = lang
        self.today = today
        self.history = history
        self.source_texts = source_texts
        self.t = LABELS[lang]
        self.w = WORDING[lang]  # every section of the wording: deadlines, figures, periods in words
        self.env = Environment(
            loader=PackageLoader("generator", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # "{#id}" is Markdown's attribute syntax for heading anchors, so Jinja comments use "{##".
            comment_start_string="{##",
            comment_end_string="##}",
            bytecode_cache=COMPILED,
        )
        filters: dict[str, Callable[..., Any]] = {
            "tr": self.tr,
            "tr_plain": self.tr_plain,
            "block": self.block,
            "vi_block": lines_html,
            "md": self.md,
            "date": lambda d: format_date(d, lang),
            "meaning": self.meaning,
            "passed": self.passed,
            "figure": self.figure,
            "short": self.short,
            "short_plain": lambda text: shorten(self.tr_plain(text)),
            "tojson": lambda value: Markup(json.dumps(value, ensure_ascii=False)),
            "prose": prose,
            "href": self.href,
            "root_href": self.root_href,
            "kind_name": lambda kind: KIND_NAMES[lang][kind],
            "status_name": lambda status: STATUS_NAMES[lang][status],
            "change": lambda change: describe(change, lang),
            "month_name": lambda ym: self.w["periods"]["month"].format(month=self.w["months"][ym[1] - 1], year=ym[0]),
            "quarter_name": lambda yq: self.w["periods"]["quarter"].format(
                quarter=self.w["quarters"][yq[1] - 1], year=yq[0]
            ),
        }
        self.env.filters.update(filters)
        self.env.globals.update(
            t=self.t,
            words=self.w["pages"],
            lang=lang,
            site=self.site,
            today=today,
            history=history,
            change_words=added_removed(lang),
            task_url=task_url,
            plan_url=plan_url,
            agency_url=agency_url,
            pillar_url=pillar_url,
            source_url=source_url,
            amendments_url=amendments_url,
            pw=section("progress_pages")[lang],
            remembered=self.remembered,
        )

    @pass_context
    def remembered(self, context: Context, macro: Callable[..., Markup], ref: TaskRef, *flags: Any) -> Markup:
        """`macro(ref, *flags)`, a task table's row: from `self.rows` when given (see RowMemo)."""
        if self.rows is None:
            return macro(ref, *flags)
        key = (context["page_url"], ref.plan.id, ref.task.id, flags)
        return self.rows.row(key, ref.plan, ref.task, lambda: macro(ref, *flags))

    # Filters: formatting lives here so that templates stay free of logic.

    def tr_plain(self, text: Text | None) -> str:
        """The text in this language (Vietnamese when no English exists), without markup."""
        if text is None:
            return ""
        return plain(in_language(text, self.lang))

    def short(self, text: Text | None) -> Markup:
        """The first words of a text for tables, with the same untranslated notice as `tr`."""
        if text is None:
            return Markup("")
        if self.lang == "en" and not text.en:
            return Markup('<span lang="vi">{}</span> <em class="untranslated">({})</em>').format(
                shorten(text.vi), self.t["not_translated"]
            )
        return escape(shorten(self.tr_plain(text)))

    def tr(self, text: Text | None) -> Markup:
        """Inline text in this language; untranslated text is shown in Vietnamese with a notice."""
        if text is None:
            return Markup("")
        if self.lang == "vi":
            return escape(plain(text.vi))
        if text.en:
            return escape(plain(text.en))
        return Markup('<span lang="vi">{}</span> <em class="untranslated">({})</em>').format(
            plain(text.vi), self.t["not_translated"]
        )

    def block(self, text: Text | None) -> Markup:
        """A multi-line text as HTML in this language, with the same fallback as `tr`."""
        if text is None:
            return Markup("")
        if self.lang == "vi":
            return lines_html(text.vi)
        if text.en:
            return lines_html(text.en)
        return Markup('<div lang="vi">{}</div><p class="untranslated">{}</p>').format(
            lines_html(text.vi), self.t["not_translated"]
        )

    @staticmethod
    def md(value: Any) -> Markup:
        """Text safe to put into a Markdown heading: HTML-escaped and Markdown-escaped."""
        # Quotes stay as they are: Markdown's table of contents would show "&#34;" written out.
        return Markup(MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False)))

    @pass_context
    def href(self, context: Context, url: str) -> str:
        """A relative link from the page being rendered to a site-relative URL."""
        return relative(context["page_url"], url)

    @pass_context
    def root_href(self, context: Context, url: str) -> str:
        """A relative link to a file published once, at the site root, for both languages (open data, texts)."""
        return ("../" if self.lang == "en" else "") + relative(context["page_url"], url)

    def passed(self, deadline: Deadline | None) -> bool:
        """Whether a dated deadline lies before the build date."""
        return bool(deadline and deadline.end and deadline.end < self.today)

    def meaning(self, deadline: Deadline | None) -> str:
        """What a deadline means, in words: 'By 30 April 2021', 'Ongoing – no fixed due date' …"""
        if deadline is None:
            return self.t["no_deadline"]
        if deadline.kind == "milestones":
            steps = [f"{self.tr_plain(m.label)}: {self._span(m.kind, m.start, m.end)}" for m in deadline.milestones]
            return "; ".join(steps)
        return self._span(deadline.kind or "", deadline.start, deadline.end)

    def _span(self, kind: str, start: dt.date | None, end: dt.date | None) -> str:
        words = self.w["deadline_meaning"]
        if kind in UNDATED:
            return str(words[kind])
        first, last = format_date(start, self.lang), format_date(end, self.lang)
        return str(words["from_to" if start and end else "by"].format(start=first, end=last))

    def figure(self, figure: Figure) -> str:
        """A target figure in words: 'at least 50%'."""
        unit = figure.unit if figure.unit == "%" else f" {figure.unit}"
        # A range always has its upper bound once validated; without one it reads as its value alone.
        comparator = "exactly" if figure.comparator == "range" and figure.value_max is None else figure.comparator
        max_value = f"{figure.value_max:g}" if figure.value_max is not None else ""
        text: str = self.w["figures"][comparator].format(value=f"{figure.value:g}", max=max_value)
        return text + unit

    # Pages.

    def pages(self, scope: Scope | None = None) -> dict[str, str]:
        """Every page of this language, keyed by its Markdown path; or only those in `scope` (the live
        preview, see generator/scope.py)."""
        site = self.site
        pages: dict[str, str] = {}

        install(self, list(site.content.procedures))  # task pages link to the procedures that concern them
        install_progress(self)  # plan and reform-area pages show progress

        def add(url: str, template: str, **context: Any) -> None:
            pages[markdown_path(url)] = self.env.get_template(template).render(page_url=url, **context)

        add(HOME_URL, "home.md.j2", plans=[p.plan for p in site.content.plans], upcoming=self.upcoming())
        add(PLANS_URL, "plans.md.j2", plans=[p.plan for p in site.content.plans])
        for plan_index, item in enumerate(site.content.plans):
            if scope is not None and plan_url(item.plan) not in scope:
                continue
            group_refs = {
                g.id: [TaskRef(item.plan, t) for t in item.tasks if t.group == g.id] for g in item.plan.groups
            }
            add(plan_url(item.plan), "plan.md.j2", plan=item.plan, tasks=item.tasks, group_refs=group_refs)
            add(
                source_url(item.plan),
                "source.md.j2",
                plan=item.plan,
                text=self.source_texts.get(item.plan.source.file, ""),
            )
            add(
                amendments_url(item.plan),
                "amendments.md.j2",
                plan=item.plan,
                log=amendment_log(site.progress[item.plan.id]),
            )
            added = [ref.task for ref in added_refs(site) if ref.plan.id == item.plan.id]
            # Tasks an amendment added get a page too, saying so.
            for position, task in enumerate([*item.tasks, *added]):
                ref = TaskRef(item.plan, task)
                view = task_view(site, ref)
                add(
                    task_url(item.plan, task),
                    "task.md.j2",
                    ref=ref,
                    plan=item.plan,
                    task=view.current.task,  # as amended; the page shows what the plan first set beside it
                    view=view,
                    revisions=self.history.of_task(ref.key),
                    search=task_search_data(site, ref, number_key(plan_index, position), self.lang),
                )
        add(PILLARS_URL, "pillars.md.j2")
        for pillar in site.content.pillars:
            add(pillar_url(pillar), "pillar.md.j2", pillar=pillar, columns=site.by_pillar(pillar))
        add(AGENCIES_URL, "agencies.md.j2")
        for agency in site.agencies:
            if scope is not None and agency_url(agency.city, agency.agency) not in scope:
                continue
            add(
                agency_url(agency.city, agency.agency),
                "agency.md.j2",
                ref=agency,
                roles=site.by_agency.get(agency.key, {"lead": [], "coordinating": [], "through_group": []}),
                duties=site.duties_of(agency),
                groups=site.groups_of(agency),
                scorecards=scorecards(site, agency),
            )
        add(DEADLINES_URL, "deadlines.md.j2", **self.deadline_lists())
        add(
            DATA_URL,
            "data.md.j2",
            columns=[(name, self.w["csv_columns"][name]) for name in TASK_COLUMNS],
            counts={"plans": len(site.content.plans), "tasks": len(site.tasks), "agencies": len(site.agencies)},
            **progress_data(site, self.w),
        )
        add(FINDER_URL, "finder.md.j2", finder_labels={"lang": self.lang, **FINDER[self.lang]})
        add(
            WHATS_NEW_URL,
            "whats_new.md.j2",
            commits=self.recent_changes(),
            status_changes=self.status_changes(),
            status_words=self.w["progress_data"],
        )
        pages.update(procedure_pages(list(site.content.procedures), self))
        pages.update(progress_pages(self, scope))
        return pages

    def upcoming(self) -> dict[str, list[TaskRef]]:
        """Dated tasks whose deadline is still ahead of, or already behind, the build date."""
        due = {r.key: r.task.deadline.end for r in self.site.tasks if r.task.deadline and r.task.deadline.end}
        dated = sorted((r for r in self.site.tasks if r.key in due), key=lambda r: (due[r.key], r.key))
        ahead = [r for r in dated if not self.passed(r.task.deadline)]
        behind = [r for r in dated if self.passed(r.task.deadline)]
        return {"ahead": ahead[:10], "behind": behind[::-1][:10], "ahead_count": ahead, "behind_count": behind}

    def recent_changes(self, limit: int = 30) -> list[tuple[Commit, list[tuple[Revision, TaskRef | None]]]]:
        """The latest commits that changed tasks, newest first, each with its task revisions."""
        commits: dict[str, tuple[Commit, list[tuple[Revision, TaskRef | None]]]] = {}
        for revision in self.history.revisions:
            if revision.commit.sha not in commits:
                if len(commits) == limit:
                    break
                commits[revision.commit.sha] = (revision.commit, [])
            commits[revision.commit.sha][1].append((revision, self.site.task_by_key.get(revision.key)))
        return list(commits.values())

    def status_changes(self, limit: int = 100) -> list[tuple[StatusChange, StatusText]]:
        """The latest changes of a task's reported status, newest first, in words."""
        return [(c, status_text(self.site, c, self.lang)) for c in self.history.status_changes[:limit]]

    def deadline_lists(self) -> dict[str, Any]:
        """Tasks by month and by quarter of their due date; undated ones apart."""
        by_month: dict[tuple[int, int], list[TaskRef]] = {}
        by_quarter: dict[tuple[int, int], list[TaskRef]] = {}
        undated: dict[str, list[TaskRef]] = {"ongoing": [], "conditional": []}
        for ref in self.site.tasks:
            deadline = ref.task.deadline
            if deadline is None:
                continue
            if deadline.end:
                end = deadline.end
                by_month.setdefault((end.year, end.month), []).append(ref)
                by_quarter.setdefault((end.year, (end.month - 1) // 3 + 1), []).append(ref)
            elif goes_on(deadline.kind, [step.kind for step in deadline.milestones]):
                undated["ongoing"].append(ref)
            else:
                undated["conditional"].append(ref)
        return {
            "by_month": sorted(by_month.items()),
            "by_quarter": sorted(by_quarter.items()),
            "undated": undated,
        }


def render(
    content: Content,
    lang: str,
    today: dt.date,
    history: History | None = None,
    source_texts: dict[str, str] | None = None,
    scope: Scope | None = None,
    rows: RowMemo | None = None,
) -> dict[str, str]:
    """Return every page of one language as `{relative_markdown_path: text}`; only those in `scope` when given;
    `rows`: task table rows rendered before (see RowMemo)."""
    return Renderer(content, lang, today, history or History(), source_texts or {}, rows).pages(scope)
