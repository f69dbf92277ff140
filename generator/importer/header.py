"""The decision's header (number, date, signer, title, legal bases, articles) and narrative sections.

Everything found here goes into the draft plan.yaml for review; what is not found is left out and the
review report says so (a missing required field is also a `check` problem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.importer.normal import squash, strip_debris

_NUMBER = re.compile(r"^Số\s*:?\s*(?P<n>\S.*?)\s*$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
)
_BASIS = re.compile(r"^(Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị)\b")
_ARTICLE = re.compile(r"^(?P<m>Điều \d+\.)\s*(?P<t>.+)$")
_SECTION = re.compile(r"^(?P<m>[IVX]+)\.\s+(?P<t>.+)$")
_ITEM = re.compile(r"^(?P<m>[a-zđ]\))\s+(?P<t>.+)$")
_SUB = re.compile(r"^(?P<m>\d+)\.\s+(?P<t>.+)$")
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?: [A-ZĐÀ-Ỹ][a-zà-ỹđ]*){1,4}$")  # "Lê Trung Chinh", "Trần Văn B"


def _clean(line: str) -> str:
    text = strip_debris(line)
    text = re.sub(r"^#+\s*", "", text)
    return squash(text).replace("\n", " ").strip()


def _sentence(caps: str) -> str:
    """'CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG' → 'Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng'."""
    words = caps.lower().split()
    # The place name after "thành phố" keeps its capitals, as printed in the body of the decision.
    out = []
    proper = False
    for i, word in enumerate(words):
        out.append(word.capitalize() if i == 0 or proper or word in ("ủy",) else word)
        if word == "phố":
            proper = True
    return " ".join(out)


@dataclass
class Header:
    decision: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    year: int | None = None
    funding: str = ""
    purposes: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)  # agencies resolved later, from the heading
    missing: list[str] = field(default_factory=list)


def read_header(lines: list[str], table_line: int) -> Header:
    """The decision and narrative parts of `lines`; `table_line` is where the task table starts (1-based)."""
    text = [_clean(line) for line in lines]
    head = Header()
    decision: dict[str, Any] = {}
    for line in text[:table_line]:
        if "number" not in decision and (m := _NUMBER.match(line)):
            decision["number"] = m["n"]
        elif "date" not in decision and (m := _PLACE_DATE.match(line)):
            decision["date"] = date(int(m["y"]), int(m["m"]), int(m["d"]))
            decision["place"] = {"vi": m["place"].strip()}
    bases = [{"vi": t} for t in text[:table_line] if _BASIS.match(t)]
    articles = [{"marker": m["m"], "text": {"vi": m["t"]}} for t in text[:table_line] if (m := _ARTICLE.match(t))]
    plan_at = next((i for i, t in enumerate(text[:table_line]) if t.upper() == "KẾ HOẠCH"), None)
    signer_zone = text[: plan_at if plan_at is not None else table_line]
    name = next((t for t in reversed(signer_zone) if _NAME.match(t)), None)
    capacity = None
    for i, t in enumerate(signer_zone):
        if t.startswith("TM.") and i + 1 < len(signer_zone):
            capacity = f"{_sentence(t.split(' ', 1)[1]).replace('Ủy', 'Ủy')}"
            capacity = f"TM. {capacity}, {_sentence(signer_zone[i + 1])}" if signer_zone[i + 1] else capacity
            break
        if t.startswith("TM. "):
            capacity = t
    if capacity is None:
        authority = next((t for t in signer_zone if t.startswith("CHỦ TỊCH ")), None)
        capacity = _sentence(authority) if authority else None
    if name and capacity:
        decision["signer"] = {"name": name, "capacity": {"vi": capacity}}
    if bases:
        decision["legal_bases"] = bases
    if articles:
        decision["articles"] = articles
    head.decision = decision
    if plan_at is not None:
        subtitle = next((t for t in text[plan_at + 1 : table_line] if t), "")
        if subtitle:
            head.title = (
                f"Kế hoạch {subtitle[0].upper()}{subtitle[1:]}" if not subtitle.startswith("Kế hoạch") else subtitle
            )
            if m := re.search(r"năm (\d{4})", subtitle):
                head.year = int(m[1])
    head.missing = [f for f in ("number", "date", "place", "signer") if f not in decision]
    if not head.title:
        head.missing.append("title")
    _narrative(text, head)
    return head


_DUTY_ITEM = re.compile(r"^(?:-\s*)?(?P<m>[a-zđ]\))\s+(?P<t>.+)$")


def _duty_line(duty: dict[str, Any], line: str) -> None:
    if m := _DUTY_ITEM.match(line):
        duty["items"].append({"marker": m["m"], "text": {"vi": m["t"]}})
    elif m := re.match(r"^-\s+(?P<t>.+)$", line):
        duty["items"].append({"marker": "-", "text": {"vi": m["t"]}})
    else:
        duty["items"].append({"marker": "", "text": {"vi": line}})


def _narrative(text: list[str], head: Header) -> None:
    """Funding ("KINH PHÍ"), purposes ("Mục đích"), numeric targets ("chỉ tiêu") and the duties per agency
    ("TỔ CHỨC THỰC HIỆN": "1. Trách nhiệm của Sở …" with a) items, or "2. Phân công …" with "a) Sở …:" and
    "-" items), where printed."""
    section = ""
    sub = ""
    funding: list[str] = []
    duty: dict[str, Any] | None = None
    for line in text:
        if not line:
            continue
        if m := _SECTION.match(line):
            section = m["t"].upper()
            sub = ""
            duty = None
            continue
        if m := _SUB.match(line):
            sub = m["t"].lower()
            duty = None
            if "TỔ CHỨC THỰC HIỆN" in section and sub.startswith("trách nhiệm"):
                duty = {"marker": f"{m['m']}.", "heading": {"vi": m["t"]}, "items": []}
                head.duties.append(duty)
            continue
        if "\t" in line:
            continue
        if "TỔ CHỨC THỰC HIỆN" in section and "phân công" in sub and (m := _ITEM.match(line)):
            duty = {"marker": m["m"], "heading": {"vi": m["t"]}, "items": []}
            head.duties.append(duty)
            continue
        if duty is not None:
            if line.startswith(("TM.", "CHỦ TỊCH")) or _NAME.match(line):
                duty = None
                continue
            _duty_line(duty, line)
            continue
        if "KINH PHÍ" in section:
            funding.append(line)
        elif "MỤC ĐÍCH" in section and (m := _ITEM.match(line)):
            target = head.targets if "chỉ tiêu" in sub else head.purposes if "mục đích" in sub else None
            if target is not None:
                target.append({"marker": m["m"], "text": {"vi": m["t"]}})
        elif "MỤC ĐÍCH" in section and head.targets and "chỉ tiêu" in sub and not _ITEM.match(line):
            # A paragraph a page break cut off: it continues the item above.
            last = head.targets[-1]["text"]
            last["vi"] = f"{last['vi']} {line}"
    if funding:
        head.funding = "\n".join(funding)
