"""What the search index knows about a task page: filters by id, display metadata, sort keys.

Pagefind folds tone marks but not đ, so `dat dai` would not find `đất đai`; each page also lists
its đ-words folded to d in a searchable metadata field that the finder never displays."""

from __future__ import annotations

import re
from typing import Any

from generator.base.slug import fold
from generator.content.deadlines import goes_on
from generator.content.labels import LABELS
from generator.content.model import Text
from generator.content.site import Site, TaskRef
from generator.pages.text import shorten

UNDATED_SORT_KEY = "9999-12-31"  # pages without a sort key would drop out of sorted results


def _text(text: Text | None, lang: str) -> str:
    if text is None:
        return ""
    chosen = text.en if lang == "en" and text.en else text.vi
    return " ".join(chosen.split())


def d_words(*texts: str) -> str:
    """The distinct words that contain đ/Đ, folded to ASCII: 'Đất đai' → 'dat dai'."""
    words: dict[str, None] = {}
    for text in texts:
        for word in re.findall(r"\w*[đĐ]\w*", text):
            words[fold(word).lower()] = None
    return " ".join(words)


def deadline_filters(ref: TaskRef) -> dict[str, list[str]]:
    """Quarter and month of the due date, or 'ongoing' / 'conditional' / 'none'."""
    deadline = ref.task.deadline
    if deadline is None:
        return {"quarter": ["none"], "month": ["none"]}
    if deadline.end is not None:
        end = deadline.end
        return {"quarter": [f"{end.year}-Q{(end.month - 1) // 3 + 1}"], "month": [f"{end.year}-{end.month:02d}"]}
    bucket = "ongoing" if goes_on(deadline.kind, [step.kind for step in deadline.milestones]) else "conditional"
    return {"quarter": [bucket], "month": [bucket]}


def number_key(plan_index: int, position: int) -> str:
    """The finder's "by number" sort key: the plan's place among the plans, then the task's place in its
    plan (printed tasks first, then those amendments added). Counted per plan, so that an edit of one plan
    (a task inserted) changes no other plan's pages, which the live preview then need not render again;
    digits of fixed width, so that it sorts alike as a number and as text."""
    return f"{plan_index:04d}{position:05d}"


def task_search_data(site: Site, ref: TaskRef, order: str, lang: str) -> dict[str, Any]:
    """The `search` front matter of a task page, rendered by theme/main.html into Pagefind attributes;
    `order`: its `number_key`."""
    task, plan = ref.task, ref.plan
    city = site.city_of(plan)

    def names(cell_name: str) -> list[Text]:
        cell = getattr(task, cell_name)
        return [site.agency(plan.city, a).agency.name for a in (cell.agencies if cell else [])]

    def keys(cell_name: str) -> list[str]:
        cell = getattr(task, cell_name)
        return [f"{plan.city}/{a}" for a in (cell.agencies if cell else [])]

    status = site.current_status(ref) or "none"
    # Everything the page shows in Vietnamese that a reader may type: its text, its sub-items, agencies.
    vietnamese = [task.text.vi, *(kid.task.text.vi for kid in site.children.get(ref.key, []))]
    vietnamese += [n.vi for n in names("lead") + names("coordinating")]
    if task.deadline:
        vietnamese.append(task.deadline.text.vi)
    return {
        "filters": {
            "city": [city.id],
            "pillar": [site.pillar_of(ref).id],
            "lead": keys("lead") or ["none"],
            "coordinating": keys("coordinating") or ["none"],
            **deadline_filters(ref),
            "budget": ["yes" if task.budget_funded else "no"],
            "status": [status],
        },
        "meta": {
            "city": _text(city.name, lang),
            "number": task.number,
            "text": shorten(_text(task.text, lang), 280),
            "lead": "; ".join(_text(n, lang) for n in names("lead")) or LABELS[lang]["none"],
            "deadline": _text(task.deadline.text, lang) if task.deadline else LABELS[lang]["no_deadline"],
            "fold": d_words(*vietnamese),
        },
        "sort": {
            "deadline": task.deadline.end.isoformat() if task.deadline and task.deadline.end else UNDATED_SORT_KEY,
            "number": order,
        },
    }
