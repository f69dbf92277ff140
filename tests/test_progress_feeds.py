"""Progress in the history, the feeds and the calendars: status changes replayed from the reports' git history,
the what's-new page in words in both languages, Atom entries, and deadlines as amended in the iCalendar feeds."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar

from generator.content.history import Commit, History, _entries_in, _Reports, read_history
from generator.content.progress import lead_agencies
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.render import render
from generator.publish.feeds import feed_files
from generator.publish.ics import calendar_files

from .conftest import FIXTURES, make_root
from .test_history import commit, git

ATOM = "{http://www.w3.org/2005/Atom}"
MOMENT = dt.datetime(2021, 10, 10, 9, tzinfo=dt.UTC)
REPORTS = Path("content/plans/beta-2021/reports")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The progress fixture in git: published without reports, then the Q1 reports, then the H1 reports, then a
    Q3 report that cannot be read, then the Q3 reports as they are."""
    tmp = tmp_path_factory.mktemp("progress-history")
    root = make_root(tmp, FIXTURES / "progress")
    kept = tmp / "reports"
    shutil.move(root / REPORTS, kept)
    git(root, "init", "-q", "-b", "main")
    commit(root, "Publish the plan", "2021-01-10T09:00:00+07:00")
    shutil.copytree(kept / "2021-Q1", root / REPORTS / "2021-Q1")
    commit(root, "Q1 reports", "2021-04-09T09:00:00+07:00")
    shutil.copytree(kept / "2021-H1", root / REPORTS / "2021-H1")
    commit(root, "H1 reports", "2021-07-07T09:00:00+07:00")
    (root / REPORTS / "2021-Q3").mkdir()
    (root / REPORTS / "2021-Q3/so-tu-phap.yaml").write_text("entries: [\n", encoding="utf-8")
    commit(root, "Q3: half a file", "2021-10-05T09:00:00+07:00")
    shutil.copytree(kept / "2021-Q3", root / REPORTS / "2021-Q3", dirs_exist_ok=True)
    commit(root, "Q3 reports", "2021-10-06T09:00:00+07:00")
    return root


@pytest.fixture(scope="module")
def history(repo: Path) -> History:
    content, _ = load_content(repo)
    return read_history(repo, lead_agencies(content))


@pytest.fixture(scope="module")
def site(repo: Path) -> Site:
    content, _ = load_content(repo)
    return Site(content)


def changes_of(history: History, subject: str) -> list[tuple[str, str | None, str, str, str]]:
    return [
        (c.task, c.before, c.after, c.period, c.agency) for c in history.status_changes if c.commit.subject == subject
    ]


def test_report_history_gives_each_status_change_once(history: History) -> None:
    assert changes_of(history, "H1 reports") == [
        ("1-b", "in_progress", "completed", "2021-H1", "so-tu-phap"),
        ("2-b", "not_started", "suspended", "2021-H1", "so-tu-phap"),
        # 2-d's lead is Sở Nội vụ now (amendment of 2021-08-10), which did not report in H1: the
        # latest-dated report speaks, Sở Tài chính's of 2021-07-01.
        ("2-d", "in_progress", "not_started", "2021-H1", "so-tai-chinh"),
        ("2-f", None, "not_started", "2021-H1", "so-noi-vu"),  # added by an amendment, first reported
    ]
    first = changes_of(history, "Q1 reports")
    assert ("1-a", None, "completed", "2021-Q1", "so-noi-vu") in first
    assert all(before is None for _, before, *_ in first)
    assert "2-a" not in {task for task, *_ in first}  # nobody reported on it: no status, no change
    # Newest commit first: Q3 before H1 before Q1.
    subjects = list(dict.fromkeys(c.commit.subject for c in history.status_changes))
    assert subjects == ["Q3 reports", "H1 reports", "Q1 reports"]


def test_an_unreadable_past_report_is_skipped_and_named(history: History) -> None:
    assert [(u.commit.subject, u.file) for u in history.unreadable] == [
        ("Q3: half a file", "content/plans/beta-2021/reports/2021-Q3/so-tu-phap.yaml")
    ]
    assert changes_of(history, "Q3: half a file") == []
    q3 = changes_of(history, "Q3 reports")
    assert ("2-b", "suspended", "dropped", "2021-Q3", "so-tu-phap") in q3
    # 2-d's new lead reported in Q3: its entry speaks, not the former lead's.
    assert ("2-d", "not_started", "in_progress", "2021-Q3", "so-noi-vu") in q3


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("vi", "Nhiệm vụ 1.b: Đang thực hiện → Hoàn thành (báo cáo của Sở Tư pháp, kỳ 2021-H1)"),
        ("en", "Task 1.b: In progress → Completed (reported by Department of Justice, period 2021-H1)"),
    ],
)
def test_whats_new_shows_status_changes_in_words(repo: Path, history: History, lang: str, line: str) -> None:
    content, _ = load_content(repo)
    page = re.sub("<[^>]+>", "", render(content, lang, MOMENT.date(), history)["thay-doi/index.md"])  # words only
    assert line in page
    # A task an amendment added (named, linked once it has a page).
    added = (
        "Bê-ta 2021 – Nhiệm vụ 2.f: Chưa báo cáo → Chưa bắt đầu"
        if lang == "vi"
        else "Beta 2021 – Task 2.f: Not reported → Not started"
    )
    assert added in page


