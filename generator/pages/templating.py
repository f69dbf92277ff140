"""One language's templates: the Jinja environment, the filters that keep formatting out of the
templates, and the helpers they use. The page modules (render, procedure_pages, progress_pages) render with it."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from generator.base.template_cache import attach
from generator.content.history import History
from generator.content.labels import KIND_NAMES, LABELS, MONTHS_EN, STATUS_NAMES, WORDING, section
from generator.content.model import Content, Deadline, Figure, Text
from generator.content.site import (
    Site,
    TaskRef,
    agency_url,
    pillar_url,
    plan_url,
    source_url,
    task_url,
)
from generator.pages.changelog import added_removed, describe
from generator.pages.embed_links import HEIGHTS, embed_src
from generator.pages.feedback import feedback_href
from generator.pages.structured import breadcrumbs, dataset, graph, organization
from generator.pages.task_progress import amendments_url
from generator.pages.text import in_language, plain, shorten

BULLET = re.compile(r"^([-+•])\s+(.*)$")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
UNDATED = {"ongoing", "recurring", "event", "conditional"}


def format_date(day: dt.date | None, lang: str) -> str:
    """A date the way readers of each language write it: 30/4/2021 or 30 April 2021."""
    if day is None:
        return ""
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath("/" + target, "/" + start), a third of its time: a site builds 12,000 links, and
    site URLs have no "." or ".." parts (those few go the general way)."""
    to = [part for part in target.split("/") if part]
    at = [part for part in start.split("/") if part]
    if "." in to or ".." in to or "." in at or ".." in at:
        return posixpath.relpath("/" + target, "/" + start)
    common = 0
    for here, there in zip(at, to, strict=False):
        if here != there:
            break
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def relative(from_url: str, to_url: str) -> str:
    """A link from one site-relative directory URL to another that works on any host and subpath."""
    if to_url.startswith(("http://", "https://", "#", "mailto:")):
        return to_url
    target, _, fragment = to_url.partition("#")
    path = _relpath(target, from_url)
    if path == ".":
        path = "./"
    elif target == "" or target.endswith("/"):
        path += "/"
    return path + (f"#{fragment}" if fragment else "")


def lines_html(text: str) -> Markup:
    """Turn a printed cell (lines, some of them '- ' or '+ ' bullets) into escaped HTML."""
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append('<ul class="printed">' + "".join(items) + "</ul>")
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = BULLET.match(line)
        if bullet:
            css = "plus" if bullet[1] == "+" else "dash"
            items.append(f'<li class="{css}">{escape(bullet[2])}</li>')
        else:
            flush()
            parts.append(f"<p>{escape(line)}</p>")
    flush()
    return Markup("".join(parts))


def prose(text: str, **values: Any) -> Markup:
    """A sentence of the wording inside an element, its {placeholders} filled in: <, > and & escaped.

    Quotes stay as typed, as they did when the sentences were written in the templates: they are safe
    outside attributes, and "&#39;" would only make the Markdown and its diffs harder to read.
    """
    return Markup(html.escape(text.format(**values) if values else text, quote=False))


class RowMemo:
    """Rows of task tables rendered before, for a program that renders the same site again and again (the
    live preview): the index pages list every task, and rendering their rows again was most of a save.

    A row is given again only for the same page, the same flags and the very same plan and task objects:
    the preview's PlanMemo keeps those of an unchanged plan, and a changed plan's are new objects. What
    else a row shows (city and agency names, whether a deadline passed) changes only with what makes
    the preview render every page, which starts with an empty memo. Rows not asked for in a render are
    dropped after it (`next`).
    """

    def __init__(self) -> None:
        self.before: dict[tuple[Any, ...], tuple[object, object, Markup]] = {}
        self.now: dict[tuple[Any, ...], tuple[object, object, Markup]] = {}

    def row(self, key: tuple[Any, ...], plan: object, task: object, make: Callable[[], Markup]) -> Markup:
        found = self.now.get(key) or self.before.get(key)
        if found is None or found[0] is not plan or found[1] is not task:
            found = (plan, task, make())
        self.now[key] = found
        return found[2]

    def next(self) -> None:
        """Keep only the rows of the last render."""
        self.before, self.now = self.now, {}


