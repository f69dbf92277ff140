"""Atom feeds and calendars stay well-formed whatever characters the content and commit messages hold."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.feeds import feed_files
from generator.history import Change, Commit, History, Revision
from generator.ics import calendar_files
from generator.model import Content, Text
from generator.site import Site
from generator.validate import load_content

from .conftest import make_root

# Every C0 control, DEL, every C1 control, a lone CR and the two XML non-characters.
CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]) + "a\rb\ufffe\uffff"
HOSTILE = f"Văn bản{CONTROLS}hết"
SURROGATE = "\ud800"  # content refuses it, but a past revision's YAML can hold it ("\ud800" in quotes)
MOMENT = dt.datetime(2021, 7, 1, 9, tzinfo=dt.UTC)


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
    commit = Commit("c" * 40, MOMENT, HOSTILE, "https://example.org/c/" + "c" * 40)
    revisions = [
        Revision(commit, ref.plan.id, ref.task.id, "changed", (Change(("text", "vi"), HOSTILE, HOSTILE + SURROGATE),))
        for ref in site.tasks
    ]
    return History([*revisions, Revision(commit, "alpha-2021", "gone", "removed")])


def test_feeds_are_well_formed_xml_whatever_the_text(tmp_path: Path) -> None:
    content, _ = load_content(make_root(tmp_path))
    site = Site(hostile_content(content))
    feeds = feed_files(site, hostile_history(site), MOMENT, "https://example.org/")
    assert len(feeds) > 4
    for path, data in feeds.items():
        feed = ET.fromstring(data)  # raises on a character XML forbids
        entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
        assert entries, path
        title = entries[0].findtext("{http://www.w3.org/2005/Atom}title") or ""
        assert "Văn bản" in title
        assert "hết" in title
        assert "\ufffd" in title  # the reader sees that something was there


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
