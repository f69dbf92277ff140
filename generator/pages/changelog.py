"""A task's change history in words, in each language: "Thời hạn: Quý III/2021 → Quý IV/2021"."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from generator.content.history import Change
from generator.content.labels import LABELS, STATUS_NAMES, section
from generator.pages.text import plain, shorten

# The name of each task field, and of the parts of a field, as readers know them from the task page;
# the words of a yes/no value and of a value that appears or disappears (generator/content/wording/<lang>.yaml).
FIELDS: dict[str, dict[str, str]] = section("change_fields")
PARTS: dict[str, dict[str, str]] = section("change_parts")
WORDS: dict[str, dict[str, str]] = section("change_words")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LONGEST = 160  # characters of a changed text shown in the history; the task page has the whole text
MOST_ITEMS = 10  # items of a list shown in one change: real lists hold at most 6 (one cell's agencies)
LONGEST_VALUE = 400  # characters of one value however long its list; real ones stay under 250
MOST_PARTS = 200  # values looked at for one change, so that no nesting makes a page slow or huge


@dataclass(frozen=True)
class ChangeText:
    """One change as the page shows it: the field's name, and the text before and after (None: absent)."""

    field: str
    before: str | None
    after: str | None
    lang: str  # the language of the values: Vietnamese for the `vi` half of a text, on either page


def describe(change: Change, lang: str) -> ChangeText:
    """Name the changed field and write its old and new values in `lang`."""
    head, *parts = change.path or ("?",)
    name = FIELDS[lang].get(head, head)
    if head in ("targets", "editorial_notes") and parts and parts[0].isdigit():
        name += f" #{parts.pop(0)}"
    qualifiers = [PARTS[lang].get(p, p) for p in parts if p != "text"]
    if qualifiers:
        name += f" ({', '.join(qualifiers)})"
    values_lang = "vi" if "vi" in parts else lang
    name = shorten(name, LONGEST)  # a key of a past revision can be any text
    return ChangeText(name, _value(change.before, lang), _value(change.after, lang), values_lang)


def _value(value: Any, lang: str) -> str | None:
    """A field value in words, shortened: at most LONGEST_VALUE characters, however long or nested."""
    if value is None:
        return None
    return shorten(_words(value, lang, [MOST_PARTS]), LONGEST_VALUE)


def _words(value: Any, lang: str, budget: list[int]) -> str:
    """Texts in `lang` (Vietnamese when untranslated), lists joined; `budget` counts the values still to look at."""
    budget[0] -= 1
    if budget[0] < 0:
        return "…"
    if value is None:
        return ""
    if isinstance(value, str):
        value = _scalar(value)
    if isinstance(value, bool):
        return WORDS[lang]["yes" if value else "no"]
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}" if lang == "vi" else value.isoformat()
    if isinstance(value, dict):
        if "vi" in value:
            return _words(value.get(lang) or value["vi"], lang, budget)
        for key in ("printed", "text", "label", "measure"):
            if key in value:
                return _words(value[key], lang, budget)
        return _joined(list(value.values()), lang, budget)
    if isinstance(value, list):
        return _joined(value, lang, budget)
    text = str(value)
    return STATUS_NAMES[lang].get(text) or shorten(plain(text), LONGEST)


def _scalar(text: str) -> Any:
    """A past value as its field means it: the history reads every value as the text typed (load.parse_text)."""
    if ISO_DATE.fullmatch(text):
        with contextlib.suppress(ValueError):  # an impossible date stays the text typed
            return dt.date.fromisoformat(text)
    return {"true": True, "false": False}.get(text, text)


def _joined(values: list[Any], lang: str, budget: list[int]) -> str:
    """The first MOST_ITEMS values joined with "; ", and how many more there are."""
    words = [w for w in (_words(v, lang, budget) for v in values[:MOST_ITEMS]) if w]
    if len(values) > MOST_ITEMS:
        words.append(more_items(len(values) - MOST_ITEMS, lang))
    return "; ".join(words)


def more_items(count: int, lang: str) -> str:
    """The words for the items of a list that are not shown: "… (3 more)"."""
    return LABELS[lang]["more_items"].format(n=count)


def added_removed(lang: str) -> dict[str, str]:
    """The words for a value that appears or disappears."""
    return {"added": WORDS[lang]["added"], "removed": WORDS[lang]["removed"]}
