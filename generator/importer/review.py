"""The review report: what the import found, what it could not decide, and the `check` problems left."""

from __future__ import annotations

from collections import Counter

from generator.base.errors import Problem
from generator.importer.agencies import AgencyBook
from generator.importer.compose import Draft
from generator.importer.header import Header
from generator.importer.rows import Parsed


def report(
    *, source: str, plan_id: str, parsed: Parsed, draft: Draft, book: AgencyBook, header: Header,
    english: tuple[int, int], problems: list[Problem], written: list[str], full: bool,
) -> str:  # fmt: skip
    """The report as Markdown; `full` lists every warning (the file), else warnings are counted (the terminal)."""
    out: list[str] = [f"# Import review: {plan_id} from {source}", ""]
    out.append("Written: " + ", ".join(written) if written else "Written: nothing")
    out += ["", "## Tasks found per group", "", "| group | heading | tasks | sub-items |", "|---|---|---|---|"]
    by_group = Counter(t["group"] for t in parsed.tasks)
    subs = Counter(t["group"] for t in parsed.tasks if t["parent"])
    for g in parsed.groups:
        out.append(f"| {g['id']} | {g['heading']['vi']} | {by_group[g['id']]} | {subs[g['id']]} |")
    out.append(f"| all | | {len(parsed.tasks)} | {sum(subs.values())} |")
    for gid, pillar in draft.pillar_guesses:
        out.append(f"- group {gid}: pillar `{pillar}` guessed from the heading's words: check it")
    out += ["", f"## Rows joined across page breaks ({len(parsed.joined)})", ""]
    out += [f"- line {j.line} joined to task {j.task}: {', '.join(j.cells)}" for j in parsed.joined] or ["- none"]
    if parsed.unlabelled:
        out += ["", "Rows without a label, joined to the task above (check them): lines "]
        out[-1] += ", ".join(map(str, parsed.unlabelled))
    if parsed.undistributed:
        out += ["", "Merged cells with more values than sub-items (extra values dropped): "]
        out[-1] += "; ".join(parsed.undistributed)
    out += ["", "## Agencies", "", f"- resolved: {book.resolved_bodies} printed bodies"]
    out.append(f"- proposed as new registry entries: {len(book.proposed)}")
    out += [f"  - `{p['id']}` {p['name']['vi']} (kind guessed: {p['kind']})" for p in book.proposed]
    out.append(f"- uncertain: {len(book.uncertain)}")
    out += [
        f"  - task {u.where}: “{u.printed}” → `{u.chosen}` (candidates: {', '.join(u.candidates)})"
        for u in book.uncertain
    ]
    out += ["", f"## Deadlines unread ({len(draft.unread_deadlines)})", ""]
    out += [f"- task {n}: “{p}”: {why}" for n, p, why in draft.unread_deadlines] or ["- none"]
    found, asked = english
    out += ["", "## English", "", f"English reused from the translation memory: {found} of {asked} texts."]
    out.append("Every other text is left without English: `check` lists it as untranslated.")
    if header.missing:
        out += ["", "## Header", "", "Not found in the decision: " + ", ".join(header.missing)]
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    out += ["", f"## `check` problems left: {len(errors)} errors, {len(warnings)} warnings", ""]
    out += ["```"] + [p.format() for p in errors]
    if full:
        out += [p.format() for p in warnings]
    else:
        for message, n in Counter(p.message for p in warnings).most_common():
            out.append(f"{n} × warning: {message} (all listed in the report file)")
    out.append("```")
    return "\n".join(out) + "\n"
