"""Read the Vietnamese deadline phrases of the plans into a normalized kind and date range."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# Kinds that never fall due: a step of one of these kinds has no end, nor has a list that closes with it.
ENDLESS_KINDS = ("ongoing", "recurring")

# Labels of milestone cells ("- Triển khai: Tháng 02/2021 - Hoàn thành: Tháng 12/2021").
MILESTONE_LABELS = {
    "triển khai": "Roll-out",
    "hoàn thành": "Completion",
    "thực hiện": "Implementation",
    "kế hoạch triển khai": "Implementation plan",
    "có văn bản hướng dẫn": "Guidance document",
    "báo cáo đánh giá kết quả thí điểm": "Pilot evaluation report",
}


class UnreadableDeadline(ValueError):
    """The phrase is not one the parser knows; the YAML must give `kind` itself."""


@dataclass(frozen=True)
class Milestone:
    """One labelled step of a several-milestone deadline."""

    label_vi: str
    label_en: str | None
    kind: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Reading:
    """What a deadline phrase means: its kind and, where the text implies them, start and end."""

    kind: str
    start: date | None = None
    end: date | None = None
    milestones: tuple[Milestone, ...] = field(default_factory=tuple)


def _day(day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableDeadline(f"{day:02d}/{month:02d}/{year} is not a calendar date") from None


def _month(month: int, year: int) -> Reading:
    if not 1 <= month <= 12:
        raise UnreadableDeadline(f"there is no month {month}")
    return Reading("month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _quarter(quarter: int, year: int) -> Reading:
    first = 3 * quarter - 2
    return Reading("quarter", date(year, first, 1), _month(first + 2, year).end)


def _year(value: str | None, default: int) -> int:
    return int(value) if value else default


def _single(phrase: str, year: int) -> Reading:
    text = phrase.strip().rstrip(".;").strip().lower()
    text = re.sub(r"\s+", " ", text)
    if re.match(r"thường xuyên\b", text):
        return Reading("ongoing")
    if m := re.fullmatch(r"(?:cả năm|trong năm|năm) (\d{4})", text):
        y = int(m[1])
        return Reading("year", date(y, 1, 1), date(y, 12, 31))
    if m := re.fullmatch(r"(?:trong )?tháng (\d{1,2})(?:/(\d{4}))?", text):
        return _month(int(m[1]), _year(m[2], year))
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        return _month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(?:trước )?(?:ngày )?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?", text):
        return Reading("date", None, _day(int(m[1]), int(m[2]), _year(m[3], year)))
    if m := re.fullmatch(r"quý (i|ii|iii|iv)(?:[/ ](\d{4}))?", text):
        return _quarter(ROMAN[m[1].upper()], _year(m[2], year))
    if m := re.fullmatch(r"6 tháng (đầu|cuối) năm(?: (\d{4}))?", text):
        y = _year(m[2], year)
        first = m[1] == "đầu"
        return Reading("half_year", date(y, 1 if first else 7, 1), date(y, 6, 30) if first else date(y, 12, 31))
    if re.match(r"(hằng|hàng) (quý|tháng|năm|tuần)\b|định kỳ\b", text):
        return Reading("recurring")
    if re.match(r"sau khi\b|theo tiến độ\b|theo lộ trình\b", text):
        return Reading("event")
    if re.match(r"theo chỉ đạo\b|theo yêu cầu\b|khi có yêu cầu\b", text):
        return Reading("conditional")
    raise UnreadableDeadline(f"cannot read the deadline '{phrase.strip()}'")


_SEGMENT = re.compile(r"(?:^|\s)-\s+")
_LABELLED = re.compile(r"(?P<label>[^:]+?)\s*:\s*(?P<phrase>.+)")
_TRAILING_PHRASE = re.compile(r"(?P<label>.+?)\s+(?P<phrase>tháng \d.*)", re.IGNORECASE)


def _milestone(segment: str, year: int) -> Milestone:
    segment = segment.strip().rstrip(".").strip()
    m = _LABELLED.fullmatch(segment) or _TRAILING_PHRASE.fullmatch(segment)
    if not m:
        raise UnreadableDeadline(f"cannot read the milestone '{segment}'")
    label = m["label"].strip()
    reading = _single(m["phrase"], year)
    return Milestone(label, MILESTONE_LABELS.get(label.lower()), reading.kind, reading.start, reading.end)


def goes_on(kind: str | None, step_kinds: list[str]) -> bool:
    """Whether a deadline of `kind` (with steps of `step_kinds`) is ongoing work that never falls due."""
    return kind in ENDLESS_KINDS or (kind == "milestones" and bool(step_kinds) and step_kinds[-1] in ENDLESS_KINDS)


def read_deadline(phrase: str, year: int) -> Reading:
    """Return the meaning of a printed deadline; the plan's `year` fills in a missing year."""
    segments = [s for s in _SEGMENT.split(phrase.strip()) if s.strip()]
    if phrase.strip().startswith("-") and len(segments) > 1:
        milestones = tuple(_milestone(s, year) for s in segments)
        starts = [day for m in milestones if (day := m.start or m.end)]
        ends = [m.end for m in milestones if m.end]
        # "- Triển khai: Tháng 02/2021 - Thực hiện: Thường xuyên": work goes on after the dated step,
        # so the task as a whole never falls due; the step keeps its own date.
        end = None if milestones[-1].kind in ENDLESS_KINDS else max(ends, default=None)
        return Reading("milestones", min(starts, default=None), end, milestones)
    return _single(phrase, year)
