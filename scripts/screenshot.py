"""Take screenshots of pages of a built site in headless Chromium: scripts/screenshot.py URL_PATH... ."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import launch, serve_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", help="site paths, e.g. / or /en/ke-hoach/da-nang-2021/3-d/")
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--no-js", action="store_true")
    parser.add_argument("--full", action="store_true", help="whole page, not only the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serve_site(args.site) as base, launch() as browser:
        context = browser.new_context(viewport={"width": args.width, "height": 900},
                                      color_scheme="dark" if args.dark else "light",
                                      java_script_enabled=not args.no_js)  # fmt: skip
        page = context.new_page()
        for path in args.paths:
            page.goto(base + path)
            name = path.strip("/").replace("/", "_") or "home"
            file = args.out / f"{name}-{args.width}{'-dark' if args.dark else ''}.png"
            page.screenshot(path=str(file), full_page=args.full)
            print(file)


if __name__ == "__main__":
    main()
