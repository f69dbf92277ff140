"""A strict build: every warning of the renderer and every broken link of a hand-written page is a
problem at its file and line, and the site is not replaced.

The renderer checks links to Markdown files (`x.md`) and anchors on a page, but a link to a page's
address (`../thay-doi/`, as authors write them) it leaves unchecked; so the links of hand-written
pages are checked here, in the assembled site, where the open data, feeds and sources are too. Their
anchors are all checked here, `x.md#anchor` included: the renderer no longer sees the ids in generated
pages' raw HTML (generator/publish/raw_blocks.py passes it by), the assembled site has them all.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.base.errors import Problem
from generator.content.handwritten import render
from generator.publish.renderer import NAME, RendererWarning, generated_markdown, output_of

GENERATED_HINT = "the generator wrote this page: a bug in generator/pages/render.py or generator/pages/templates/"


class _Links(HTMLParser):
    """The relative addresses of links and images, and the ids of the elements (anchors) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in (("a", "href"), ("img", "src")):
                self.links.append(value.strip())

    handle_startendtag = handle_starttag


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser


def locate(text: str, link: str) -> list[tuple[int, int]]:
    """(line, column) of each place `text` writes `link` as a whole address; the top of the file if none."""
    pattern = re.compile(r"(?<![^\s(<\"'=:])" + re.escape(link) + r"(?![^\s)>\"'])")
    places = []
    for number, line in enumerate(text.splitlines(), 1):
        places += [(number, found.start() + 1) for found in pattern.finditer(line)]
    return places or [(1, 1)]


def _markdown(link: str) -> bool:
    return unquote(urlsplit(link).path).endswith(".md")


def _ours(link: str) -> bool:
    """Whether this check, not the renderer's, judges a hand-written page's `link`: all but a link to a
    Markdown file without an anchor (the renderer finds the file; only the assembled site has every id)."""
    return not _markdown(link) or bool(urlsplit(link).fragment)


def _reason(site: Path, page_url: str, link: str, ids: dict[Path, set[str]]) -> str | None:
    """Why `link` on the page at `page_url` (a folder address in `site`) is broken, or None."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("/"):
        return None  # another host, or an address the renderer reports itself
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if _markdown(link) and not anchor:
        return None  # a link to a Markdown file: the renderer resolves and checks it
    if not path:
        target = site / page_url / "index.html"
        where = "this page"
    else:
        resolved = posixpath.normpath(posixpath.join(page_url, path))
        if resolved == ".." or resolved.startswith("../"):
            return "outside the site"
        if _markdown(link):  # the page that Markdown file becomes (a hand-written page is a folder's index.md)
            resolved = output_of(resolved)
        target = site / resolved
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such page or file"
        where = "that page"
    if target not in ids and target.suffix == ".html":
        ids[target] = _parse(target.read_text(encoding="utf-8")).ids
    if anchor and target.suffix == ".html" and anchor not in ids[target]:
        return f"no heading or anchor '#{anchor}' on {where}"
    return None


def broken_links(root: Path, site: Path, lang: str, pages: dict[str, str]) -> list[Problem]:
    """The broken links of the hand-written pages (`{page: content file}`) of one language in `site`."""
    prefix = "" if lang == "vi" else "en/"
    problems = []
    ids: dict[Path, set[str]] = {}  # of each page a link leads to
    for page, source in sorted(pages.items()):
        text = (root / source).read_text(encoding="utf-8")
        page_url = prefix + page.removesuffix("index.md")
        for link in dict.fromkeys(_parse(render(text)).links):
            reason = _reason(site, page_url, link, ids)
            if reason:
                problems += [
                    Problem(source, line, column, "", f"broken link '{link}' ({reason})")
                    for line, column in locate(text, link)
                ]
    return problems


def renderer_problems(
    root: Path, work: Path, lang: str, pages: dict[str, str], warnings: list[RendererWarning]
) -> list[Problem]:
    """The renderer's warnings as problems: at the line of the link in a hand-written page's file, else
    in the page the generator wrote (the run's, in `work`), else in mkdocs.yml (the configuration and theme)."""
    generated = generated_markdown(work, lang)
    problems = []
    for warning in warnings:
        message = f"{NAME}: {warning.message}"
        if warning.page is None:
            problems.append(Problem("mkdocs.yml", 1, 1, "", message))
        elif warning.page in pages:
            source = pages[warning.page]
            text = (root / source).read_text(encoding="utf-8")
            places = locate(text, warning.link) if warning.link is not None else [(1, 1)]
            problems += [Problem(source, line, column, "", message) for line, column in places]
        else:
            text = generated(warning.page)
            places = locate(text, warning.link) if warning.link is not None else [(1, 1)]
            where = f"(generated) {lang}/{warning.page}"
            problems += [Problem(where, line, column, "", message, GENERATED_HINT) for line, column in places]
    return problems


def problems(
    root: Path, work: Path, site: Path, lang: str, pages: dict[str, str], warnings: list[RendererWarning]
) -> list[Problem]:
    """Every problem of one language's build.

    The renderer knows only the Markdown pages, not what the build publishes beside them (open data,
    feeds, sources) nor every id (generated pages' raw HTML passes it by): its warnings about a hand-written
    page's links to anything but a Markdown file, or to an anchor, give way to our check of the assembled
    site. A link both report is named once, in our words.
    """
    kept = [w for w in warnings if not (w.page in pages and w.link is not None and _ours(w.link))]
    found = {(p.path, p.line, p.column): p for p in renderer_problems(root, work, lang, pages, kept)}
    found |= {(p.path, p.line, p.column): p for p in broken_links(root, site, lang, pages)}
    return list(found.values())
