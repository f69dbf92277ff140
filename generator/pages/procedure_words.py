"""Procedures in words: texts on one line, time limits and statutory totals with their units, for the
procedure pages and their diagrams."""

from __future__ import annotations

from generator.content.labels import section
from generator.content.model import Text
from generator.content.procedures import COUNTED_UNITS, TimeLimit, Total

# Words of the procedure pages, and time limits in words (generator/content/wording/<lang>.yaml).
LABELS: dict[str, dict[str, str]] = section("procedures")
UNIT_WORDS: dict[str, dict[str, str]] = section("units")


def plain_text(text: Text, lang: str) -> str:
    """A text in one language (Vietnamese when no English exists), on one line."""
    value = text.en if lang == "en" and text.en else text.vi
    return " ".join(line.strip() for line in value.splitlines() if line.strip())


def amount(value: float, unit: str, lang: str) -> str:
    """'7 ngày làm việc', '15 ngày' / '7 working days', '1 calendar day'."""
    return UNIT_WORDS[lang][unit + ("_one" if value == 1 else "")].format(n=f"{value:g}")


def limit_text(limit: TimeLimit, lang: str) -> str:
    """A time limit in words, its unit explicit."""
    if limit.unit == "immediately":
        return UNIT_WORDS[lang]["immediately"]
    if limit.unit == "none" or limit.value is None:
        return UNIT_WORDS[lang]["none"]
    return amount(limit.value, limit.unit, lang)


def total_parts(total: Total, lang: str) -> list[str]:
    """The total in words, one part per unit: working days and calendar days are never added up."""
    return [amount(getattr(total, unit), unit, lang) for unit in COUNTED_UNITS if getattr(total, unit)]
