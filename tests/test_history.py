"""History from git: field-by-field changes on task pages, what's new, Atom and iCalendar feeds."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from generator.content.history import Change, _tasks_in, read_history
from generator.pages.changelog import describe
from generator.publish.build import build_site
from generator.publish.publication import build_time

from .conftest import CI_VARIABLES, ROOT, make_root

ATOM = "{http://www.w3.org/2005/Atom}"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=GIT_ENV).stdout


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Biên tập viên",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Biên tập viên",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "PATH": "/usr/bin:/bin",
}


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=root,
        check=True,
        env={**GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
    )


TASKS = Path("content/plans/alpha-2021/tasks/1.yaml")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture with three commits: publish, move a deadline and report progress, drop a task."""
    root = make_root(tmp_path_factory.mktemp("history"))
    git(root, "init", "-q", "-b", "main")
    git(root, "remote", "add", "origin", "git@github.com:city/plans.git")
    commit(root, "Publish the plan", "2021-01-10T09:00:00+07:00")
    text = (root / TASKS).read_text(encoding="utf-8")
    text = text.replace("text: {vi: Trước 30/4, en: By 30 April 2021}", "text: {vi: Quý III/2021, en: Q3 2021}")
    text = text.replace(
        "  deadline:\n    text: {vi: Quý III/2021, en: Q3 2021}\n",
        "  deadline:\n    text: {vi: Quý III/2021, en: Q3 2021}\n"
        "  output: {vi: Đã đánh giá 20 sở., en: 20 departments assessed.}\n",
        1,
    )
    (root / TASKS).write_text(text, encoding="utf-8")
    commit(root, "Q2 report; deadline moved", "2021-07-06T10:00:00+07:00")
    text = text.replace("text: {vi: Quý III/2021, en: Q3 2021}", "text: {vi: Quý IV/2021, en: Q4 2021}")
    (root / TASKS).write_text(text, encoding="utf-8")
    commit(root, "Deadline moved again <b>&</b>", "2021-10-01T08:00:00+07:00")
    return root


def test_history_is_field_by_field_and_newest_first(repo: Path) -> None:
    history = read_history(repo)
    assert history.unavailable is None
    revisions = history.of_task("alpha-2021/1-a")
    assert [r.commit.subject for r in revisions] == [
        "Deadline moved again <b>&</b>",
        "Q2 report; deadline moved",
        "Publish the plan",
    ]
    assert [r.kind for r in revisions] == ["changed", "changed", "added"]
    assert revisions[0].changes == (
        Change(("deadline", "text", "vi"), "Quý III/2021", "Quý IV/2021"),
        Change(("deadline", "text", "en"), "Q3 2021", "Q4 2021"),
    )
    moved, report = revisions[1].changes[0], revisions[1].changes[2]
    assert describe(moved, "vi").field == "Thời hạn (tiếng Việt)"
    assert (describe(moved, "vi").before, describe(moved, "vi").after) == ("Trước 30/4", "Quý III/2021")
    added = describe(report, "en")  # a whole text added is one change, not one per language
    assert (added.field, added.before, added.after) == ("Output", None, "20 departments assessed.")
    # Past values are read as typed; the page writes a date and a yes/no as the task page does.
    report_date = Change(("deadline", "end"), "2021-07-05", "2021-07-15")
    assert (describe(report_date, "vi").before, describe(report_date, "en").after) == ("05/07/2021", "2021-07-15")
    flag = describe(Change(("budget_funded",), "false", "true"), "vi")
    assert (flag.before, flag.after) == ("không", "có")
    assert revisions[0].commit.url == f"https://github.com/city/plans/commit/{revisions[0].commit.sha}"
    assert history.last_changed("alpha-2021/1-a").isoformat() == "2021-10-01"
    assert history.last_changed("alpha-2021/2-a").isoformat() == "2021-01-10"  # untouched since publication


@pytest.fixture(scope="module")
def built(repo: Path) -> Path:
    site = repo / "site"
    build_site(repo, site, search=False)
    return site


