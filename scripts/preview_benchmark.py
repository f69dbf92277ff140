"""Time the live preview (`serve`) on a project: scripts/preview_benchmark.py --root DIR.

First update (every page), then one save of one task file that changes one task's Vietnamese text,
then the same save again (nothing changed), each with its stages. scripts/BENCHMARKS.md has results.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.publish.preview import FOLDER, Preview  # noqa: E402


def timed(preview: Preview, what: str) -> None:
    changed, seconds = preview.update()
    stages = " / ".join(f"{name} {value:.1f}" for name, value in preview.timings.items())
    print(f"| {what} | {changed:,} | {seconds:.1f} | {stages} |", flush=True)


def main() -> None:
    gc.set_threshold(100_000)  # as `python -m generator` does (generator/__main__.py says why)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    root = parser.parse_args().root.resolve()
    task_file = sorted((root / "content" / "plans").glob("*/tasks/*.yaml"))[0]
    text = task_file.read_text(encoding="utf-8")
    # The first task's Vietnamese text, in YAML ('text: {vi: …') or JSON ('"text": {"vi": "…') files.
    edited = re.sub(r'(text"?:\s*\{\s*"?vi"?:\s*"?)', r"\1Sửa ", text, count=1)
    assert edited != text, f"no task text in {task_file}"
    preview = Preview(root, root / FOLDER)
    print("| update | pages changed | seconds | stages (s) |\n|---|--:|--:|---|")
    try:
        timed(preview, "first (everything)")
        task_file.write_text(edited, encoding="utf-8")
        timed(preview, f"save of {task_file.relative_to(root)} (one task's text)")
        timed(preview, "the same save again (no change)")
    finally:
        task_file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
