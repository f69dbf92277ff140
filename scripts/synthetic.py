"""Write a synthetic project of N tasks for benchmarks: scripts/synthetic.py --tasks 10000 --out DIR.

Task texts, agency cells and deadlines are drawn from the real plans and varied (numbers, agencies,
sub-items), so the Vietnamese and English vocabulary and the page shapes are realistic."""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.validate import load_content  # noqa: E402

CITIES = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    content, _ = load_content(ROOT)
    real = [(p.plan, t) for p in content.plans for t in p.tasks]
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    (out / "content").mkdir(parents=True)
    for name in ("pillars.yaml",):
        shutil.copy(ROOT / "content" / name, out / "content" / name)
    shutil.copytree(ROOT / "content" / "pages", out / "content" / "pages")
    shutil.copytree(ROOT / "theme", out / "theme")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    (out / "content/sources").mkdir()
    per_city = -(-args.tasks // CITIES)
    for number in range(CITIES):
        base = content.cities[number % len(content.cities)]
        city_id = f"thanh-pho-{number + 1}"
        city = {"id": city_id, "name": {"vi": f"Thành phố {number + 1}", "en": f"City {number + 1}"},
                "agencies": [a.model_dump(exclude_defaults=True) for a in base.agencies]}  # fmt: skip
        write(out / f"content/cities/{city_id}.yaml", city)
        source = out / f"content/sources/{city_id}.txt"
        source.write_text(f"Kế hoạch cải cách hành chính của Thành phố {number + 1} (dữ liệu tổng hợp).\n")
        plan_src = next(p.plan for p in content.plans if p.plan.city == base.id)
        plan = plan_src.model_dump(mode="json", exclude_defaults=True)
        plan.update(id=f"{city_id}-2021", city=city_id, source={"file": source.name})
        folder = out / f"content/plans/{city_id}-2021"
        write(folder / "plan.yaml", plan)
        groups = [g.id for g in plan_src.groups]
        tasks, count = [], min(per_city, args.tasks - number * per_city)
        for index in range(count):
            _, task = rng.choice([r for r in real if r[0].city == base.id])
            item = task.model_dump(mode="json", exclude_defaults=True, exclude={"parent"})
            item.update(id=f"t-{index + 1}", number=f"{groups.index(task.group) + 1}.{index + 1}",
                        group=task.group)  # fmt: skip
            if index % 5 and tasks:
                item["parent"] = tasks[-1]["id"] if "parent" not in tasks[-1] else tasks[-1]["parent"]
            item["text"] = {"vi": f"{task.text.vi} (lần {index + 1})", "en": f"{task.text.en} (round {index + 1})"}
            if "deadline" in item:
                item["deadline"] = {"text": item["deadline"]["text"]}
            tasks.append(item)
        for chunk in range(0, len(tasks), 500):
            write(folder / f"tasks/{chunk // 500:03d}.yaml", tasks[chunk : chunk + 500])
    print(f"wrote {args.tasks} tasks in {CITIES} plans under {out}")


def write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # JSON is YAML: quick to write and unambiguous to read.
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
