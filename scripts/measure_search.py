"""Measure search on a built site in Chromium: bytes a first search downloads and time to results.

scripts/measure_search.py SITE_DIR [QUERY ...]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import launch, serve_site


def kind(url: str) -> str:
    """What a Pagefind file is: index chunk, filter, fragment, metadata, entry, script or wasm."""
    name = url.rsplit("/", 1)[-1]
    for suffix, label in ((".pf_index", "index chunks"), (".pf_filter", "filters"), (".pf_fragment", "fragments"),
                          (".pf_meta", "meta"), (".json", "entry"), (".js", "JS"), (".css", "CSS")):  # fmt: skip
        if name.endswith(suffix):
            return label
    return "wasm" if "wasm" in name else name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=["thu tuc hanh chinh", "dat dai", "ISO 9001"])
    args = parser.parse_args()
    index = sum(f.stat().st_size for f in (args.site / "pagefind").rglob("*") if f.is_file())
    print(f"search index on disk: {index / 1e6:.2f} MB")
    with serve_site(args.site) as base, launch() as browser:
        for query in args.queries:
            page = browser.new_context().new_page()  # a first visit: nothing cached
            sizes: dict[str, int] = {}
            page.on(
                "response",
                lambda r, sizes=sizes: sizes.update({r.url: len(r.body())}) if "/pagefind/" in r.url else None,
            )
            labels: dict[str, int] = {}  # the finder's names of cities, pillars and agencies, fetched beside
            page.on(
                "response",
                lambda r, labels=labels: labels.update({r.url: len(r.body())}) if "/data/" in r.url else None,
            )
            start = time.perf_counter()
            page.goto(f"{base}/tra-cuu/?q={quote(query)}")
            page.wait_for_selector(".finder-result", timeout=60000)
            elapsed = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            print(f"{query!r}: first results after {elapsed * 1000:.0f} ms (page load included); "
                  f"Pagefind downloaded {sum(sizes.values()) / 1024:.0f} KB in {len(sizes)} files "
                  f"(and the finder {sum(labels.values()) / 1024:.0f} KB of data/labels.json); "
                  f"{page.inner_text('#finder-count')}")  # fmt: skip
            kinds: dict[str, list[int]] = {}
            for url, length in sizes.items():
                kinds.setdefault(kind(url), []).append(length)
            print("    " + ", ".join(f"{k} {sum(v) / 1024:.0f} KB ({len(v)})" for k, v in sorted(kinds.items())))
            page.context.close()


if __name__ == "__main__":
    main()
