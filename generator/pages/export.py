"""Open data: the plans, tasks and agencies as JSON and as CSV that Excel opens correctly."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import TypeAdapter

from generator.content.model import Text
from generator.content.site import Site, agency_url, task_url
from generator.pages.export_plans import TABLE_COLUMNS, PlanRecord, plan_records, plan_tables, task_agency_rows
from generator.pages.export_progress import (
    AMENDMENT_COLUMNS,
    REPORT_COLUMNS,
    amendment_records,
    amendment_rows,
    record_schemas,
    report_records,
    report_rows,
)

# Every column of tasks.csv, in order; the data page explains each (csv_columns in generator/content/wording/).
TASK_COLUMNS: tuple[str, ...] = (
    "id",
    "plan",
    "city",
    "number",
    "parent",
    "pillar",
    "title_vi",
    "title_en",
    "lead",
    "lead_names_vi",
    "lead_names_en",
    "coordinating",
    "coordinating_names_vi",
    "coordinating_names_en",
    "deadline_vi",
    "deadline_en",
    "deadline_kind",
    "deadline_start",
    "deadline_end",
    "output_vi",
    "output_en",
    "budget_funded",
    "status",
    "url_vi",
    "url_en",
)


def _text(text: Text | None) -> dict[str, str | None] | None:
    return {"vi": text.vi, "en": text.en} if text else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def records(site: Site) -> dict[str, list[dict[str, Any]]]:
    """The open-data records: plans, tasks and agencies, as documented on the data page."""
    plans = [p.model_dump(mode="json") for p in plan_records(site)]
    tasks = []
    for ref in site.tasks:
        task, deadline = ref.task, ref.task.deadline
        url = task_url(ref.plan, task)
        tasks.append(
            {
                "id": ref.key,
                "plan": ref.plan.id,
                "number": task.number,
                "parent": f"{ref.plan.id}/{task.parent}" if task.parent else None,
                "pillar": site.pillar_of(ref).id,
                "title": _text(task.text),
                "lead": [f"{ref.plan.city}/{a}" for a in (task.lead.agencies if task.lead else [])],
                "coordinating": [
                    f"{ref.plan.city}/{a}" for a in (task.coordinating.agencies if task.coordinating else [])
                ],
                "deadline": {
                    "text": _text(deadline.text),
                    "kind": deadline.kind,
                    "start": _iso(deadline.start),
                    "end": _iso(deadline.end),
                }
                if deadline
                else None,
                "output": _text(task.output),
                "budget_funded": task.budget_funded,
                "status": site.current_status(ref),
                "url": {"vi": f"/{url}", "en": f"/en/{url}"},
            }
        )
    agencies = [
        {
            "id": a.key,
            "city": a.city.id,
            "name": _text(a.agency.name),
            "kind": a.agency.kind,
            "url": {"vi": f"/{agency_url(a.city, a.agency)}", "en": f"/en/{agency_url(a.city, a.agency)}"},
        }
        for a in site.agencies
    ]
    return {"plans": plans, "tasks": tasks, "agencies": agencies}


# A cell starting with one of these is read by spreadsheets as a formula (or a command, via DDE):
# `=`, `+`, `-`, `@`, and tab or carriage return, which some of them skip before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting like a formula gets a leading `'` (OWASP's advice).

    Only the CSV files need it; JSON keeps the exact text. Real deadline cells that start with a
    printed bullet ("- Triển khai: …") therefore read "'- Triển khai: …" in CSV, as the data page says.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...] | None = None) -> bytes:
    """The rows as CSV; `columns` gives the header of a file that may have no rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns or rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({name: spreadsheet_safe(value) for name, value in row.items()} for row in rows)
    # The byte-order mark makes Excel read UTF-8, so Vietnamese letters show correctly.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _names(site: Site, keys: list[str], lang: str) -> str:
    names = []
    for key in keys:
        city, agency = key.split("/")
        name = site.agency(city, agency).agency.name
        names.append((name.en or name.vi) if lang == "en" else name.vi)
    return "; ".join(names)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode() + b"\n"


