"""Problems found in content, reported to maintainers as `path:line:col: field: message` lines."""

from __future__ import annotations

import calendar
import re
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

    def __post_init__(self) -> None:
        # Every message, in the terminal and in CI annotations, shows invisible characters escaped.
        for name in ("field", "message", "hint"):
            object.__setattr__(self, name, visible(getattr(self, name)))

    def format(self) -> str:
        """Return the problem as the maintainer sees it, hint on its own line."""
        where = f"{self.path}:{self.line}:{self.column}"
        kind = "warning: " if self.warning else ""
        field = f"{self.field}: " if self.field else ""
        text = f"{where}: {kind}{field}{self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def visible(text: str) -> str:
    """`text` with every invisible character escaped as Python writes it: 'so-noi-vu\\u200b'.

    Invisible are the controls (tab and line break included: a message is one line), format characters
    (zero-width space, soft hyphen, byte-order mark, direction marks), separators other than the
    ASCII space (no-break space, line separator) and unassigned or private code points: exactly
    what `str.isprintable` calls not printable.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


MONTHS = [
    "_",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def date_reason(value: object) -> str:
    """Why a value written like a date, YYYY-MM-DD, is none: ' (there is no month 13)'; '' otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value) if isinstance(value, str) else None
    if match is None:
        return ""
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f" (there is no month {month})"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f" ({MONTHS[month]} has {days} days{f' in {year}' if month == 2 else ''})"
    return ""


class ContentError(Exception):
    """Raised when content has problems that must be fixed before anything is published."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        # Pickled whole (the build's forked process sends it back: generator/publish/processes.py), not by its message.
        return ContentError, (self.problems,)


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
