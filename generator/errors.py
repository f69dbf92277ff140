"""Problems found in content, reported to maintainers as `path:line:col: field: message` lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place of one content file."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    warning: bool = False

    def format(self) -> str:
        """Return the problem as the maintainer sees it, hint on its own line."""
        where = f"{self.path}:{self.line}:{self.column}"
        kind = "warning: " if self.warning else ""
        field = f"{self.field}: " if self.field else ""
        text = f"{where}: {kind}{field}{self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised when content has problems that must be fixed before anything is published."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def summary(problems: list[Problem]) -> str:
    """Return every problem, sorted, then a count line such as '3 problems in 2 files'."""
    ordered = sorted(problems)
    files = {p.path for p in ordered}
    errors = [p for p in ordered if not p.warning]
    warnings = len(ordered) - len(errors)
    noun = "problem" if len(errors) == 1 else "problems"
    count = f"{len(errors)} {noun} in {len(files)} file{'s' if len(files) != 1 else ''}"
    if warnings:
        count += f" ({warnings} warning{'s' if warnings != 1 else ''})"
    return "\n".join([p.format() for p in ordered] + [count])
