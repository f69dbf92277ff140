"""iCalendar (RFC 5545) feeds of dated deadlines, per plan and per agency, for any calendar app."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from icalendar import Calendar, Event
from icalendar.prop import vText

from generator.content.labels import LABELS, LANGUAGES, section
from generator.content.model import Deadline, Text
from generator.content.progress import CurrentTask
from generator.content.site import Site, TaskRef, agency_url, plan_url, task_url
from generator.pages.text import in_language, shorten

FILE = "thoi-han.ics"
WORDS: dict[str, dict[str, str]] = section("progress_data")
# Control characters RFC 5545 keeps out of TEXT (all C0 but tab, and DEL), C1 controls and lone
# surrogates (which cannot be written as UTF-8): each becomes U+FFFD, the usual mark of an unreadable character.
# Line ends stay: vText writes CR LF, LF and a lone CR alike as an escaped line end (a lone CR left
# alone would end the content line in some readers).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def calendar_files(site: Site, stamp: dt.datetime, site_url: str | None) -> dict[str, bytes]:
    """The deadline calendar of every plan and every agency, in both languages.

    Deadlines as they stand now, every amendment applied (PlanProgress.latest): a moved deadline moves its
    event (same UID, a higher SEQUENCE, so calendar apps update it in place), a task cancelled by an
    amendment has no event (apps drop it at their next refresh), a task an amendment added has its own,
    and an agency's calendar follows the agencies an amendment named.
    """
    current = {
        item.plan.id: [
            Dated(TaskRef(item.plan, c.task), c) for c in site.progress[item.plan.id].latest.values() if not c.cancelled
        ]
        for item in site.content.plans
    }
    by_agency: dict[str, list[Dated]] = {}
    for dated in (d for tasks in current.values() for d in tasks):
        named = {a for cell in (dated.ref.task.lead, dated.ref.task.coordinating) if cell for a in cell.agencies}
        for agency_id in sorted(named):
            by_agency.setdefault(f"{dated.ref.plan.city}/{agency_id}", []).append(dated)
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        prefix = "" if lang == "vi" else "en/"
        for item in site.content.plans:
            name = f"{in_language(site.city_of(item.plan).name, lang)} {item.plan.year}"
            files[prefix + plan_url(item.plan) + FILE] = _calendar(name, current[item.plan.id], lang, stamp, site_url)
        for agency in site.agencies:
            name = in_language(agency.agency.name, lang)
            files[prefix + agency_url(agency.city, agency.agency) + FILE] = _calendar(
                name, by_agency.get(agency.key, []), lang, stamp, site_url
            )
    return files


@dataclass(frozen=True)
class Dated:
    """A task as it stands now (`ref.task`), with the amendments that made it so."""

    ref: TaskRef
    current: CurrentTask


def due_dates(deadline: Deadline | None) -> list[tuple[dt.date, Text | None]]:
    """Each date a deadline falls due: one, or one per step of a staged deadline (with the step's label)."""
    if deadline is None:
        return []
    if deadline.kind == "milestones":
        return [(m.end, m.label) for m in deadline.milestones if m.end]
    return [(deadline.end, None)] if deadline.end else []


def _calendar(name: str, tasks: list[Dated], lang: str, stamp: dt.datetime, site_url: str | None) -> bytes:
    t = LABELS[lang]
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//cong-khai-cchc//generator//" + lang.upper())
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(f"{t['deadlines']} – {name}"))  # an X- property is not TEXT unless told
    for dated in tasks:
        for number, (due, step) in enumerate(due_dates(dated.ref.task.deadline)):
            calendar.add_component(_event(dated, due, step, number, lang, stamp, site_url))
    return bytes(calendar.to_ical(sorted=False))  # in the order written, as calendar apps have always read it


def _event(
    dated: Dated, due: dt.date, step: Text | None, number: int, lang: str, stamp: dt.datetime, site_url: str | None
) -> Event:
    t = LABELS[lang]
    ref = dated.ref
    task = ref.task
    assert task.deadline is not None  # due_dates gave a date
    text = shorten(in_language(task.text, lang), 120)
    label = f" ({in_language(step, lang)})" if step else ""
    lead = task.lead.printed if task.lead else None
    revised = dated.current.deadline_changes
    description = [
        f"{t['deadline_printed']}: {in_language(task.deadline.text, lang)}",
        *([_revised(dated, lang)] if revised else []),
        *([f"{t['lead']}: {in_language(lead, lang)}"] if lead else []),
        in_language(task.text, lang),
    ]
    url = f"{site_url.rstrip('/')}/{'' if lang == 'vi' else 'en/'}{task_url(ref.plan, task)}" if site_url else None
    if url:
        description.append(url)
    event = Event()
    event.add("uid", str(uuid.uuid5(uuid.NAMESPACE_URL, f"cong-khai-cchc:deadline/{ref.key}/{number}")))
    event.add("dtstamp", stamp)  # icalendar writes it in UTC, as RFC 5545 requires
    if revised:  # RFC 5545 §3.8.7.4: a revised event has a higher sequence, so apps replace the old one
        event.add("sequence", len(revised))
    event.add("dtstart", due)  # a date, not a time: an all-day event (VALUE=DATE)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", _text(f"{t['task']} {task.number}{label}: {text}"))
    event.add("description", _text("\n".join(description)))
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _revised(dated: Dated, lang: str) -> str:
    """'Deadline revised by decision 50/QĐ-UBND of 2021-06-15; originally: June 2021'."""
    latest = dated.current.deadline_changes[-1].amendment.decision
    original = dated.current.original.deadline
    day = f"{latest.date:%d/%m/%Y}" if lang == "vi" else latest.date.isoformat()
    return WORDS[lang]["calendar_revised"].format(
        number=latest.number, date=day, original=in_language(original.text, lang) if original else "–"
    )


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
