"""iCalendar (RFC 5545) feeds of dated deadlines, per plan and per agency, for any calendar app."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from icalendar import Calendar, Event
from icalendar.prop import vText

from .labels import LABELS, LANGUAGES
from .model import Deadline, Text
from .site import Site, TaskRef, agency_url, plan_url, task_url
from .text import in_language, shorten

FILE = "thoi-han.ics"
# Control characters RFC 5545 keeps out of TEXT (all C0 but tab, and DEL), C1 controls and lone
# surrogates (which cannot be written as UTF-8): each becomes U+FFFD, the usual mark of an unreadable character.
# Line ends stay: vText writes CR LF, LF and a lone CR alike as an escaped line end (a lone CR left
# alone would end the content line in some readers).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def calendar_files(site: Site, stamp: dt.datetime, site_url: str | None) -> dict[str, bytes]:
    """The deadline calendar of every plan and every agency, in both languages."""
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        prefix = "" if lang == "vi" else "en/"
        for item in site.content.plans:
            refs = [TaskRef(item.plan, t) for t in item.tasks]
            name = f"{in_language(site.city_of(item.plan).name, lang)} {item.plan.year}"
            files[prefix + plan_url(item.plan) + FILE] = _calendar(name, refs, lang, stamp, site_url)
        for agency in site.agencies:
            roles = site.by_agency.get(agency.key, {"lead": [], "coordinating": []})
            refs = list({r.key: r for r in roles["lead"] + roles["coordinating"]}.values())
            name = in_language(agency.agency.name, lang)
            files[prefix + agency_url(agency.city, agency.agency) + FILE] = _calendar(name, refs, lang, stamp, site_url)
    return files


def due_dates(deadline: Deadline | None) -> list[tuple[dt.date, Text | None]]:
    """Each date a deadline falls due: one, or one per step of a staged deadline (with the step's label)."""
    if deadline is None:
        return []
    if deadline.kind == "milestones":
        return [(m.end, m.label) for m in deadline.milestones if m.end]
    return [(deadline.end, None)] if deadline.end else []


def _calendar(name: str, refs: list[TaskRef], lang: str, stamp: dt.datetime, site_url: str | None) -> bytes:
    t = LABELS[lang]
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//cong-khai-cchc//generator//" + lang.upper())
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(f"{t['deadlines']} – {name}"))  # an X- property is not TEXT unless told
    for ref in refs:
        for number, (due, step) in enumerate(due_dates(ref.task.deadline)):
            calendar.add_component(_event(ref, due, step, number, lang, stamp, site_url))
    return bytes(calendar.to_ical(sorted=False))  # in the order written, as calendar apps have always read it


def _event(
    ref: TaskRef, due: dt.date, step: Text | None, number: int, lang: str, stamp: dt.datetime, site_url: str | None
) -> Event:
    t = LABELS[lang]
    task = ref.task
    assert task.deadline is not None  # due_dates gave a date
    text = shorten(in_language(task.text, lang), 120)
    label = f" ({in_language(step, lang)})" if step else ""
    lead = task.lead.printed if task.lead else None
    description = [
        f"{t['deadline_printed']}: {in_language(task.deadline.text, lang)}",
        *([f"{t['lead']}: {in_language(lead, lang)}"] if lead else []),
        in_language(task.text, lang),
    ]
    url = f"{site_url.rstrip('/')}/{'' if lang == 'vi' else 'en/'}{task_url(ref.plan, task)}" if site_url else None
    if url:
        description.append(url)
    event = Event()
    event.add("uid", str(uuid.uuid5(uuid.NAMESPACE_URL, f"cong-khai-cchc:deadline/{ref.key}/{number}")))
    event.add("dtstamp", stamp)  # icalendar writes it in UTC, as RFC 5545 requires
    event.add("dtstart", due)  # a date, not a time: an all-day event (VALUE=DATE)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", _text(f"{t['task']} {task.number}{label}: {text}"))
    event.add("description", _text("\n".join(description)))
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


class _Text(vText):
    """TEXT whose backslashes all stay backslashes.

    vText (icalendar 7.3) writes a backslash followed by N as a line end (its documented way of adding
    one), so a task quoting `C:\\New` would show two lines; here vText escapes each run between
    backslashes, and each backslash is written `\\\\` as RFC 5545 §3.3.11 says.
    """

    def to_ical(self) -> bytes:
        return b"\\\\".join(vText(part).to_ical() for part in self.split("\\"))


def _text(text: str) -> _Text:
    """A TEXT value with the controls RFC 5545 keeps out replaced; vText escapes the rest (§3.3.11)."""
    return _Text(CONTROL.sub("\ufffd", text))
