"""No shipped file makes a browser load anything from another host (issue 16).

The rule, over every HTML, CSS and JavaScript file in the built site (and the JSON files pages fetch):

- HTML: what the browser loads by itself must be on the site: `src`, `srcset`, `poster`, `data`, a
  `<link>`'s `href` when it loads (stylesheet, icon, preload, manifest …), `<script>` and `<style>`
  contents, `style` attributes. Links a reader clicks (`<a href>`, `<link rel=canonical|alternate>`,
  `<form action>`), and `<meta>` values read by link-preview crawlers, may point anywhere.
- CSS: every `url(…)` and `@import` is a load, so no absolute URL to another host outside comments.
- JavaScript: any absolute http(s) URL outside comments is a candidate load (a script, a fetch, an
  import), so none may name another host, except `NOT_LOADED` below: names that are identifiers, not
  addresses (XML namespaces), each with its reason.

Source maps (`.map`) are not checked: only a developer's tools read them, never a page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.publish.local_fallbacks import BundleError, patch_bundle

# Hosts that may appear in JavaScript although nothing is ever fetched from them.
NOT_LOADED = {
    "www.w3.org": "XML namespace names (SVG, XLink, MathML) used to create elements",
    "github.com": "translators' credits in the strings of Pagefind's stock UI, which the finder does not use",
    "bit.ly": "a link printed in a console warning of Material's search worker (unused: `plugins: []`)",
    # Material fetches a repository's stars from its API only for the repository link that the theme's
    # `repo_url` adds; mkdocs.yml sets none, and test_no_page_shows_a_repository_widget checks it.
    "api.github.com": "Material's repository facts, for a `repo_url` the site does not set",
}
# <link rel=…> values that are plain links, not loads.
LINK_RELS = {"canonical", "alternate", "license", "author", "help", "me", "next", "prev", "search"}

URL = re.compile(r"""(?:https?:)?//([a-z0-9][a-z0-9.-]*\.[a-z]{2,})(?=[/:"'`)\s?#]|$)""", re.IGNORECASE)
JS_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# A line comment starts after a line start, whitespace or `;{})` — not inside `https://`.
JS_LINE_COMMENT = re.compile(r"(^|[\s;{})])//[^\n]*", re.MULTILINE)


def js_hosts(text: str) -> set[str]:
    """Hosts of absolute URLs in JavaScript `text`, comments left out."""
    code = JS_LINE_COMMENT.sub(r"\1", JS_BLOCK_COMMENT.sub("", text))
    return {m.group(1).lower() for m in URL.finditer(code) if m.group(0).startswith(("http", "//"))}


CSS_LOAD = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


def css_hosts(text: str) -> set[str]:
    """The third-party URLs CSS `text` loads: its `url(…)` and `@import` targets (not `data:` ones)."""
    targets = (m.group(1) or m.group(2) for m in CSS_LOAD.finditer(JS_BLOCK_COMMENT.sub("", text)))
    return {target for target in targets if URL.match(target)}


class Loads(HTMLParser):
    """Collects the URLs an HTML page makes the browser load, and the code inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "poster", "data"):
            if name in values:
                self.urls.append(values[name])
        if "srcset" in values:
            self.urls += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]
        if tag == "link" and "href" in values and not set(values.get("rel", "").lower().split()) <= LINK_RELS:
            self.urls.append(values["href"])
        if "style" in values:
            self.styles.append(values["style"])
        if tag == "script" and values.get("type", "text/javascript") in ("text/javascript", "module", ""):
            self._inside = "script"
        elif tag == "style":
            self._inside = "style"

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside == "script":
            self.scripts.append(data)
        elif self._inside == "style":
            self.styles.append(data)


def third_party_loads(path: Path) -> set[str]:
    """What `path` (a shipped file) would load from another host, as host names or URLs."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".css":
        return css_hosts(text)
    if path.suffix in (".js", ".mjs", ".json"):
        return js_hosts(text) - NOT_LOADED.keys()
    parser = Loads()
    parser.feed(text)
    found = {url for url in parser.urls if URL.match(url.strip())}
    found |= {host for script in parser.scripts for host in js_hosts(script)} - NOT_LOADED.keys()
    return found | {host for style in parser.styles for host in css_hosts(style)}


