"""What the build generates itself: each language's Markdown pages, and the files the site publishes beside the
renderer's pages (open data, feeds, calendars, schemas, sources, compiled reports, link-preview cards)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from generator.content.handwritten import written_pages
from generator.content.history import History
from generator.content.labels import LANGUAGES
from generator.content.model import Content
from generator.content.schema import schema_files
from generator.content.site import Site
from generator.pages.cards import CardCache, cached_card_files, card_files
from generator.pages.datapackage import datapackage
from generator.pages.embeds import embed_files
from generator.pages.export import files as data_files
from generator.pages.render import render
from generator.pages.share import all_cards
from generator.publish import renderer
from generator.publish.compiled_publish import compiled_files
from generator.publish.feeds import feed_files
from generator.publish.ics import calendar_files
from generator.publish.publication import site_url
from generator.publish.write import link_tree, write_tree


def render_language(
    root: Path, content: Content, lang: str, moment: dt.datetime, history: History, texts: dict[str, str]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The Markdown pages of one language, and its hand-written pages' content files (`texts`: the
    source texts, decoded)."""
    markdown = render(content, lang, moment.date(), history, texts, site_url())
    written = written_pages(root, lang)
    markdown.update({page: (root / file).read_text(encoding="utf-8") for page, file in written.items()})
    return {page: text.encode() for page, text in markdown.items()}, written


def decoded(sources: dict[str, bytes]) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in sources.items()}  # UTF-8: checked by load_content


def render_pages(
    root: Path, content: Content, moment: dt.datetime, history: History, sources: dict[str, bytes]
) -> tuple[dict[str, dict[str, bytes]], dict[str, dict[str, str]]]:
    """The Markdown pages of each language, and of each language its hand-written pages' content files."""
    texts = decoded(sources)
    pages: dict[str, dict[str, bytes]] = {}
    written: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        pages[lang], written[lang] = render_language(root, content, lang, moment, history, texts)
    return pages, written


CARD_CACHE = Path(".cache") / "cards"
"""Where drawn link-preview cards are kept between builds, relative to the project (not published)."""


def cards(root: Path, indexes: Site) -> tuple[dict[str, bytes], int]:
    """Every page's link-preview card by its path in the site, and how many had to be drawn (the rest
    come from the cache)."""
    return card_files(all_cards(indexes), CardCache(root / CARD_CACHE))


def card_links(root: Path, indexes: Site) -> tuple[dict[str, Path], int]:
    """Every page's link-preview card as its file in the cache, by its path in the site, and how many had to
    be drawn; the cache forgets the cards this content no longer has. The full build links the site's cards
    to these files: nothing new to write, nothing freed when the old site goes."""
    cache = CardCache(root / CARD_CACHE)
    files, drawn = cached_card_files(all_cards(indexes), cache)
    cache.prune()
    return files, drawn


def published(indexes: Site, history: History, moment: dt.datetime, sources: dict[str, bytes]) -> dict[str, bytes]:
    """What the site publishes beside the renderer's pages, by path in the site: open data, feeds,
    calendars, schemas, the source texts and the compiled reports (.docx and printable page); the cards: `cards`.
    `indexes`: the content's lookups, built once for both (`Site`)."""
    public = site_url()
    data = data_files(indexes)
    return {
        **data,
        "data/datapackage.json": datapackage(indexes, data, moment, public),
        **embed_files(indexes, moment),
        **feed_files(indexes, history, moment, public),
        **calendar_files(indexes, moment, public),
        **{f"data/schema/{name}": data for name, data in schema_files().items()},
        **{f"nguon/{name}": data for name, data in sources.items()},
        **compiled_files(indexes, moment),
    }


def english_and_published(
    root: Path,
    work: Path,
    site: Path,
    content: Content,
    history: History,
    moment: dt.datetime,
    sources: dict[str, bytes],
    runs: dict[str, subprocess.Popen[str]],
) -> None:
    """The build's forked half (generator/publish/build.py): the English pages, then their run started, then
    the published files and link-preview cards written into `site`, where the renderer's runs write theirs."""
    pages, _ = render_language(root, content, "en", moment, history, decoded(sources))
    renderer.write_pages(work, "en", pages)
    renderer.go(runs["en"])
    indexes = Site(content)
    write_tree(site, published(indexes, history, moment, sources))
    link_tree(site, card_links(root, indexes)[0])
