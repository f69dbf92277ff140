"""Build projects and report wall time, peak memory, pages, site and search-index size, as Markdown rows.

scripts/benchmark.py --real --tasks 1000 --tasks 10000     (the figures in scripts/BENCHMARKS.md)
scripts/benchmark.py --root DIR                            (any project folder, e.g. from scripts/synthetic.py)
scripts/benchmark.py --tasks 10000 --reports               (each synthetic project without, then with, reports)

Each build runs `python -m generator build` into a temporary site folder. Peak memory is sampled from
/proc every 0.1 s over the whole process tree (the two MkDocs runs overlap), and also given for the
largest single process. The machine's load average is printed before and after each build: other
work on the same cores slows a build down."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """What one build measured."""

    name: str
    tasks: int
    wall: float
    cpu: float  # s, user + system time of every process of the build
    stages: dict[str, float]
    peak_tree: float  # MB, all processes of the build at once
    peak_process: float  # MB, the largest single process
    pages: int
    site: float  # MB
    index: float  # MB
    load: tuple[float, float] = field(default=(0.0, 0.0))


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def tree_rss(root_pid: int) -> dict[str, int]:
    """Resident memory in kB of a process and its descendants, per program, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    programs: dict[int, str] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
            command = Path(entry.path, "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        parents[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
        found = re.search(r"mkdocs\.(\w+)\.yml", command)
        programs[pid] = f"MkDocs {found[1]}" if found else "Pagefind" if "pagefind" in command else "generator"
    family, changed = {root_pid}, True
    while changed:
        grown = family | {pid for pid, parent in parents.items() if parent in family}
        changed, family = grown != family, grown
    usage: dict[str, int] = {}
    for pid in family:
        usage[programs.get(pid, "?")] = usage.get(programs.get(pid, "?"), 0) + rss.get(pid, 0)
    return usage


def build(name: str, root: Path, tasks: int, keep: Path | None) -> Result:
    site = (keep or Path(tempfile.mkdtemp(prefix="bench-site-"))) / f"site-{re.sub(r'[^a-z0-9]+', '-', name)}"
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "build", "--site", str(site)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    peaks: dict[str, int] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            usage = tree_rss(process.pid)
            peak = max(peak, sum(usage.values()))
            for program, used in usage.items():
                peaks[program] = max(peaks.get(program, 0), used)
            done.wait(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # rusage of this build alone, waited-for descendants included
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    print(output, end="")
    print("peak memory per program: " + ", ".join(f"{k} {v / 1024:,.0f} MB" for k, v in sorted(peaks.items())))
    if process.returncode != 0:
        sys.exit(f"{name}: the build failed")
    stages = {k: float(v) for k, v in re.findall(r"\((\w+) ([\d.]+) s\)", output)}
    result = Result(
        name=name,
        tasks=tasks,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        stages=stages,
        peak_tree=peak / 1024,
        peak_process=usage.ru_maxrss / 1024,
        pages=sum(1 for _ in site.rglob("*.html")),
        site=size(site) / 1e6,
        index=size(site / "pagefind") / 1e6 if (site / "pagefind").exists() else 0.0,
        load=(load_before, os.getloadavg()[0]),
    )
    if keep is None:
        shutil.rmtree(site.parent, ignore_errors=True)
    return result


def row(r: Result, ratio: str) -> str:
    stages = " / ".join(f"{r.stages.get(k, 0):.1f}" for k in ("validate", "render", "renderer", "pagefind"))
    return (
        f"| {r.name} | {r.tasks:,} | {r.wall:.1f} | {r.cpu:.1f} | {stages} | {r.peak_tree:,.0f} | {r.peak_process:,.0f} "
        f"| {r.pages:,} | {r.site:.1f} | {r.index:.1f} | {ratio} | {r.load[0]:.1f} → {r.load[1]:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", action="store_true", help="build this checkout's content")
    parser.add_argument("--tasks", type=int, action="append", default=[], help="build a synthetic project")
    parser.add_argument("--root", type=Path, action="append", default=[], help="build this project folder")
    parser.add_argument(
        "--reports",
        action="store_true",
        help="build each synthetic project a second time with four periods of reports for every task",
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="keep synthetic projects and built sites here (e.g. for "
        "scripts/measure_search.py); default: a temporary folder, removed",
    )
    args = parser.parse_args()
    if not (args.real or args.tasks or args.root):
        args.real = True
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"{os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = []
    if args.real:
        results.append(build("real plans", ROOT, count_tasks(ROOT), args.work))
    for root in args.root:
        results.append(build(root.name, root, count_tasks(root), args.work))
    with_reports: list[tuple[Result, Result]] = []
    for tasks in args.tasks:
        for reports in (False, True) if args.reports else (False,):
            root = work / f"synthetic-{tasks}{'-reports' if reports else ''}"
            subprocess.run(
                [sys.executable, str(ROOT / "scripts" / "synthetic.py"), "--tasks", str(tasks), "--out", str(root)]
                + (["--reports"] if reports else []),
                check=True,
            )
            results.append(build(f"synthetic {tasks:,}{' with reports' if reports else ''}", root, tasks, args.work))
            if reports:
                with_reports.append((results[-2], results[-1]))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    synthetic = [r for r in results if r.name != "real plans" and "reports" not in r.name]
    print()
    print(
        "| project | tasks | wall (s) | CPU (s) | validate / render / MkDocs / Pagefind (s) | peak memory, all processes (MB) "
        "| largest process (MB) | HTML pages | site (MB) | search index (MB) | time ÷ first synthetic "
        "| load average before → after |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        ratio = f"{r.wall / synthetic[0].wall:.1f}" if r in synthetic[1:] else ""
        print(row(r, ratio))
    for without, with_ in with_reports:
        print(
            f"{with_.name}: wall {with_.wall / without.wall:.2f}× and CPU {with_.cpu / without.cpu:.2f}× the "
            f"same project without reports ({without.wall:.1f} s → {with_.wall:.1f} s)"
        )


def count_tasks(root: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from generator.content.validate import load_content

    content, _ = load_content(root)
    return sum(len(p.tasks) for p in content.plans)


if __name__ == "__main__":
    main()
