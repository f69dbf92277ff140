"""Build a project and report wall time, peak memory, pages, site and search-index size.

scripts/benchmark.py [--root DIR]      (default: this checkout; see scripts/synthetic.py)"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    site = Path(tempfile.mkdtemp()) / "site"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "--root", str(args.root), "build", "--site", str(site)],
                   cwd=ROOT, check=True)  # fmt: skip
    wall = time.perf_counter() - start
    # ru_maxrss of children is the largest single process (one MkDocs run, Pagefind, or the generator).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"wall {wall:.1f} s, peak memory of one process {peak:.0f} MB, {pages} HTML pages, "
          f"site {size(site) / 1e6:.1f} MB, search index {size(site / 'pagefind') / 1e6:.1f} MB ({site})")  # fmt: skip


if __name__ == "__main__":
    main()
