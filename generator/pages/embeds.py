"""Embeddable cards: one tiny static page per plan, agency and task, made to be framed by a city portal or
a newspaper (`<iframe src=".../nhung/ke-hoach/<plan>/<task>.html">`), in both languages.

Written here as plain HTML, not through the renderer: a card is a few hundred bytes of text with its CSS
inline (light and dark through prefers-color-scheme), no script, no font, no image, so it costs the
embedding page almost nothing, and the 2 × (plans + agencies + tasks) files add no renderer time. Every
build rewrites them, so a framed card shows the current status without the embedding site doing anything.
They are kept out of the search index (Pagefind reads task pages only: build.SEARCHED_PAGES) and the
sitemap (the renderer never sees them), and say noindex. Links open the full page in a new tab.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from collections.abc import Iterable
from html import escape

from generator.content.labels import FINDER, LABELS, LANGUAGES, STATUS_NAMES, WORDING
from generator.content.model import Text
from generator.content.site import AgencyRef, Site, TaskRef, agency_url, embed_url, plan_url, task_url
from generator.pages.task_progress import added_refs
from generator.pages.templating import format_date, relative
from generator.pages.text import plain

# Status colours only mark the badge's edge: the status is always written, so the text colours carry
# the contrast (WCAG AA in both schemes: at least 7:1 for text, 4.5:1 for the muted text and links).
CSS = (
    ":root{color-scheme:light dark;--bg:#fff;--fg:#1a1c1e;--mute:#474e55;--link:#0a55a0;--line:#c9cfd5}"
    "@media (prefers-color-scheme:dark){:root{--bg:#16181b;--fg:#eceff1;--mute:#b6bec6;--link:#8fc3ff;"
    "--line:#444b53}}"
    "html,body{margin:0;background:var(--bg);color:var(--fg)}"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;padding:10px 12px}"
    "a{color:var(--link)}p{margin:0}h1{font-size:17px;margin:2px 0 4px}"
    ".k,.f{font-size:13px;color:var(--mute)}.f{margin-top:6px}"
    ".t{display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:6px 0 0;font-size:14px}"
    "dt{color:var(--mute)}dd{margin:0}"
    ".s{font-weight:600;border:1px solid var(--line);border-left:5px solid var(--c,var(--line));"
    "border-radius:4px;padding:0 6px}"
    ".completed{--c:#1e8e3e}.in_progress{--c:#1a73e8}.not_started{--c:#9aa0a6}.suspended{--c:#e37400}"
    ".dropped,.cancelled{--c:#c5221f}"
)
STATUS_ORDER = ("completed", "in_progress", "not_started", "suspended", "dropped", "cancelled")


def _text(text: Text | None, lang: str) -> str:
    """Escaped text in `lang`; untranslated English shows the Vietnamese, marked as such."""
    if text is None:
        return ""
    if lang == "en" and not text.en:
        return f'<span lang="vi">{escape(plain(text.vi))}</span>'
    return escape(plain(text.en if lang == "en" and text.en else text.vi))


class _Cards:
    """The cards of one language."""

    def __init__(self, site: Site, lang: str, moment: dt.datetime) -> None:
        self.site, self.lang = site, lang
        self.t, self.words = LABELS[lang], WORDING[lang]["embed"]
        self.prefix = "en/" if lang == "en" else ""
        self.day = format_date(moment.date(), lang)

    def _status(self, status: str | None) -> str:
        name = STATUS_NAMES[self.lang][status] if status else FINDER[self.lang]["values"]["status:none"]
        return f'<span class="s {status or "none"}">{escape(name)}</span>'

    def _counts(self, refs: Iterable[TaskRef]) -> str:
        counts: Counter[str | None] = Counter(self.site.current_status(ref) for ref in refs)
        rows = [(STATUS_NAMES[self.lang][s], counts[s], s) for s in STATUS_ORDER if counts[s]]
        if counts[None]:
            rows.append((FINDER[self.lang]["values"]["status:none"], counts[None], "none"))
        return "".join(f'<dt><span class="s {kind}">{escape(name)}</span></dt><dd>{n}</dd>' for name, n, kind in rows)

    def page(self, url: str, title: str, kicker: str, heading: str, body: str) -> tuple[str, bytes]:
        """The card of the page at site-relative `url`: (its path in the site, its bytes)."""
        path = self.prefix + embed_url(url)
        full = relative(posixpath.dirname(path) + "/", self.prefix + url)
        link = f'href="{full}" target="_blank" rel="noopener"'
        html = (
            f'<!doctype html>\n<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n<meta name="color-scheme" content="light dark">\n'
            # No icon of its own: without this the browser asks the host's root for /favicon.ico on
            # every page that frames the card, which for a site in a sub-folder is someone else's.
            '<link rel="icon" href="data:,">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f'<p class="k">{kicker}</p>\n<h1><a {link}>{heading}</a></h1>\n{body}\n'
            f'<p class="f"><a {link}>{escape(self.words["open"])}</a> · {escape(self.t["as_of"])} {self.day}'
            f" · {escape(self.t['site_name'])}</p>\n</main>\n</body>\n</html>\n"
        )
        return path, html.encode()

    def task(self, ref: TaskRef) -> tuple[str, bytes]:
        plan = ref.plan
        current = self.site.progress[plan.id].latest.get(ref.task.id)
        task = current.task if current else ref.task  # as amendments left it: deadline, agencies
        city = _text(self.site.city_of(plan).name, self.lang)
        heading = f"{escape(self.t['task'])} {escape(task.number)}"
        agencies = task.lead.agencies if task.lead else []
        lead = ", ".join(_text(self.site.agency(plan.city, a).agency.name, self.lang) for a in agencies)
        facts = [(self.t["lead"], lead or escape(self.t["none"]))]
        if task.deadline:
            facts.append((self.t["deadline"], _text(task.deadline.text, self.lang)))
        facts.append((self.t["status"], self._status(self.site.current_status(ref))))
        rows = "".join(f"<dt>{escape(name)}</dt><dd>{value}</dd>" for name, value in facts)
        body = f'<p class="t">{_text(task.text, self.lang)}</p>\n<dl>{rows}</dl>'
        name = self.site.city_of(plan).name
        title = f"{self.t['task']} {task.number} – {plain(name.en if self.lang == 'en' and name.en else name.vi)} {plan.year}"
        return self.page(task_url(plan, task), title, f"{city} {plan.year}", heading, body)

    def plan(self, plan_id: str) -> tuple[str, bytes]:
        item = self.site.plan_content(plan_id)
        plan = item.plan
        refs = [TaskRef(plan, t) for t in item.tasks]
        city = _text(self.site.city_of(plan).name, self.lang)
        decision = self.words["decision"].format(
            number=plan.decision.number, date=format_date(plan.decision.date, self.lang)
        )
        tasks = self._count("tasks", len(refs))
        body = f'<p class="t">{escape(decision)}</p>\n<p>{escape(tasks)}</p>\n<dl>{self._counts(refs)}</dl>'
        title = plain(plan.title.en if self.lang == "en" and plan.title.en else plan.title.vi)
        return self.page(plan_url(plan), title, f"{city} {plan.year}", _text(plan.title, self.lang), body)

    def _count(self, key: str, n: int) -> str:
        """A number of tasks in words: `<key>_one` when it is 1 ("Leads 1 task", not "1 tasks")."""
        return str(self.words[f"{key}_one" if n == 1 else key].format(n=n))

    def agency(self, ref: AgencyRef) -> tuple[str, bytes]:
        roles = self.site.by_agency.get(ref.key, {"lead": [], "coordinating": []})
        lead, coordinating = roles["lead"], roles["coordinating"]
        line = f"{self._count('leads', len(lead))} · {self.words['coordinates'].format(n=len(coordinating))}"
        body = f"<p>{escape(line)}</p>\n<dl>{self._counts(lead)}</dl>" if lead else f"<p>{escape(line)}</p>"
        name = ref.agency.name
        title = plain(name.en if self.lang == "en" and name.en else name.vi)
        kicker = f"{escape(self.t['agency'])} · {_text(ref.city.name, self.lang)}"
        return self.page(agency_url(ref.city, ref.agency), title, kicker, _text(name, self.lang), body)


def embed_files(site: Site, moment: dt.datetime) -> dict[str, bytes]:
    """Every card, in both languages, by path in the site."""
    out: dict[str, bytes] = {}
    for lang in LANGUAGES:
        cards = _Cards(site, lang, moment)
        pages = [cards.plan(p.plan.id) for p in site.content.plans]
        pages += [cards.agency(ref) for ref in site.agencies]
        pages += [cards.task(ref) for ref in [*site.tasks, *added_refs(site)]]
        out.update(pages)
    return out
