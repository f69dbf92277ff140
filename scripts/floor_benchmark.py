"""A full build of the real plans against the renderer's own floor, measured side by side.

scripts/floor_benchmark.py --runs 7 [--baseline OTHER_CHECKOUT] [--cold]
    (the figures in scripts/BENCHMARKS.md, "Full build against the renderer's floor")

Alternates, `--runs` times each, each kind first in turn (so that a change of load hits all alike):
- **build**: `python -m generator build --site …` on this checkout, from start to exit, rebuilding the
  same site folder each time (the usual case: the previous site is replaced);
- **baseline** (with `--baseline`): the same with another checkout's generator, e.g. an older commit;
- **floor**: the renderer alone building as many simple pages per language as the real site has (one
  heading and one paragraph each, in folders like the real ones), both languages at once, with the
  same command line (`generator.publish.renderer.command`), the same theme (Material with mkdocs.yml's features,
  palette and Markdown extensions, through INHERIT) and a navigation of as many entries, but none of
  the project's own work: no theme overrides, no hook, no content, no search index, no feeds.

Python's bytecode of the generator is compiled before the runs: Python keeps it between runs by itself,
unless the environment says not to (PYTHONDONTWRITEBYTECODE, set on the machine these figures come from),
and then every build and renderer run would compile the generator's modules again (0.26 s of CPU in the
build's process alone there), which is not the build's work.

Prints each run's wall and CPU time (user + system, the programs it started included), the build's
own stage timings, the medians, the ratio to the floor and the load average before and after each run: the machine is shared, so only runs taken side by side compare.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.base import template_cache  # noqa: E402
from generator.publish import renderer  # noqa: E402
from generator.publish.build import NAV  # noqa: E402
from generator.publish.write import remove_tree  # noqa: E402

LANGUAGES = ("vi", "en")
TEMPLATE_CACHE = template_cache.FOLDER.relative_to(ROOT)  # generator/__pycache__/jinja
SECTIONS = len(NAV)  # the real site's top folders, one navigation entry each


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _finish(process: subprocess.Popen[bytes]) -> tuple[str, float]:
    """What a program printed and the CPU time (user + system) it and the programs it waited for used."""
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(map(str, process.args))} failed:\n{output}")  # type: ignore[arg-type]
    return output, usage.ru_utime + usage.ru_stime


def real_build(site: Path, checkout: Path = ROOT, *, cold: bool = False) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU time of one full build into `site` by the generator of `checkout`, and the stages it
    reports; `cold`: without the templates earlier builds compiled (TEMPLATE_CACHE of that checkout)."""
    if cold:
        shutil.rmtree(checkout / TEMPLATE_CACHE, ignore_errors=True)
    start = time.perf_counter()
    process = _run([sys.executable, "-m", "generator", "--root", str(checkout), "build", "--site", str(site)], checkout)
    output, cpu = _finish(process)
    wall = time.perf_counter() - start
    return wall, cpu, {k: float(v) for k, v in re.findall(r"\(([\w ]+?) ([\d.]+) s\)", output)}


def pages_per_language(site: Path) -> dict[str, int]:
    """Markdown pages of each language of a built site: its HTML pages but 404.html."""
    vi = sum(1 for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "en")
    en = sum(1 for _ in (site / "en").rglob("*.html"))
    return {"vi": vi - 1, "en": en - 1}


def floor_project(work: Path, pages: dict[str, int]) -> dict[str, Path]:
    """Simple Markdown pages and one configuration per language; the configurations by language."""
    plain = work / "no-overrides"  # Material as installed: an empty custom_dir replaces mkdocs.yml's theme/
    plain.mkdir(parents=True)
    configs = {}
    for lang in LANGUAGES:
        docs = work / "docs" / lang
        names = []
        for i in range(pages[lang]):
            name = "index.md" if i == 0 else f"section-{i % SECTIONS}/page-{i}/index.md"
            names.append(name)
            file = docs / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(f"# Page {i}\n\nA simple page, number {i}, with one paragraph of text.\n", encoding="utf-8")
        config = {
            "INHERIT": str(ROOT / "mkdocs.yml"),
            "site_name": f"Floor ({lang})",
            "docs_dir": f"docs/{lang}",
            "site_dir": f"out/{lang}",
            "theme": {"language": lang, "custom_dir": str(plain)},
            "extra_css": [],
            "nav": [{f"Entry {i}": name} for i, name in enumerate(names[: len(NAV)])],
        }
        configs[lang] = renderer.config_file(work, lang)
        configs[lang].write_text(json.dumps(config, indent=1), encoding="utf-8")
    return configs


