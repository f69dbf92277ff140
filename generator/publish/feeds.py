"""Atom feeds of task changes (site-wide, per plan, per agency) that journalists can subscribe to."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections.abc import Sequence
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from markupsafe import Markup, escape

from generator.content.history import Commit, History, Revision, StatusChange
from generator.content.labels import LABELS, LANGUAGES
from generator.content.site import Site, TaskRef, agency_url, plan_url, task_url
from generator.pages.changelog import added_removed, describe
from generator.pages.status_changes import WORDS, status_text
from generator.pages.templating import relative
from generator.pages.text import in_language, shorten

ATOM = "http://www.w3.org/2005/Atom"
SITE_FEED = "thay-doi/"
LONGEST = 100  # entries per feed: a reader polling weekly never misses one, and the file stays small
# Characters XML 1.0 forbids (C0 controls but tab and line ends, lone surrogates, U+FFFE/U+FFFF): one in a
# commit subject or a task text makes the whole feed unreadable. DEL and C1 are allowed but "discouraged"
# and mean nothing in a text, so they go too. Each becomes U+FFFD, the usual mark of an unreadable character.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def feed_files(site: Site, history: History, updated: dt.datetime, site_url: str | None) -> dict[str, bytes]:
    """Every Atom feed of both languages, as `{site-relative path: bytes}`."""
    by_plan: dict[str, list[Revision]] = {}
    by_agency: dict[str, list[Revision]] = {}
    for revision in history.revisions:
        by_plan.setdefault(revision.plan, []).append(revision)
        ref = site.task_by_key.get(revision.key)
        for agency_key in _agencies(ref) if ref else ():
            by_agency.setdefault(agency_key, []).append(revision)
    statuses: dict[str, list[StatusChange]] = {}
    for change in history.status_changes:
        statuses.setdefault(change.plan, []).append(change)
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        writer = _Writer(site, lang, updated, site_url)
        prefix = "" if lang == "vi" else "en/"
        title = LABELS[lang]["whats_new"]
        everything = _newest_first(history.revisions, history.status_changes)
        files[prefix + SITE_FEED + "atom.xml"] = writer.feed(SITE_FEED, title, everything)
        for item in site.content.plans:
            name = f"{in_language(site.city_of(item.plan).name, lang)} {item.plan.year}"
            items = _newest_first(by_plan.get(item.plan.id, []), statuses.get(item.plan.id, []))
            files[prefix + plan_url(item.plan) + "atom.xml"] = writer.feed(plan_url(item.plan), name, items)
        for agency in site.agencies:
            url = agency_url(agency.city, agency.agency)
            name = in_language(agency.agency.name, lang)
            files[prefix + url + "atom.xml"] = writer.feed(url, name, by_agency.get(agency.key, []))
    return files


def _newest_first(revisions: list[Revision], changes: list[StatusChange]) -> list[Revision | StatusChange]:
    """Task revisions and status changes (each newest first) in one list, newest commit first."""
    return sorted([*revisions, *changes], key=lambda item: item.commit.time, reverse=True)  # stable: ties keep order


def _agencies(ref: TaskRef) -> list[str]:
    """The agencies whose feed carries a task's changes: those that lead or coordinate it."""
    cells = [c for c in (ref.task.lead, ref.task.coordinating) if c]
    return sorted({f"{ref.plan.city}/{a}" for cell in cells for a in cell.agencies})


