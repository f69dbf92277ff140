"""Turn the raw task table into tasks: rows split by page breaks joined, groups, numbering, sub-items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.importer.agencies import AgencyBook
from generator.importer.grid import Grid, Row
from generator.importer.normal import squash, strip_debris

_GROUP = re.compile(r"^(?P<num>[IVXLC]+|\d+)\.\s+(?P<head>\S.*)$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_LETTER = re.compile(r"^(?P<l>[a-zđ])\)$")
_LETTERED_TEXT = re.compile(r"^(?P<l>[a-zđ])\)\s+(?P<rest>.+)$", re.DOTALL)
_NUMBER = re.compile(r"^(?P<n>\d+)\.?$")
_LABEL = re.compile(r"^(?:[-+]\s|[a-zđ]\)\s|\d+[.)]?\s)")
_TAG = re.compile(r"(<ul[^>]*>|</ul>|<p>|</p>)", re.IGNORECASE)
_BULLET = re.compile(r"(?:^|\s)([-+])\s+")
_BUDGET = re.compile(r"\s*\(\\?\*\)")
CELL_FIELDS = ("lead", "coordinating", "deadline")


@dataclass
class Joined:
    """A row a page break split, joined again (for the review report)."""

    task: str
    line: int
    cells: list[str]


@dataclass
class Parsed:
    groups: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    joined: list[Joined] = field(default_factory=list)
    unlabelled: list[int] = field(default_factory=list)  # lines of rows with no label, joined to the task above
    undistributed: list[str] = field(default_factory=list)  # merged cells whose values could not be shared out


def _chunks(cell: str) -> list[tuple[str, bool]]:
    """The cell cut at its `<p>`/`<ul>` debris: (text, inside a list)."""
    out: list[tuple[str, bool]] = []
    in_ul = False
    for part in _TAG.split(cell):
        low = part.lower()
        if low.startswith("<ul"):
            in_ul = True
        elif low == "</ul>":
            in_ul = False
        elif low in ("<p>", "</p>"):
            continue
        elif text := squash(strip_debris(part)).replace("\n", " ").strip():
            out.append((text, in_ul))
    return out


def _lines(cell: str) -> list[tuple[str, str]]:
    """A text cell as (marker, text) lines: '' for prose, '-' or '+' for printed bullets."""
    lines: list[tuple[str, str]] = []
    for text, in_ul in _chunks(cell):
        pieces = _BULLET.split(" " + text) if in_ul else [text]
        if in_ul:
            head = pieces[0].strip()
            if head:
                lines.append(("", head))
            for i in range(1, len(pieces) - 1, 2):
                if body := pieces[i + 1].strip():
                    lines.append((pieces[i], body))
        elif m := re.match(r"^([-+])\s+(.*)$", text, re.DOTALL):
            lines.append((m[1], m[2].strip()))
        else:
            lines.append(("", text))
    return lines


def _render(lines: list[tuple[str, str]]) -> str:
    return "\n".join(f"{marker} {text}" if marker else text for marker, text in lines)


def _repeated(text: str, n: int) -> list[str] | None:
    """'Thường xuyên Thường xuyên …' (one phrase printed n times) → its n copies."""
    words = text.split()
    if n < 2 or len(words) % n:
        return None
    size = len(words) // n
    parts = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    return parts if len(set(parts)) == 1 else None


def _deadline_text(text: str) -> str:
    text = squash(strip_debris(text)).replace("\n", " ")
    if text.startswith("-"):
        text = re.sub(r"\s+-\s+", "\n- ", text)
    return text


def _task_id(number: str) -> str:
    return number.replace("đ", "dd").replace(".", "-").lower()


class Builder:
    def __init__(self, grid: Grid, book: AgencyBook) -> None:
        self.grid = grid
        self.book = book
        self.out = Parsed()
        self.roman = any(self._group_of(r, roman_only=True) for r in grid.rows)
        self.group = ""
        self.level1: dict[str, Any] | None = None
        self.level2: dict[str, Any] | None = None
        self.dash: dict[str, Any] | None = None
        self.children: dict[str, int] = {}

    def _group_of(self, row: Row, roman_only: bool = False) -> tuple[str, str] | None:
        cells = {k: strip_debris(v).strip() for k, v in row.cells.items()}
        others = [v for k, v in cells.items() if k not in ("number", "text") and v]
        if others:
            return None
        number, text = cells.get("number", ""), cells.get("text", "")
        joined = f"{number} {text}".strip() if number and text else number or text
        m = _GROUP.match(joined)
        if not m:
            return None
        if _ROMAN.match(m["num"]):
            return m["num"], m["head"].strip()
        if roman_only or getattr(self, "roman", False) or not number:
            return None
        return m["num"], m["head"].strip()

    # ── joining rows split by page breaks ──────────────────────────────────────────────────────
    def _join(self) -> list[Row]:
        rows: list[Row] = []
        for row in self.grid.rows:
            number = row.cells.get("number", "").strip()
            text = strip_debris(row.cells.get("text", "")).strip()
            if (
                rows
                and row.after_break
                and not row.heading
                and not number
                and not _LABEL.match(text)
                and not self._group_of(row)
            ):
                prev = rows[-1]
                for name, value in row.cells.items():
                    if value.strip():
                        # The page break cut the cell's last paragraph: the rest continues it.
                        before = re.sub(r"(?:\s*</(?:p|ul)>)+$", "", prev.cells.get(name, "").rstrip())
                        prev.cells[name] = f"{before} {value.strip()}" if before else value.strip()
                self.out.joined.append(Joined("", row.line, [n for n, v in row.cells.items() if v.strip()]))
                prev.cells.setdefault("_joined", "")
                prev.cells["_joined"] += f"{row.line} "
                continue
            rows.append(Row(dict(row.cells), row.line, row.after_break, row.heading))
        return rows

    # ── numbering ────────────────────────────────────────────────────────────────────────────────
    def _child_number(self, parent: dict[str, Any]) -> str:
        n = self.children.get(parent["id"], 0) + 1
        self.children[parent["id"]] = n
        return f"{parent['number']}.{n}"

    def _new(self, number: str, marker: str, parent: dict[str, Any] | None, text: str, line: int) -> dict[str, Any]:
        budget = bool(_BUDGET.search(text))
        text = _BUDGET.sub("", text).strip()
        task: dict[str, Any] = {
            "id": _task_id(number),
            "number": number,
            "marker": marker,
            "group": self.group,
            "parent": parent["id"] if parent else None,
            "text": {"vi": text},
        }
        if budget:
            task["budget_funded"] = True
        task["_line"] = line
        self.out.tasks.append(task)
        return task

    def _fill(self, task: dict[str, Any], values: dict[str, str]) -> None:
        for name in CELL_FIELDS:
            value = values.get(name, "")
            if not value:
                continue
            if name == "deadline":
                task["deadline"] = {"text": {"vi": _deadline_text(value)}}
            else:
                printed = squash(strip_debris(value)).replace("\n", " ")
                task[name] = {"printed": {"vi": printed}, "agencies": self.book.resolve(printed, task["number"])}
        for name in ("output", "notes"):
            if value := squash(strip_debris(values.get(name, ""))).replace("\n", " "):
                task[name] = {"vi": value}

    def _values(self, cell: str, name: str, leaves: int) -> list[str]:
        chunks = _chunks(cell)
        if len(chunks) == 1 and chunks[0][1] and leaves > 1:
            text = chunks[0][0]
            split = _repeated(text, leaves) if name == "deadline" else self.book.registry.values(text)
            return split or [text]
        return [text for text, _ in chunks]

    def _sub_item(self, marker: str, text: str, line: int) -> dict[str, Any]:
        parent = self.dash if marker == "+" and self.dash is not None else self.level2 or self.level1
        if parent is None:
            raise ValueError("sub-item before any task")
        task = self._new(self._child_number(parent), marker, parent, text, line)
        if marker == "-":
            self.dash = task
        return task

    def run(self) -> Parsed:
        rows = self._join()
        for index, row in enumerate(rows):
            if group := self._group_of(row) if not row.heading else _GROUP.match(row.cells["text"]):
                num, head = (group["num"], group["head"]) if isinstance(group, re.Match) else group
                self.group = num
                self.out.groups.append({"id": num, "number": f"{num}.", "heading": {"vi": head.strip()}})
                self.level1 = self.level2 = self.dash = None
                continue
            number = row.cells.get("number", "").strip()
            lines = _lines(row.cells.get("text", ""))
            values = {k: v for k, v in row.cells.items() if k not in ("number", "text", "_joined")}
            first_marker, first_text = lines[0] if lines else ("", "")
            nxt = rows[index + 1] if index + 1 < len(rows) else None
            next_is_dash = nxt is not None and bool(re.match(r"^\s*-\s", strip_debris(nxt.cells.get("text", ""))))
            if m := _NUMBER.match(number):
                task = self._new(m["n"], number, None, "", row.line)
                self.level1, self.level2, self.dash = task, None, None
            elif m := _LETTER.match(number):
                under = self.level1 if self.roman and self.level1 else None
                num = f"{under['number'] if under else self.group}.{m['l']}"
                task = self._new(num, number, under, "", row.line)
                if under:
                    self.level2 = task
                else:
                    self.level1, self.level2 = task, None
                self.dash = None
            elif not number and first_marker == "" and (mt := _LETTERED_TEXT.match(first_text)) and self.level1:
                task = self._new(f"{self.level1['number']}.{mt['l']}", f"{mt['l']})", self.level1, "", row.line)
                self.level2, self.dash = task, None
                lines[0] = ("", mt["rest"])
            elif not number and first_marker in ("-", "+") and (self.level1 or self.level2):
                task = self._sub_item(first_marker, "", row.line)
                lines[0] = ("", first_text)
            else:
                if not self.out.tasks:
                    continue
                task = self.out.tasks[-1]
                self.out.unlabelled.append(row.line)
                task["text"]["vi"] = f"{task['text']['vi']}\n{_render(lines)}".strip()
                continue
            if "_joined" in row.cells:
                for j in self.out.joined:
                    if str(j.line) in row.cells["_joined"].split():
                        j.task = task["number"]
            self._content(task, lines, values, next_is_dash)
        return self.out

    def _content(
        self, task: dict[str, Any], lines: list[tuple[str, str]], values: dict[str, str], next_is_dash: bool
    ) -> None:
        head = [ln for ln in lines if not ln[0]]
        bullets = [ln for ln in lines if ln[0]]
        budget_text = _render(lines)
        if _BUDGET.search(budget_text):
            task["budget_funded"] = True
            lines = [(mk, _BUDGET.sub("", t).strip()) for mk, t in lines]
            head = [ln for ln in lines if not ln[0]]
            bullets = [ln for ln in lines if ln[0]]
        counts = {name: len(_chunks(values.get(name, ""))) for name in CELL_FIELDS}
        merged = bullets and head and any(n > 1 or _has_list(values.get(k, "")) for k, n in counts.items())
        first_of_list = len(bullets) == 1 and head and bullets[0][0] == "-" and next_is_dash
        if not (merged or first_of_list):
            task["text"]["vi"] = _render(lines)
            self._fill(task, values)
            return
        # The cell prints the item's heading and its first sub-items; the other cells belong to them.
        task["text"]["vi"] = _render(head)
        subs: list[dict[str, Any]] = []
        self.dash = None
        for marker, text in bullets:
            subs.append(self._sub_item(marker, text, task["_line"]))
        leaves = [s for s in subs if not any(o["parent"] == s["id"] for o in subs)]
        for name in (*CELL_FIELDS, "output", "notes"):
            if not values.get(name):
                continue
            shares = self._values(values[name], name, len(leaves))
            if len(shares) > len(leaves):
                self.out.undistributed.append(f"{task['number']} {name}")
                shares = shares[: len(leaves)]
            for leaf, share in zip(leaves, shares, strict=False):
                self._fill(leaf, {name: share})


def _has_list(cell: str) -> bool:
    return "<ul" in cell.lower()


def build(grid: Grid, book: AgencyBook) -> Parsed:
    """Groups and tasks of the table, in printed order."""
    return Builder(grid, book).run()
