"""Re-import the two official sources into a scratch copy of the project and compare with the curated YAML.

    .venv/bin/python scripts/import_agreement.py

Prints the per-field agreement table (tests/test_import_accuracy.py asserts the thresholds).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.deadlines import UnreadableDeadline, read_deadline  # noqa: E402
from generator.importer.command import run  # noqa: E402
from generator.importer.normal import key  # noqa: E402

SOURCES = [
    ("000_75ecdb6cea85afdc.txt", "da-nang", "da-nang-2021"),
    ("003_cd7e1d5a07b06c46.txt", "hai-phong", "hai-phong-2021"),
]
FIELDS = ("count", "numbering", "text", "agencies", "deadline", "budget")


@dataclass
class Agreement:
    plan: str
    curated: int
    imported: int
    agree: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    differ: dict[str, list[str]] = field(default_factory=dict)

    def share(self, name: str, excepted: frozenset[str] = frozenset()) -> float:
        """Agreement in percent; `excepted` tasks (editorial decisions) are left out of the count."""
        total = self.total[name] - len(excepted)
        agree = self.agree[name] - len(excepted - set(self.differ[name]))
        return 100.0 * agree / total if total else 100.0


def tasks(folder: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted((folder / "tasks").glob("*.yaml"), key=lambda p: _order(p.stem)):
        out += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return out


def _order(stem: str) -> tuple[int, str]:
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
    return (int(stem), "") if stem.isdigit() else (roman.get(stem, 99), stem)


def _reading(task: dict[str, Any], year: int) -> Any:
    if "deadline" not in task:
        return None
    phrase = task["deadline"]["text"]["vi"]
    try:
        parsed = read_deadline(phrase, year)
    except UnreadableDeadline:
        parsed = None
    return key(phrase), parsed


def compare(imported: list[dict[str, Any]], curated: list[dict[str, Any]], plan: str, year: int) -> Agreement:
    result = Agreement(plan, len(curated), len(imported))
    mine = {t["id"]: t for t in imported}
    checks = {
        "numbering": lambda a, b: all(a.get(k) == b.get(k) for k in ("number", "marker", "group", "parent")),
        "text": lambda a, b: key(a["text"]["vi"]) == key(b["text"]["vi"]),
        "agencies": lambda a, b: all(
            (a.get(k) or {}).get("agencies") == (b.get(k) or {}).get("agencies") for k in ("lead", "coordinating")
        ),
        "deadline": lambda a, b: _reading(a, year) == _reading(b, year),
        "budget": lambda a, b: bool(a.get("budget_funded")) == bool(b.get("budget_funded")),
    }
    result.total["count"] = 1
    result.agree["count"] = int(len(imported) == len(curated))
    result.differ["count"] = [] if result.agree["count"] else [f"{len(imported)} vs {len(curated)}"]
    order_ok = [t["id"] for t in imported] == [t["id"] for t in curated]
    for name, same in checks.items():
        result.total[name] = len(curated)
        result.differ[name] = [c["id"] for c in curated if c["id"] not in mine or not same(mine[c["id"]], c)]
        if name == "numbering" and not order_ok:
            result.differ[name].append("(order)")
        result.agree[name] = len(curated) - len(result.differ[name])
    return result


def measure(root: Path = ROOT) -> list[Agreement]:
    """Import each source into a scratch copy of `root` as plan '<plan>-import' and compare."""
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        shutil.copytree(root / "content", project / "content")
        for source, city, plan in SOURCES:
            with contextlib.redirect_stdout(io.StringIO()):
                code = run(root / "content" / "sources" / source, project, city, f"{plan}-import", force=True)
            if code:
                raise SystemExit(f"import of {source} failed")
            year = yaml.safe_load((root / "content" / "plans" / plan / "plan.yaml").read_text())["year"]
            results.append(
                compare(
                    tasks(project / "content/plans" / f"{plan}-import"),
                    tasks(root / "content/plans" / plan),
                    plan,
                    year,
                )
            )
    return results


def table(results: list[Agreement]) -> str:
    lines = ["| field | " + " | ".join(r.plan for r in results) + " |", "|---|" + "---|" * len(results)]
    for name in FIELDS:
        cells = [f"{r.agree[name]}/{r.total[name]} ({r.share(name):.1f}%)" for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for r in results:
        for name in FIELDS:
            if r.differ[name]:
                lines.append(f"{r.plan} {name} differs: {', '.join(r.differ[name])}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))
