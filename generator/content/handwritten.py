"""Hand-written pages: content/pages/<name>.<lang>.md becomes <name>/index.md of that language.

They hold Markdown, and only the HTML a sanitiser (nh3) keeps: no script, style, frame, form, object,
event handler, `javascript:` link or image from another host. `check` names each refused tag or
attribute with its line; the build passes every hand-written page through the same sanitiser
(generator/publish/renderer_hooks.py), and the build fails on any refusal rather than publish the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import markdown  # type: ignore[import-untyped]  # no stubs in the lock file
import nh3
from markdown.extensions.toc import TocExtension  # type: ignore[import-untyped]

from generator.base.errors import Problem
from generator.base.slug import slugify
from generator.content.files import listing

FOLDER = "pages"
HAND_WRITTEN = "hand_written"  # key in the MkDocs config's `extra`: {page: its file}, sanitised by the hook

TAGS = frozenset(nh3.ALLOWED_TAGS)
GENERIC = frozenset({"id", "class", "title", "lang", "dir"})  # headings need ids, admonitions classes
ATTRIBUTES = {tag: frozenset(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()} | {"*": GENERIC}
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# The Markdown extensions of mkdocs.yml plus those MkDocs always adds (tests/test_pages.py compares).
EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "fenced_code")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
HINT = "hand-written pages hold Markdown and simple HTML (text, lists, tables, links, images from this site)"


def hand_written(content: Path, lang: str) -> dict[str, Path]:
    """Return the hand-written pages of one language as `{markdown_path: file}`."""
    return {
        f"{file.name.removesuffix(f'.{lang}.md')}/index.md": file
        for file in listing(content, content / FOLDER, f"*.{lang}.md")
    }


def written_pages(root: Path, lang: str) -> dict[str, str]:
    """The hand-written pages of one language: `{page: content file}`, the file relative to `root`."""
    return {page: file.relative_to(root).as_posix() for page, file in hand_written(root / "content", lang).items()}


def _remote(value: str) -> bool:
    return value.startswith("//") or bool(_scheme(value))


def _scheme(value: str) -> str:
    # Browsers ignore whitespace and control characters inside a scheme: "java\tscript:" runs.
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    found = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return found.group(1) if found else ""


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src" and _remote(value):
        return None  # the site makes no request to another host
    return value


def sanitise(html: str) -> str:
    """Return the HTML with only safe markup: what the site publishes of a hand-written page.

    Every page passes through it, changed or not (the sanitiser writes `&quot;` and `&para;` as the
    characters they stand for: the same text), so that no parser difference can let markup through.
    """
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        attribute_filter=_keep_attribute,
        link_rel=None,
        strip_comments=False,
    )


class _Refusals(HTMLParser):
    """Collects what the sanitiser would remove from rendered HTML, as (what, text to find in the source)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append((f"<{tag}> is not allowed in a hand-written page", rf"<\s*{re.escape(tag)}\b"))
            return
        allowed = ATTRIBUTES.get(tag, frozenset()) | GENERIC
        for name, value in attrs:
            if name not in allowed:
                message = f"attribute '{name}' is not allowed on <{tag}>"
                if name.startswith("on"):
                    message += " (an event handler runs a script)"
                self.found.append((message, rf"\b{re.escape(name)}\s*="))
            elif name in URL_ATTRIBUTES and value:
                scheme = _scheme(value)
                if scheme and scheme not in SCHEMES:
                    self.found.append((f"a '{scheme}:' address is not allowed", re.escape(value.strip()[:20])))
                elif tag == "img" and name == "src" and _remote(value):
                    message = f"an image from another host ({value}): the site makes no request to another host"
                    self.found.append((message, re.escape(value)))

    handle_startendtag = handle_starttag


def render(text: str) -> str:
    """The HTML of a hand-written page's Markdown, as MkDocs renders it (its own link fixes aside)."""
    extensions = [*EXTENSIONS, TocExtension(permalink=True, slugify=slugify)]
    return str(markdown.markdown(FRONT_MATTER.sub("", text), extensions=extensions))


def _without_code(text: str) -> str:
    """`text` with code blocks and code spans blanked (same length and lines): a `<script>` shown as
    code is no refusal, so the line reported is the one where the markup really is."""

    def blank(found: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", found.group(0))

    text = re.sub(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", blank, text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", blank, text, flags=re.DOTALL)


def refused(html: str) -> list[tuple[str, str]]:
    """What the sanitiser removes from rendered HTML: (message, pattern that finds it in the Markdown)."""
    parser = _Refusals()
    parser.feed(html)
    parser.close()
    return parser.found


def refusals(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) for each unsafe tag, attribute or address of a page's Markdown."""
    searched = _without_code(text)
    start = 0
    for message, pattern in refused(render(text)):
        # The first occurrence at or after the previous refusal's, else anywhere, else the top of the file.
        regex = re.compile(pattern, re.IGNORECASE)
        found = regex.search(searched, start) or regex.search(searched) or regex.search(text)
        where = found.start() if found else 0
        start = where + 1 if found else start
        line = text.count("\n", 0, where) + 1
        yield line, where - (text.rfind("\n", 0, where) + 1) + 1, message


def problems(root: Path, content: Path) -> list[Problem]:
    """Every unsafe tag or attribute, and every non-UTF-8 file, among the hand-written pages."""
    found = []
    for file in listing(content, content / FOLDER, "*.md"):
        shown = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.as_posix()
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            found.append(Problem(shown, 1, 1, "", f"not UTF-8 text ({error.reason})", "save the file as UTF-8"))
            continue
        for line, column, message in refusals(text):
            found.append(Problem(shown, line, column, "", message, HINT))
    return found
