"""The task, agency and amendment-log pages of the progress fixture, and the real plans' pages without reports.

Golden Markdown of the fixture's pages (regenerate with UPDATE_GOLDEN=1 and review the diff), an end-to-end
build that checks what a reader sees in the HTML, and the honesty checks on the two real plans.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.content.validate import load_content
from generator.pages.render import render

from .conftest import FIXTURES, ROOT, assert_golden, make_root

TODAY = dt.date(2021, 10, 20)
PAGES = [
    "ke-hoach/beta-2021/1-b/index.md",  # completed late
    "ke-hoach/beta-2021/1-c/index.md",  # deadline moved by 50/QĐ-UBND, completed on time
    "ke-hoach/beta-2021/2-a/index.md",  # never reported, deadline passed
    "ke-hoach/beta-2021/2-c/index.md",  # cancelled
    "ke-hoach/beta-2021/2-d/index.md",  # lead changed by 75/QĐ-UBND
    "ke-hoach/beta-2021/2-f/index.md",  # added by 50/QĐ-UBND
    "ke-hoach/beta-2021/dieu-chinh/index.md",
    "co-quan/beta/so-tu-phap/index.md",  # leads, coordinates, and has tasks through "Các sở, ban, ngành"
    "co-quan/beta/so-y-te/index.md",  # never reports
]


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    content, problems = load_content(FIXTURES / "progress")
    assert not problems
    return {lang: render(content, lang, TODAY) for lang in ("vi", "en")}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_progress_page_markdown(rendered: dict[str, dict[str, str]], page: str, lang: str) -> None:
    golden = FIXTURES.parent / "golden" / lang / ("progress__" + page.replace("/", "__"))
    assert_golden(golden, rendered[lang][page])


def test_a_task_added_by_an_amendment_has_a_page_that_says_so(rendered: dict[str, dict[str, str]]) -> None:
    for lang, words in (("vi", "bổ sung theo Quyết định số"), ("en", "decision")):
        page = rendered[lang]["ke-hoach/beta-2021/2-f/index.md"]
        assert words in page
        assert "50/QĐ-UBND" in page
    # Only the task an amendment added: the printed tasks keep their pages and nothing else appears.
    tasks = {p.split("/")[2] for p in rendered["vi"] if re.fullmatch(r"ke-hoach/beta-2021/[^/]+/index.md", p)}
    assert tasks == {
        "1-a",
        "1-b",
        "1-c",
        "1-d",
        "2-a",
        "2-b",
        "2-c",
        "2-d",
        "2-e",
        "2-f",
        "dieu-chinh",
        "tien-do",
        "van-ban-goc",
    }


@pytest.fixture(scope="module")
def real() -> dict[str, dict[str, str]]:
    content, _ = load_content(ROOT)
    return {lang: render(content, lang, TODAY) for lang in ("vi", "en")}


def test_the_real_plans_task_pages_keep_saying_no_report_yet(real: dict[str, dict[str, str]]) -> None:
    for lang, words in (("vi", "Chưa có báo cáo"), ("en", "No report yet")):
        tasks = [p for p in real[lang] if re.fullmatch(r"ke-hoach/(da-nang|hai-phong)-2021/\d[^/]*/index.md", p)]
        assert len(tasks) == 95 + 38
        for path in tasks:
            assert words in real[lang][path], path
            assert 'class="badge status"' not in real[lang][path], path
            assert "{#bao-cao}" not in real[lang][path], path
            assert "{#reports}" not in real[lang][path], path


def test_the_real_plans_amendment_logs_say_there_is_none(real: dict[str, dict[str, str]]) -> None:
    for plan in ("da-nang-2021", "hai-phong-2021"):
        assert "Chưa có quyết định nào điều chỉnh" in real["vi"][f"ke-hoach/{plan}/dieu-chinh/index.md"]
        assert "No decision has amended this plan" in real["en"][f"ke-hoach/{plan}/dieu-chinh/index.md"]
        assert 'href="dieu-chinh/"' in real["vi"][f"ke-hoach/{plan}/index.md"]


def test_da_nang_department_of_justice_lists_the_tasks_of_its_groups_apart(real: dict[str, dict[str, str]]) -> None:
    page = real["en"]["co-quan/da-nang/so-tu-phap/index.md"]
    through = re.search(r"## Tasks given to a group it belongs to \((\d+)\)", page)
    assert through is not None
    assert int(through.group(1)) >= 50
    assert "Member of" in page
    # Without reports the scorecard gives the task counts by role, and "no report yet", not zeros of progress.
    scorecard = page.split("{#progress}")[1]
    assert (
        f'<tr><th scope="row">Tasks given to a group it belongs to</th><td data-label="Tasks">{through.group(1)}</td>'
        in scorecard
    )
    assert "No report yet" in scorecard
    assert "On time" not in scorecard
    assert "Late" not in scorecard


# The built site: what a reader sees in the HTML.


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_root(tmp_path_factory.mktemp("progress-build"), FIXTURES / "progress")
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


def text_of(site: Path, url: str) -> str:
    """The visible text of a built page's article, tags dropped and spaces collapsed."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    return (
        " ".join(re.sub(r"<[^>]+>", " ", article).split())
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" :", ":")
        .replace(" ;", ";")
    )


