"""English only from what content/ already holds: a translation memory, never a machine translation.

Sources: every {vi, en} text of the plans and registries (identical or normalised Vietnamese), the
registries' agency names and aliases, pillar names, the glossary tables of the domain reference, and the
deadline parser's reading of simple phrases ("Quý IV/2021" → "Q4 2021"), rendered as content/FORMAT.md
prescribes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from generator.content.deadlines import UnreadableDeadline, read_deadline
from generator.importer.normal import key, loose

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
GLOSSARY = Path("..") / "shared" / "reference" / "domain.md"


def _pairs(value: Any) -> Any:
    if isinstance(value, dict):
        vi, en = value.get("vi"), value.get("en")
        if isinstance(vi, str) and isinstance(en, str) and en.strip():
            yield vi, en
        for item in value.values():
            yield from _pairs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _pairs(item)


def _glossary(path: Path) -> list[tuple[str, str]]:
    """Rows of the domain reference's tables that have a Vietnamese and an English column."""
    pairs: list[tuple[str, str]] = []
    if not path.is_file():
        return pairs
    columns: tuple[int, int] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        lowered = [c.lower() for c in cells]
        vi = next((i for i, c in enumerate(lowered) if c.startswith("vietnamese")), None)
        en = next((i for i, c in enumerate(lowered) if c.startswith("english")), None)
        if vi is not None and en is not None:
            columns = (vi, en)
        elif columns and len(cells) > max(columns) and not set(line) <= set("|-: "):
            v, e = cells[columns[0]], cells[columns[1]]
            v, e = re.sub(r"[*_`]", "", v).strip(), re.sub(r"[*_`]", "", e).strip()
            # Only a plain term, not a sentence with sources and confidence marks.
            # Only a plain term (no alternatives "a / b", elisions or notes), not a sentence with sources.
            if v and e and len(v) < 80 and not re.search(r"[✅🟡⚠️…(]|http| / ", v) and "http" not in e:
                # The recommended rendering only: the first, without the sources that follow it.
                pairs.append((v, re.split(r"\. |; | \(|\s+/\s+", e)[0].rstrip(".").strip()))
    return pairs


def render_deadline(phrase: str, year: int) -> str | None:
    """The English FORMAT.md gives for the simple deadline shapes, from the parser's reading."""
    text = re.sub(r"\s+", " ", phrase.strip())
    try:
        reading = read_deadline(text, year)
    except UnreadableDeadline:
        return None
    low = text.lower().rstrip(".")
    if reading.kind == "ongoing" and low == "thường xuyên":
        return "Ongoing"
    if reading.kind == "year" and low.startswith("cả năm") and reading.end:
        return f"Throughout {reading.end.year}"
    if reading.kind == "month" and reading.start:
        name = f"{MONTHS[reading.start.month - 1]} {reading.start.year}"
        return f"Within {name}" if low.startswith("trong") else name
    if reading.kind == "quarter" and reading.start:
        return f"Q{(reading.start.month + 2) // 3} {reading.start.year}"
    if reading.kind == "date" and reading.end:
        day = f"{reading.end.day} {MONTHS[reading.end.month - 1]} {reading.end.year}"
        return f"By {day}" if low.startswith("trước") else day
    return None


def _year_free(phrase: str, year: int) -> bool:
    if re.search(r"\b(19|20)\d\d\b", phrase):
        return True
    try:
        reading = read_deadline(phrase, year)
    except UnreadableDeadline:
        return True
    return reading.start is None and reading.end is None and not reading.milestones


class Memory:
    """Vietnamese → English, exact first, then normalised (case, accents, end punctuation)."""

    def __init__(self) -> None:
        self.exact: dict[str, Counter[str]] = {}
        self.loose: dict[str, Counter[str]] = {}
        self.asked = 0
        self.found = 0

    def add(self, vi: str, en: str) -> None:
        self.exact.setdefault(key(vi), Counter())[en] += 1
        self.loose.setdefault(loose(vi), Counter())[en] += 1

    def lookup(self, vi: str) -> str | None:
        for table, k in ((self.exact, key(vi)), (self.loose, loose(vi))):
            if k in table:
                return table[k].most_common(1)[0][0]
        return None

    def translate(self, vi: str, year: int | None = None) -> str | None:
        """English for `vi` (a deadline if `year` is given), counting what was asked and found."""
        self.asked += 1
        if year is None:
            found = self.lookup(vi)
        else:
            # A deadline's English names the plan's year ("Trước 30/4" is "By 30 April 2022" in a 2022
            # plan): the parser's rendering first, the memory only for a phrase that prints its year
            # or has no date at all.
            found = render_deadline(vi, year)
            if found is None and _year_free(vi, year):
                found = self.lookup(vi)
        if found is not None:
            self.found += 1
        return found


def build_memory(root: Path, skip_plan: str | None = None) -> Memory:
    """The memory of everything content/ holds (leaving out the plan being imported, if it exists)."""
    memory = Memory()
    content = root / "content"
    files = sorted(content.glob("plans/*/**/*.yaml")) + sorted(content.glob("cities/*.yaml"))
    files.append(content / "pillars.yaml")
    for path in files:
        if skip_plan and path.is_relative_to(content / "plans" / skip_plan):
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        for vi, en in _pairs(data):
            memory.add(vi, en)
        if path.parent.name == "cities" and isinstance(data, dict):
            for agency in data.get("agencies") or []:
                en = (agency.get("name") or {}).get("en")
                for alias in [*(agency.get("aliases") or []), *(agency.get("short") or [])]:
                    if en:
                        memory.add(str(alias), en)
    for vi, en in _glossary(root / GLOSSARY):
        memory.add(vi, en)
    return memory
