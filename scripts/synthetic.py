"""Write a synthetic project of N tasks for benchmarks: scripts/synthetic.py --tasks 10000 --out DIR.

Like a national portal: about 125 tasks per plan, two plans (2021, 2022) per city, cities named after
Vietnamese provinces, each with its own agency registry (a real city's registry plus its own districts),
so agency pages keep a realistic size as the project grows. Tasks are the real plans' tasks (text,
sub-items, groups, agency cells, deadline phrases, targets) varied per copy: the city's name, shifted
years, other document numbers, "Tiếp tục …" openings, added clauses, other agencies, other deadline
phrases. With --reports, four periods of progress reports for every task, from its lead agency. Every
text has its English; the output passes `python -m generator check`.
scripts/BENCHMARKS.md describes the result."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.base.slug import slugify  # noqa: E402
from generator.content.labels import MONTHS_EN  # noqa: E402
from generator.content.model import Text  # noqa: E402
from generator.content.progress import period_span  # noqa: E402
from generator.content.validate import load_content  # noqa: E402

TASKS_PER_PLAN = 125
YEARS = (2021, 2022)
PROVINCES = [
    ("Hà Nội", "Ha Noi"), ("Hồ Chí Minh", "Ho Chi Minh"), ("Cần Thơ", "Can Tho"), ("Huế", "Hue"),
    ("Quảng Ninh", "Quang Ninh"), ("Đồng Nai", "Dong Nai"), ("Bình Dương", "Binh Duong"), ("Khánh Hòa", "Khanh Hoa"),
    ("Lâm Đồng", "Lam Dong"), ("Đắk Lắk", "Dak Lak"), ("Nghệ An", "Nghe An"), ("Thanh Hóa", "Thanh Hoa"),
    ("Hà Tĩnh", "Ha Tinh"), ("Quảng Bình", "Quang Binh"), ("Quảng Trị", "Quang Tri"), ("Quảng Nam", "Quang Nam"),
    ("Quảng Ngãi", "Quang Ngai"), ("Bình Định", "Binh Dinh"), ("Phú Yên", "Phu Yen"), ("Ninh Thuận", "Ninh Thuan"),
    ("Bình Thuận", "Binh Thuan"), ("Gia Lai", "Gia Lai"), ("Kon Tum", "Kon Tum"), ("Đắk Nông", "Dak Nong"),
    ("Long An", "Long An"), ("Tiền Giang", "Tien Giang"), ("Bến Tre", "Ben Tre"), ("Trà Vinh", "Tra Vinh"),
    ("Vĩnh Long", "Vinh Long"), ("Đồng Tháp", "Dong Thap"), ("An Giang", "An Giang"), ("Kiên Giang", "Kien Giang"),
    ("Hậu Giang", "Hau Giang"), ("Sóc Trăng", "Soc Trang"), ("Bạc Liêu", "Bac Lieu"), ("Cà Mau", "Ca Mau"),
    ("Tây Ninh", "Tay Ninh"), ("Bình Phước", "Binh Phuoc"), ("Bà Rịa – Vũng Tàu", "Ba Ria – Vung Tau"),
    ("Bắc Ninh", "Bac Ninh"), ("Bắc Giang", "Bac Giang"), ("Hải Dương", "Hai Duong"), ("Hưng Yên", "Hung Yen"),
    ("Thái Bình", "Thai Binh"), ("Nam Định", "Nam Dinh"), ("Ninh Bình", "Ninh Binh"), ("Hà Nam", "Ha Nam"),
    ("Vĩnh Phúc", "Vinh Phuc"), ("Phú Thọ", "Phu Tho"), ("Thái Nguyên", "Thai Nguyen"), ("Tuyên Quang", "Tuyen Quang"),
    ("Hà Giang", "Ha Giang"), ("Cao Bằng", "Cao Bang"), ("Lạng Sơn", "Lang Son"), ("Bắc Kạn", "Bac Kan"),
    ("Lào Cai", "Lao Cai"), ("Yên Bái", "Yen Bai"), ("Điện Biên", "Dien Bien"), ("Lai Châu", "Lai Chau"),
    ("Sơn La", "Son La"), ("Hòa Bình", "Hoa Binh"),
]  # fmt: skip
DISTRICTS = [
    "Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ", "Hồng Bàng", "Lê Chân",
    "Ngô Quyền", "Kiến An", "Đồ Sơn", "Dương Kinh", "Ba Đình", "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Cầu Giấy",
    "Đống Đa", "Hai Bà Trưng", "Hoàng Mai", "Thanh Xuân", "Bình Thạnh", "Gò Vấp", "Phú Nhuận", "Tân Bình",
    "Tân Phú", "Bình Tân", "Thủ Đức", "Ninh Kiều", "Cái Răng", "Bình Thủy", "Ô Môn", "Thốt Nốt", "Hòa Vang",
    "Thủy Nguyên", "An Dương", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải", "Đông Anh", "Gia Lâm", "Sóc Sơn",
]  # fmt: skip
# Clauses added to a copied task text, in both languages ({city}, {year} filled in).
CLAUSES = [
    (" trên địa bàn {city}", " in {city}"),
    (" gắn với chuyển đổi số", " in connection with digital transformation"),
    (" tại các xã, phường, thị trấn", " in communes, wards and townships"),
    (" theo hướng dẫn của Bộ Nội vụ", " following the guidance of the Ministry of Home Affairs"),
    (" giai đoạn {year}–{year5}", " for the period {year}–{year5}"),
    (" đối với lĩnh vực đất đai, xây dựng và đầu tư", " in the fields of land, construction and investment"),
    (" đối với thủ tục hành chính liên thông", " for inter-agency administrative procedures"),
    (", bảo đảm công khai, minh bạch", ", ensuring publicity and transparency"),
    (" tại Trung tâm Phục vụ hành chính công", " at the Public Administrative Service Centre"),
    (" cho cán bộ, công chức cấp xã", " for commune-level cadres and civil servants"),
    (" trong lĩnh vực y tế, giáo dục", " in health and education"),
    (" đối với doanh nghiệp nhỏ và vừa", " for small and medium-sized enterprises"),
    (" qua Cổng Dịch vụ công quốc gia", " through the National Public Service Portal"),
    (" theo Bộ Chỉ số cải cách hành chính cấp tỉnh", " under the provincial PAR Index"),
    (" gắn với đánh giá mức độ hài lòng của người dân", " together with measuring citizens' satisfaction"),
    (" ở cấp huyện và cấp xã", " at district and commune level"),
    (" trong lĩnh vực tài nguyên và môi trường", " in natural resources and the environment"),
    (", ưu tiên thủ tục có số lượng hồ sơ lớn", ", giving priority to procedures with many applications"),
    (" theo cơ chế một cửa, một cửa liên thông", " under the one-stop and inter-agency one-stop mechanism"),
    (" với sự tham gia của các tổ chức chính trị – xã hội", " with the participation of socio-political organisations"),
]
# Sentences that begin with one of these verbs may be continued from an earlier plan: "Tiếp tục …".
VERBS = {
    "vi": ("Tổ chức", "Triển khai", "Xây dựng", "Ban hành", "Thực hiện", "Nâng cao", "Đẩy mạnh", "Rà soát",
           "Kiểm tra", "Tham mưu", "Đánh giá", "Tập trung", "Duy trì", "Tuyên truyền", "Công khai", "Cập nhật"),
    "en": ("Assess", "Advise", "Implement", "Issue", "Organise", "Organize", "Build", "Develop", "Review",
           "Improve", "Strengthen", "Promote", "Inspect", "Maintain", "Focus", "Carry", "Publish", "Update"),
}  # fmt: skip
YEAR = re.compile(r"\b(2019|202[0-5])\b")
DOCUMENT_NUMBER = re.compile(r"(?<!/)\b\d{1,5}(?=/(?:\d{4}/)?[A-ZĐ])")
ROMAN = ("I", "II", "III", "IV")
KIND_WEIGHTS = {"department": 6, "district": 3, "city_unit": 2}  # who leads and coordinates most often


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--reports",
        action="store_true",
        help="also write four periods of progress reports for every task, from its lead agency",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    content, _ = load_content(ROOT)
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    (out / "content").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "pillars.yaml", out / "content" / "pillars.yaml")
    shutil.copytree(ROOT / "content" / "pages", out / "content" / "pages")
    shutil.copytree(ROOT / "theme", out / "theme")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    (out / "content/sources").mkdir()
    plans = max(1, round(args.tasks / TASKS_PER_PLAN))
    weights = [rng.uniform(0.5, 1.5) for _ in range(plans)]
    sizes = [int(args.tasks * w / sum(weights)) for w in weights]
    sizes[0] += args.tasks - sum(sizes)
    for number in range(math.ceil(plans / len(YEARS))):
        base = content.plans[number % len(content.plans)]
        base_city = next(c for c in content.cities if c.id == base.plan.city)
        vi, en = PROVINCES[number % len(PROVINCES)]
        if number >= len(PROVINCES):
            vi, en = f"{vi} {number // len(PROVINCES) + 1}", f"{en} {number // len(PROVINCES) + 1}"
        city_id = slugify(vi)
        names = {base_city.name.vi: vi, base_city.name.en or vi: en}
        names |= {old.upper(): new.upper() for old, new in names.items()}
        registry = [vary(a.model_dump(mode="json", exclude_defaults=True), names, 0) for a in base_city.agencies]
        for district in rng.sample(DISTRICTS, rng.randint(3, 8)):
            registry.append({
                "id": f"ubnd-{slugify(district)}", "kind": "district",
                "name": {"vi": f"UBND quận {district}", "en": f"{slugify(district).replace('-', ' ').title()} "
                         "District People's Committee"},
            })  # fmt: skip
        write(
            out / f"content/cities/{city_id}.yaml", {"id": city_id, "name": {"vi": vi, "en": en}, "agencies": registry}
        )
        for year in YEARS:
            index = number * len(YEARS) + YEARS.index(year)
            if index < plans:
                synthetic_plan(
                    rng, out, base, (city_id, vi, en), names, registry, year, sizes[index], reports=args.reports
                )
    print(f"wrote {args.tasks} tasks in {plans} plans of {math.ceil(plans / len(YEARS))} cities under {out}")


def synthetic_plan(
    rng: random.Random, out: Path, base: Any, city: tuple[str, str, str], names: dict[str, str],
    registry: list[Any], year: int, count: int, *, reports: bool = False,
) -> None:  # fmt: skip
    """Write one plan of `count` tasks: the base plan's task subtrees drawn at random, varied."""
    shift = year - base.plan.year
    city_id = city[0]
    plan_id = f"{city_id}-{year}"
    source = out / f"content/sources/{plan_id}.txt"
    source.write_text(
        vary((ROOT / "content/sources" / base.plan.source.file).read_text(encoding="utf-8"), names, shift),
        encoding="utf-8",
    )
    plan = vary(base.plan.model_dump(mode="json", exclude_defaults=True), names, shift)
    plan.update(id=plan_id, city=city_id, year=year, source={"file": source.name})
    plan["decision"]["number"] = f"{rng.randint(100, 9999)}/QĐ-UBND"
    folder = out / f"content/plans/{plan_id}"
    write(folder / "plan.yaml", plan)

    subtrees: list[list[Any]] = []
    for task in base.tasks:
        if task.parent is None:
            subtrees.append([task])
        elif subtrees:
            subtrees[-1].append(task)
    groups = [g.id for g in base.plan.groups]
    chosen: list[list[Any]] = []
    while sum(map(len, chosen)) < count:
        chosen.append(rng.choice(subtrees))
    chosen.sort(key=lambda tree: groups.index(tree[0].group))
    weights = [KIND_WEIGHTS.get(a["kind"], 1) for a in registry]
    tasks: list[dict[str, Any]] = []
    top = dict.fromkeys(groups, 0)
    for tree in chosen:
        top[tree[0].group] += 1
        numbers: dict[str, str] = {}
        for position, task in enumerate(tree):
            if len(tasks) == count:
                break
            if position == 0:
                number = f"{tree[0].group}.{top[tree[0].group]}"
            else:
                parent = numbers.get(task.parent or "", numbers[tree[0].id])
                number = f"{parent}.{sum(1 for n in numbers.values() if n.rsplit('.', 1)[0] == parent) + 1}"
            numbers[task.id] = number
            item = vary(task.model_dump(mode="json", exclude_defaults=True), names, shift)
            item.update(id=slugify(number), number=number, marker=number.rsplit(".", 1)[1] + ".")
            if position:
                item["parent"] = slugify(numbers.get(task.parent or "", numbers[tree[0].id]))
            item["text"] = varied_text(rng, item["text"], city, year, clause=position == 0)
            if rng.random() < 0.5:
                for cell in ("lead", "coordinating"):
                    size = rng.choice((1, 1, 1, 2)) if cell == "lead" else rng.randint(0, 4)
                    picked = list({a["id"]: a for a in rng.choices(registry, weights, k=size)}.values())
                    item.pop(cell, None)
                    if picked:
                        item[cell] = {
                            "printed": {"vi": ", ".join(a["name"]["vi"] for a in picked),
                                        "en": ", ".join(a["name"]["en"] for a in picked)},
                            "agencies": [a["id"] for a in picked],
                        }  # fmt: skip
            if "deadline" in item:
                item["deadline"] = {"text": item["deadline"]["text"]} if rng.random() < 0.6 else deadline(rng, year)
            tasks.append(item)
    for chunk in range(0, len(tasks), 500):
        write(folder / f"tasks/{chunk // 500:03d}.yaml", tasks[chunk : chunk + 500])
    if reports:
        write_reports(rng, folder, plan, tasks, registry)


