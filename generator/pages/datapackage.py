"""data/datapackage.json: a Frictionless Data Package (v1) describing every CSV file of the open data.

CKAN-based portals and journalists' tools load the data through it without reading our documentation:
each CSV gets a Table Schema (types, formats, required fields, enumerations, primary key, foreign keys
between tasks, agencies, plans and their parts, reports and amendments), its size and SHA-256 hash.

Languages: the standard properties (`title`, `description`) are Vietnamese, the authoritative language of
the site; each also has an English twin under the custom property `title_en` / `description_en`, which the
v1 specification allows (custom properties are kept by tools that do not know them). `created` is the
build moment (SOURCE_DATE_EPOCH or the last commit), so the same commit gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, get_args

from generator.content.labels import WORDING
from generator.content.model import PERIOD, AgencyKind, Comparator, DeadlineKind, ReportStatus
from generator.content.progress import Status, Timeliness
from generator.content.site import DATA_URL, Site, source_url
from generator.pages.export import TASK_COLUMNS
from generator.pages.export_plans import TABLE_COLUMNS
from generator.pages.export_progress import AMENDMENT_COLUMNS, REPORT_COLUMNS, Kind
from generator.pages.templating import format_date

NAME = "ke-hoach-cai-cach-hanh-chinh"
PLAN_COLUMNS = (
    "id",
    "city_vi",
    "city_en",
    "year",
    "decision_number",
    "decision_date",
    "signer",
    "title_vi",
    "title_en",
    "funding_vi",
    "funding_en",
    "url_vi",
    "url_en",
)
AGENCY_COLUMNS = ("id", "city", "name_vi", "name_en", "kind", "url_vi", "url_en")
# The computed status "not_reported" is never written: its cell is empty.
TASK_STATUSES = [s for s in get_args(Status) if s != "not_reported"]


def _enum(values: Any) -> dict[str, Any]:
    return {"enum": list(get_args(values)) if not isinstance(values, list) else values}


# Per resource: its columns, the type and constraints of the columns that are not plain optional text,
# its primary key and its foreign keys ((fields), resource, (fields)).
Spec = dict[str, Any]
REQUIRED: dict[str, Any] = {"required": True}
POSITION: Spec = {"type": "integer", "constraints": {"required": True, "minimum": 1}}
PLAN_REF = (("plan",), "plans", ("id",))


def _tables() -> dict[str, Spec]:
    date: Spec = {"type": "date", "format": "default"}
    required_date: Spec = {**date, "constraints": REQUIRED}
    period: Spec = {"type": "string", "constraints": {"required": True, "pattern": PERIOD.strip("^$")}}
    flag: Spec = {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}
    text: Spec = {"type": "string", "constraints": REQUIRED}
    return {
        "plans": {
            "columns": PLAN_COLUMNS,
            "fields": {
                "id": text,
                "city_vi": text,
                "year": {"type": "integer", "constraints": REQUIRED},
                "decision_number": text,
                "decision_date": required_date,
                "signer": text,
                "title_vi": text,
                "url_vi": text,
                "url_en": text,
            },
            "primaryKey": ["id"],
            "foreignKeys": [],
        },
        "tasks": {
            "columns": TASK_COLUMNS,
            "fields": {
                "id": text,
                "plan": text,
                "city": text,
                "number": text,
                "pillar": text,
                "title_vi": text,
                "deadline_kind": {"type": "string", "constraints": _enum(DeadlineKind)},
                "deadline_start": date,
                "deadline_end": date,
                "budget_funded": {**flag, "constraints": REQUIRED},
                "status": {"type": "string", "constraints": _enum(TASK_STATUSES)},
                "url_vi": text,
                "url_en": text,
            },
            "primaryKey": ["id"],
            "foreignKeys": [PLAN_REF, (("parent",), "tasks", ("id",))],
        },
        "agencies": {
            "columns": AGENCY_COLUMNS,
            "fields": {
                "id": text,
                "city": text,
                "name_vi": text,
                "kind": {"type": "string", "constraints": {**REQUIRED, **_enum(AgencyKind)}},
                "url_vi": text,
                "url_en": text,
            },
            "primaryKey": ["id"],
            "foreignKeys": [],
        },
        "task-agencies": {
            "columns": TABLE_COLUMNS["task-agencies"],
            "fields": {
                "task": text,
                "role": {"type": "string", "constraints": {**REQUIRED, "enum": ["lead", "coordinating"]}},
                "position": POSITION,
                "agency": text,
            },
            "primaryKey": ["task", "role", "position"],
            "foreignKeys": [(("task",), "tasks", ("id",)), (("agency",), "agencies", ("id",))],
        },
        "plan-purposes": {
            "columns": TABLE_COLUMNS["plan-purposes"],
            "fields": {"plan": text, "purpose": POSITION, "text_vi": text},
            "primaryKey": ["plan", "purpose"],
            "foreignKeys": [PLAN_REF],
        },
        "plan-targets": {
            "columns": TABLE_COLUMNS["plan-targets"],
            "fields": {"plan": text, "target": POSITION, "text_vi": text},
            "primaryKey": ["plan", "target"],
            "foreignKeys": [PLAN_REF],
        },
        "plan-target-figures": {
            "columns": TABLE_COLUMNS["plan-target-figures"],
            "fields": {
                "plan": text,
                "target": POSITION,
                "figure": POSITION,
                "measure_vi": text,
                "comparator": {"type": "string", "constraints": {**REQUIRED, **_enum(Comparator)}},
                "value": {"type": "number", "constraints": REQUIRED},
                "value_max": {"type": "number"},
                "unit": text,
            },
            "primaryKey": ["plan", "target", "figure"],
            "foreignKeys": [(("plan", "target"), "plan-targets", ("plan", "target"))],
        },
        "plan-general-tasks": {
            "columns": TABLE_COLUMNS["plan-general-tasks"],
            "fields": {
                "plan": text,
                "general_task": POSITION,
                "heading_vi": text,
                "item": POSITION,
                "text_vi": text,
            },
            "primaryKey": ["plan", "general_task", "item"],
            "foreignKeys": [PLAN_REF],
        },
        "plan-general-duties": {
            "columns": TABLE_COLUMNS["plan-general-duties"],
            "fields": {"plan": text, "duty": POSITION, "text_vi": text},
            "primaryKey": ["plan", "duty"],
            "foreignKeys": [PLAN_REF],
        },
        "plan-duties": {
            "columns": TABLE_COLUMNS["plan-duties"],
            "fields": {"plan": text, "duty": POSITION, "heading_vi": text, "item": POSITION, "text_vi": text},
            "primaryKey": ["plan", "duty", "item"],
            "foreignKeys": [PLAN_REF],
        },
        "plan-calendar": {
            "columns": TABLE_COLUMNS["plan-calendar"],
            "fields": {"plan": text, "period": period, "report_vi": text, "due_vi": text, "due_date": required_date},
            "primaryKey": ["plan", "period"],
            "foreignKeys": [PLAN_REF],
        },
        "plan-notes": {
            "columns": TABLE_COLUMNS["plan-notes"],
            "fields": {"plan": text, "note": POSITION, "about": text, "text_vi": text},
            "primaryKey": ["plan", "note"],
            "foreignKeys": [PLAN_REF],
        },
        # A report or an amendment may name a task added by an amendment, which tasks.csv does not list:
        # their `task` column has no foreign key (amendments.csv, kind "add", holds the added task's text).
        "reports": {
            "columns": REPORT_COLUMNS,
            "fields": {
                "plan": text,
                "period": period,
                "task": text,
                "number": text,
                "agency": text,
                "status": {"type": "string", "constraints": {**REQUIRED, **_enum(ReportStatus)}},
                "timeliness": {"type": "string", "constraints": _enum(Timeliness)},
                "counted": {**flag, "constraints": REQUIRED},
                "report_date": required_date,
                "report_received": date,
                "report_on_time": flag,
                "completed": date,
                "url_vi": text,
            },
            "primaryKey": ["plan", "period", "task", "agency"],
            "foreignKeys": [PLAN_REF, (("agency",), "agencies", ("id",))],
        },
        "amendments": {
            "columns": AMENDMENT_COLUMNS,
            "fields": {
                "plan": text,
                "amendment": text,
                "decision_number": text,
                "decision_date": required_date,
                "signer": text,
                "task": text,
                "kind": {"type": "string", "constraints": {**REQUIRED, **_enum(Kind)}},
                "after_vi": text,
            },
            "primaryKey": [],
            "foreignKeys": [PLAN_REF],
        },
    }


def _meanings(lang: str) -> dict[str, dict[str, str]]:
    """What each column of each CSV means, in one language (the data page's wording)."""
    words = WORDING[lang]
    return {
        **words["data_package"]["columns"],
        "tasks": words["csv_columns"],
        "reports": words["report_columns"],
        "amendments": words["amendment_columns"],
    }


def _resource(name: str, spec: Spec, data: bytes) -> dict[str, Any]:
    vi, en = _meanings("vi")[name], _meanings("en")[name]
    fields = []
    for column in spec["columns"]:
        field = {"name": column, "type": "string", **spec["fields"].get(column, {})}
        fields.append({**field, "description": vi[column], "description_en": en[column]})
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if spec["primaryKey"]:
        schema["primaryKey"] = spec["primaryKey"]
    if spec["foreignKeys"]:
        schema["foreignKeys"] = [
            {"fields": list(own), "reference": {"resource": resource, "fields": list(theirs)}}
            for own, resource, theirs in spec["foreignKeys"]
        ]
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": WORDING["vi"]["data_package"]["resources"][name],
        "title_en": WORDING["en"]["data_package"]["resources"][name],
        "description": WORDING["vi"]["data_package"]["descriptions"][name],
        "description_en": WORDING["en"]["data_package"]["descriptions"][name],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",  # a byte-order mark leads the file, for Excel
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
        "schema": schema,
    }


