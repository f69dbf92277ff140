"""Time the live preview (`serve`) on a project: scripts/preview_benchmark.py --root DIR.

First update (every page), then --saves saves of one task file, each changing one task's Vietnamese
text (a different text each time), then the same save again (nothing changed), each with its stages
and its kind; the median and the largest of the saves. The time of a save is from the save to the
moment the preview's files are up to date, when `serve` tells the browser to reload (the reload
itself, a few milliseconds on 127.0.0.1, is not counted). scripts/BENCHMARKS.md has results.
"""

from __future__ import annotations

import argparse
import gc
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.publish.preview import FOLDER, Preview  # noqa: E402

# The first task's Vietnamese text: 'text: {vi: …', '"text": {"vi": "…' (JSON) or 'text:\n    vi: …' (block).
TASK_TEXT = re.compile(r'(text"?:\s*(?:\{\s*|\n\s+)"?vi"?:[ \t]*"?)(?=[^\s|>"])')


def cpu() -> float:
    """CPU seconds of this process and the renderer runs it waited for: on a busy machine, what the
    update itself cost (the wall time adds the waiting for the other programs' turns)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def timed(preview: Preview, what: str) -> tuple[float, float]:
    start, used = time.perf_counter(), cpu()
    done = preview.update()
    seconds, used = time.perf_counter() - start, cpu() - used
    preview.settle()  # the open data, feeds and calendars, written after the pages
    data = time.perf_counter() - start - seconds
    stages = " / ".join(f"{name} {value:.1f}" for name, value in preview.timings.items())
    print(
        f"| {what} | {done.kind} | {done.changed:,} | {seconds:.1f} | {used:.1f} | {data:.1f} | {stages} |", flush=True
    )
    return seconds, used


def main() -> None:
    gc.set_threshold(100_000)  # as `python -m generator` does (generator/__main__.py says why)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    root = args.root.resolve()
    task_file = sorted((root / "content" / "plans").glob("*/tasks/*.yaml"))[0]
    text = task_file.read_text(encoding="utf-8")
    # The first task's Vietnamese text, in YAML ('text: {vi: …') or JSON ('"text": {"vi": "…') files.
    preview = Preview(root, root / FOLDER)  # closed below: the renderer's runs started ahead end
    print(
        "| update | kind | pages changed | seconds | CPU s | data files +s | stages (s) |\n|---|---|--:|--:|--:|--:|---|"
    )
    saves = []
    try:
        timed(preview, "first (everything)")
        for save in range(1, args.saves + 1):
            edited = re.sub(TASK_TEXT, rf"\1Sửa {save} ", text, count=1)
            assert edited != text, f"no task text in {task_file}"
            task_file.write_text(edited, encoding="utf-8")
            saves.append(timed(preview, f"save {save} of {task_file.relative_to(root)} (one task's text)"))
        timed(preview, "the same save again (no change)")
    finally:
        task_file.write_text(text, encoding="utf-8")
        preview.close()
    walls, cpus = [wall for wall, _ in saves], [used for _, used in saves]
    print(f"\nsaves: median {statistics.median(walls):.1f} s, max {max(walls):.1f} s (wall);", end=" ")
    print(f"median {statistics.median(cpus):.1f} s, max {max(cpus):.1f} s (CPU)")


if __name__ == "__main__":
    main()
