"""The compiled reports the site publishes, and `python -m generator report-summary`, which writes one.

Beside each period's progress page, for a period with at least one report: the .docx
(ke-hoach/<plan>/tien-do/<period>/bao-cao-tong-hop-<plan>-<period>.docx) and the printable page
(…/<period>/ban-in/). Only in the Vietnamese site's folders: the document is Vietnamese, and the English
period page links to the same files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.content.site import Site
from generator.content.validate import load_or_refuse
from generator.pages.compiled_print import page_html
from generator.pages.compiled_report import compile_report, docx_name, docx_url, print_url


def compiled_files(site: Site, moment: dt.datetime) -> dict[str, bytes]:
    """Every period's .docx and printable page, by path in the site (none for a period without reports)."""
    files: dict[str, bytes] = {}
    for item in site.content.plans:
        plan = item.plan
        for period in site.progress[plan.id].periods:
            compiled = compile_report(site, plan.id, period.id)
            if compiled is None:
                continue
            # Imported here: python-docx takes 0.1 s to import, and only a period with reports needs it.
            from generator.pages.compiled_docx import document_bytes

            files[docx_url(plan.id, period.id)] = document_bytes(compiled, moment)
            files[f"{print_url(plan.id, period.id)}index.html"] = page_html(compiled).encode()
    return files


def command(root: Path, plan_id: str, period_id: str, out: Path | None, moment: dt.datetime) -> int:
    """`report-summary`: write the .docx of a plan's period into `out` (default: the current folder).

    The bytes are those the build publishes for the same commit. A problem is one line, never a traceback.
    """
    content = load_or_refuse(root, "No report was written: the content has problems.", annotate=True)
    if content is None:
        return 1
    site = Site(content)
    progress = site.progress.get(plan_id)
    if progress is None:
        print(f"report-summary: --plan: no plan '{plan_id}'\n  hint: plans: {', '.join(sorted(site.progress))}")
        return 2
    periods = [p.id for p in progress.periods]
    if period_id not in periods:
        print(
            f"report-summary: --period: plan '{plan_id}' has no period '{period_id}'\n  hint: periods: {', '.join(periods)}"
        )
        return 2
    compiled = compile_report(site, plan_id, period_id)
    if compiled is None:
        print(
            f"report-summary: {plan_id} {period_id}: no agency has reported for this period, so there is nothing to "
            f"compile\n  hint: add the reports under content/plans/{plan_id}/reports/{period_id}/ first"
        )
        return 1
    folder = out or Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / docx_name(plan_id, period_id)
    from generator.pages.compiled_docx import document_bytes  # see compiled_files

    target.write_bytes(document_bytes(compiled, moment))
    print(f"wrote {target}")
    return 0