STATUS_WEIGHTS = {"not_started": 2, "in_progress": 6, "completed": 3, "suspended": 0.3, "dropped": 0.1}


def write_reports(
    rng: random.Random, folder: Path, plan: dict[str, Any], tasks: list[dict[str, Any]], registry: list[Any]
) -> None:
    """Reports for the plan's first four periods: one file per lead agency and period, one entry per task it
    leads (its first lead agency; for a group, the group's first member: a group does not report itself),
    statuses moving on from period to period (completed and dropped stay)."""
    reporter: dict[str, str] = {}
    for agency in registry:
        if agency["kind"] != "group":
            reporter[agency["id"]] = agency["id"]
            continue
        includes = agency.get("includes") or {}
        member = next(
            (
                a["id"]
                for a in registry
                if a["kind"] != "group"
                and (a["kind"] in includes.get("kinds", []) or a["id"] in includes.get("agencies", []))
            ),
            None,
        )
        if member:
            reporter[agency["id"]] = member
    if plan.get("reporting_calendar"):
        periods = [(e["period"], dt.date.fromisoformat(e["due"]["date"])) for e in plan["reporting_calendar"]]
    else:
        periods = [(f"{plan['year']}-Q{q}", None) for q in range(1, 5)]
    state: dict[str, tuple[str, dt.date | None]] = {}  # task id -> (status, completed)
    for number, (period, due) in enumerate(periods[:4]):
        start, end = period_span(period)
        day = min(end, due - dt.timedelta(days=1)) if due else end
        day = max(day, start)
        by_agency: dict[str, list[dict[str, Any]]] = {}
        for task in tasks:
            leads = [reporter[a] for a in task.get("lead", {}).get("agencies", []) if a in reporter]
            if not leads:
                continue
            status, completed = state.get(task["id"], ("not_started", None))
            if status not in ("completed", "dropped"):
                status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
                if status == "completed":
                    completed = start + dt.timedelta(days=rng.randint(0, (day - start).days))
            state[task["id"]] = (status, completed)
            entry: dict[str, Any] = {"task": task["id"], "status": status}
            if completed is not None:
                entry["completed"] = completed.isoformat()
                entry["evidence"] = [{"number": f"{rng.randint(1, 999)}/QĐ-UBND", "date": completed.isoformat()}]
            if status in ("in_progress", "completed"):
                entry["done"] = {
                    "vi": f"Đã triển khai nhiệm vụ {task['number']}.",
                    "en": f"Task {task['number']} carried out.",
                }
            if status in ("suspended", "dropped"):
                entry["reason"] = {"vi": "Chờ hướng dẫn của cơ quan cấp trên.", "en": "Awaiting guidance from above."}
            if number and rng.random() < 0.1:
                entry["difficulties"] = {"vi": "Thiếu kinh phí và nhân lực.", "en": "Too little funding and staff."}
            by_agency.setdefault(leads[0], []).append(entry)
        for agency, entries in by_agency.items():
            received = day + dt.timedelta(days=rng.randint(0, 6))
            report = {
                "date": day.isoformat(),
                "received": received.isoformat(),
                "document": {"number": f"{rng.randint(1, 999)}/BC-UBND", "date": day.isoformat()},
                "entries": entries,
            }
            write(folder / f"reports/{period}/{agency}.yaml", report)


