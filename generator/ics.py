"""iCalendar (RFC 5545) feeds of dated deadlines, per plan and per agency, for any calendar app."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from .labels import LABELS, LANGUAGES
from .model import Deadline, Text
from .site import Site, TaskRef, agency_url, plan_url, task_url
from .text import in_language, shorten

FILE = "thoi-han.ics"
LINE_END = re.compile("\r\n|\r|\n")
# Control characters RFC 5545 keeps out of TEXT (all C0 but tab, and DEL), C1 controls and lone
# surrogates (which cannot be written as UTF-8): each becomes U+FFFD, the usual mark of an unreadable character.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


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
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//cong-khai-cchc//generator//" + lang.upper(),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape(f"{t['deadlines']} – {name}"),
    ]
    for ref in refs:
        for number, (due, step) in enumerate(due_dates(ref.task.deadline)):
            lines += _event(ref, due, step, number, lang, stamp, site_url)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode()


def _event(
    ref: TaskRef, due: dt.date, step: Text | None, number: int, lang: str, stamp: dt.datetime, site_url: str | None
) -> list[str]:
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
    return [
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid5(uuid.NAMESPACE_URL, f'cong-khai-cchc:deadline/{ref.key}/{number}')}",
        f"DTSTAMP:{stamp.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
        "SUMMARY:" + _escape(f"{t['task']} {task.number}{label}: {text}"),
        "DESCRIPTION:" + _escape("\n".join(description)),
        *([f"URL:{url}"] if url else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and line ends are escaped (RFC 5545 §3.3.11), controls replaced.

    A lone CR is a line end too: left alone it would end the content line in some readers.
    """
    lines = [CONTROL.sub("\ufffd", line) for line in LINE_END.split(text)]
    return "\\n".join(line.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,") for line in lines)


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character."""
    data = line.encode()
    parts: list[bytes] = []
    start, limit = 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before the character it belongs to
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # continuation lines start with the space
    parts.append(data[start:])
    return "\r\n ".join(part.decode() for part in parts)
