"""Golden Markdown for every page kind of the fixture site, in both languages, and escaping."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
from generator.content.history import Change, Commit, History, Revision
from generator.content.validate import load_content
from generator.pages.render import _relpath, render
from generator.pages.templating import COMPILED, relative

from .conftest import FIXTURES, assert_golden, make_root

TODAY = dt.date(2021, 6, 15)
PUBLISHED = Commit("a" * 40, dt.datetime(2021, 1, 10, 9, tzinfo=dt.UTC), "Publish the plan", None)
REPORTED = Commit("b" * 40, dt.datetime(2021, 5, 1, 9, tzinfo=dt.UTC), "Report <Q2>", "https://example.org/c/b")
HISTORY = History(
    [
        Revision(REPORTED, "alpha-2021", "2-a", "changed", (Change(("deadline", "text", "vi"), "Quý II", "Quý III"),)),
        Revision(PUBLISHED, "alpha-2021", "2-a", "added"),
        Revision(PUBLISHED, "alpha-2021", "1-b", "added"),
    ]
)
PAGES = [
    "index.md",
    "ke-hoach/index.md",
    "ke-hoach/alpha-2021/index.md",
    "ke-hoach/alpha-2021/1-b/index.md",
    "ke-hoach/alpha-2021/2-a/index.md",
    "ke-hoach/alpha-2021/van-ban-goc/index.md",
    "ke-hoach/alpha-2021/tien-do/index.md",
    "ke-hoach/alpha-2021/tien-do/2021-Q2/index.md",
    "linh-vuc/index.md",
    "linh-vuc/thu-tuc-hanh-chinh/index.md",
    "co-quan/index.md",
    "co-quan/alpha/so-noi-vu/index.md",
    "thoi-han/index.md",
    "du-lieu/index.md",
    "tra-cuu/index.md",
    "thay-doi/index.md",
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_markdown(page: str, lang: str) -> None:
    content, _ = load_content(FIXTURES / "mini")
    pages = render(content, lang, TODAY, HISTORY, {"alpha.txt": "Số: 1/QĐ-UBND\n"})
    golden = FIXTURES.parent / "golden" / lang / page.replace("/", "__")
    assert_golden(golden, pages[page])


def test_every_task_agency_and_pillar_has_a_page_in_both_languages() -> None:
    content, _ = load_content(FIXTURES / "mini")
    for lang in ("vi", "en"):
        pages = render(content, lang, TODAY)
        for task in content.plans[0].tasks:
            assert f"ke-hoach/alpha-2021/{task.id}/index.md" in pages
        for agency in content.cities[0].agencies:
            assert f"co-quan/alpha/{agency.id}/index.md" in pages
        for pillar in content.pillars:
            assert f"linh-vuc/{pillar.id}/index.md" in pages


PAYLOADS = [
    "<script>alert(1)</script>",
    "[link](http://evil.example)",
    "{{ 7*7 }} {% if x %}",
    "**bold** _em_ `code` # heading",
    '"><img src=x onerror=alert(1)>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_content_text_is_shown_as_text_never_interpreted(payload: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
    text = tasks.read_text(encoding="utf-8").replace(
        "text: {vi: Số hóa hồ sơ, en: Digitise dossiers}", f'text: {{vi: "Số {quoted}", en: "Digitise {quoted}"}}'
    )
    tasks.write_text(text, encoding="utf-8")
    content, _ = load_content(root)
    page = render(content, "en", TODAY)["ke-hoach/alpha-2021/2-b/index.md"]
    page = page.split("\n---\n", 1)[1]  # the front matter is checked in the built HTML (test_build)
    assert "<script>" not in page
    assert "<img" not in page
    assert "49" not in page


def test_relative_links_work_from_any_depth() -> None:
    assert relative("ke-hoach/a/1-a/", "co-quan/x/y/") == "../../../co-quan/x/y/"
    assert relative("", "ke-hoach/") == "ke-hoach/"
    assert relative("ke-hoach/", "") == "../"
    assert relative("co-quan/", "co-quan/#alpha") == "./#alpha"


def test_untranslated_text_shows_vietnamese_with_a_notice(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "broken" / "missing-english")
    content, problems = load_content(root)
    assert all(p.warning for p in problems)
    page = render(content, "en", TODAY)["ke-hoach/alpha-2021/1-a/index.md"]
    assert '<div lang="vi"><p>Kiểm tra</p></div><p class="untranslated">Not yet translated</p>' in page
    title_cell = render(content, "en", TODAY)["ke-hoach/alpha-2021/index.md"]
    assert '<span lang="vi">Kiểm tra</span> <em class="untranslated">(Not yet translated)</em>' in title_cell


def test_templates_compiled_for_one_language_render_the_other_alike() -> None:
    """The second language loads the code the first compiled (render.COMPILED): same pages as compiled afresh."""
    content, _ = load_content(FIXTURES / "mini")
    today = dt.date(2022, 1, 1)
    COMPILED.code.clear()
    fresh = render(content, "en", today)
    assert COMPILED.code  # the templates were stored
    render(content, "vi", today)
    reused = render(content, "en", today)
    assert reused == fresh


def test_relative_paths_are_those_of_posixpath() -> None:
    urls = ["", "ke-hoach/", "ke-hoach/a/", "ke-hoach/a/1-a/", "ke-hoach/ab/", "co-quan/x/y/", "a//b/", "a/./b/",
            "a/../b/", "tra-cuu/?pillar=x", "du-lieu/tasks.csv", "ke-hoach/a/1-a", "x"]  # fmt: skip
    for start in urls:
        for target in urls:
            assert _relpath(target, start) == posixpath.relpath("/" + target, "/" + start), (target, start)
