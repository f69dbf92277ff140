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
            start = time.perf_counter()
            page.goto(f"{base}/tra-cuu/?q={quote(query)}")
            page.wait_for_selector(".finder-result", timeout=60000)
            elapsed = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            print(f"{query!r}: first results after {elapsed * 1000:.0f} ms (page load included); "
                  f"Pagefind downloaded {sum(sizes.values()) / 1024:.0f} KB in {len(sizes)} files; "
                  f"{page.inner_text('#finder-count')}")  # fmt: skip
            page.context.close()


if __name__ == "__main__":
    main()
