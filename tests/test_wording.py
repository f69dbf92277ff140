"""The interface wording (generator/content/wording/<lang>.yaml): complete in both languages, read as typed, checked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from string import Formatter
from typing import Any

import pytest

from generator.__main__ import main
from generator.base.errors import Problem
from generator.content import labels
from generator.content.history import History
from generator.content.labels import FINDER, LANGUAGES, WORDING, read_wording
from generator.content.load import parse_text
from generator.content.model import Figure
from generator.content.procedures import TimeLimit
from generator.content.validate import load_content
from generator.pages.export import TASK_COLUMNS
from generator.pages.procedure_words import amount, limit_text
from generator.pages.render import Renderer
from generator.pages.templating import prose

from .conftest import ROOT

WORDING_FOLDER = ROOT / "generator" / "content" / "wording"


def leaves(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every text of a wording file."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, f"{where}[{i}]")
    else:
        yield where, node


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_the_wording_files_have_no_problem() -> None:
    assert labels.PROBLEMS == []


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    vi, en = (dict(leaves(WORDING[lang])) for lang in LANGUAGES)
    assert sorted(vi) == sorted(en)
    assert len(vi) > 200  # the whole wording, not an empty file read twice
    different = [f"{key}: {vi[key]!r} / {en[key]!r}" for key in vi if fields(vi[key]) != fields(en[key])]
    assert not different, "\n".join(different)
    # The names the code fills in are all used, and are all that is used (a stale entry would hide a typo).
    assert {name for text in vi.values() for name in fields(text)} == labels.PLACEHOLDERS


def test_no_empty_text() -> None:
    empty = [f"{lang}: {key}" for lang in LANGUAGES for key, text in leaves(WORDING[lang]) if not text.strip()]
    assert not empty


def test_values_are_read_as_typed() -> None:
    """content/'s rules: `yes:`, `no:` stay words (YAML 1.1 would make them booleans), every value a text."""
    assert FINDER["en"]["values"]["yes"] == "Yes"
    assert FINDER["vi"]["values"]["no"] == "Không"
    for lang in LANGUAGES:
        text = (WORDING_FOLDER / f"{lang}.yaml").read_text(encoding="utf-8")
        assert parse_text(text) == WORDING[lang]
        assert all(isinstance(value, str) for _, value in leaves(WORDING[lang]))


# Keys the templates build at run time: t["history_" ~ history.unavailable].
BUILT_KEYS = {"history_archive", "history_shallow"}


@pytest.mark.parametrize("section", ["labels", "procedures"])
def test_every_message_is_used(section: str) -> None:
    """A message no page shows would be translated and kept up to date for nothing."""
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ("generator/**/*.py", "generator/pages/templates/*.j2", "theme/**/*.html")
        for path in ROOT.glob(pattern)
    )
    unused = [
        key for key in WORDING["vi"][section] if key not in BUILT_KEYS and not re.search(rf"\b{re.escape(key)}\b", code)
    ]
    assert not unused


VI = """\
labels:
  plan: Kế hoạch
  more: "… và {n} mục khác"
  gone: Chỉ có ở đây
  day: Ngày {ngày}
months:
- Tháng 1
- Tháng 2
"""
EN = """\
labels:
  more: "… and {count} more"
  plan: ""
  extra: Only here
  broken: "{n more"
  day: Day {ngày}
months:
- January
"""


def problems_of(tmp_path: Path, vi: str, en: str) -> list[str]:
    folder = tmp_path / "generator" / "content" / "wording"
    folder.mkdir(parents=True)
    (folder / "vi.yaml").write_text(vi, encoding="utf-8")
    (folder / "en.yaml").write_text(en, encoding="utf-8")
    _, problems = read_wording(folder, tmp_path)
    return [p.format() for p in sorted(problems)]


def test_a_file_with_mistakes_gives_one_line_per_mistake(tmp_path: Path) -> None:
    hint_braces = "\n  hint: keep the words in braces as they are in the other language"
    assert problems_of(tmp_path, VI, EN) == [
        "generator/content/wording/en.yaml:1:1: labels: 'gone' is missing: vi.yaml has it\n  hint: add it, translated",
        "generator/content/wording/en.yaml:2:9: labels.more: placeholders differ from vi.yaml's: {n}"
        "\n  hint: keep the words in braces as they are",
        "generator/content/wording/en.yaml:2:9: labels.more: the site fills in no {count}" + hint_braces,
        "generator/content/wording/en.yaml:3:9: labels.plan: give a text: the site shows it",
        "generator/content/wording/en.yaml:4:3: labels: 'extra' is not in vi.yaml\n  hint: add it there too, or delete it",
        "generator/content/wording/en.yaml:5:3: labels: 'broken' is not in vi.yaml\n  hint: add it there too, or delete it",
        "generator/content/wording/en.yaml:5:11: labels.broken: unbalanced braces in '{n more'"
        "\n  hint: braces mark a word the site fills in, such as {n}; write it exactly as in the other language",
        "generator/content/wording/en.yaml:6:8: labels.day: the site fills in no {ngày}" + hint_braces,
        "generator/content/wording/en.yaml:8:1: months: 1 texts where vi.yaml has 2",
        "generator/content/wording/vi.yaml:5:8: labels.day: the site fills in no {ngày}" + hint_braces,
    ]