class _Writer:
    """Writes the feeds of one language."""

    def __init__(self, site: Site, lang: str, updated: dt.datetime, site_url: str | None) -> None:
        self.site = site
        self.lang = lang
        self.updated = updated
        self.site_url = site_url
        self.t = LABELS[lang]
        self.words = WORDS[lang]
        self.prefix = "" if lang == "vi" else "en/"

    def feed(self, folder: str, title: str, revisions: Sequence[Revision | StatusChange]) -> bytes:
        """One feed, in the folder of the page it belongs to, with its newest entries."""
        entries = revisions[:LONGEST]
        newest = entries[0].commit.time if entries else self.updated
        base = f"{self.site_url.rstrip('/')}/{self.prefix}{folder}" if self.site_url else None
        xml = _Document()
        xml.start("feed", {"xmlns": ATOM, "xml:lang": self.lang, **({"xml:base": base} if base else {})})
        xml.element("id", _urn("feed", self.lang, folder))
        xml.element("title", f"{title} – {self.t['site_name']}")
        xml.element("updated", _stamp(newest))
        xml.start("author", newline=False)
        xml.element("name", self.t["site_name"], newline=False)
        xml.end("author")
        xml.element("link", attrs={"rel": "self", "type": "application/atom+xml", "href": "atom.xml"})
        xml.element("link", attrs={"rel": "alternate", "type": "text/html", "href": "./"})
        for item in entries:
            if isinstance(item, StatusChange):
                self.status_entry(xml, folder, item)
            else:
                self.entry(xml, folder, item)
        xml.end("feed")
        return xml.finish()

    def entry(self, xml: _Document, folder: str, revision: Revision) -> None:
        ref = self.site.task_by_key.get(revision.key)
        if ref:
            where = f"{in_language(self.site.city_of(ref.plan).name, self.lang)} {ref.plan.year} – {self.t['task']} {ref.task.number}"
            summary = shorten(in_language(ref.task.text, self.lang), 200)
        else:
            where, summary = revision.key, ""
        xml.start("entry")
        xml.element("id", _urn("change", self.lang, revision.commit.sha, revision.key))
        xml.element("title", f"{where}: {self._headline(revision)}")
        xml.element("updated", _stamp(revision.commit.time))
        if ref:  # a removed task has no page to link to
            href = relative(folder, task_url(ref.plan, ref.task))
            xml.element("link", attrs={"rel": "alternate", "type": "text/html", "href": href})
        xml.element("content", self._body(revision, summary), attrs={"type": "html"})
        xml.end("entry")

    def status_entry(self, xml: _Document, folder: str, change: StatusChange) -> None:
        """An entry for a task whose reported status changed: 'Task 1.b: In progress → Completed (…)'."""
        text = status_text(self.site, change, self.lang)
        plan = text.plan
        where = f"{in_language(self.site.city_of(plan).name, self.lang)} {plan.year} – " if plan else ""
        xml.start("entry")
        xml.element("id", _urn("status", self.lang, change.commit.sha, change.key))
        xml.element("title", f"{where}{text.task}: {text.before} → {text.after}")
        xml.element("updated", _stamp(change.commit.time))
        if text.ref:
            href = relative(folder, task_url(text.ref.plan, text.ref.task))
            xml.element("link", attrs={"rel": "alternate", "type": "text/html", "href": href})
        parts = (
            [Markup("<p>{}</p>").format(shorten(in_language(text.ref.task.text, self.lang), 200))] if text.ref else []
        )
        parts.append(
            Markup("<p>{}: <del>{}</del> → <ins>{}</ins> ({})</p>").format(
                self.words["status_changed"], text.before, text.after, text.source
            )
        )
        parts.append(self._commit(change.commit))
        xml.element("content", str(Markup("").join(parts)), attrs={"type": "html"})
        xml.end("entry")

    def _commit(self, commit: Commit) -> Markup:
        subject = escape(commit.subject)
        where = Markup('<a href="{}">{}</a>').format(commit.url, subject) if commit.url else subject
        return Markup("<p>{} {}: {}</p>").format(self.t["commit"], commit.sha[:7], where)

    def _headline(self, revision: Revision) -> str:
        if revision.kind == "added":
            return self.t["task_added"]
        if revision.kind == "removed":
            return self.t["task_removed"]
        fields = dict.fromkeys(describe(c, self.lang).field for c in revision.shown)
        return ", ".join(fields) + (" …" if revision.hidden else "")

    def _body(self, revision: Revision, summary: str) -> str:
        words = added_removed(self.lang)
        parts = [Markup("<p>{}</p>").format(summary)] if summary else []
        if revision.kind == "changed":
            items = []
            for change in revision.shown:
                text = describe(change, self.lang)
                if text.before is None:
                    value = Markup("{}: <ins>{}</ins>").format(words["added"], text.after)
                elif text.after is None:
                    value = Markup("{}: <del>{}</del>").format(words["removed"], text.before)
                else:
                    value = Markup("<del>{}</del> → <ins>{}</ins>").format(text.before, text.after)
                items.append(Markup("<li>{}: {}</li>").format(text.field, value))
            if revision.hidden:
                items.append(Markup("<li>{}</li>").format(self.t["more_changes"].format(n=revision.hidden)))
            parts.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
        parts.append(self._commit(revision.commit))
        return str(Markup("").join(parts))


class _Document:
    """An Atom document, one element a line, written by the standard library's XML writer.

    XMLGenerator escapes text and attribute values; what XML 1.0 cannot hold at all (NOT_XML) is
    replaced first, since the writer would turn a lone surrogate into a character reference that is
    just as illegal.
    """

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._xml = XMLGenerator(self._buffer, "utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def start(self, name: str, attrs: dict[str, str] | None = None, newline: bool = True) -> None:
        self._xml.startElement(name, _attributes(attrs))
        if newline:
            self._xml.characters("\n")

    def end(self, name: str) -> None:
        self._xml.endElement(name)
        self._xml.characters("\n")

    def element(self, name: str, text: str = "", attrs: dict[str, str] | None = None, newline: bool = True) -> None:
        self._xml.startElement(name, _attributes(attrs))
        self._xml.characters(NOT_XML.sub("\ufffd", text))
        self._xml.endElement(name)
        if newline:
            self._xml.characters("\n")

    def finish(self) -> bytes:
        self._xml.endDocument()
        return self._buffer.getvalue()


def _attributes(attrs: dict[str, str] | None) -> AttributesImpl:
    return AttributesImpl({name: NOT_XML.sub("\ufffd", value) for name, value in (attrs or {}).items()})


def _urn(*parts: str) -> str:
    """A stable id: the same entry keeps its id from build to build, whatever the host."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'cong-khai-cchc:' + '/'.join(parts))}"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
