"""Write the draft files: never over an existing file without --force; registry proposals appended."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.base.slug import slugify


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # A text with bullets keeps one bullet a line, as FORMAT.md shows.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def task_file(group: str) -> str:
    return f"tasks/{slugify(group) or 'tasks'}.yaml"


def plan_files(plan: dict[str, Any], tasks: dict[str, list[dict[str, Any]]], header: str) -> dict[str, str]:
    """Relative path (under the plan folder) → text."""
    files = {"plan.yaml": header + dump(plan)}
    for group, records in tasks.items():
        files[task_file(group)] = header + dump(records)
    return files


def registry_addition(proposed: list[dict[str, Any]], source: str) -> str:
    """Lines to append to the city's registry: the proposed agencies, marked for review."""
    if not proposed:
        return ""
    body = dump(proposed)
    indented = "".join(f"  {line}\n" if line else "\n" for line in body.splitlines())
    return (
        f"  # ── Proposed by `python -m generator import` from {source}: check each name, kind and id, and\n"
        "  # add the English name (domain.md) before publishing. ──\n" + indented
    )


def existing(targets: list[Path]) -> list[Path]:
    return [t for t in targets if t.exists()]


def write(files: dict[Path, str]) -> None:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def append(path: Path, text: str) -> None:
    if text:
        current = path.read_text(encoding="utf-8")
        path.write_text(current + ("" if current.endswith("\n") else "\n") + text, encoding="utf-8")