def test_an_unreadable_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "labels: [unclosed\n", "- a list\n")
    assert [line.split(": ", 1)[0] for line in found] == [
        "generator/content/wording/en.yaml:1:1",
        "generator/content/wording/vi.yaml:2:1",
    ]
    assert "YAML syntax error" in found[1]
    assert "must be a mapping of sections" in found[0]


def test_check_reports_a_wording_mistake_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mistake = Problem("generator/content/wording/en.yaml", 3, 9, "labels.plan", "give a text: the site shows it")
    monkeypatch.setattr("generator.content.validate.WORDING_PROBLEMS", [mistake])
    assert main(["check"]) == 1
    assert (
        "generator/content/wording/en.yaml:3:9: labels.plan: give a text: the site shows it" in capsys.readouterr().out
    )


@pytest.fixture(scope="module")
def renderers() -> dict[str, Renderer]:
    content, _ = load_content(ROOT)
    return {lang: Renderer(content, lang, dt.date(2021, 6, 1), History(), {}) for lang in LANGUAGES}


D1, D2 = dt.date(2021, 1, 2), dt.date(2021, 3, 4)


@pytest.mark.parametrize(
    ("kind", "start", "end", "vi", "en"),
    [
        ("ongoing", None, None, "Thường xuyên – không có hạn cố định", "Ongoing – no fixed due date"),
        ("recurring", None, None, "Định kỳ – không có hạn cố định", "Recurring – no fixed due date"),
        (
            "event",
            None,
            None,
            "Khi sự kiện nêu trên xảy ra – không có ngày cố định",
            "When the stated event happens – no fixed date",
        ),
        (
            "conditional",
            None,
            None,
            "Theo chỉ đạo hoặc yêu cầu – không có ngày cố định",
            "As directed or requested – no fixed date",
        ),
        ("by", None, D2, "Hạn chót 04/03/2021", "By 4 March 2021"),
        ("range", D1, D2, "Từ 02/01/2021 đến 04/03/2021", "From 2 January 2021 to 4 March 2021"),
    ],
)
def test_a_deadline_in_words(
    renderers: dict[str, Renderer], kind: str, start: dt.date | None, end: dt.date | None, vi: str, en: str
) -> None:
    assert [renderers[lang]._span(kind, start, end) for lang in LANGUAGES] == [vi, en]


@pytest.mark.parametrize(
    ("comparator", "value_max", "unit", "vi", "en"),
    [
        ("at_least", None, "%", "tối thiểu 50%", "at least 50%"),
        ("at_most", None, "xã", "tối đa 50 xã", "at most 50 xã"),
        ("exactly", None, "%", "50%", "50%"),
        ("range", 60.5, "%", "từ 50 đến 60.5%", "from 50 to 60.5%"),
    ],
)
def test_a_figure_in_words(
    renderers: dict[str, Renderer], comparator: str, value_max: float | None, unit: str, vi: str, en: str
) -> None:
    figure = Figure.model_construct(value=50.0, value_max=value_max, unit=unit, comparator=comparator)
    assert [renderers[lang].figure(figure) for lang in LANGUAGES] == [vi, en]


def test_periods_and_time_limits_in_words(renderers: dict[str, Renderer]) -> None:
    vi, en = (renderers[lang].env.filters for lang in LANGUAGES)
    assert (vi["month_name"]((2021, 4)), en["month_name"]((2021, 4))) == ("Tháng 4/2021", "April 2021")
    assert (vi["quarter_name"]((2021, 3)), en["quarter_name"]((2021, 3))) == ("Quý III/2021", "Q3 2021")
    assert [amount(n, "working_days", "en") for n in (1, 2, 0.5)] == [
        "1 working day",
        "2 working days",
        "0.5 working days",
    ]
    assert [amount(n, "hours", "vi") for n in (1, 24)] == ["1 giờ", "24 giờ"]
    assert limit_text(TimeLimit.model_construct(unit="immediately", value=None), "vi") == "ngay"
    assert limit_text(TimeLimit.model_construct(unit="none", value=None), "en") == "no statutory time limit"


def test_prose_escapes_markup_keeps_quotes_and_fills_placeholders() -> None:
    assert prose('Cities\' plans, "Passed" as of {date}', date="1 <b>") == 'Cities\' plans, "Passed" as of 1 &lt;b&gt;'
    assert prose("A & B <i>{n}</i>") == "A &amp; B &lt;i&gt;{n}&lt;/i&gt;"  # no values: braces stay as typed


# Sentences still written in a template, with the reason: both hold <code> markup, which a wording
# text cannot (it is shown as typed), and braces such as {vi, en} that are not placeholders.
IN_TEMPLATES = ("Trong các tệp CSV", "tasks.json có cùng nội dung")


def test_templates_keep_no_wording_of_their_own() -> None:
    """Page sentences live in the wording files: a template chooses no language for its words."""
    found = [
        f"{path.name}: {rest[:40]}"
        for path in sorted((ROOT / "generator" / "pages" / "templates").glob("*.j2"))
        for rest in path.read_text(encoding="utf-8").split('{% if lang == "vi" %}')[1:]
        if not rest.startswith(IN_TEMPLATES)
    ]
    assert not found


def test_every_column_of_tasks_csv_is_explained_in_order() -> None:
    for lang in LANGUAGES:
        assert tuple(WORDING[lang]["csv_columns"]) == TASK_COLUMNS