def _sources(site: Site, public: str | None) -> list[dict[str, str]]:
    sources = []
    for item in site.content.plans:
        decision = item.plan.decision
        vi, en = (
            WORDING[lang]["data_package"]["source"].format(
                number=decision.number, date=format_date(decision.date, lang)
            )
            for lang in ("vi", "en")
        )
        title_en = f"{en}: {item.plan.title.en}" if item.plan.title.en else en
        path = f"{public.rstrip('/')}/{source_url(item.plan)}" if public else f"../{source_url(item.plan)}"
        sources.append({"title": f"{vi}: {item.plan.title.vi}", "title_en": title_en, "path": path})
    return sources


def datapackage(site: Site, files: dict[str, bytes], moment: dt.datetime, public: str | None) -> bytes:
    """The descriptor of the CSV files among `files` (the open data as written to data/)."""
    vi, en = WORDING["vi"]["data_package"], WORDING["en"]["data_package"]
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": vi["title"],
        "title_en": en["title"],
        "description": vi["description"],
        "description_en": en["description"],
        "languages": ["vi", "en"],
        "created": moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [{"name": "other-pd", "title": vi["licence"], "title_en": en["licence"]}],
        "sources": _sources(site, public),
        "keywords": ["cải cách hành chính", "administrative reform", "Việt Nam", "Vietnam"],
        "resources": [_resource(name, spec, files[f"data/{name}.csv"]) for name, spec in _tables().items()],
    }
    if public:
        descriptor["homepage"] = f"{public.rstrip('/')}/{DATA_URL}"
    return (json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n").encode()
