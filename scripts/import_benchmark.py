"""Time `python -m generator import` on a synthetic decision of N tasks (default 200) in a scratch project.

    .venv/bin/python scripts/import_benchmark.py [--tasks 200] [--runs 3]

The decision is Da Nang's text layout: 7 groups, lettered items with dash sub-items, a page break (the
header repeated and a row split across it) every 8 rows; agencies and deadlines drawn from the real plan.
Prints the wall and CPU time of each run (the whole command: reading, agencies, memory, writing, check).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.importer.command import run  # noqa: E402

HEADER = "TT\tNội dung và kết quả đầu ra\tCơ quan chủ trì tham mưu\tCơ quan phối hợp\tThời gian hoàn thành\tGhi chú"
LEADS = ["Sở Nội vụ", "Sở Tư pháp", "Sở Thông tin và Truyền thông", "Các sở, ban, ngành, UBND các quận, huyện"]
COORDS = [
    "Sở, ban, ngành, UBND quận, huyện, phường, xã",
    "Sở Nội vụ; Sở Tài chính",
    "Văn phòng Đoàn ĐBQH, HĐND và UBND thành phố",
]
DEADLINES = [
    "Thường xuyên",
    "Quý IV/2022",
    "Trước 30/4",
    "Tháng 12/2022",
    "- Triển khai: Tháng 02/2022 - Hoàn thành: Tháng 12/2022",
]
LETTERS = "abcdđeghiklmnopqrstuvxy"


def decision(tasks: int) -> str:
    lines = ["Số: 99/QĐ-UBND", "", "Đà Nẵng, ngày 20 tháng 12 năm 2021", "", "KẾ HOẠCH", "",
             "Công tác cải cách hành chính năm 2022", "", "I. NỘI DUNG", "", HEADER]  # fmt: skip
    made = 0
    rows = 0
    for group in range(1, 8):
        lines.append(f"{group}.\tNhóm nhiệm vụ số {group}\t\t\t\t")
        for letter in LETTERS:
            if made >= tasks * group // 7:
                break
            i = made
            lines.append(f"{letter})\tNhiệm vụ thử nghiệm số {i} về cải cách hành chính\t{LEADS[i % 4]}\t"
                         f"{COORDS[i % 3]}\t{DEADLINES[i % 5]}\t")  # fmt: skip
            made += 1
            for _ in range(2 if i % 3 == 0 else 0):
                lines.append(f"\t- Dòng con của nhiệm vụ {i}\t{LEADS[(i + 1) % 4]}\t\tThường xuyên\t")
                made += 1
            rows += 1
            if rows % 8 == 0:  # a page break splits the next row's text
                lines[-1] = lines[-1].replace("về cải cách hành chính", "về cải cách")
                lines += ["", HEADER, "\thành chính (tiếp)\t\t\t\t"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(ROOT / "content", project / "content")
        source = Path(scratch) / "qd-99.txt"
        source.write_text(decision(args.tasks), encoding="utf-8")
        for _ in range(args.runs):
            out = io.StringIO()
            wall, cpu = time.perf_counter(), time.process_time()
            with contextlib.redirect_stdout(out):
                code = run(source, project, "da-nang", "da-nang-2022", force=True)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert code == 0, out.getvalue()
        found = next(line for line in out.getvalue().splitlines() if line.startswith("| all |"))
    print(f"{found}  (tasks, sub-items)")
    print(f"wall: median {statistics.median(walls):.2f} s, runs {', '.join(f'{w:.2f}' for w in walls)}")
    print(f"cpu:  median {statistics.median(cpus):.2f} s")


if __name__ == "__main__":
    main()