def test_feeds_are_well_formed_with_status_change_entries(site: Site, history: History) -> None:
    feeds = feed_files(site, history, MOMENT, "https://example.org/")
    for path in ("ke-hoach/beta-2021/atom.xml", "thay-doi/atom.xml", "en/ke-hoach/beta-2021/atom.xml"):
        root = ET.fromstring(feeds[path])  # well-formed XML
        titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
        completed = "Hoàn thành" if not path.startswith("en/") else "Completed"
        assert any(
            t and t.endswith(f"1.b: {'Đang thực hiện' if completed != 'Completed' else 'In progress'} → {completed}")
            for t in titles
        ), titles
        ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
        assert len(ids) == len(set(ids))
        updated = [e.findtext(f"{ATOM}updated") or "" for e in root.iter(f"{ATOM}entry")]
        assert updated == sorted(updated, reverse=True)  # newest first, task and status entries together
    alpha = ET.fromstring(feeds["ke-hoach/alpha-2021/atom.xml"])
    assert not any("→" in (e.findtext(f"{ATOM}title") or "") for e in alpha.iter(f"{ATOM}entry"))


def events(data: bytes) -> dict[str, tuple[dt.date, int]]:
    """Each event's task number (from its summary) with its date and sequence."""
    found = {}
    for event in Calendar.from_ical(data).walk("VEVENT"):
        number = str(event["SUMMARY"]).split(":")[0].split()[-1]
        found[number] = (event.decoded("DTSTART"), int(event.get("SEQUENCE", 0)))
    return found


def test_calendars_carry_current_deadlines(site: Site) -> None:
    calendars = calendar_files(site, MOMENT, None)
    plan = events(calendars["ke-hoach/beta-2021/thoi-han.ics"])
    assert plan["1.c"] == (dt.date(2021, 9, 30), 1)  # June moved to Q3 by decision 50/QĐ-UBND: moved, revised once
    assert plan["1.a"][1] == 0
    assert "2.c" not in plan  # cancelled by the same decision: no event
    assert plan["2.f"][0] == dt.date(2021, 12, 31)  # added by it: an event at its deadline
    english = Calendar.from_ical(calendars["en/ke-hoach/beta-2021/thoi-han.ics"]).walk("VEVENT")
    description = next(str(e["DESCRIPTION"]) for e in english if "1.c" in str(e["SUMMARY"]))
    assert "Deadline revised by decision 50/QĐ-UBND of 2021-06-15; originally: June 2021" in description
    # 2-d was moved from Sở Tài chính to Sở Nội vụ: its event follows the agencies now named.
    assert "2.d" in events(calendars["co-quan/beta/so-noi-vu/thoi-han.ics"])
    assert "2.d" not in events(calendars["co-quan/beta/so-tai-chinh/thoi-han.ics"])
    assert "2.c" not in events(calendars["co-quan/beta/so-noi-vu/thoi-han.ics"])


def test_the_latest_period_speaks_a_year_after_its_third_quarter() -> None:
    """Periods go by their last day: the annual report (2021-Y, from January) is later than 2021-Q3."""
    reports = _Reports({})
    first = Commit("1" * 40, dt.datetime(2021, 10, 6, tzinfo=dt.UTC), "Q3", None)
    second = Commit("2" * 40, dt.datetime(2021, 11, 6, tzinfo=dt.UTC), "Y", None)
    folder = "content/plans/beta-2021/reports"
    assert reports.read(
        f"{folder}/2021-Q3/so-noi-vu.yaml",
        _entries_in(b"date: 2021-09-30\nentries:\n- {task: 1-a, status: in_progress}\n"),
    )
    reports.commit(first)
    assert reports.read(
        f"{folder}/2021-Y/so-noi-vu.yaml",
        _entries_in(b"date: 2021-11-04\nentries:\n- {task: 1-a, status: completed}\n"),
    )
    reports.commit(second)
    assert [(c.commit.subject, c.before, c.after, c.period) for batch in reports.changes for c in batch] == [
        ("Q3", None, "in_progress", "2021-Q3"),
        ("Y", "in_progress", "completed", "2021-Y"),
    ]