def test_built_task_pages_show_status_lateness_and_amendments(built: Path) -> None:
    late = text_of(built, "en/ke-hoach/beta-2021/1-b")
    assert "Progress Completed Late – in the latest reports (2021-Q3, due 5 October 2021)" in late
    assert "Difficulties and obstacles Too few legal staff." in late
    assert "Completed on 10 May 2021" in late
    moved = text_of(built, "en/ke-hoach/beta-2021/1-c")
    assert "Q3 2021" in moved
    assert "As first set: June 2021" in moved
    assert "changed by decision 50/QĐ-UBND of 15 June 2021" in moved
    assert "Completed On time" in moved
    moved_vi = text_of(built, "ke-hoach/beta-2021/1-c")
    assert "Theo kế hoạch ban đầu: Tháng 6" in moved_vi
    assert "Quyết định số 50/QĐ-UBND ngày 15/06/2021" in moved_vi
    cancelled = text_of(built, "en/ke-hoach/beta-2021/2-c")
    assert "This task was cancelled by decision 50/QĐ-UBND of 15 June 2021. Reason:" in cancelled
    assert "Progress Cancelled" in cancelled
    assert "Passed" not in cancelled  # built after its Q4 deadline, but a cancelled task is never overdue
    never = text_of(built, "en/ke-hoach/beta-2021/2-a")
    assert "Not reported" in never
    assert "No agency reported on this task for this period" in never
    assert "No report yet" not in never.split("Progress reports")[0]  # other agencies did report: "not reported"
    reassigned = text_of(built, "en/ke-hoach/beta-2021/2-d")
    assert "As first set: Department of Finance; changed by decision 75/QĐ-UBND of 10 August 2021" in reassigned
    evidence = (built / "en/ke-hoach/beta-2021/1-a/index.html").read_text(encoding="utf-8")
    assert 'class="evidence"' in evidence


def test_built_added_task_and_amendment_log_exist_in_both_languages(built: Path) -> None:
    for prefix in ("", "en/"):
        added = text_of(built, prefix + "ke-hoach/beta-2021/2-f")
        assert "50/QĐ-UBND" in added
        log = text_of(built, prefix + "ke-hoach/beta-2021/dieu-chinh")
        assert "50/QĐ-UBND" in log
        assert "75/QĐ-UBND" in log
        assert "Trần Văn B" in log
        plan = (built / prefix / "ke-hoach/beta-2021/index.html").read_text(encoding="utf-8")
        assert 'href="dieu-chinh/"' in plan
    log = text_of(built, "en/ke-hoach/beta-2021/dieu-chinh")
    assert "Task 1.c: deadline revised: before June 2021, now Q3 2021" in log
    assert "Task 2.c: cancelled" in log
    assert "Task 2.f: added" in log
    assert "Task 2.d: lead agency changed: before Department of Finance, now Department of Home Affairs" in log


def test_built_agency_scorecard_counts_roles_apart(built: Path) -> None:
    justice = text_of(built, "en/co-quan/beta/so-tu-phap")
    assert "Tasks it leads (2)" in justice
    assert "Tasks it coordinates (1)" in justice
    assert "Tasks given to a group it belongs to (2)" in justice
    leads = justice.split("Tasks it leads Period", 1)[1].split("Tasks it coordinates", 1)[0]
    assert "Q3 report (2021-Q3) 2 Completed: 1; Dropped: 1 0 1" in leads  # 1.b completed late
    assert "Annual report (2021-Y) 2 No report yet" in leads
    group = justice.split("Tasks given to a group it belongs to Period", 1)[1]
    assert "Q3 report (2021-Q3) 2 Completed: 2 2 0" in group
    assert "Q1 report (2021-Q1) 2 April 2021 (7/BC-STP) 8 April 2021 Late" in justice
    health = text_of(built, "en/co-quan/beta/so-y-te")
    assert "Q1 report (2021-Q1) — Not sent" in health
