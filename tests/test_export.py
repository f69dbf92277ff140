"""Open data: CSV cells that a spreadsheet would run as formulas are neutralised; JSON keeps the exact text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.content.model import Content, Text
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.export import files

from .conftest import ROOT, make_root

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|'/c calc'!A0"]


def csv_rows(data: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data[f"data/{name}"].decode("utf-8-sig"))))


def with_hostile_text(content: Content) -> Content:
    """The content with its first task's text, output, deadline and its city's first agency name made hostile."""
    item = content.plans[0]
    first = item.tasks[0]
    assert first.deadline is not None
    task = first.model_copy(
        update={
            "text": Text(vi=HOSTILE[0], en=HOSTILE[1]),
            "output": Text(vi=HOSTILE[2], en=HOSTILE[3]),
            "deadline": first.deadline.model_copy(update={"text": Text(vi=HOSTILE[4], en=HOSTILE[5])}),
        }
    )
    city = content.cities[0]
    agency = city.agencies[0].model_copy(update={"name": Text(vi=HOSTILE[6], en=HOSTILE[0])})
    return content.model_copy(
        update={
            "plans": (item.model_copy(update={"tasks": (task, *item.tasks[1:])}), *content.plans[1:]),
            "cities": (city.model_copy(update={"agencies": [agency, *city.agencies[1:]]}), *content.cities[1:]),
        }
    )


def test_formula_cells_are_quoted_in_csv_and_exact_in_json(tmp_path: Path) -> None:
    content, _ = load_content(make_root(tmp_path))
    data = files(Site(with_hostile_text(content)))
    task = csv_rows(data, "tasks.csv")[0]
    shown = {k: task[k] for k in ("title_vi", "title_en", "output_vi", "output_en", "deadline_vi", "deadline_en")}
    assert shown == {
        "title_vi": "'" + HOSTILE[0],
        "title_en": "'" + HOSTILE[1],
        "output_vi": "'" + HOSTILE[2],
        "output_en": "'" + HOSTILE[3],
        "deadline_vi": "'" + HOSTILE[4],
        "deadline_en": "'" + HOSTILE[5],
    }
    agency = csv_rows(data, "agencies.csv")[0]
    assert (agency["name_vi"], agency["name_en"]) == ("'" + HOSTILE[6], "'" + HOSTILE[0])
    for name in ("tasks.csv", "plans.csv", "agencies.csv"):
        for row in csv_rows(data, name):
            for cell in row.values():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    record = json.loads(data["data/tasks.json"])[0]
    assert (record["title"], record["output"]) == (
        {"vi": HOSTILE[0], "en": HOSTILE[1]},
        {"vi": HOSTILE[2], "en": HOSTILE[3]},
    )
    assert record["deadline"]["text"] == {"vi": HOSTILE[4], "en": HOSTILE[5]}
    assert json.loads(data["data/agencies.json"])[0]["name"] == {"vi": HOSTILE[6], "en": HOSTILE[0]}


@pytest.fixture(scope="module")
def real() -> tuple[Site, dict[str, bytes]]:
    content, _ = load_content(ROOT)
    site = Site(content)
    return site, files(site)


def test_real_bulleted_deadlines_read_as_text_in_csv(real: tuple[Site, dict[str, bytes]]) -> None:
    """The 14 real deadline cells that start with a printed bullet "- " get the quote in CSV, nowhere else."""
    site, data = real
    quoted = {
        (row["id"], column): value
        for row in csv_rows(data, "tasks.csv")
        for column, value in row.items()
        if value.startswith("'")
    }
    bulleted = ["1-k", "1-l", "3-a-1", "7-b", "7-c", "7-d", "7-dd"]
    assert sorted(quoted) == sorted((f"da-nang-2021/{t}", c) for t in bulleted for c in ("deadline_vi", "deadline_en"))
    by_key = {ref.key: ref.task for ref in site.tasks}
    for (key, column), value in quoted.items():
        deadline = by_key[key].deadline
        assert deadline is not None
        exact = deadline.text.vi if column == "deadline_vi" else deadline.text.en
        assert exact is not None
        assert exact.startswith("- ")
        assert value == "'" + exact
    records = {r["id"]: r for r in json.loads(data["data/tasks.json"])}
    for key, _ in quoted:
        assert records[key]["deadline"]["text"]["vi"].startswith("- ")  # JSON: the exact text
