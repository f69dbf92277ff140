"""A task's change history in words, in each language: "Thời hạn: Quý III/2021 → Quý IV/2021"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .history import Change
from .labels import STATUS_NAMES
from .text import plain, shorten

# The name of each task field, and of the parts of a field, as readers know them from the task page.
FIELDS = {
    "vi": {
        "text": "Nội dung",
        "number": "Số thứ tự",
        "marker": "Ký hiệu in",
        "group": "Nhóm nhiệm vụ",
        "parent": "Thuộc nhiệm vụ",
        "lead": "Cơ quan chủ trì",
        "coordinating": "Cơ quan phối hợp",
        "deadline": "Thời hạn",
        "output": "Sản phẩm",
        "notes": "Ghi chú",
        "budget_funded": "Kinh phí cải cách hành chính (*)",
        "targets": "Chỉ tiêu",
        "status_reports": "Báo cáo tiến độ",
        "editorial_notes": "Ghi chú biên tập",
    },
    "en": {
        "text": "Task",
        "number": "Number",
        "marker": "Printed label",
        "group": "Task group",
        "parent": "Part of task",
        "lead": "Lead agencies",
        "coordinating": "Coordinating agencies",
        "deadline": "Deadline",
        "output": "Output",
        "notes": "Notes",
        "budget_funded": "Reform budget (*)",
        "targets": "Targets",
        "status_reports": "Status report",
        "editorial_notes": "Editorial notes",
    },
}
PARTS = {
    "vi": {
        "vi": "tiếng Việt",
        "en": "tiếng Anh",
        "printed": "ghi trong kế hoạch",
        "agencies": "mã cơ quan",
        "kind": "loại hạn",
        "start": "ngày bắt đầu",
        "end": "hạn chót",
        "status": "tình trạng",
        "date": "ngày báo cáo",
        "source": "nguồn",
    },
    "en": {
        "vi": "Vietnamese",
        "en": "English",
        "printed": "as printed",
        "agencies": "agency ids",
        "kind": "kind",
        "start": "start",
        "end": "due date",
        "status": "status",
        "date": "report date",
        "source": "source",
    },
}
WORDS = {
    "vi": {"yes": "có", "no": "không", "added": "thêm", "removed": "bỏ"},
    "en": {"yes": "yes", "no": "no", "added": "added", "removed": "removed"},
}
LONGEST = 160  # characters of a changed text shown in the history; the task page has the whole text


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
    if head == "status_reports" and parts:
        name += f" {parts.pop(0)}"  # the reporting period, e.g. "2021-Q2"
    elif head in ("targets", "editorial_notes") and parts and parts[0].isdigit():
        name += f" #{parts.pop(0)}"
    qualifiers = [PARTS[lang].get(p, p) for p in parts if p != "text"]
    if qualifiers:
        name += f" ({', '.join(qualifiers)})"
    values_lang = "vi" if "vi" in parts else lang
    return ChangeText(name, _value(change.before, lang), _value(change.after, lang), values_lang)


def _value(value: Any, lang: str) -> str | None:
    """A field value in words, shortened: texts in `lang` (Vietnamese when untranslated), lists joined."""
    if value is None:
        return None
    if isinstance(value, bool):
        return WORDS[lang]["yes" if value else "no"]
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}" if lang == "vi" else value.isoformat()
    if isinstance(value, dict):
        if "vi" in value:
            return _value(value.get(lang) or value["vi"], lang)
        if "status" in value:  # a whole status report
            status = STATUS_NAMES[lang].get(str(value["status"]), str(value["status"]))
            return f"{status}: {_value(value.get('text'), lang) or ''}".rstrip(": ")
        for key in ("printed", "text", "label", "measure"):
            if key in value:
                return _value(value[key], lang)
        return "; ".join(v for v in (_value(v, lang) for v in value.values()) if v)
    if isinstance(value, list):
        return "; ".join(v for v in (_value(v, lang) for v in value) if v)
    text = str(value)
    return STATUS_NAMES[lang].get(text) or shorten(plain(text), LONGEST)


def added_removed(lang: str) -> dict[str, str]:
    """The words for a value that appears or disappears."""
    return {"added": WORDS[lang]["added"], "removed": WORDS[lang]["removed"]}
