"""When each content file last changed, read from git; empty when there is no history."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(root: Path, files: list[str]) -> dict[str, dt.date]:
    """Map each repo-relative file to the date of the last commit that touched it."""
    result: dict[str, dt.date] = {}
    for file in files:
        try:
            out = subprocess.run(
                ["git", "log", "-1", "--format=%cs", "--", file],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return {}
        if out:
            result[file] = dt.date.fromisoformat(out)
    return result