def progress_files(site: Site) -> dict[str, bytes]:
    """reports and amendments as JSON and CSV (a header and no rows when there are none), and their schemas."""
    reports, amendments = report_records(site), amendment_records(site)
    out = {
        "data/reports.json": _json([r.model_dump(mode="json") for r in reports]),
        "data/amendments.json": _json([a.model_dump(mode="json") for a in amendments]),
        "data/reports.csv": _csv(report_rows(reports), REPORT_COLUMNS),
        "data/amendments.csv": _csv(amendment_rows(amendments), AMENDMENT_COLUMNS),
    }
    for name, model in {**record_schemas(), "plans": PlanRecord}.items():
        schema = TypeAdapter(list[model]).json_schema()  # type: ignore[valid-type]
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{name}.schema.json"
        out[f"data/schema/{name}.schema.json"] = (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode()
    return out


def plan_files(site: Site) -> dict[str, bytes]:
    """The tabular parts of the plans and the agencies each task names, as CSV."""
    tables = {**plan_tables(plan_records(site)), "task-agencies": task_agency_rows(site)}
    return {f"data/{name}.csv": _csv(rows, TABLE_COLUMNS[name]) for name, rows in tables.items()}


def files(site: Site) -> dict[str, bytes]:
    """The files of site/data/: JSON and CSV versions of plans, tasks, agencies, reports and amendments."""
    data = records(site)
    labels = {
        "city": {c.id: _text(c.name) for c in site.content.cities},
        "pillar": {p.id: _text(p.name) for p in site.content.pillars},
        "agency": {a.key: _text(a.agency.name) for a in site.agencies},
    }
    out = {
        "data/labels.json": json.dumps(labels, ensure_ascii=False, separators=(",", ":")).encode(),
        **{f"data/{name}.json": _json(rows) for name, rows in data.items()},
        **progress_files(site),
        **plan_files(site),
    }
    task_rows = []
    for task in data["tasks"]:
        deadline = task["deadline"] or {"text": None, "kind": None, "start": None, "end": None}
        texts = {"title": task["title"], "output": task["output"], "deadline": deadline["text"]}
        row = {
            "id": task["id"],
            "plan": task["plan"],
            "city": task["plan"].rsplit("-", 1)[0],
            "number": task["number"],
            "parent": task["parent"] or "",
            "pillar": task["pillar"],
            "title_vi": texts["title"]["vi"],
            "title_en": texts["title"]["en"] or "",
            "lead": "; ".join(task["lead"]),
            "lead_names_vi": _names(site, task["lead"], "vi"),
            "lead_names_en": _names(site, task["lead"], "en"),
            "coordinating": "; ".join(task["coordinating"]),
            "coordinating_names_vi": _names(site, task["coordinating"], "vi"),
            "coordinating_names_en": _names(site, task["coordinating"], "en"),
            "deadline_vi": (texts["deadline"] or {}).get("vi") or "",
            "deadline_en": (texts["deadline"] or {}).get("en") or "",
            "deadline_kind": deadline["kind"] or "",
            "deadline_start": deadline["start"] or "",
            "deadline_end": deadline["end"] or "",
            "output_vi": (texts["output"] or {}).get("vi") or "",
            "output_en": (texts["output"] or {}).get("en") or "",
            "budget_funded": "true" if task["budget_funded"] else "false",
            "status": task["status"] or "",
            "url_vi": task["url"]["vi"],
            "url_en": task["url"]["en"],
        }
        assert list(row) == list(TASK_COLUMNS), "tasks.csv columns and their documentation differ"
        task_rows.append(row)
    out["data/tasks.csv"] = _csv(task_rows)
    out["data/plans.csv"] = _csv(
        [
            {
                "id": p["id"],
                "city_vi": p["city"]["vi"],
                "city_en": p["city"]["en"],
                "year": p["year"],
                "decision_number": p["decision"]["number"],
                "decision_date": p["decision"]["date"],
                "signer": p["decision"]["signer"],
                "title_vi": p["title"]["vi"],
                "title_en": p["title"]["en"],
                # The funding section is one paragraph per plan: a column here rather than a table of its own.
                "funding_vi": (p["funding"] or {}).get("vi") or "",
                "funding_en": (p["funding"] or {}).get("en") or "",
                "url_vi": p["url"]["vi"],
                "url_en": p["url"]["en"],
            }
            for p in data["plans"]
        ]
    )
    out["data/agencies.csv"] = _csv(
        [
            {
                "id": a["id"],
                "city": a["city"],
                "name_vi": a["name"]["vi"],
                "name_en": a["name"]["en"] or "",
                "kind": a["kind"],
                "url_vi": a["url"]["vi"],
                "url_en": a["url"]["en"],
            }
            for a in data["agencies"]
        ]
    )
    return out
