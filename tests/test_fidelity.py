"""The YAML is faithful to the official texts: every numbered item is transcribed, and every
Vietnamese text of the transcription occurs in the source (after removing extraction debris)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from generator.content.model import Agency, PlanContent, Text
from generator.content.validate import load_content

from .conftest import ROOT

SHARED = ROOT.parent / "shared" / "sources"


@cache
def plans() -> dict[str, PlanContent]:
    content, _ = load_content(ROOT)
    return {p.plan.id: p for p in content.plans}


def source(plan_id: str) -> str:
    return (ROOT / "content/sources" / plans()[plan_id].plan.source.file).read_text(encoding="utf-8")


def normalise(text: str) -> str:
    """Drop extraction debris (HTML tags, Markdown emphasis, *ml*, escapes) and fold white space."""
    text = re.sub(r"<[^>]+>", " ", text)
    # "\\*" is a printed asterisk (the (*) budget mark); other asterisks are Markdown emphasis.
    text = text.replace("*ml*", " ").replace("\\*", "\0").replace("*", "").replace("\0", "*")
    text = re.sub(r"^#+ ", " ", text, flags=re.MULTILINE)
    return " ".join(text.split())


def pieces(text: str, corpus: str) -> list[str] | None:
    """Cover `text` with the fewest runs of whole words each found in `corpus`; None if a word is absent.

    A text split by a page break is found in two (rarely three) runs; an invented text is not found."""
    words, runs = text.split(" "), []
    while words:
        found = 0
        for end in range(len(words), 0, -1):
            if " ".join(words[:end]) in corpus:
                found = end
                break
        if not found:
            return None
        runs.append(" ".join(words[:found]))
        words = words[found:]
    return runs


def test_sources_are_the_official_texts() -> None:
    if not SHARED.exists():
        pytest.skip("../shared/sources is not beside this checkout")
    for plan in plans().values():
        name = plan.plan.source.file
        assert (ROOT / "content/sources" / name).read_bytes() == (SHARED / name).read_bytes()


def verbatim_texts(item: PlanContent) -> Iterator[tuple[str, str]]:
    """(where, Vietnamese text) of every field that must be the source's own words."""
    plan = item.plan

    def each(where: str, text: Text | None) -> Iterator[tuple[str, str]]:
        if text is not None:
            yield where, text.vi

    for i, basis in enumerate(plan.decision.legal_bases):
        yield from each(f"decision.legal_bases[{i}]", basis)
    for i, article in enumerate(plan.decision.articles):
        yield from each(f"decision.articles[{i}]", article.text)
    for name in ("purposes", "general_duties"):
        for i, entry in enumerate(getattr(plan, name)):
            yield from each(f"{name}[{i}]", entry.text)
    for i, target in enumerate(plan.targets):
        yield from each(f"targets[{i}]", target.text)
    for i, general in enumerate(plan.general_tasks):
        yield from each(f"general_tasks[{i}].heading", general.heading)
        for j, line in enumerate(general.items):
            yield from each(f"general_tasks[{i}].items[{j}]", line)
    for i, duty in enumerate(plan.duties):
        for j, entry in enumerate(duty.items):
            yield from each(f"duties[{i}].items[{j}]", entry.text)
    for i, group in enumerate(plan.groups):
        yield from each(f"groups[{i}].heading", group.heading)
    yield from each("funding", plan.funding)
    yield from each("closing", plan.closing)
    for task in item.tasks:
        yield from each(f"{task.number}.text", task.text)
        for cell in ("lead", "coordinating"):
            value = getattr(task, cell)
            yield from each(f"{task.number}.{cell}", value.printed if value else None)
        yield from each(f"{task.number}.deadline", task.deadline.text if task.deadline else None)
        yield from each(f"{task.number}.output", task.output)


@pytest.mark.parametrize("plan_id", ["da-nang-2021", "hai-phong-2021"])
def test_every_vietnamese_text_occurs_in_the_source(plan_id: str) -> None:
    corpus = normalise(source(plan_id))
    missing = []
    for where, text in verbatim_texts(plans()[plan_id]):
        runs = pieces(normalise(text).replace(" (*)", ""), corpus)
        # Joined page-break splits give two runs, a few merged cells three; more means rewritten text.
        if runs is None or len(runs) > 3:
            missing.append(f"{where}: {runs}")
    assert not missing, "\n".join(missing)


