"""Atom feeds and calendars stay well-formed whatever characters the content and commit messages hold,
and a standard reader (an XML parser, icalendar) gets back every text as it was written."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from icalendar import Calendar
from icalendar.parser import unescape_backslash
from icalendar.prop import vUnknown

from generator.content.history import Change, Commit, History, Revision
from generator.content.model import Content, Text
from generator.content.site import Site
from generator.content.validate import load_content
from generator.publish.feeds import feed_files
from generator.publish.ics import calendar_files

from .conftest import make_root

# Every C0 control, DEL, every C1 control, a lone CR and the two XML non-characters.
CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]) + "a\rb\ufffe\uffff"
# What XML, HTML and iCalendar each escape; a backslash before N, which icalendar's vText alone writes as a line end.
MARKUP = "<script>alert(1)</script> &amp; \"q\" 'a' ]]> C:\\New ; , {{ 7*7 }}"
HOSTILE = f"Văn bản {MARKUP}{CONTROLS}hết"
SURROGATE = "\ud800"  # content refuses it, but a past revision's YAML can hold it ("\ud800" in quotes)
MOMENT = dt.datetime(2021, 7, 1, 9, tzinfo=dt.UTC)
SITE_URL = "https://example.org/a,b;c&d\"e'<f>/"
COMMIT_URL = 'https://example.org/c/"><script>alert(1)</script>'
ATOM = "{http://www.w3.org/2005/Atom}"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"
URN = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def hostile_content(content: Content) -> Content:
    """The mini fixture with control characters in every text a feed or a calendar shows."""
    hostile = Text(vi=HOSTILE, en=HOSTILE)
    item = content.plans[0]
    tasks = []
    for task in item.tasks:
        update: dict[str, object] = {"text": hostile}
        if task.deadline:
            update["deadline"] = task.deadline.model_copy(update={"text": hostile})
        if task.lead:
            update["lead"] = task.lead.model_copy(update={"printed": hostile})
        tasks.append(task.model_copy(update=update))
    city = content.cities[0]
    agencies = [a.model_copy(update={"name": hostile}) for a in city.agencies]
    return content.model_copy(
        update={
            "plans": (item.model_copy(update={"tasks": tuple(tasks)}),),
            "cities": (city.model_copy(update={"name": hostile, "agencies": agencies}),),
        }
    )


def hostile_history(site: Site) -> History:
    commit = Commit("c" * 40, MOMENT, HOSTILE, COMMIT_URL)
    revisions = [
        Revision(commit, ref.plan.id, ref.task.id, "changed", (Change(("text", "vi"), HOSTILE, HOSTILE + SURROGATE),))
        for ref in site.tasks
    ]
    return History([*revisions, Revision(commit, "alpha-2021", "gone", "removed")])


def unreadable(text: str, allowed: str) -> str:
    """`text` as a reader gets it back: line ends as LF, each control character (but tab, LF and `allowed`),
    C1 control and lone surrogate as U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        "\ufffd"
        if (c < " " and c not in "\t\n") or "\x7f" <= c <= "\x9f" or "\ud800" <= c <= "\udfff" or c in allowed
        else c
        for c in text
    )


def in_xml(text: str) -> str:
    return unreadable(text, "\ufffe\uffff")  # the two non-characters XML forbids


