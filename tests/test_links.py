"""Links gate: every link, script, stylesheet, image and form of the built site that points inside the site
resolves to a file, and every #fragment to an element of the target page. Links to other hosts are listed,
not fetched (the test machines have no internet)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes holding one URL, and the ones holding a list (srcset: "url 2x, url 640w").
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "cite", "data", "xlink:href"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
# A fake origin for resolving relative URLs: whatever resolves onto it is inside the site.
SITE = "http://site.invalid/"


@dataclass
class Page:
    """What the checker needs from one HTML file: its anchors and the URLs it refers to."""

    ids: set[str] = field(default_factory=set)
    references: list[tuple[str, str]] = field(default_factory=list)  # (tag.attribute, url)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name in URL_ATTRIBUTES:
                self.page.references.append((f"{tag}.{name}", value.strip()))
            elif name in SRCSET_ATTRIBUTES:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.page.references.append((f"{tag}.{name}", candidate.split()[0]))


def parse(file: Path) -> Page:
    collector = _Collector()
    collector.feed(file.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


@dataclass
class Report:
    """The outcome of checking a built site."""

    pages: int = 0
    internal: int = 0
    fragments: int = 0
    broken: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # url -> pages


def target_file(site: Path, path: str) -> Path | None:
    """The file a site path is served from (a folder serves its index.html), or None."""
    file = site / unquote(path).lstrip("/")
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


def check_site(site: Path, origin: str | None = None) -> Report:
    """Check every reference of every HTML page under `site`; `origin` is the site's own public address, if
    pages carry absolute links to themselves (SITE_URL)."""
    report = Report()
    parsed: dict[Path, Page] = {}

    def page_of(file: Path) -> Page:
        if file not in parsed:
            parsed[file] = parse(file)
        return parsed[file]

    for file in sorted(site.rglob("*.html")):
        report.pages += 1
        name = file.relative_to(site).as_posix()
        for where, url in page_of(file).references:
            scheme = urlsplit(url).scheme
            if scheme in ("mailto", "tel", "data"):
                continue
            if scheme == "javascript":
                report.broken.append(f"{name}: {where}={url!r}: a javascript: URL")
                continue
            own = SITE + url[len(origin) :].lstrip("/") if origin and url.startswith(origin) else url
            resolved = urlsplit(urljoin(SITE + name, own))
            if f"{resolved.scheme}://{resolved.netloc}/" != SITE:
                # A real host has a dot in its name: "//en/" or "//../" is a broken relative link.
                if "." not in (resolved.hostname or ""):
                    report.broken.append(f"{name}: {where}={url!r}: not a host name")
                report.external[url].add(name)
                continue
            report.internal += 1
            target = target_file(site, resolved.path)
            if target is None:
                report.broken.append(f"{name}: {where}={url!r}: no such file")
                continue
            fragment = unquote(resolved.fragment)
            if fragment and target.suffix == ".html":
                report.fragments += 1
                if fragment not in page_of(target).ids and fragment.lower() != "top":
                    report.broken.append(f"{name}: {where}={url!r}: no id {fragment!r} in the target page")
    return report


def test_no_broken_link_or_anchor_in_the_site(site: Path) -> None:
    report = check_site(site)
    print(
        f"\nlinks: {report.pages} pages, {report.internal} internal references ({report.fragments} with a fragment), "
        f"{len(report.external)} distinct external links (not fetched):"
    )
    for url, pages in sorted(report.external.items()):
        print(f"  {url}  (on {len(pages)} pages, e.g. {min(pages)})")
    assert report.pages > 400
    cards = len(list(site.glob("nhung/**/*.html"))) + len(list(site.glob("en/nhung/**/*.html")))  # 2-3 links each
    assert report.internal > (report.pages - cards) * 50
    assert not report.broken, f"{len(report.broken)} broken:\n" + "\n".join(report.broken[:50])


def test_the_checker_finds_what_is_broken(tmp_path: Path) -> None:
    """The gate can fail: a missing page, a missing anchor, a bad srcset entry and a protocol-relative slip."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<h2 id="here">x</h2><a name="old"></a>', encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#old">ok</a><a href="#top">ok</a>'
        '<img src="logo.png" srcset="logo.png 1x, logo@2x.png 2x" alt="">'
        '<a href="b/">missing page</a><a href="a/#there">missing anchor</a><a href="//en/">slip</a>'
        '<a href="https://example.org/x">external</a><a href="javascript:alert(1)">script</a>'
        '<form action="a/"></form><link rel="stylesheet" href="missing.css">',
        encoding="utf-8",
    )
    report = check_site(tmp_path)
    assert [line.split(": ", 2)[1] for line in report.broken] == [
        "img.srcset='logo@2x.png'",
        "a.href='b/'",
        "a.href='a/#there'",
        "a.href='//en/'",
        "a.href='javascript:alert(1)'",
        "link.href='missing.css'",
    ]
    assert set(report.external) == {"//en/", "https://example.org/x"}


def test_absolute_links_to_the_site_itself_are_checked(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<link rel="canonical" href="https://x.example/"><link rel="alternate" href="https://x.example/en/">',
        encoding="utf-8",
    )
    report = check_site(tmp_path, origin="https://x.example/")
    assert report.broken == ["index.html: link.href='https://x.example/en/': no such file"]
    assert report.internal == 2
