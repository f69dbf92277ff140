"""Compose the draft plan and task records from what the readers found, English from the memory only."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.base.slug import fold
from generator.content.deadlines import UnreadableDeadline, read_deadline
from generator.importer.agencies import Registry
from generator.importer.header import Header
from generator.importer.memory import Memory
from generator.importer.normal import loose
from generator.importer.rows import Parsed

# Opening words of a group heading → pillar, where no plan in content/ printed the same heading.
_PILLAR_WORDS = [
    ("chi dao", "chi-dao-dieu-hanh"),
    ("the che", "the-che"),
    ("thu tuc", "thu-tuc-hanh-chinh"),
    ("to chuc bo may", "to-chuc-bo-may"),
    ("cong vu", "cong-vu"),
    ("can bo", "cong-vu"),
    ("tai chinh", "tai-chinh-cong"),
    ("dien tu", "hien-dai-hoa"),
    ("hien dai hoa", "hien-dai-hoa"),
]


@dataclass
class Draft:
    plan: dict[str, Any]
    tasks: dict[str, list[dict[str, Any]]]  # group id → its tasks
    unread_deadlines: list[tuple[str, str, str]] = field(default_factory=list)  # (task, phrase, why)
    pillar_guesses: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Pillars:
    """Group headings already mapped in content/ (loose key → pillar id), and the pillars themselves."""

    headings: dict[str, str]
    names: dict[str, str]  # pillar id → Vietnamese name


def known_pillars(root: Path, skip_plan: str) -> Pillars:
    found: dict[str, str] = {}
    content = root / "content"
    for path in sorted(content.glob("plans/*/plan.yaml")):
        if path.parent.name == skip_plan:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        for group in data.get("groups") or []:
            found[loose(group["heading"]["vi"])] = group["pillar"]
    try:
        pillars = yaml.safe_load((content / "pillars.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        pillars = {}
    names = {p["id"]: p["name"]["vi"] for p in pillars.get("pillars") or []}
    for pillar, name in names.items():
        found.setdefault(loose(name), pillar)
    return Pillars({k: v for k, v in found.items() if v in names}, names)


def _pillar(heading: str, known: Pillars) -> tuple[str, bool]:
    """(pillar id, guessed?) for a group heading: a heading content/ already maps, else a guess."""
    if (hit := known.headings.get(loose(heading))) is not None:
        return hit, False
    words = fold(heading).lower()
    for needle, pillar in _PILLAR_WORDS:
        if needle in words and pillar in known.names:
            return pillar, True
    # The pillar whose name shares the most words with the heading.
    mine = set(words.split())
    ranked = sorted(known.names, key=lambda p: -len(mine & set(fold(known.names[p]).lower().split())))
    return (ranked[0] if ranked else ""), True


def _text(vi: str, memory: Memory, year: int | None = None) -> dict[str, str]:
    en = memory.translate(vi, year)
    return {"vi": vi, "en": en} if en else {"vi": vi}


def compose(
    parsed: Parsed, header: Header, memory: Memory, known: Pillars, *, city: str, plan_id: str,
    year: int, source_file: str, table_heading: str, footnote: str, registry: Registry,
) -> Draft:  # fmt: skip
    decision = dict(header.decision)
    if "place" in decision:
        decision["place"] = _text(decision["place"]["vi"], memory)
    if "signer" in decision:
        signer = decision["signer"]
        decision["signer"] = {"name": signer["name"], "capacity": _text(signer["capacity"]["vi"], memory)}
    if "legal_bases" in decision:
        decision["legal_bases"] = [_text(b["vi"], memory) for b in decision["legal_bases"]]
    if "articles" in decision:
        decision["articles"] = [
            {"marker": a["marker"], "text": _text(a["text"]["vi"], memory)} for a in decision["articles"]
        ]
    plan: dict[str, Any] = {"id": plan_id, "city": city, "year": year}
    if header.title:
        plan["title"] = _text(header.title, memory)
    plan["decision"] = decision
    plan["source"] = {"file": source_file}
    if header.purposes:
        plan["purposes"] = [{"marker": p["marker"], "text": _text(p["text"]["vi"], memory)} for p in header.purposes]
    if header.targets:
        plan["targets"] = [{"marker": p["marker"], "text": _text(p["text"]["vi"], memory)} for p in header.targets]
    if header.funding:
        plan["funding"] = _text(header.funding, memory)
    general = [d for d in header.duties if d["heading"]["vi"].lower().startswith("trách nhiệm chung")]
    for duty in general:  # Hai Phong IV.1: duties of every agency, not one agency's
        plan["general_duties"] = [
            {"marker": i["marker"], "text": _text(i["text"]["vi"], memory)} for i in duty["items"]
        ]
    if duties := [d for d in header.duties if d not in general]:
        plan["duties"] = [_duty(d, memory, registry) for d in duties]
    draft = Draft(plan, {})
    groups = []
    for group in parsed.groups:
        pillar, guessed = _pillar(group["heading"]["vi"], known)
        if guessed:
            draft.pillar_guesses.append((group["id"], pillar))
        groups.append({**group, "heading": _text(group["heading"]["vi"], memory), "pillar": pillar})
    plan["groups"] = groups
    task_list: dict[str, Any] = {}
    if table_heading:
        task_list["heading"] = _text(table_heading, memory)
    if footnote:
        task_list["footnote"] = _text(footnote, memory)
    if task_list:
        plan["task_list"] = task_list
    for task in parsed.tasks:
        record = {k: v for k, v in task.items() if not k.startswith("_")}
        # An empty cell stays empty (never invented text): `check` reports it for the maintainer to fill in.
        record["text"] = _text(task["text"]["vi"], memory) if task["text"]["vi"] else {"vi": ""}
        for name in ("lead", "coordinating"):
            if name in task:
                record[name] = {
                    "printed": _text(task[name]["printed"]["vi"], memory),
                    "agencies": task[name]["agencies"],
                }
        if "deadline" in task:
            phrase = task["deadline"]["text"]["vi"]
            record["deadline"] = {"text": _text(phrase, memory, year)}
            try:
                read_deadline(phrase, year)
            except UnreadableDeadline as error:
                draft.unread_deadlines.append((task["number"], phrase, str(error)))
        for name in ("output", "notes"):
            if name in task:
                record[name] = _text(task[name]["vi"], memory)
        draft.tasks.setdefault(task["group"] or "_", []).append(record)
    return draft


def _duty(duty: dict[str, Any], memory: Memory, registry: Registry) -> dict[str, Any]:
    """A duty block; its agencies are those its heading names ("Trách nhiệm của Sở Nội vụ")."""
    heading = duty["heading"]["vi"]
    named = re.sub(r"^trách nhiệm của\s+", "", heading, flags=re.IGNORECASE).rstrip(":")
    return {
        "marker": duty["marker"],
        "heading": _text(heading, memory),
        "agencies": registry.resolve(named).agencies,
        "items": [{"marker": i["marker"], "text": _text(i["text"]["vi"], memory)} for i in duty["items"]],
    }


def plan_year(plan_id: str, header: Header) -> int:
    """The plan's year: printed in its title, else in its id, else the year after the decision."""
    if header.year:
        return header.year
    if m := re.search(r"(\d{4})", plan_id):
        return int(m[1])
    signed = header.decision.get("date")
    return signed.year + 1 if signed else 2000
