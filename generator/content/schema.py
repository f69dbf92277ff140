"""JSON Schemas of the content files, generated from the model so editors can validate YAML."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from generator.content.model import AmendmentFile, City, PillarFile, Plan, ReportFile, Task
from generator.content.procedures import Procedure

SCHEMA_FOLDER = "content/schema"


def schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per kind of content file, keyed by file name."""
    found: dict[str, dict[str, Any]] = {
        "plan.schema.json": Plan.model_json_schema(),
        "tasks.schema.json": TypeAdapter(list[Task]).json_schema(),
        "city.schema.json": City.model_json_schema(),
        "pillars.schema.json": PillarFile.model_json_schema(),
        "procedure.schema.json": Procedure.model_json_schema(),
        "report.schema.json": ReportFile.model_json_schema(),
        "amendment.schema.json": AmendmentFile.model_json_schema(),
    }
    for name, schema in found.items():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
    return found


def schema_files() -> dict[str, bytes]:
    """The schemas as the bytes committed under content/schema/."""
    return {name: (json.dumps(s, ensure_ascii=False, indent=2) + "\n").encode() for name, s in schemas().items()}
