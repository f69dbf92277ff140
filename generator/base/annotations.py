"""Problems as CI annotations: on a pull request, each problem shows on the changed line of the YAML.

GitHub Actions reads `::error file=…,line=…::message` lines from the output; GitLab reads a Code
Quality report. Both are produced only when the CI's own variable says we run there.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from generator.base.errors import Problem

GITLAB_REPORT = "gl-code-quality-report.json"


def report(problems: list[Problem], root: Path) -> None:
    """Print GitHub annotations or write GitLab's report, for the CI this runs in (if any)."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in sorted(problems):
            print(github(problem))
    if os.environ.get("GITLAB_CI") == "true":
        (root / GITLAB_REPORT).write_text(json.dumps(gitlab(problems), ensure_ascii=False, indent=1), encoding="utf-8")


def github(problem: Problem) -> str:
    """A workflow command: https://docs.github.com/actions/reference/workflow-commands-for-github-actions."""
    level = "warning" if problem.warning else "error"
    title = problem.field or "content"
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    where = f"file={_property(problem.path)},line={problem.line},col={problem.column},title={_property(title)}"
    return f"::{level} {where}::{_data(message)}"


def gitlab(problems: list[Problem]) -> list[dict[str, object]]:
    """A Code Quality report (the Code Climate format GitLab shows in merge requests)."""
    return [
        {
            "description": f"{p.field}: {p.message}" + (f" (hint: {p.hint})" if p.hint else ""),
            "check_name": "content",
            "fingerprint": hashlib.sha256(f"{p.path}:{p.field}:{p.message}".encode()).hexdigest(),
            "severity": "minor" if p.warning else "major",
            "location": {"path": p.path, "lines": {"begin": p.line}},
        }
        for p in sorted(problems)
    ]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
