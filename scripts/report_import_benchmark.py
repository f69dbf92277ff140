"""How long `report-import` takes for a quarter's forms: scripts/report_import_benchmark.py [--forms 40] [--runs 5].

Writes a synthetic project (scripts/synthetic.py, no reports), makes every agency's form for each plan's first
period with `report-form` until it has --forms of them, fills each in as an agency would (a status for every
row, dates, texts, evidence: openpyxl), then times `python -m generator report-import` of all of them as
Sở Nội vụ runs it (a new process each run, content loaded, every form read and checked, the reports checked
as `check` reads them, then written), the reports removed between runs; then once more with the reports in
place (every form 'unchanged'). Prints the median and every run; scripts/BENCHMARKS.md records results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.progress import plan_periods  # noqa: E402
from generator.content.validate import load_content  # noqa: E402
from generator.forms.report_layout import COLUMN, FIRST_ROW, HEAD_ROWS, REPORT_SHEET, STATUS_LABEL  # noqa: E402

STATUSES = ("in_progress", "completed", "not_started", "in_progress", "suspended")


def cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def generator(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def make_forms(root: Path, out: Path, wanted: int) -> list[tuple[Path, str]]:
    """Forms of every agency of each plan's first period, until there are `wanted`; each with its period."""
    content, _ = load_content(root)
    made: list[tuple[Path, str]] = []
    for item in content.plans:
        period = plan_periods(item.plan)[0].id
        folder = out / item.plan.id
        done = generator(root, "report-form", "--plan", item.plan.id, "--period", period, "--out", folder)
        if done.returncode != 0:
            raise SystemExit(done.stdout + done.stderr)
        made += [(path, period) for path in sorted(folder.glob("*.xlsx"))]
        if len(made) >= wanted:
            return made[:wanted]
    raise SystemExit(f"only {len(made)} forms: make a bigger project (--tasks)")


def fill(form: Path, period: str) -> int:
    """Fill a form in place: the report's date and document, and every row. Returns the rows filled."""
    year, part = int(period[:4]), period[5:]
    end = {"Q1": dt.date(year, 3, 31), "H1": dt.date(year, 6, 30)}.get(part, dt.date(year, 3, 31))
    book = load_workbook(form)
    sheet = book[REPORT_SHEET]
    sheet[f"C{HEAD_ROWS['date']}"] = end
    sheet[f"C{HEAD_ROWS['document_number']}"] = "25/BC-UBND"
    sheet[f"C{HEAD_ROWS['document_date']}"] = end
    row = FIRST_ROW
    while sheet[f"{COLUMN['task_id'].letter}{row}"].value:
        status = STATUSES[row % len(STATUSES)]
        values = {"status": STATUS_LABEL[status], "done": f"Đã triển khai, kết quả đợt {row}: đạt 80%."}
        if status == "completed":
            values |= {"completed": end - dt.timedelta(days=row % 60)}
            values |= {"evidence_number": f"{row}/QĐ-UBND", "evidence_date": end - dt.timedelta(days=row % 60)}
        if status == "suspended":
            values["reason"] = "Chờ hướng dẫn của cơ quan cấp trên."
        if row % 4 == 0:
            values["difficulties"] = "Thiếu kinh phí và nhân lực."
        for field, value in values.items():
            sheet[f"{COLUMN[field].letter}{row}"] = value  # type: ignore[index]
        row += 1
    book.save(form)
    return row - FIRST_ROW


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=500, help="size of the synthetic project")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-import-bench-") as folder:
        root = Path(folder) / "project"
        subprocess.run(
            [sys.executable, str(ROOT / "scripts/synthetic.py"), "--tasks", str(args.tasks), "--out", str(root)],
            check=True,
        )
        forms = make_forms(root, Path(folder) / "forms", args.forms)
        rows = sum(fill(form, period) for form, period in forms)
        files = [form for form, _ in forms]
        print(f"{len(files)} forms, {rows} rows filled, {sum(f.stat().st_size for f in files) // 1024} KiB")
        reports = root / "content" / "plans"
        fresh, again, fresh_cpu, again_cpu = [], [], [], []
        for _ in range(args.runs):
            for written in reports.glob("*/reports"):
                shutil.rmtree(written)
            start, used = time.perf_counter(), cpu()
            done = generator(root, "report-import", *files)
            fresh.append(time.perf_counter() - start)
            fresh_cpu.append(cpu() - used)
            if done.returncode != 0:
                raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
            start, used = time.perf_counter(), cpu()
            done = generator(root, "report-import", *files)
            again.append(time.perf_counter() - start)
            again_cpu.append(cpu() - used)
            assert done.stdout.count("unchanged ") == len(files), done.stdout[-2000:]
        for name, times, used in (
            ("import (writes every report)", fresh, fresh_cpu),
            ("re-import (all unchanged)", again, again_cpu),
        ):
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(
                f"{name}: median {statistics.median(times):.2f} s wall, {statistics.median(used):.2f} s CPU,"
                f" over {len(times)} runs ({runs})"
            )


if __name__ == "__main__":
    main()
