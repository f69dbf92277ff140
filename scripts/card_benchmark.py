"""Time the link-preview card step (generator/pages/cards.py) on a project: scripts/card_benchmark.py [ROOT].

Three runs on a private cache (ROOT's own .cache/cards/ is left alone): cold (every card drawn), warm
(every card from the cache: what a rebuild costs), and after one task's text changed (its two cards
drawn). Prints the number of cards, the cards drawn, seconds and the bytes the cards add to site/.
Results: scripts/BENCHMARKS.md, "Link-preview cards"."""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.site import Site, task_url  # noqa: E402
from generator.content.validate import load_content  # noqa: E402
from generator.pages.cards import FILE, CardCache, card_files  # noqa: E402
from generator.pages.share import all_cards  # noqa: E402


def _cpu() -> float:
    """User + system time of this process and of its finished children (the drawing pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    content, _ = load_content(root)
    start = time.perf_counter()
    cards = all_cards(Site(content))
    print(f"{len(cards)} cards described in {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        for run in ("cold", "warm", "one task changed"):
            if run == "one task changed":  # as an edit of its text would: its card in each language
                plan = content.plans[0]
                for prefix in ("", "en/"):
                    path = f"{prefix}{task_url(plan.plan, plan.tasks[0])}{FILE}"
                    cards[path] = replace(cards[path], text=cards[path].text + " (sửa)")
            start, cpu = time.perf_counter(), _cpu()
            files, drawn = card_files(cards, CardCache(Path(folder)))
            seconds, cpu = time.perf_counter() - start, _cpu() - cpu
            size = sum(len(data) for data in files.values())
            print(
                f"{run}: {drawn} drawn in {seconds:.1f} s (CPU {cpu:.1f} s, all processes); {len(files)} files, {size:,} bytes ({size / len(files):,.0f} per card)"
            )


if __name__ == "__main__":
    main()