def page_text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_task_page_shows_last_change_and_history(built: Path) -> None:
    vi = page_text(built / "ke-hoach/alpha-2021/1-a/index.html")
    assert "Cập nhật lần cuối 01/10/2021" in vi
    assert "Thời hạn (tiếng Việt) : Quý III/2021 → Quý IV/2021" in vi
    assert "Sản phẩm : thêm: Đã đánh giá 20 sở." in vi
    assert "Deadline moved again &lt;b&gt;&amp;&lt;/b&gt;" in vi  # a commit message is text, never markup
    en = page_text(built / "en/ke-hoach/alpha-2021/1-a/index.html")
    assert "Deadline (English) : Q3 2021 → Q4 2021" in en
    assert "Output : added: 20 departments assessed." in en
    html = (built / "ke-hoach/alpha-2021/1-a/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/city/plans/commit/' in html


def test_whats_new_lists_changes_newest_first(built: Path) -> None:
    text = page_text(built / "thay-doi/index.html")
    assert text.index("Deadline moved again") < text.index("Q2 report") < text.index("Publish the plan")
    assert "Nhiệm vụ được đưa lên trang: 5" in text  # the first commit published the five tasks


def test_atom_feeds(built: Path) -> None:
    for path, entries in (
        ("thay-doi/atom.xml", 7),  # 5 tasks published + 2 changes
        ("en/thay-doi/atom.xml", 7),
        ("ke-hoach/alpha-2021/atom.xml", 7),
        ("co-quan/alpha/so-noi-vu/atom.xml", 4),  # it leads 1.a (3 revisions) and 1.b.1
        ("co-quan/alpha/so-tu-phap/atom.xml", 1),
    ):
        feed = ET.parse(built / path).getroot()
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert feed.find(ATOM + required) is not None, (path, required)
        found = feed.findall(ATOM + "entry")
        assert len(found) == entries, path
        for entry in found:
            for required in ("id", "title", "updated", "content"):
                assert entry.find(ATOM + required) is not None
        ids = [e.findtext(ATOM + "id") for e in found]
        assert len(set(ids)) == len(ids)
    newest = ET.parse(built / "thay-doi/atom.xml").getroot().find(ATOM + "entry")
    assert newest is not None
    assert newest.findtext(ATOM + "updated") == "2021-10-01T01:00:00Z"
    link = newest.find(ATOM + "link")
    assert link is not None
    assert (built / "thay-doi" / link.get("href", "") / "index.html").resolve().exists()
    assert "Quý IV/2021" in (newest.findtext(ATOM + "content") or "")


def unfold(ics: bytes) -> list[str]:
    assert b"\n" not in ics.replace(b"\r\n", b""), "every line ends in CRLF"
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75, line
    return ics.decode().replace("\r\n ", "").split("\r\n")[:-1]


def test_calendars_hold_dated_deadlines(built: Path) -> None:
    lines = unfold((built / "ke-hoach/alpha-2021/thoi-han.ics").read_bytes())
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    starts = [line for line in lines if line.startswith("DTSTART")]
    # 1.a is due at the end of Q4 2021; 2.b has two dated steps (Feb 2021, Q4 2021); the rest are undated.
    assert sorted(starts) == [
        "DTSTART;VALUE=DATE:20210228",
        "DTSTART;VALUE=DATE:20211231",
        "DTSTART;VALUE=DATE:20211231",
    ]
    summary = next(line for line in lines if line.startswith("SUMMARY:Nhiệm vụ 1.a"))
    assert summary == "SUMMARY:Nhiệm vụ 1.a: Đánh giá\\, xếp hạng kết quả cải cách hành chính."
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)
    en = unfold((built / "en/co-quan/alpha/so-noi-vu/thoi-han.ics").read_bytes())
    assert "SUMMARY:Task 1.a: Assess and rank administrative reform results." in en


def test_every_calendar_reads_back_with_icalendar(built: Path, repo: Path) -> None:
    """Every built .ics parses, holds all-day events stamped with the build time, and writes back byte for byte."""
    calendars = sorted(built.rglob("*.ics"))
    assert len(calendars) > 4
    events: dict[str, list[Event]] = {}
    moment = build_time(repo)
    for path in calendars:
        data = path.read_bytes()
        calendar = Calendar.from_ical(data)
        assert calendar.to_ical(sorted=False) == data, path  # nothing is lost or changed in reading
        assert (calendar["VERSION"], calendar["METHOD"]) == ("2.0", "PUBLISH")
        assert str(calendar["X-WR-CALNAME"]).startswith(("Thời hạn – ", "Deadlines – ")), path
        events[path.relative_to(built).as_posix()] = found = list(calendar.events)
        assert len({str(e["UID"]) for e in found}) == len(found), path
        for event in found:
            assert type(event.start) is dt.date, path  # an all-day event, not a moment
            assert event.end == event.start + dt.timedelta(days=1)
            assert event["DTSTAMP"].dt == moment
            assert str(event["TRANSP"]) == "TRANSPARENT"
    plan = events["ke-hoach/alpha-2021/thoi-han.ics"]
    assert sorted((e.start, str(e["SUMMARY"])) for e in plan) == [
        (dt.date(2021, 2, 28), "Nhiệm vụ 2.b (Triển khai): Số hóa hồ sơ"),
        (dt.date(2021, 12, 31), "Nhiệm vụ 1.a: Đánh giá, xếp hạng kết quả cải cách hành chính."),
        (dt.date(2021, 12, 31), "Nhiệm vụ 2.b (Hoàn thành): Số hóa hồ sơ"),
    ]
    first = next(e for e in plan if str(e["SUMMARY"]).startswith("Nhiệm vụ 1.a"))
    assert str(first["DESCRIPTION"]) == (
        "Thời hạn ghi trong kế hoạch: Quý IV/2021\nCơ quan chủ trì: Sở Nội vụ\n"
        "Đánh giá, xếp hạng kết quả cải cách hành chính."
    )
    # The same event keeps its UID in the agency's calendar and in the English one: a calendar app updates it.
    uids = {str(e["UID"]) for e in plan}
    assert uids == {str(e["UID"]) for e in events["en/ke-hoach/alpha-2021/thoi-han.ics"]}
    assert str(first["UID"]) in {str(e["UID"]) for e in events["co-quan/alpha/so-noi-vu/thoi-han.ics"]}


