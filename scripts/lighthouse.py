"""Lighthouse performance of the published site (mobile profile): a benchmark, since it depends on the CPU.

scripts/lighthouse.py [--runs N] [--work DIR]

Builds the real plans as CI publishes them (SITE_URL set, served gzip-compressed on 127.0.0.1), runs
Lighthouse N times on the home, a task and the finder page, and prints each run's scores and timings,
then a Markdown table of the median and range per page for scripts/BENCHMARKS.md. The gate in
tests/test_lighthouse.py asserts only what does not depend on the machine's speed."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lighthouse import CATEGORIES, PAGES, lighthouse, published

ROOT = Path(__file__).resolve().parent.parent
TIMINGS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "SI": "speed-index",
}


def span(values: list[float], unit: str = "") -> str:
    low, high = min(values), max(values)
    middle = statistics.median(values)
    return f"{middle:g}{unit} ({low:g}–{high:g})" if low != high else f"{middle:g}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    parser.add_argument("--work", type=Path, help="where to build the site (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        print(f"load average before: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
        rows = []
        with published(ROOT, work / "site") as url:
            for kind, path in PAGES.items():
                runs = []
                for run in range(args.runs):
                    report = lighthouse(url + path, work / f"{kind}-{run}.json")
                    scores = report.scores()
                    timings = {name: report.metric(audit) for name, audit in TIMINGS.items()}
                    runs.append((scores, timings))
                    print(
                        f"{kind} #{run + 1}: "
                        + " / ".join(str(scores[c]) for c in CATEGORIES)
                        + "  "
                        + "  ".join(f"{name} {value:.0f} ms" for name, value in timings.items())
                    )
                rows.append(
                    f"| {kind} | "
                    + " | ".join(span([r[0][c] for r in runs]) for c in CATEGORIES)
                    + " | "
                    + " | ".join(span([round(r[1][name]) for r in runs], " ms") for name in TIMINGS)
                    + " |"
                )
        print(f"load average after: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print()
        print("| page | " + " | ".join(CATEGORIES) + " | " + " | ".join(TIMINGS) + " |")
        print("|---|" + "--:|" * (len(CATEGORIES) + len(TIMINGS)))
        print("\n".join(rows))


if __name__ == "__main__":
    main()