def vary(data: Any, names: dict[str, str], shift: int) -> Any:
    """Data (or text) of the real plans moved to another city and `shift` years later."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    for old, new in names.items():
        text = text.replace(old, new)
    text = YEAR.sub(lambda m: str(int(m[1]) + shift), text)
    return text if isinstance(data, str) else json.loads(text)


def varied_text(
    rng: random.Random, text: dict[str, str], city: tuple[str, str, str], year: int, *, clause: bool
) -> dict[str, str]:
    """The task text with other document numbers and often a clause or two more, in both languages."""
    vi, en = text["vi"], text.get("en") or ""
    for found in dict.fromkeys(DOCUMENT_NUMBER.findall(vi)):  # in text order: the same project every run
        other = str(rng.randint(1, 3000))
        vi, en = (re.sub(rf"(?<![/\d]){found}(?=/)", other, t) for t in (vi, en))
    if vi.startswith(VERBS["vi"]) and en.startswith(VERBS["en"]) and rng.random() < 0.3:
        vi, en = f"Tiếp tục {vi[0].lower()}{vi[1:]}", f"Continue to {en[0].lower()}{en[1:]}"
    added = rng.choice((0, 1, 1, 2)) if clause else int(rng.random() < 0.3)
    for clause_vi, clause_en in rng.sample(CLAUSES, added):
        fill = {"year": year, "year5": year + 4}
        vi = vi.rstrip(" .;") + clause_vi.format(city=city[1], **fill)
        en = en.rstrip(" .;") + clause_en.format(city=city[2], **fill)
    return Text(vi=vi, en=en or None).model_dump(exclude_none=True)


def deadline(rng: random.Random, year: int) -> dict[str, Any]:
    """A deadline phrase of a kind the real plans print, for the plan's year."""
    month, quarter = rng.randint(1, 12), rng.randint(1, 4)
    day = rng.randint(1, 28)
    phrases = [
        (f"Trước {day}/{month}", f"By {day} {MONTHS_EN[month - 1]} {year}"),
        (f"Tháng {month}", f"{MONTHS_EN[month - 1]} {year}"),
        (f"Tháng {month:02d}/{year}", f"{MONTHS_EN[month - 1]} {year}"),
        (f"Quý {ROMAN[quarter - 1]}/{year}", f"Q{quarter} {year}"),
        ("6 tháng đầu năm", f"First half of {year}"),
        (f"Cả năm {year}", f"Throughout {year}"),
        ("Thường xuyên", "Ongoing"),
        ("Hằng quý", "Quarterly"),
        ("Theo chỉ đạo của UBND thành phố", "As directed by the City People's Committee"),
    ]
    vi, en = rng.choice(phrases)
    return {"text": {"vi": vi, "en": en}}


def write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # JSON is YAML: quick to write and unambiguous to read.
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
