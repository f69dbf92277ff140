"""Render validated content into the Markdown pages of one language: `{relative_path: text}`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.content.deadlines import goes_on
from generator.content.history import Commit, History, Revision, StatusChange
from generator.content.labels import FINDER
from generator.content.model import Content
from generator.content.site import (
    AGENCIES_URL,
    DATA_URL,
    DEADLINES_URL,
    FINDER_URL,
    HOME_URL,
    PILLARS_URL,
    PLANS_URL,
    WHATS_NEW_URL,
    TaskRef,
    agency_url,
    markdown_path,
    pillar_url,
    plan_url,
    source_url,
    task_url,
)
from generator.pages.export import TASK_COLUMNS
from generator.pages.export_plans import TABLE_COLUMNS
from generator.pages.export_progress import progress_data
from generator.pages.procedure_pages import install, procedure_pages
from generator.pages.progress_pages import install as install_progress
from generator.pages.progress_pages import progress_pages
from generator.pages.scope import Scope
from generator.pages.search import number_key, task_search_data
from generator.pages.status_changes import StatusText, status_text
from generator.pages.task_progress import added_refs, amendment_log, amendments_url, scorecards, task_view
from generator.pages.templating import RowMemo, Templating


class Renderer(Templating):
    """Renders the pages of one language."""

    # Pages.

    def pages(self, scope: Scope | None = None) -> dict[str, str]:
        """Every page of this language, keyed by its Markdown path; or only those in `scope` (the live
        preview, see generator/pages/scope.py)."""
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
            package_words=self.w["data_package"],
            plan_files=list(TABLE_COLUMNS),  # the plan-level CSV files and task-agencies.csv, in the plan's order
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
    site_url: str | None = None,
    scope: Scope | None = None,
    rows: RowMemo | None = None,
) -> dict[str, str]:
    """Return every page of one language as `{relative_markdown_path: text}`; `site_url`: SITE_URL; only the
    pages in `scope` when given; `rows`: task table rows rendered before (see RowMemo)."""
    return Renderer(content, lang, today, history or History(), source_texts or {}, site_url, rows).pages(scope)
