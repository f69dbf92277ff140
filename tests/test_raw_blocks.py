"""Generated pages' raw HTML passes the Markdown converter untouched (generator/publish/raw_blocks.py): the
same HTML as the converter's own way, on every real page, and only blocks whose bounds are certain lifted."""

from __future__ import annotations

from functools import cache
from typing import Any

import markdown
import pytest
import yaml

from generator.content.files import source_texts
from generator.content.history import read_history
from generator.content.progress import lead_agencies
from generator.content.validate import load_content
from generator.publish.generate import render_pages
from generator.publish.publication import build_time
from generator.publish.raw_blocks import Lifted

from .conftest import ROOT


def converter() -> markdown.Markdown:
    """Python-Markdown with mkdocs.yml's extensions, as the renderer runs it."""
    # Our own file, which names slugify by !!python/name: a loader that resolves it.
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)
    extensions: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        extensions.append(name)
        if isinstance(entry, dict):
            configs[name] = entry[name]
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def body(page: bytes) -> str:
    """A page's Markdown without its front matter, as the renderer hands it to the converter."""
    text = page.decode()
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


@cache
def real_pages() -> dict[str, str]:
    content, _ = load_content(ROOT)
    history = read_history(ROOT, lead_agencies(content))
    pages, _ = render_pages(ROOT, content, build_time(ROOT), history, source_texts(ROOT / "content"))
    return {f"{lang}/{page}": body(data) for lang, by_page in pages.items() for page, data in by_page.items()}


def through(text: str) -> tuple[str, Lifted]:
    lifted = Lifted()
    return lifted.restore(converter().convert(lifted.lift(text))), lifted


def test_every_real_page_converts_to_the_same_html_with_its_blocks_lifted() -> None:
    differing, lifted = [], 0
    for page, text in real_pages().items():
        html, blocks = through(text)
        differing += [page] if html != converter().convert(text) else []
        lifted += len(blocks.blocks)
    assert differing == []
    assert lifted > 2 * len(real_pages()), "the real pages' blocks are lifted, not left to the converter"


@pytest.mark.parametrize(
    ("text", "lifted"),
    [
        ('<nav class="crumbs"><ol><li>A</li></ol></nav>\n\n# Title', ['<nav class="crumbs"><ol><li>A</li></ol></nav>']),
        ("Intro\n\n<div>\n<div>inner</div>\n\ntext\n</div>\n\nAfter", ["<div>\n<div>inner</div>\n\ntext\n</div>"]),
        ("<pre>\ta\tb\n</pre>", ["<pre>   a   b\n</pre>"]),  # tabs expanded, as the converter does first
        ("Text\n<div>no blank line before</div>\n\nx", []),
        ("<div>no blank line after</div>\nText", []),
        ("<div>closed, then more</div> text\n\nx", []),
        ("<div>\nnever closed\n\nx", []),
        ("<span>inline, in a paragraph</span>\n\nx", []),
        ("```html\n\n<div>in a code fence</div>\n\n```", []),
        ('<section class="history" markdown>\n\n## Heading\n\n<ul><li>in it</li></ul>\n\n</section>', []),
    ],
    ids=[
        "a nav",
        "nested, with a blank line",
        "tabs",
        "after a paragraph",
        "before a paragraph",
        "text after the end",
        "unclosed",
        "inline tag",
        "code fence",
        "md_in_html",
    ],
)
def test_a_block_is_lifted_only_where_its_bounds_are_certain(text: str, lifted: list[str]) -> None:
    html, blocks = through(text)
    assert blocks.blocks == lifted
    assert html == converter().convert(text)


def test_a_placeholder_the_converter_changed_is_an_error_not_a_lost_block() -> None:
    lifted = Lifted()
    converted = converter().convert(lifted.lift("<div>kept</div>"))
    with pytest.raises(ValueError, match="generated HTML block 0"):
        lifted.restore(converted.replace("<p>", "<p class='x'>"))
