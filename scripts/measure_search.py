"""Measure search on a built site in Chromium: bytes a first search downloads and time to results.

scripts/measure_search.py SITE_DIR [QUERY ...] [--width 390 --width 1280] [--gzip]

A QUERY "" measures the finder's landing view (`/tra-cuu/`, no query, no filter); a QUERY starting with "?"
is the finder's address as it is (`"?city=hai-phong"`: a view with filters and no query).

Counts the bytes of Pagefind's files and of data/labels.json (the finder's names for facet values) as
they come over the wire, in a fresh browser context (nothing cached): those needed before the first
results appear, and all of them until the network is idle (the facets load after the results)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Response

from tests.browser import launch, serve_site


def kind(url: str) -> str:
    """What a Pagefind file is: index chunk, filter, fragment, metadata, sort orders, entry, script or wasm."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if name == "labels.json":
        return "labels"
    if name.startswith("orders."):
        return "orders"  # the sort orders (generator/publish/stable_index.py, ORDERS)
    for suffix, label in ((".pf_index", "index chunks"), (".pf_filter", "filters"), (".pf_fragment", "fragments"),
                          (".pf_meta", "meta"), (".json", "entry"), (".js", "JS"), (".css", "CSS")):  # fmt: skip
        if name.endswith(suffix):
            return label
    return "wasm" if "wasm" in name else name


def finder_address(query: str) -> str:
    """The finder's query string for QUERY: none for "", QUERY itself if it starts with "?", else ?q=QUERY."""
    if not query or query.startswith("?"):
        return query
    return f"?q={quote(query)}"


def measure(browser: Browser, base: str, query: str, width: int) -> None:
    """One first search (a fresh context: nothing cached) at `width` px; print what it downloaded."""
    height = 844 if width < 600 else 900
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sizes: dict[str, int] = {}  # Pagefind's files and the finder's data/labels.json: bytes on the wire
    started: dict[str, float] = {}  # when each was requested (ms since the epoch, the browser's clock)

    def count(response: Response) -> None:
        if "/pagefind/" in response.url or "/data/labels.json" in response.url:
            # On the wire: the Content-Length the server sent (the gzip size when it compressed).
            sizes[response.url] = int(response.headers.get("content-length") or len(response.body()))
            started[response.url] = response.request.timing["startTime"]

    page.on("response", count)
    # The moment the first result is in the page, by the same clock.
    page.add_init_script("""new MutationObserver(function (changes, observer) {
      if (document.querySelector('.finder-result')) { window.firstResult = Date.now(); observer.disconnect(); }
    }).observe(document, {childList: true, subtree: true});""")
    start = time.perf_counter()
    page.goto(f"{base}/tra-cuu/{finder_address(query)}")
    page.wait_for_selector(".finder-result", timeout=60000)
    elapsed = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the facets, loaded after the results on a wide screen
    page.wait_for_load_state("networkidle")
    shown = page.evaluate("window.firstResult")
    first = {url: size for url, size in sizes.items() if started[url] <= shown}  # what the first results needed
    print(f"{query!r} at {width} px: first results after {elapsed * 1000:.0f} ms (page load included), "
          f"{page.inner_text('#finder-count')}; downloaded for search "
          f"{sum(first.values()) / 1024:.0f} KB in {len(first)} files before the first results, "
          f"{sum(sizes.values()) / 1024:.0f} KB in {len(sizes)} files until idle")  # fmt: skip
    for label, files in (("before results", first), ("until idle", sizes)):
        kinds: dict[str, list[int]] = {}
        for url, length in files.items():
            kinds.setdefault(kind(url), []).append(length)
        print(f"    {label}: " + ", ".join(f"{k} {sum(v) / 1024:.0f} KB ({len(v)})" for k, v in sorted(kinds.items())))
    page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=["thu tuc hanh chinh", "dat dai", "ISO 9001"])
    parser.add_argument("--width", type=int, action="append", help="viewport width in px (repeatable; default 1280)")
    parser.add_argument("--gzip", action="store_true", help="serve text files gzip-compressed, as published")
    args = parser.parse_args()
    index = sum(f.stat().st_size for f in (args.site / "pagefind").rglob("*") if f.is_file())
    print(
        f"search index on disk: {index / 1e6:.2f} MB; files served {'gzip-compressed' if args.gzip else 'as they are'}"
    )
    with serve_site(args.site, compress=args.gzip) as base, launch() as browser:
        for query in args.queries:
            for width in args.width or [1280]:
                measure(browser, base, query, width)


if __name__ == "__main__":
    main()
