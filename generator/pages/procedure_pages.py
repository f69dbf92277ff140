"""The procedures index and one page per procedure (content/procedures/*.yaml), and the links from task
pages to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.content.procedures import Procedure, main_path, total_time
from generator.content.site import PROCEDURES_URL
from generator.pages.diagram import swimlane_svg
from generator.pages.procedure_words import LABELS, limit_text, total_parts

if TYPE_CHECKING:
    from generator.content.site import TaskRef
    from generator.pages.templating import Templating


def procedure_url(procedure: Procedure) -> str:
    """Site-relative URL of a procedure page (identical in both languages)."""
    return f"{INDEX_URL}{procedure.id}/"


INDEX_URL = PROCEDURES_URL


def procedures_by_task(procedures: list[Procedure]) -> dict[str, list[Procedure]]:
    """The procedures that name each task key among their related tasks."""
    found: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        for key in procedure.related_tasks:
            found.setdefault(key, []).append(procedure)
    return found


def install(renderer: Templating, procedures: list[Procedure]) -> None:
    """Give a renderer's templates what procedure pages and task-page links need (filters and globals)."""
    by_task = procedures_by_task(procedures)
    lang = renderer.lang
    renderer.env.filters["time_limit"] = lambda limit: limit_text(limit, lang)
    renderer.env.globals.update(
        pl=LABELS[lang],
        procedure_url=procedure_url,
        procedures_index_url=INDEX_URL,
        procedures_of_task=lambda key: by_task.get(key, []),
    )


def procedure_pages(procedures: list[Procedure], renderer: Templating) -> dict[str, str]:
    """The procedures index and one page per procedure in the renderer's language: `{markdown_path: text}`."""
    install(renderer, procedures)
    lang = renderer.lang
    tasks: dict[str, TaskRef] = {ref.key: ref for ref in renderer.site.tasks}
    pages: dict[str, str] = {}
    summaries = []
    for procedure in procedures:
        total = total_time(procedure)
        numbers = {step.id: number for number, step in enumerate(procedure.steps, 1)}
        context: dict[str, Any] = {
            "procedure": procedure,
            "svg": Markup(swimlane_svg(procedure, lang)),
            "total": total,
            "total_parts": total_parts(total, lang),
            "main": [numbers[s.id] for s in main_path(procedure)],
            "numbers": numbers,
            "steps_by_id": {s.id: s for s in procedure.steps},
            "actors": {a.id: a for a in procedure.actors},
            "bases": {b.id: b for b in procedure.legal_basis},
            "tasks": [tasks[key] for key in procedure.related_tasks if key in tasks],
            "unverified_count": _unverified(procedure),
        }
        summaries.append(context)
        url = procedure_url(procedure)
        template = renderer.env.get_template("procedure.md.j2")
        pages[f"{url}index.md"] = template.render(page_url=url, **context)
    template = renderer.env.get_template("procedures.md.j2")
    pages[f"{INDEX_URL}index.md"] = template.render(page_url=INDEX_URL, items=summaries)
    return pages


def _unverified(procedure: Procedure) -> int:
    """How many facts of a procedure are still unverified: steps, time limits, documents, legal bases."""
    count = sum(1 for b in procedure.legal_basis if not b.verified)
    for step in procedure.steps:
        count += (not step.verified) + sum(1 for d in step.documents if not d.verified)
        count += bool(step.time_limit and not step.time_limit.verified)
    return count