def floor_build(work: Path, configs: dict[str, Path]) -> tuple[float, float]:
    """Wall and CPU time of both languages' renderer runs at once, as the build starts them."""
    for lang in LANGUAGES:
        remove_tree(work / "out" / lang)  # not timed: each run writes a fresh folder
    env = renderer.environment(int(time.time()))
    start = time.perf_counter()
    runs = [_run(renderer.command(configs[lang]), ROOT, env) for lang in LANGUAGES]
    cpu = sum(_finish(run)[1] for run in runs)
    return time.perf_counter() - start, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="builds of each kind (default 5)")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. a `git clone` of this one at an older commit, with a .venv link): its "
        "build joins the rotation, to compare a change side by side",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="remove the compiled templates before each build (a fresh clone's first build); default: kept",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="floor-"))
    checkouts = {"build": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    kinds = [*checkouts, "floor"]
    for checkout in checkouts.values():
        compileall.compile_dir(checkout / "generator", quiet=1)  # see the module's docstring
    try:
        print(
            f"{os.cpu_count()} cores; load average {load()}; bytecode compiled; compiled templates "
            f"{'removed before each build' if args.cold else 'kept between builds'}; "
            "warming up (one build of each, not counted)"
        )
        for kind, checkout in checkouts.items():
            real_build(work / kind / "site", checkout)
        pages = pages_per_language(work / "build" / "site")
        configs = floor_project(work / "floor", pages)
        floor_build(work / "floor", configs)
        print(f"pages per language: {pages}")
        walls: dict[str, list[float]] = {kind: [] for kind in kinds}
        cpus: dict[str, list[float]] = {kind: [] for kind in kinds}
        stages: dict[str, list[dict[str, float]]] = {kind: [] for kind in checkouts}
        for run in range(args.runs):
            for kind in kinds[run % len(kinds) :] + kinds[: run % len(kinds)]:  # each kind first in turn
                before = load()
                if kind in checkouts:
                    wall, cpu, found = real_build(work / kind / "site", checkouts[kind], cold=args.cold)
                    stages[kind].append(found)
                    detail = " ".join(f"{k} {v:.1f}" for k, v in found.items())
                else:
                    wall, cpu = floor_build(work / "floor", configs)
                    detail = ""
                walls[kind].append(wall)
                cpus[kind].append(cpu)
                print(
                    f"run {run + 1} {kind:8} {wall:5.2f} s (CPU {cpu:5.2f} s)  load {before} → {load()}  {detail}".rstrip(),
                    flush=True,
                )
        print()
        floor = statistics.median(walls["floor"])
        for kind in kinds:
            median = statistics.median(walls[kind])
            paired = statistics.median(w / f for w, f in zip(walls[kind], walls["floor"], strict=True))
            print(
                f"{kind:8} wall median {median:5.2f} s ({' '.join(f'{w:.2f}' for w in walls[kind])}), "
                f"÷ floor {median / floor:.2f} (median of each run's ratio {paired:.2f}); "
                f"CPU median {statistics.median(cpus[kind]):.2f} s"
            )
        for kind in checkouts:
            names = list(dict.fromkeys(k for found in stages[kind] for k in found))
            print(
                f"median stages ({kind}): "
                + ", ".join(f"{k} {statistics.median(f.get(k, 0.0) for f in stages[kind]):.1f}" for k in names)
            )
        print(f"load average at the end: {load()}")
    finally:
        remove_tree(work)


if __name__ == "__main__":
    main()