def shipped(site: Path) -> list[Path]:
    files = [p for p in site.rglob("*") if p.suffix in (".html", ".css", ".js", ".mjs") and p.is_file()]
    # The JSON a page fetches: Pagefind's entry file and the finder's labels.
    return files + [p for p in site.rglob("*.json") if p.name in ("pagefind-entry.json", "labels.json")]


def test_no_shipped_file_loads_from_another_host(site: Path) -> None:
    files = shipped(site)
    assert any(p.name.startswith("bundle.") for p in files)
    assert any(p.suffix == ".html" for p in files)
    problems = {str(p.relative_to(site)): sorted(found) for p in files if (found := third_party_loads(p))}
    assert problems == {}


def test_material_fallbacks_point_to_no_other_host(site: Path) -> None:
    bundles = list(site.glob("**/assets/javascripts/bundle.*.min.js"))
    assert len(bundles) == 2  # one per language
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        assert "unpkg.com" not in text
        assert text.count('"data:text/javascript,') == 2


def test_no_page_shows_a_repository_widget(site: Path) -> None:
    """Material's only fetch from another host's API serves its repository link (see NOT_LOADED)."""
    assert not [p for p in site.rglob("*.html") if 'data-md-component="source"' in p.read_text(encoding="utf-8")]


def test_the_rule_sees_each_kind_of_load(tmp_path: Path) -> None:
    """Each kind of third-party load is found, and each kind of plain link or comment is not."""
    page = tmp_path / "page.html"
    page.write_text(
        '<a href="https://example.org/x">link</a><link rel="canonical" href="https://example.org/">'
        '<meta property="og:image" content="https://example.org/card.png">'
        '<script src="https://cdn.example.com/a.js"></script><img srcset="/a.png 1x, https://img.example.net/b.png 2x">'
        '<link rel="stylesheet" href="//fonts.example.com/css"><div style="background:url(https://bg.example.com/i.png)">'
        '<script>fetch("https://api.example.com/x") // https://comment.example.com/</script>',
        encoding="utf-8",
    )
    assert third_party_loads(page) == {
        "https://cdn.example.com/a.js",
        "https://img.example.net/b.png",
        "//fonts.example.com/css",
        "https://bg.example.com/i.png",
        "api.example.com",
    }
    script = tmp_path / "a.js"
    script.write_text(
        '/* see https://docs.example.com/ */ x="http://www.w3.org/2000/svg"; import("https://esm.example.com/m")'
    )
    assert third_party_loads(script) == {"esm.example.com"}
    style = tmp_path / "a.css"
    style.write_text("/* https://licence.example.com */ @import url(https://fonts.example.com/a.css);")
    assert third_party_loads(style) == {"https://fonts.example.com/a.css"}
    style.write_text("a{background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\")}")
    assert third_party_loads(style) == set()


def test_the_unpatched_bundle_is_refused_or_patched() -> None:
    """The build replaces Material's unpkg.com loads, and refuses a bundle with one it does not know."""
    original = (
        'a=_t("https://unpkg.com/resize-observer-polyfill");b=_t("https://unpkg.com/mermaid@11/dist/mermaid.min.js")'
    )
    patched = patch_bundle(original, "bundle.js")
    assert "unpkg" not in patched
    assert js_hosts(patched) == set()
    assert js_hosts(original) == {"unpkg.com"}
    with pytest.raises(BundleError, match=r"still refers to unpkg\.com"):
        patch_bundle(original + ';c=_t("https://unpkg.com/other")', "bundle.js")
    with pytest.raises(BundleError, match="not found"):
        patch_bundle("no fallback here", "bundle.js")


@pytest.mark.browser
def test_a_browser_without_resize_observer_stays_on_the_site(browser: Browser, base: str) -> None:
    """An old browser (no ResizeObserver) gets the local shim: no request leaves the site, no error."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script("delete window.ResizeObserver")
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/ke-hoach/")
    page.wait_for_load_state("networkidle")
    # The shim (from its data: URL), not the browser's own: Material did take the fallback path.
    assert "[native code]" not in page.evaluate("String(ResizeObserver)")
    assert [url for url in requests if not url.startswith((base, "data:"))] == []
    assert errors == []
    context.close()
