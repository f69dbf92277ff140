"""Progress pages as readers see them: the progress fixture built end to end (period pages, their index, the
plan page's summary, the reform-area page side by side), and the real plans, which have no report yet."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.content.validate import load_content
from generator.pages.render import render

from .conftest import FIXTURES, ROOT, make_root

PLAN = "ke-hoach/beta-2021/"
PERIODS = ("2021-Q1", "2021-H1", "2021-Q3", "2021-Y")
# Tasks 1-a…1-d are in group 1 (direction and management), 2-a…2-f in group 2 (procedures): see
# tests/test_progress.py FIXTURE_STATES for each task's state. Columns: the statuses counted (the table
# shows a status counted in either area, 0 in the other), late, total.
TALLIES = {
    "2021-Q1": {
        "chi-dao-dieu-hanh": {"In progress": 3, "Completed": 1, "Late": 1, "Total": 4},
        "thu-tuc-hanh-chinh": {"Not started": 1, "In progress": 3, "Not reported": 1, "Late": 0, "Total": 5},
    },
    "2021-H1": {
        "chi-dao-dieu-hanh": {"In progress": 2, "Completed": 2, "Late": 1, "Total": 4},
        "thu-tuc-hanh-chinh": {
            "Not started": 2,
            "In progress": 1,
            "Suspended": 1,
            "Cancelled": 1,
            "Not reported": 1,
            "Late": 0,
            "Total": 6,
        },
    },
    "2021-Q3": {
        "chi-dao-dieu-hanh": {"In progress": 1, "Completed": 3, "Late": 1, "Total": 4},
        "thu-tuc-hanh-chinh": {
            "In progress": 2,
            "Completed": 1,
            "Dropped": 1,
            "Cancelled": 1,
            "Not reported": 1,
            "Late": 0,
            "Total": 6,
        },
    },
}


class Page(HTMLParser):
    """The parts of a built page the tests read: text, links, tables (header row and body rows) and SVGs."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.tables: list[list[list[tuple[str, str | None]]]] = []  # rows of (cell text, cell link)
        self.svgs: list[dict[str, str | None]] = []
        self._cell: list[str] | None = None
        self._link: str | None = None
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style", "title"):
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell, self._link = [], None
        elif tag == "a":
            self.links.append(found.get("href") or "")
            if self._cell is not None:
                self._link = found.get("href")
        elif tag == "svg":
            self.svgs.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append((" ".join("".join(self._cell).split()), self._link))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

    def table_with(self, header: str) -> list[dict[str, tuple[str, str | None]]]:
        """The body rows of the first table whose header row has `header`, as {column: (text, link)}."""
        for table in self.tables:
            head = [text for text, _ in table[0]] if table else []
            if header in head:
                return [dict(zip(head, row, strict=True)) for row in table[1:]]
        raise AssertionError(f"no table with a column {header!r}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_root(tmp_path_factory.mktemp("progress"), FIXTURES / "progress")
    out = root.parent / "site"
    assert main(["--root", str(root), "build", "--site", str(out)]) == 0
    return out


def page(site: Path, url: str, lang: str = "en") -> Page:
    prefix = "en/" if lang == "en" else ""
    return Page((site / prefix / url / "index.html").read_text(encoding="utf-8"))


def test_every_period_has_a_page_at_a_stable_address_in_both_languages(built: Path) -> None:
    for lang in ("", "en/"):
        for plan, periods in (("beta-2021", PERIODS), ("alpha-2021", ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"))):
            assert (built / lang / "ke-hoach" / plan / "tien-do/index.html").is_file()
            for period in periods:
                assert (built / lang / "ke-hoach" / plan / "tien-do" / period / "index.html").is_file()


@pytest.mark.parametrize("period", list(TALLIES))
def test_a_period_page_counts_each_reform_area_by_status(built: Path, period: str) -> None:
    shown = page(built, f"{PLAN}tien-do/{period}/")
    rows = shown.table_with("Reform area")
    found = {
        (row["Reform area"][1] or "").rstrip("/").rsplit("/", 1)[-1]: {
            column: int(text)
            for column, (text, _) in row.items()
            if column != "Reform area" and (text != "0" or column in ("Late", "Total"))
        }
        for row in rows
    }
    assert found == TALLIES[period]
    # The chart draws the same numbers: one bar per reform area, named with its counts for screen readers.
    bars = [svg for svg in shown.svgs if svg.get("role") == "img"]
    assert len(bars) == 2
    total = sum(area["Total"] for area in TALLIES[period].values())
    assert f"Of {total} tasks: " in shown.words


def test_a_period_page_sums_up_its_chart_in_one_sentence(built: Path) -> None:
    shown = page(built, f"{PLAN}tien-do/2021-Q3/")
    assert "Of 10 tasks: 3 in progress, 4 completed (1 late), 1 dropped, 1 cancelled, 1 not reported." in shown.words
    bars = [svg["aria-label"] for svg in shown.svgs if svg.get("role") == "img"]
    assert bars == [
        "Direction and management of administrative reform. Of 4 tasks: 1 in progress, 3 completed (1 late).",
        "Administrative procedure reform. Of 6 tasks: 2 in progress, 1 completed, 1 dropped, 1 cancelled,"
        " 1 not reported.",
    ]
    vi = page(built, f"{PLAN}tien-do/2021-Q3/", "vi")
    assert "Trong 10 nhiệm vụ: 3 đang thực hiện, 4 hoàn thành (1 trễ hạn), 1 dừng thực hiện, 1 hủy bỏ" in vi.words


@pytest.mark.parametrize("period", list(TALLIES))
def test_a_period_page_lists_the_late_tasks_with_links(built: Path, period: str) -> None:
    late = page(built, f"{PLAN}tien-do/{period}/").table_with("Reporting agency")
    assert [(row["No."], row["Reporting agency"][0]) for row in late] == [
        (("1.b", "../../1-b/"), "Department of Justice")
    ]


def test_a_period_page_says_who_reported_on_time_late_or_not_against_the_due_date(built: Path) -> None:
    shown = page(built, f"{PLAN}tien-do/2021-Q1/")
    assert "Reports due 5 April 2021" in shown.words
    rows = shown.table_with("As of")
    assert {row["Agency"][0]: (row["Status"][0], row["Received"][0]) for row in rows} == {
        "Department of Home Affairs": ("On time", "2 April 2021"),
        "Department of Finance": ("On time", "—"),  # no received date: its date, 1 April, counts
        "Department of Justice": ("Late", "8 April 2021"),  # received three days after the due date
        "Department of Health": ("Not reported", "—"),  # leads a task, never reports
    }
    assert "3 of 4 agencies have reported. Due: 5 April 2021." in shown.words
    vi = page(built, f"{PLAN}tien-do/2021-Q1/", "vi")
    assert {row["Cơ quan"][0]: row["Tình trạng"][0] for row in vi.table_with("Ngày nhận")}["Sở Y tế"] == "Chưa báo cáo"


def test_a_period_without_reports_says_so_and_draws_nothing(built: Path) -> None:
    shown = page(built, f"{PLAN}tien-do/2021-Y/")
    assert "No report for this period has been published on this site yet." in shown.words
    assert not [svg for svg in shown.svgs if svg.get("role") == "img"]
    assert "Not reported" not in shown.words  # nobody is blamed for a report the site has not got


def test_the_periods_index_opens_on_the_latest_period_with_reports(built: Path) -> None:
    shown = page(built, f"{PLAN}tien-do/")
    assert "Latest period with reports: Q3 report (2021-Q3)" in shown.words
    assert "2021-Q3/" in shown.links
    rows = shown.table_with("Reports due")
    assert [(row["Reporting period"], row["Reports due"][0], row["Agencies that reported"][0]) for row in rows] == [
        (("Q1 report (2021-Q1)", "2021-Q1/"), "5 April 2021", "3/4"),
        (("6-month report (2021-H1)", "2021-H1/"), "5 July 2021", "3/4"),
        (("Q3 report (2021-Q3)", "2021-Q3/"), "5 October 2021", "3/4"),
        (("Annual report (2021-Y)", "2021-Y/"), "15 December 2021", "0/4"),
    ]


def test_the_plan_page_sums_up_the_latest_period_and_links_to_it(built: Path) -> None:
    shown = page(built, PLAN)
    assert "Latest period with reports: Q3 report (2021-Q3). Of 10 tasks:" in shown.words
    assert "tien-do/2021-Q3/" in shown.links
    assert "tien-do/" in shown.links
    other = page(built, "ke-hoach/alpha-2021/")
    assert "No report has been published yet." in other.words
    assert "tien-do/" in other.links


def test_the_reform_area_page_shows_each_city_side_by_side(built: Path) -> None:
    shown = page(built, "linh-vuc/thu-tuc-hanh-chinh/")
    assert "Da Lat 2021 : No report has been published yet." in shown.words
    assert "Beta 2021 : Q3 report (2021-Q3). Of 6 tasks: 2 in progress, 1 completed" in shown.words
    rows = shown.table_with("City")
    assert [row["City"] for row in rows] == [
        ("Beta 2021: Q3 report (2021-Q3)", "../../ke-hoach/beta-2021/tien-do/2021-Q3/")
    ]
    assert rows[0]["Total"][0] == "6"


def test_the_real_plans_say_no_report_yet_with_their_calendars_due_dates() -> None:
    content, _ = load_content(ROOT)
    pages = render(content, "en", dt.date(2021, 12, 31))
    hai_phong = Page(pages["ke-hoach/hai-phong-2021/tien-do/index.md"])
    assert "No report has been published for this plan yet" in hai_phong.words
    dues = [row["Reports due"][0] for row in hai_phong.table_with("Reports due")]
    assert dues == ["5 March 2021", "5 June 2021", "5 September 2021", "5 November 2021"]
    da_nang = Page(pages["ke-hoach/da-nang-2021/tien-do/index.md"])
    assert "The plan sets no due date for its reports." in da_nang.words
    assert [row["Reporting period"][0] for row in da_nang.table_with("Reports due")] == [
        f"Q{q} 2021" for q in range(1, 5)
    ]
    for plan in ("hai-phong-2021", "da-nang-2021"):
        assert "No report has been published yet." in Page(pages[f"ke-hoach/{plan}/index.md"]).words
        for url, text in pages.items():
            if url.startswith(f"ke-hoach/{plan}/tien-do/20"):
                assert re.search(r'role="img"', text) is None, url  # no chart of reports that do not exist


def test_without_a_calendar_reports_are_just_reported_and_the_plan_sets_no_due_date(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "progress")
    plan = root / "content/plans/beta-2021"
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    start, end = text.index("reporting_calendar:"), text.index("groups:")
    (plan / "plan.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    for folder in ("2021-H1", "2021-Y"):  # not quarters: no such period without the calendar
        shutil.rmtree(plan / "reports" / folder, ignore_errors=True)
    content, problems = load_content(root)
    assert problems == []
    pages = render(content, "en", dt.date(2021, 12, 31))
    shown = Page(pages["ke-hoach/beta-2021/tien-do/2021-Q1/index.md"])
    assert "Reports due The plan sets no due date for this report." in shown.words
    statuses = {row["Agency"][0]: row["Status"][0] for row in shown.table_with("As of")}
    assert statuses == {
        "Department of Home Affairs": "Reported",
        "Department of Finance": "Reported",
        "Department of Justice": "Reported",  # received 8 April: no due date to be late against
        "Department of Health": "Not reported",
    }
    index = Page(pages["ke-hoach/beta-2021/tien-do/index.md"])
    assert "The plan sets no due date for its reports." in index.words
    assert [row["Reports due"][0] for row in index.table_with("Reports due")] == ["None set"] * 4


def test_the_plan_page_names_who_has_not_reported_and_who_reported_late(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "progress")
    received = root / "content/plans/beta-2021/reports/2021-Q3/so-tu-phap.yaml"
    text = received.read_text(encoding="utf-8")
    received.write_text(text.replace("date: 2021-09-30\n", "date: 2021-09-30\nreceived: 2021-10-09\n", 1), "utf-8")
    content, problems = load_content(root)
    assert problems == []
    shown = Page(render(content, "en", dt.date(2021, 12, 31))["ke-hoach/beta-2021/index.md"])
    assert "3 of 4 agencies have reported. Due: 5 October 2021." in shown.words
    assert "Not reported: Department of Health" in shown.words
    assert "Reported late: Department of Justice" in shown.words