def test_pages_link_their_feeds(built: Path) -> None:
    for page in ("ke-hoach/alpha-2021/index.html", "co-quan/alpha/so-noi-vu/index.html"):
        html = (built / page).read_text(encoding="utf-8")
        assert 'href="atom.xml"' in html
        assert 'href="thoi-han.ics"' in html
        assert 'type="application/atom+xml"' in html


@pytest.mark.parametrize("copy", ["shallow", "archive"])
def test_copy_without_history_still_builds_and_says_so(repo: Path, tmp_path: Path, copy: str) -> None:
    target = tmp_path / "copy"
    if copy == "shallow":
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(target)], check=True, env=GIT_ENV)
        expected = "bản sao git nông"
    else:
        shutil.copytree(repo, target, ignore=shutil.ignore_patterns(".git", "site"))
        expected = "không kèm lịch sử git"
    assert read_history(target).unavailable == copy
    build_site(target, target / "site", search=False)
    text = page_text(target / "site/ke-hoach/alpha-2021/1-a/index.html")
    assert expected in text
    assert "Cập nhật lần cuối không rõ" in text
    feed = ET.parse(target / "site/thay-doi/atom.xml").getroot()
    assert feed.findall(ATOM + "entry") == []


# Past commits holding what `check` refuses today, each fixed by the next commit.
DEEP = "[" * 50_000 + "]" * 50_000
BOMB = "\n".join(
    ["  notes:", "    - &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"    - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
)
BAD_COMMITS = {
    "A Python tag": "  notes: !!python/object/apply:os.system [echo]\n",
    "A 50,000-deep list": f"  notes: {DEEP}\n",
    "An alias bomb": BOMB + "\n",
}


HUGE_LIST, HUGE_TARGETS = 20_000, 200


@pytest.fixture(scope="module")
def broken_past(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Publish; three times a commit that cannot be read and one that fixes it; then a commit of huge lists."""
    root = make_root(tmp_path_factory.mktemp("broken-past"))
    git(root, "init", "-q", "-b", "main")
    commit(root, "Publish the plan", "2021-01-10T09:00:00+07:00")
    good = (root / TASKS).read_text(encoding="utf-8")
    first_task_end = good.index("- id: 1-b")
    deadlines = ["Trước 30/4", "Trước 31/5", "Trước 30/6", "Trước 31/7"]
    for month, (subject, bad) in enumerate(BAD_COMMITS.items(), start=2):
        current = good.replace(deadlines[0], deadlines[month - 2], 1)
        (root / TASKS).write_text(current[:first_task_end] + bad + current[first_task_end:], encoding="utf-8")
        commit(root, subject, f"2021-0{month}-10T09:00:00+07:00")
        (root / TASKS).write_text(good.replace(deadlines[0], deadlines[month - 1], 1), encoding="utf-8")
        commit(root, f"Fixed: {subject}", f"2021-0{month}-11T09:00:00+07:00")
    # A readable commit whose changes are huge: 20,000 lead agencies and 200 more targets on 1.b.1.
    huge = (root / TASKS).read_text(encoding="utf-8")
    agencies = ", ".join(f"co-quan-{i}" for i in range(HUGE_LIST))
    targets = "".join(
        f"    - {{value: {i}, unit: '%', comparator: at_least, measure: {{vi: Chỉ tiêu {i}, en: Target {i}}}}}\n"
        for i in range(HUGE_TARGETS)
    )
    huge = huge.replace(
        "    agencies: [so-noi-vu]\n  deadline:\n    text: {vi: Thường xuyên",
        f"    agencies: [{agencies}]\n  deadline:\n    text: {{vi: Thường xuyên",
        1,
    )
    huge = huge.replace(
        "measure: {vi: Tỉ lệ sở được kiểm tra, en: Share of departments inspected}}\n",
        "measure: {vi: Tỉ lệ sở được kiểm tra, en: Share of departments inspected}}\n" + targets,
        1,
    )
    assert agencies in huge
    assert targets in huge
    (root / TASKS).write_text(huge, encoding="utf-8")
    commit(root, "Huge lists", "2021-05-10T09:00:00+07:00")
    (root / TASKS).write_text(good.replace(deadlines[0], deadlines[-1], 1), encoding="utf-8")
    commit(root, "Back to one agency", "2021-05-11T09:00:00+07:00")
    # A whole build, in its own process: a crash (segfault, recursion) or a hang must fail this test only.
    environment = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "build", "--no-search"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    return root


def test_an_impossible_past_date_is_shown_as_typed() -> None:
    """A past commit may hold a date that `check` refuses today: the history keeps it as the text typed."""
    tasks = _tasks_in(b"- id: 1-a\n  deadline:\n    text: {vi: Thang 2}\n    end: 2021-02-31\n")
    assert tasks == {"1-a": {"id": "1-a", "deadline": {"text": {"vi": "Thang 2"}, "end": "2021-02-31"}}}


def test_unreadable_past_commits_are_skipped_and_named(broken_past: Path) -> None:
    history = read_history(broken_past)
    assert [(u.commit.subject, u.file) for u in history.unreadable] == [
        (subject, str(TASKS)) for subject in reversed(BAD_COMMITS)
    ]
    # Each fix is compared with the last readable version: only the deadline moved, one month each time.
    revisions = history.of_task("alpha-2021/1-a")
    assert [(r.commit.subject, r.kind) for r in revisions] == [
        *((f"Fixed: {subject}", "changed") for subject in reversed(BAD_COMMITS)),
        ("Publish the plan", "added"),
    ]
    assert [r.changes for r in revisions[:-1]] == [
        (Change(("deadline", "text", "vi"), before, after),)
        for before, after in (("Trước 30/6", "Trước 31/7"), ("Trước 31/5", "Trước 30/6"), ("Trước 30/4", "Trước 31/5"))
    ]


def test_whats_new_says_which_commits_could_not_be_read(broken_past: Path) -> None:
    history = read_history(broken_past)
    vi = page_text(broken_past / "site/thay-doi/index.html")
    en = page_text(broken_past / "site/en/thay-doi/index.html")
    for unreadable in history.unreadable:
        sha, subject, day = unreadable.commit.sha[:7], unreadable.commit.subject, unreadable.commit.date
        assert (
            f"Lần thay đổi {sha} ({day:%d/%m/%Y}, {subject}): không đọc được tệp {TASKS}; "
            "các thay đổi trong tệp không được liệt kê theo từng trường." in vi
        )
        assert (
            f"Change {sha} ({day.day} {day:%B %Y}, {subject}): {TASKS} could not be read; "
            "its changes are not listed field by field." in en
        )
    assert "Thời hạn (tiếng Việt) : Trước 30/6 → Trước 31/7" in vi  # the fixes are itemised
    assert "Deadline (Vietnamese) : Trước 30/4 → Trước 31/5" in en


def test_huge_list_changes_are_shortened_everywhere(broken_past: Path) -> None:
    """One commit of 20,000 agencies and 200 targets: each value and each revision is cut, with the count."""
    site = broken_past / "site"
    shown = 30  # changes listed per revision: the lead agencies, then 29 of the 200 targets
    for path, words in (
        (
            "ke-hoach/alpha-2021/1-b-1/index.html",
            ("… (và 19990 mục khác)", f"… và {HUGE_TARGETS + 1 - shown} thay đổi khác"),
        ),
        (
            "en/ke-hoach/alpha-2021/1-b-1/index.html",
            ("… (19990 more)", f"… and {HUGE_TARGETS + 1 - shown} more changes"),
        ),
        ("thay-doi/index.html", ("… (và 19990 mục khác)", "thay đổi khác")),
        ("en/thay-doi/index.html", ("… (19990 more)", "more changes")),
        ("thay-doi/atom.xml", ("… (và 19990 mục khác)", "thay đổi khác")),
        ("en/co-quan/alpha/so-noi-vu/atom.xml", ("… (19990 more)", "more changes")),
    ):
        text = (site / path).read_text(encoding="utf-8")
        for word in words:
            assert word in text, (path, word)
        assert "co-quan-10" not in text, path  # the 11th agency on is only counted
        assert len(text.encode()) < 80_000, path  # the same pages without the huge commit: 5 to 23 KB