class Templating:
    """The templates of one language, with their filters and globals; `render.Renderer` adds the pages."""

    def __init__(
        self,
        content: Content,
        lang: str,
        today: dt.date,
        history: History,
        source_texts: dict[str, str],
        site_url: str | None = None,
        rows: RowMemo | None = None,
    ) -> None:
        self.site = Site(content)
        self.rows = rows
        # The public address of the site's root (SITE_URL), for addresses that leave the page: structured
        # data and the feedback e-mail's subject; None: page-relative addresses.
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.lang = lang
        self.today = today
        self.history = history
        self.source_texts = source_texts
        self.t = LABELS[lang]
        self.w = WORDING[lang]  # every section of the wording: deadlines, figures, periods in words
        self.env = Environment(
            loader=PackageLoader("generator.pages", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # "{#id}" is Markdown's attribute syntax for heading anchors, so Jinja comments use "{##".
            comment_start_string="{##",
            comment_end_string="##}",
        )
        # Compiled once, not once per language nor once per build: generator/base/template_cache.py.
        attach(self.env)
        filters: dict[str, Callable[..., Any]] = {
            "tr": self.tr,
            "tr_plain": self.tr_plain,
            "block": self.block,
            "vi_block": lines_html,
            "md": self.md,
            "date": lambda d: format_date(d, lang),
            "meaning": self.meaning,
            "passed": self.passed,
            "figure": self.figure,
            "short": self.short,
            "short_plain": lambda text, limit=180: shorten(self.tr_plain(text), limit),
            "tojson": lambda value: Markup(json.dumps(value, ensure_ascii=False)),
            "prose": prose,
            "href": self.href,
            "root_href": self.root_href,
            "address": self.address,
            "root_address": self.root_address,
            "kind_name": lambda kind: KIND_NAMES[lang][kind],
            "status_name": lambda status: STATUS_NAMES[lang][status],
            "change": lambda change: describe(change, lang),
            "month_name": lambda ym: self.w["periods"]["month"].format(month=self.w["months"][ym[1] - 1], year=ym[0]),
            "quarter_name": lambda yq: self.w["periods"]["quarter"].format(
                quarter=self.w["quarters"][yq[1] - 1], year=yq[0]
            ),
        }
        self.env.filters.update(filters)
        self.env.globals.update(
            t=self.t,
            words=self.w["pages"],
            lang=lang,
            site=self.site,
            today=today,
            history=history,
            change_words=added_removed(lang),
            task_url=task_url,
            plan_url=plan_url,
            agency_url=agency_url,
            pillar_url=pillar_url,
            source_url=source_url,
            amendments_url=amendments_url,
            pw=section("progress_pages")[lang],
            embed_words=self.w["embed"],
            embed_src=lambda url: embed_src(url, lang),
            embed_heights=HEIGHTS,
            ld_graph=graph,
            ld_crumbs=breadcrumbs,
            ld_organization=organization,
            ld_dataset=dataset,
            feedback_href=feedback_href,
            remembered=self.remembered,
        )

    @pass_context
    def remembered(self, context: Context, macro: Callable[..., Markup], ref: TaskRef, *flags: Any) -> Markup:
        """`macro(ref, *flags)`, a task table's row: from `self.rows` when given (see RowMemo)."""
        if self.rows is None:
            return macro(ref, *flags)
        key = (context["page_url"], ref.plan.id, ref.task.id, flags)
        return self.rows.row(key, ref.plan, ref.task, lambda: macro(ref, *flags))

    # Filters: formatting lives here so that templates stay free of logic.

    def tr_plain(self, text: Text | None) -> str:
        """The text in this language (Vietnamese when no English exists), without markup."""
        if text is None:
            return ""
        return plain(in_language(text, self.lang))

    def short(self, text: Text | None) -> Markup:
        """The first words of a text for tables, with the same untranslated notice as `tr`."""
        if text is None:
            return Markup("")
        if self.lang == "en" and not text.en:
            return Markup('<span lang="vi">{}</span> <em class="untranslated">({})</em>').format(
                shorten(text.vi), self.t["not_translated"]
            )
        return escape(shorten(self.tr_plain(text)))

    def tr(self, text: Text | None) -> Markup:
        """Inline text in this language; untranslated text is shown in Vietnamese with a notice."""
        if text is None:
            return Markup("")
        if self.lang == "vi":
            return escape(plain(text.vi))
        if text.en:
            return escape(plain(text.en))
        return Markup('<span lang="vi">{}</span> <em class="untranslated">({})</em>').format(
            plain(text.vi), self.t["not_translated"]
        )

    def block(self, text: Text | None) -> Markup:
        """A multi-line text as HTML in this language, with the same fallback as `tr`."""
        if text is None:
            return Markup("")
        if self.lang == "vi":
            return lines_html(text.vi)
        if text.en:
            return lines_html(text.en)
        return Markup('<div lang="vi">{}</div><p class="untranslated">{}</p>').format(
            lines_html(text.vi), self.t["not_translated"]
        )

    @staticmethod
    def md(value: Any) -> Markup:
        """Text safe to put into a Markdown heading: HTML-escaped and Markdown-escaped."""
        # Quotes stay as they are: Markdown's table of contents would show "&#34;" written out.
        return Markup(MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False)))

    @pass_context
    def href(self, context: Context, url: str) -> str:
        """A relative link from the page being rendered to a site-relative URL."""
        return relative(context["page_url"], url)

    @pass_context
    def root_href(self, context: Context, url: str) -> str:
        """A relative link to a file published once, at the site root, for both languages (open data, texts).

        Taken from the English page's own place (en/…): prefixing '../' to the link from the Vietnamese page
        goes wrong when the file lies in the page's own folder (a period's compiled report)."""
        return relative(("en/" if self.lang == "en" else "") + context["page_url"], url)

    @pass_context
    def address(self, context: Context, url: str) -> str:
        """A page's address for structured data and e-mails: absolute with SITE_URL, else relative to the page."""
        if self.site_url:
            return f"{self.site_url}{'en/' if self.lang == 'en' else ''}{url}"
        return relative(context["page_url"], url)

    @pass_context
    def root_address(self, context: Context, url: str) -> str:
        """The address of a file published once at the site root (open data), as `address` gives a page's."""
        if self.site_url:
            return f"{self.site_url}{url}"
        return self.root_href(context, url)

    def passed(self, deadline: Deadline | None) -> bool:
        """Whether a dated deadline lies before the build date."""
        return bool(deadline and deadline.end and deadline.end < self.today)

    def meaning(self, deadline: Deadline | None) -> str:
        """What a deadline means, in words: 'By 30 April 2021', 'Ongoing – no fixed due date' …"""
        if deadline is None:
            return self.t["no_deadline"]
        if deadline.kind == "milestones":
            steps = [f"{self.tr_plain(m.label)}: {self._span(m.kind, m.start, m.end)}" for m in deadline.milestones]
            return "; ".join(steps)
        return self._span(deadline.kind or "", deadline.start, deadline.end)

    def _span(self, kind: str, start: dt.date | None, end: dt.date | None) -> str:
        words = self.w["deadline_meaning"]
        if kind in UNDATED:
            return str(words[kind])
        first, last = format_date(start, self.lang), format_date(end, self.lang)
        return str(words["from_to" if start and end else "by"].format(start=first, end=last))

    def figure(self, figure: Figure) -> str:
        """A target figure in words: 'at least 50%'."""
        unit = figure.unit if figure.unit == "%" else f" {figure.unit}"
        # A range always has its upper bound once validated; without one it reads as its value alone.
        comparator = "exactly" if figure.comparator == "range" and figure.value_max is None else figure.comparator
        max_value = f"{figure.value_max:g}" if figure.value_max is not None else ""
        text: str = self.w["figures"][comparator].format(value=f"{figure.value:g}", max=max_value)
        return text + unit