def test_invented_text_is_caught() -> None:
    corpus = normalise(source("da-nang-2021"))
    assert pieces("Tổ chức đánh giá, xếp hạng kết quả cải cách hành chính năm 2020", corpus) == [
        "Tổ chức đánh giá, xếp hạng kết quả cải cách hành chính năm 2020"
    ]
    runs = pieces("Tổ chức đánh giá kết quả cải cách hành chính năm 2022 của các cơ quan", corpus)
    assert runs is None or len(runs) > 1
    assert (
        pieces("Xây dựng sân bay quốc tế thứ hai", corpus) is None
        or len(pieces("Xây dựng sân bay quốc tế thứ hai", corpus) or []) > 3
    )


def numbers(item: PlanContent) -> set[str]:
    return {t.number for t in item.tasks}


def test_every_lettered_item_of_da_nang_is_transcribed() -> None:
    printed, group = set(), ""
    for line in source("da-nang-2021").splitlines():
        if m := re.match(r"^(\d)\.\t", line):
            group = m[1]
        elif m := re.match(r"^([a-zđ])\)\t", line):
            printed.add(f"{group}.{m[1]}")
    transcribed = {n for n in numbers(plans()["da-nang-2021"]) if re.fullmatch(r"\d\.[a-zđ]", n)}
    assert len(printed) == 64
    assert transcribed == printed


def test_every_numbered_item_of_hai_phong_is_transcribed() -> None:
    appendix = source("hai-phong-2021").split("DANH MỤC", 1)[1]
    printed, task = set(), ""
    for line in appendix.splitlines():
        if m := re.match(r"^(\d+)\t", line):
            task = m[1]
            printed.add(task)
        elif m := re.match(r"^\t([a-z])\) ", line):
            printed.add(f"{task}.{m[1]}")
    assert len([n for n in printed if "." not in n]) == 27
    assert numbers(plans()["hai-phong-2021"]) == printed


def test_every_dash_row_of_da_nang_is_in_some_task() -> None:
    corpus = " ".join(normalise(t.text.vi) for t in plans()["da-nang-2021"].tasks)
    text = source("da-nang-2021").split("II. KINH PHÍ")[0]
    rows = [normalise(m[1]) for m in re.finditer(r"^\t[-+] ([^\t]+)", text, flags=re.MULTILINE)]
    assert len(rows) > 20
    for row in rows:
        # Rows cut by a page break continue in the next chunk: their first words must still be there.
        assert " ".join(row.split()[:6]) in corpus, row


def test_hai_phong_narrative_is_complete() -> None:
    plan = plans()["hai-phong-2021"].plan
    assert [p.marker for p in plan.purposes] == ["a)", "b)", "c)", "d)", "đ)", "e)"]
    assert [t.marker for t in plan.targets] == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)", "i)"]
    assert [g.marker for g in plan.general_tasks] == ["a)", "b)", "c)", "d)", "d)", "e)", "g)"]
    assert [d.marker for d in plan.general_duties] == ["a)", "b)", "c)", "d)"]
    assert len(plan.reporting_calendar) == 4
    figures = {(f.value, f.comparator) for t in plan.targets for f in t.figures}
    assert {(98, "at_least"), (30, "at_least"), (100, "exactly")} <= figures


def test_known_source_defects_are_kept_and_flagged() -> None:
    danang, haiphong = plans()["da-nang-2021"].plan, plans()["hai-phong-2021"].plan
    assert any(n.about == "decision.date" and "11" in n.text.vi for n in danang.editorial_notes)
    assert next(g for g in haiphong.groups if g.id == "II").heading.vi == "Cải cách thủ tục"
    assert any(n.about == "groups.II" for n in haiphong.editorial_notes)
    assert any(n.about == "general_tasks" and "d)" in n.text.vi for n in haiphong.editorial_notes)


def test_no_report_or_amendment_is_invented() -> None:
    """The two plans' sources hold no progress report and no amending decision: the site says "no report yet"."""
    for plan_id, item in plans().items():
        assert (item.reports, item.amendments) == ((), ()), plan_id
        for folder in ("reports", "amendments"):
            found = ROOT / "content/plans" / plan_id / folder
            assert not found.exists() or not any(p.is_file() for p in found.rglob("*")), found


