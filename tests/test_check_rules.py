"""`check`'s wording and its knowledge of the site: values shown as typed, reserved page names from the renderer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from generator.__main__ import main
from generator.content.load import Document
from generator.content.model import CalendarEntry, Evidence, Figure, Plan, ReportEntry, ReportFile, Task, Text
from generator.content.procedures import Procedure, TimeLimit
from generator.content.site import PLAN_PAGES, PLANS_URL, SECTIONS, reserved_names
from generator.content.validate import Checker, load_content
from generator.pages.render import render

from .conftest import make_root

# Every kind of value YAML can hand over, against every kind of field: each pydantic error kind occurs.
VALUES: list[Any] = [
    "x",
    "",
    "1e400",
    7,
    2.5,
    20210430,
    True,
    False,
    None,
    dt.date(2021, 4, 30),
    dt.datetime(2021, 4, 30, 10, 0),
    b"\x00",
    [1],
    {"a": 1},
    {1, 2},
    float("inf"),
    float("-inf"),
    float("nan"),
]
FIELDS: list[tuple[type[BaseModel], str]] = [
    (Task, "number"),  # text
    (Task, "id"),  # id pattern
    (Task, "group"),  # group pattern
    (Task, "budget_funded"),  # true/false
    (Task, "targets"),  # list of records
    (Task, "text"),  # record
    (Task, "lead"),  # optional record
    (Plan, "year"),  # whole number
    (Figure, "value"),  # finite number
    (Figure, "value_max"),  # optional finite number
    (Figure, "comparator"),  # one of a list
    (ReportFile, "date"),  # date
    (CalendarEntry, "period"),  # period pattern
    (ReportEntry, "status"),  # one of a list (report status)
    (Evidence, "url"),  # link pattern
    (Text, "vi"),  # non-empty text
    (Procedure, "related_tasks"),  # list of task keys
    (TimeLimit, "value"),  # optional finite number (procedures)
]
REPRS = re.compile(r"datetime\.|<class|\bNone\b|\bTrue\b|\bFalse\b|b'|\\x|Input should|(?<![.\w])(inf|nan)\b")


def messages(model: type[BaseModel], name: str, value: Any) -> list[str]:
    checker = Checker(Path("."))
    checker.parse(Document("f.yaml", {name: value}), model, {name: value}, ("r",))
    return [p.message for p in checker.problems if "missing required" not in p.message]


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_messages_show_values_as_yaml_never_as_python(model: type[BaseModel], name: str) -> None:
    found = [message for value in VALUES for message in messages(model, name, value)]
    assert found  # the field refuses something
    assert [m for m in found if REPRS.search(m)] == []


@pytest.mark.parametrize(
    ("model", "name", "value", "message"),
    [
        (Task, "budget_funded", dt.date(2021, 4, 30), "expected true or false, found a date 2021-04-30"),
        (Task, "budget_funded", None, "expected true or false, found nothing"),
        (Task, "id", True, "expected text, found true"),
        (Plan, "year", dt.datetime(2021, 4, 30, 10), "expected a whole number, found a date and time 2021-04-30 10:00:00"),
        (Figure, "comparator", None, "an empty value is not one of: 'at_least', 'at_most', 'exactly' or 'range'"),
        (Figure, "comparator", dt.date(2021, 1, 1), "2021-01-01 is not one of: 'at_least', 'at_most', 'exactly' or 'range'"),
        (Figure, "value", float("nan"), "expected a number, found .nan (not a number)"),
        (Figure, "value", float("inf"), "expected a finite number, found .inf (infinity)"),
        (Figure, "value", "1e400", "expected a finite number, found 1e400, too large to hold (it reads as infinity)"),
        (TimeLimit, "value", float("inf"), "expected a finite number, found .inf (infinity)"),
        (CalendarEntry, "period", "2021-Q5", "'2021-Q5' is not a valid period (a period is YYYY-Q1…Q4, YYYY-H1/H2 or YYYY-Y)"),
        (Evidence, "url", "www.x.vn", "'www.x.vn' is not a valid link (a web address starting with https:// or http://, without spaces)"),
        (Task, "group", "3.", "'3.' is not a valid group id (ASCII letters and digits only, e.g. '3' or 'VII')"),
        (Procedure, "related_tasks", ["3-d"], "'3-d' is not a valid task key ('<plan>/<task>', e.g. 'da-nang-2021/3-d')"),
    ],
)  # fmt: skip
def test_each_message_reads_as_the_maintainer_typed_it(
    model: type[BaseModel], name: str, value: Any, message: str
) -> None:
    assert messages(model, name, value) == [message]


def test_every_generated_page_lies_in_a_registered_section(tmp_path: Path) -> None:
    """The names `check` refuses for pages and task ids are the ones the renderer really writes."""
    content, _ = load_content(make_root(tmp_path))
    plans = {item.plan.id: {task.id for task in item.tasks} for item in content.plans}
    for lang in ("vi", "en"):
        for path in render(content, lang, dt.date(2021, 6, 1)):
            if path == "index.md":
                continue
            assert any(path.startswith(section) for section in SECTIONS), path
            parts = path.removeprefix(PLANS_URL).split("/")
            if path.startswith(PLANS_URL) and len(parts) == 3:  # ke-hoach/<plan>/<child>/index.md
                assert parts[1] in plans[parts[0]] or f"{parts[1]}/" in PLAN_PAGES, path


def test_a_page_or_task_that_would_overwrite_another_is_refused_whatever_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    for name in sorted(reserved_names()):
        (root / "content" / "pages" / f"{name}.vi.md").write_text("# x\n", encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    for name in reserved_names():
        assert f"content/pages/{name}.vi.md:1:1: a hand-written page named '{name}' would overwrite" in out