class _Html(HTMLParser):
    """The elements, links and text of an entry's HTML content."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str | None] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [value for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text += data


def test_feeds_are_well_formed_xml_whatever_the_text(tmp_path: Path) -> None:
    content, _ = load_content(make_root(tmp_path))
    site = Site(hostile_content(content))
    feeds = feed_files(site, hostile_history(site), MOMENT, SITE_URL)
    assert len(feeds) > 4
    shown = in_xml(HOSTILE)
    assert "<script>" in shown
    assert "\ufffd" in shown  # the reader sees that something was there
    for path, data in feeds.items():
        feed = ET.fromstring(data)  # raises on a character XML forbids
        lang = "en" if path.startswith("en/") else "vi"
        assert feed.get(XML_NS + "lang") == lang
        assert (
            feed.get(XML_NS + "base")
            == SITE_URL + ("en/" if lang == "en" else "") + path.removeprefix("en/")[: -len("atom.xml")]
        )
        assert URN.fullmatch(feed.findtext(ATOM + "id") or ""), path
        assert feed.findtext(ATOM + "updated") == "2021-07-01T09:00:00Z"
        links = [(link.get("rel"), link.get("href")) for link in feed.findall(ATOM + "link")]
        assert links == [("self", "atom.xml"), ("alternate", "./")]
        if not path.removeprefix("en/").startswith("thay-doi/"):  # a plan's or an agency's feed: named after it
            assert (feed.findtext(ATOM + "title") or "").startswith(shown), path
        entries = feed.findall(ATOM + "entry")
        assert entries, path
        assert len({e.findtext(ATOM + "id") for e in entries}) == len(entries)
        for entry in entries:
            assert URN.fullmatch(entry.findtext(ATOM + "id") or ""), path
            assert entry.findtext(ATOM + "updated") == "2021-07-01T09:00:00Z"
            title = entry.findtext(ATOM + "title") or ""
            content = entry.findtext(ATOM + "content") or ""
            html = _Html(content)
            assert html.tags <= {"p", "ul", "li", "del", "ins", "a"}, (path, html.tags)  # text stayed text
            assert html.links == [COMMIT_URL], path
            assert in_xml(HOSTILE) in html.text  # the commit subject
            link = entry.find(ATOM + "link")
            if title.startswith("alpha-2021/gone"):  # a removed task: no page to link to
                assert link is None
                continue
            assert title.startswith(shown), path
            assert link is not None
            assert link.get("href", "").endswith("/"), path
            # The changed value, shortened to one line: its markup escaped once, its lone surrogate replaced.
            assert "<ins>Văn bản &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#34;q&#34;" in content
            assert "hết\ufffd</ins>" in content


def unfold(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")[:-1]


def test_calendar_lines_end_in_crlf_with_no_control_inside(tmp_path: Path) -> None:
    content, _ = load_content(make_root(tmp_path))
    calendars = calendar_files(Site(hostile_content(content)), MOMENT, "https://example.org/")
    assert len(calendars) > 4
    summaries = 0
    for path, data in calendars.items():
        assert data.endswith(b"\r\n"), path
        for line in data.split(b"\r\n")[:-1]:
            assert b"\r" not in line, (path, line)
            assert b"\n" not in line, (path, line)
            assert not any((b < 0x20 and b != 0x09) or b == 0x7F for b in line), (path, line)
        lines = unfold(data)
        assert lines[0] == "BEGIN:VCALENDAR"
        assert lines[-1] == "END:VCALENDAR"
        for line in lines:
            assert not any("\x80" <= c <= "\x9f" for c in line), (path, line)
            if line.startswith("SUMMARY:"):
                summaries += 1
                assert "Văn bản" in line
            if line.startswith("DESCRIPTION:"):
                assert "a\\nb" in line  # the lone CR became an escaped line end
    assert summaries


def in_calendar(text: str) -> str:
    return unreadable(text, "")


def read_text(value: vUnknown) -> str:
    """An X- property's value read as TEXT, which icalendar leaves to the caller for properties it does not know."""
    return unescape_backslash(value.to_ical().decode())


def test_calendars_read_back_with_icalendar_whatever_the_text(tmp_path: Path) -> None:
    content, _ = load_content(make_root(tmp_path))
    calendars = calendar_files(Site(hostile_content(content)), MOMENT, SITE_URL)
    shown = in_calendar(HOSTILE)
    assert "C:\\New ; ," in shown
    assert "\ufffd" in shown
    events, leads = 0, 0
    for path, data in calendars.items():
        calendar = Calendar.from_ical(data)
        name = read_text(calendar["X-WR-CALNAME"])
        assert name.startswith(("Thời hạn – ", "Deadlines – ")), path
        assert name.split(" – ", 1)[1].startswith(shown), path  # a plan's city or an agency
        for event in calendar.events:
            events += 1
            assert event.DTSTAMP == MOMENT
            assert type(event.start) is dt.date
            assert str(event["SUMMARY"]).startswith(("Nhiệm vụ ", "Task ")), path
            assert "Văn bản <script>" in str(event["SUMMARY"])
            url = str(event["URL"])
            assert url.startswith(SITE_URL), path
            description = str(event["DESCRIPTION"])
            assert description.endswith(f"\n{shown}\n{url}"), path  # the task's text, then its address
            assert description.count(shown) >= 2  # the deadline as printed, and the lead agency where there is one
            leads += description.count(shown) == 3
    assert events
    assert leads


def test_calendar_keeps_a_backslash_before_n_a_backslash(tmp_path: Path) -> None:
    """vText alone writes `C:\\New` as `C:` and a line break; it must stay a backslash and an N."""
    content, _ = load_content(make_root(tmp_path))
    item = content.plans[0]
    tasks = tuple(t.model_copy(update={"text": Text(vi="Lưu ở C:\\New", en="Kept in C:\\New")}) for t in item.tasks)
    site = Site(content.model_copy(update={"plans": (item.model_copy(update={"tasks": tasks}),)}))
    data = calendar_files(site, MOMENT, None)["ke-hoach/alpha-2021/thoi-han.ics"]
    summaries = [line for line in unfold(data) if line.startswith("SUMMARY:")]
    assert summaries
    assert all(line.endswith(": Lưu ở C:\\\\New") for line in summaries), summaries