def test_budget_flags_match_the_asterisks() -> None:
    appendix = source("hai-phong-2021").split("DANH MỤC", 1)[1]
    starred = set()
    task = ""
    for line in appendix.splitlines():
        if m := re.match(r"^(\d+)\t", line):
            task = m[1]
            if "(*)" in line.split("\t")[1]:
                starred.add(task)
        elif (m := re.match(r"^\t([a-z])\) ", line)) and "(*)" in line.split("\t")[1]:
            starred.add(f"{task}.{m[1]}")
    flagged = {t.number for t in plans()["hai-phong-2021"].tasks if t.budget_funded}
    assert flagged == starred == {"7", "13.a", "14", "16", "17", "18"}


def test_paths_exist() -> None:
    assert Path(ROOT / "content/sources").is_dir()


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def registry(city_id: str) -> list[Agency]:
    content, _ = load_content(ROOT)
    return next(c for c in content.cities if c.id == city_id).agencies


def named_agencies(text: str, city_id: str) -> set[str]:
    """Ids of the registry agencies whose name, alias or abbreviation `text` prints, longest first."""
    folded, spans = fold(text), []
    for agency in registry(city_id):
        for spelling in {agency.name.vi, *agency.aliases, *agency.short}:
            for m in re.finditer(r"(?<!\w)" + re.escape(fold(spelling)) + r"(?!\w)", folded):
                spans.append((m.start(), m.end(), agency.id))
    taken: list[tuple[int, int, str]] = []
    for start, end, agency_id in sorted(spans, key=lambda s: s[0] - s[1]):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, agency_id))
    return {agency_id for *_, agency_id in taken}


@pytest.mark.parametrize("plan_id", ["da-nang-2021", "hai-phong-2021"])
def test_duties_name_the_agencies_their_heading_prints(plan_id: str) -> None:
    item = plans()[plan_id]
    wrong = []
    for duty in item.plan.duties:
        # A heading that names no agency ("Đề nghị") leaves the naming to its paragraph.
        named = named_agencies(duty.heading.vi, item.plan.city) or named_agencies(
            " ".join(entry.text.vi for entry in duty.items), item.plan.city
        )
        if set(duty.agencies) != named:
            wrong.append(f"duty {duty.marker} '{duty.heading.vi}': filed under {duty.agencies}, prints {sorted(named)}")
    assert not wrong, "\n".join(wrong)


def test_the_task_list_intro_keeps_the_printed_order() -> None:
    for plan_id, item in plans().items():
        if not (item.plan.task_list and item.plan.task_list.intro):
            continue
        corpus = normalise(source(plan_id))
        lines = [normalise(line) for line in item.plan.task_list.intro.vi.splitlines() if line.strip()]
        at = [corpus.find(" ".join(line.split()[:8])) for line in lines]
        assert -1 not in at, lines
        assert at == sorted(at), f"{plan_id}: task_list.intro lines are not in printed order"


def test_printed_bullets_are_one_per_line() -> None:
    joined = [
        f"{plan_id} {task.number}: {task.deadline.text.vi!r}"
        for plan_id, item in plans().items()
        for task in item.tasks
        if task.deadline
        for line in task.deadline.text.vi.splitlines()
        if re.search(r"\S\s+-\s", line) and line.lstrip().startswith("- ")
    ]
    assert not joined, "\n".join(joined)


def test_reporting_calendar_english_adds_no_date() -> None:
    # The printed words say "before the 5th of the quarter's last month"; the date column says which day.
    added = []
    for item in plans().values():
        for entry in item.plan.reporting_calendar:
            text = entry.due.text
            numbers_vi = {int(n) for n in re.findall(r"\d+", text.vi)}
            numbers_en = {int(n) for n in re.findall(r"\d+", text.en or "")}
            if not numbers_en <= numbers_vi:
                added.append(f"{text.vi!r} → {text.en!r}")
    assert not added, "\n".join(added)


# A figure's unit names every administrative level its measure prints.
LEVELS = {"phường": "ward", "xã": "commune", "quận": "district", "huyện": "district", "thị trấn": "township"}


def test_figure_units_name_every_printed_level() -> None:
    wrong = []
    for plan_id, item in plans().items():
        figures = [(f"{t.number}", f) for t in item.tasks for f in t.targets]
        figures += [(f"targets {t.marker}", f) for t in item.plan.targets for f in t.figures]
        for where, figure in figures:
            printed = {en for vi, en in LEVELS.items() if re.search(rf"(?<!\w){vi}(?!\w)", figure.measure.vi.lower())}
            named = {en for en in LEVELS.values() if en in figure.unit}
            if named and not printed <= named:
                wrong.append(f"{plan_id} {where}: unit '{figure.unit}' for '{figure.measure.vi}'")
    assert not wrong, "\n".join(wrong)
