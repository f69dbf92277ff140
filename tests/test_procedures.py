"""Procedure flows: each content mistake reported on its line, the real procedures valid, statutory totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.base.errors import Problem
from generator.content.procedures import Procedure, load_procedures, main_path, total_time
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.procedure_pages import procedure_pages, procedures_by_task
from generator.pages.procedure_words import LABELS, total_parts
from generator.pages.render import Renderer

from .conftest import ROOT

# A valid procedure; each test breaks one thing in it. Line numbers below refer to this text.
VALID = """\
id: p
title: {vi: Thủ tục, en: Procedure}
summary: {vi: Tóm tắt, en: Summary}
legal_basis:
  - id: nd
    instrument: {vi: Nghị định, en: Decree}
    verified: true
    source_note: {vi: Ghi chú, en: Note}
actors:
  - id: dan
    name: {vi: Người dân, en: Applicant}
  - id: mot-cua
    name: {vi: Bộ phận Một cửa, en: One-Stop Shop}
start: nop
end: [tra]
steps:
  - id: nop
    actor: dan
    label: {vi: Nộp, en: Submit}
    action: {vi: Nộp hồ sơ, en: Submit the dossier}
    verified: true
    next:
      - to: kiem-tra
  - id: kiem-tra
    actor: mot-cua
    label: {vi: Kiểm tra, en: Check}
    action: {vi: Kiểm tra hồ sơ, en: Check the dossier}
    time_limit:
      value: 1
      unit: working_days
      verified: false
      basis: {vi: Chưa xác minh, en: Unconfirmed}
    legal_basis: [nd]
    verified: true
    next:
      - to: tra
        condition: {vi: Đủ, en: Complete}
      - to: bo-sung
        condition: {vi: Thiếu, en: Incomplete}
        once: true
  - id: bo-sung
    actor: dan
    label: {vi: Bổ sung, en: Supplement}
    action: {vi: Bổ sung hồ sơ, en: Supplement the dossier}
    verified: true
    next:
      - to: kiem-tra
  - id: tra
    actor: mot-cua
    label: {vi: Trả, en: Return}
    action: {vi: Trả kết quả, en: Return the result}
    time_limit:
      value: 15
      unit: calendar_days
      verified: true
      basis: {vi: Luật, en: Law}
    verified: true
related_tasks: [da-nang-2021/3-d]
"""
KNOWN = {"da-nang-2021/3-d", "da-nang-2021/3-g", "hai-phong-2021/16"}


def check(tmp_path: Path, text: str, name: str = "p.yaml") -> list[str]:
    """Write one procedure file into a project root in tmp_path; return its problems as maintainers read them."""
    folder = tmp_path / "content" / "procedures"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    _, problems = load_procedures(tmp_path, KNOWN)
    return [p.format() for p in sorted(problems)]


def broken(old: str, new: str, count: int = 1) -> str:
    assert VALID.count(old) >= count, old
    return VALID.replace(old, new, count)


def test_the_valid_example_is_valid(tmp_path: Path) -> None:
    assert check(tmp_path, VALID) == []


def test_unknown_actor(tmp_path: Path) -> None:
    assert check(
        tmp_path,
        broken("    actor: mot-cua\n    label: {vi: Kiểm tra", "    actor: mot-cuaa\n    label: {vi: Kiểm tra"),
    ) == ["content/procedures/p.yaml:25:12: steps[1].actor: unknown actor 'mot-cuaa'\n  hint: did you mean 'mot-cua'?"]


def test_next_pointing_nowhere(tmp_path: Path) -> None:
    # Reachability is not checked on top: it would only repeat this error for every later step.
    assert check(
        tmp_path, broken("      - to: kiem-tra\n  - id: kiem-tra", "      - to: kiem-tr\n  - id: kiem-tra")
    ) == [
        "content/procedures/p.yaml:23:13: steps[0].next[0].to: step 'nop' leads to unknown step 'kiem-tr'\n"
        "  hint: did you mean 'kiem-tra'?"
    ]


def test_unknown_start_and_end(tmp_path: Path) -> None:
    assert check(tmp_path, broken("start: nop\nend: [tra]", "start: nopp\nend: [tra, xong]")) == [
        "content/procedures/p.yaml:14:8: start: unknown step 'nopp'\n  hint: did you mean 'nop'?",
        "content/procedures/p.yaml:15:12: end[1]: unknown step 'xong'",
    ]


def test_unreachable_step(tmp_path: Path) -> None:
    extra = (
        "  - id: thua\n    actor: dan\n    label: {vi: Thừa, en: Spare}\n    action: {vi: Thừa, en: Spare}\n"
        "    verified: true\n    next:\n      - to: tra\nrelated_tasks:"
    )
    assert check(tmp_path, broken("related_tasks:", extra)) == [
        "content/procedures/p.yaml:58:9: steps[4].id: step 'thua' cannot be reached from the start step 'nop'\n"
        "  hint: add it to the `next` of an earlier step, or remove it"
    ]


def test_cycle_with_no_way_out(tmp_path: Path) -> None:
    # bo-sung → kiem-lai → bo-sung: the dossier goes round for ever and never reaches 'tra'.
    text = broken("    next:\n      - to: kiem-tra\n  - id: tra", "    next:\n      - to: kiem-lai\n  - id: tra")
    text = text.replace(
        "related_tasks:",
        "  - id: kiem-lai\n    actor: mot-cua\n    label: {vi: Kiểm tra lại, en: Re-check}\n"
        "    action: {vi: Kiểm tra lại, en: Re-check}\n    verified: true\n    next:\n      - to: bo-sung\n"
        "related_tasks:",
    )
    assert check(tmp_path, text) == [
        "content/procedures/p.yaml:47:7: steps[2].next: cycle with no way out: bo-sung → kiem-lai → bo-sung "
        "never reaches an end step\n  hint: give one of these steps a branch that leads towards an end step"
    ]


def test_a_loop_with_a_way_out_is_fine_but_the_main_path_must_move_forward(tmp_path: Path) -> None:
    # Putting the way back first makes the main path (first `next` of each step) go round in circles.
    text = broken(
        "      - to: tra\n        condition: {vi: Đủ, en: Complete}\n      - to: bo-sung\n"
        "        condition: {vi: Thiếu, en: Incomplete}\n        once: true\n",
        "      - to: bo-sung\n        condition: {vi: Thiếu, en: Incomplete}\n        once: true\n"
        "      - to: tra\n        condition: {vi: Đủ, en: Complete}\n",
    )
    assert check(tmp_path, text) == [
        "content/procedures/p.yaml:47:9: steps[2].next[0]: the main path (first `next` of each step) loops back "
        "to 'kiem-tra'\n  hint: put the way that moves the procedure forward first"
    ]


def test_dead_end_and_end_step_with_next(tmp_path: Path) -> None:
    assert check(tmp_path, broken("start: nop\nend: [tra]", "start: nop\nend: [tra, bo-sung]")) == [
        "content/procedures/p.yaml:47:7: steps[2].next: end step 'bo-sung' has next steps\n"
        "  hint: remove `next` or take it out of `end`",
    ]
    assert check(tmp_path, broken("    next:\n      - to: kiem-tra\n  - id: tra", "  - id: tra")) == [
        "content/procedures/p.yaml:41:9: steps[2].id: step 'bo-sung' leads nowhere\n"
        "  hint: give it `next` steps or list it under `end`",
    ]


def test_unknown_related_task(tmp_path: Path) -> None:
    assert check(tmp_path, broken("related_tasks: [da-nang-2021/3-d]", "related_tasks: [da-nang-2021/3-gg]")) == [
        "content/procedures/p.yaml:58:17: related_tasks[0]: unknown task 'da-nang-2021/3-gg'\n"
        "  hint: did you mean 'da-nang-2021/3-g'?"
    ]


def test_duplicate_ids(tmp_path: Path) -> None:
    text = broken("  - id: mot-cua\n", "  - id: dan\n")
    text = text.replace("    actor: mot-cua\n", "    actor: dan\n")
    text = text.replace("  - id: bo-sung\n", "  - id: nop\n").replace("      - to: bo-sung\n", "      - to: nop\n")
    problems = check(tmp_path, text)
    assert "content/procedures/p.yaml:12:9: actors[1].id: duplicate actor id 'dan'" in problems
    assert "content/procedures/p.yaml:41:9: steps[2].id: duplicate step id 'nop'" in problems


def test_branches_need_conditions(tmp_path: Path) -> None:
    assert check(tmp_path, broken("        condition: {vi: Thiếu, en: Incomplete}\n", "")) == [
        "content/procedures/p.yaml:38:9: steps[1].next[1]: step 'kiem-tra' has 2 ways out, but this one has no "
        "condition\n  hint: give every way out of a branching step a condition {vi: …, en: …}"
    ]


def test_time_limits_need_a_value_and_units_are_checked(tmp_path: Path) -> None:
    assert check(tmp_path, broken("      value: 1\n", "")) == [
        "content/procedures/p.yaml:29:7: steps[1].time_limit: a time limit in working_days needs a positive value"
    ]
    problems = check(tmp_path, broken("unit: calendar_days", "unit: days"))
    assert len(problems) == 1
    assert problems[0].startswith("content/procedures/p.yaml:54:13: steps[3].time_limit.unit: 'days' is not one of")


def test_a_covering_limit_must_name_steps(tmp_path: Path) -> None:
    text = broken(
        "      basis: {vi: Luật, en: Law}\n", "      basis: {vi: Luật, en: Law}\n      covers: [kiem-tra, xu-ly]\n"
    )
    assert check(tmp_path, text) == [
        "content/procedures/p.yaml:57:26: steps[3].time_limit.covers[1]: unknown step 'xu-ly'"
    ]


def test_unknown_keys_and_file_name(tmp_path: Path) -> None:
    assert check(tmp_path, broken("    actor: dan\n", "    actr: dan\n"), name="q.yaml") == [
        "content/procedures/q.yaml:17:5: steps[0]: missing required field 'actor'",
        "content/procedures/q.yaml:18:5: steps[0].actr: unknown key 'actr'\n  hint: did you mean 'actor'?",
    ]
    assert check(tmp_path / "other", VALID, name="q.yaml") == [
        "content/procedures/q.yaml:1:5: id: id 'p' differs from the file name 'q.yaml'\n"
        "  hint: rename the file to p.yaml or change the id"
    ]


def test_missing_english_is_a_warning_and_keeps_the_procedure(tmp_path: Path) -> None:
    assert check(tmp_path, broken("title: {vi: Thủ tục, en: Procedure}", "title: {vi: Thủ tục}")) == [
        "content/procedures/p.yaml:2:8: warning: title.en: missing English translation"
    ]
    procedures, _ = load_procedures(tmp_path, KNOWN)
    assert [p.id for p in procedures] == ["p"]


def test_a_procedure_with_errors_is_not_returned(tmp_path: Path) -> None:
    check(tmp_path, broken("    actor: dan\n", "    actor: nobody\n"))
    procedures, problems = load_procedures(tmp_path, KNOWN)
    assert procedures == []
    assert all(isinstance(p, Problem) for p in problems)


# The real procedures.


@pytest.fixture(scope="module")
def real() -> tuple[list[Procedure], Renderer, Renderer]:
    content, _ = load_content(ROOT)
    procedures, problems = load_procedures(ROOT, {ref.key for ref in Site(content).tasks})
    assert [p.format() for p in problems] == []
    renderers = [Renderer(content, lang, dt.date(2021, 6, 1), {}, {}) for lang in ("vi", "en")]
    return procedures, renderers[0], renderers[1]


def by_id(procedures: list[Procedure]) -> dict[str, Procedure]:
    return {p.id: p for p in procedures}


def test_the_five_procedures_load_clean(real: tuple[list[Procedure], Renderer, Renderer]) -> None:
    assert sorted(by_id(real[0])) == [
        "buu-chinh-cong-ich",
        "cap-giay-chung-nhan-lan-dau",
        "giay-phep-xay-dung-nha-o-rieng-le",
        "mot-cua",
        "mot-cua-lien-thong",
    ]


def test_the_one_stop_branches_and_forms(real: tuple[list[Procedure], Renderer, Renderer]) -> None:
    steps = {s.id: s for s in by_id(real[0])["mot-cua"].steps}
    ways = {(w.to, w.once) for w in steps["kiem-tra"].next}
    assert ("huong-dan-bo-sung", True) in ways  # incomplete → written guidance, once
    assert ("xin-loi", True) in {(w.to, w.once) for w in steps["giai-quyet"].next}  # late → apology, at most once
    forms = {d.name.vi.split(" – ")[0]: d.verified for s in steps.values() for d in s.documents}
    assert forms == {f"Mẫu số 0{n}": n in (1, 4) for n in range(1, 7)}  # only 01 and 04 are confirmed names


def test_totals_keep_working_days_and_calendar_days_apart(real: tuple[list[Procedure], Renderer, Renderer]) -> None:
    procedures = by_id(real[0])
    one_stop = total_time(procedures["mot-cua"])
    assert (one_stop.working_days, one_stop.calendar_days, one_stop.verified) == (1, 0, False)
    permit = total_time(procedures["giay-phep-xay-dung-nha-o-rieng-le"])
    # The 7 working days of appraisal run inside the (unverified) 15 days for the permit: not added.
    assert (permit.working_days, permit.calendar_days, permit.verified) == (0, 15, False)
    assert "tham-dinh" in permit.covered
    land = total_time(procedures["cap-giay-chung-nhan-lan-dau"])
    # 30 days for the procedure plus the 15-day public posting that the limit excludes; paying has no limit.
    assert (land.calendar_days, land.counted) == (45, ("niem-yet", "tra-giay-chung-nhan"))
    assert "nop-nghia-vu" in land.untimed
    postal = total_time(procedures["buu-chinh-cong-ich"])
    assert postal.empty
    assert total_parts(permit, "vi") == ["15 ngày"]
    assert total_parts(one_stop, "en") == ["1 working day"]


def test_mixed_units_are_never_added(tmp_path: Path) -> None:
    check(tmp_path, VALID)
    procedure = load_procedures(tmp_path, KNOWN)[0][0]
    assert [s.id for s in main_path(procedure)] == ["nop", "kiem-tra", "tra"]
    total = total_time(procedure)
    assert (total.working_days, total.calendar_days) == (1, 15)
    assert total_parts(total, "vi") == ["1 ngày làm việc", "15 ngày"]
    assert total_parts(total, "en") == ["1 working day", "15 calendar days"]


def test_pages_in_both_languages(real: tuple[list[Procedure], Renderer, Renderer]) -> None:
    procedures, vi, en = real
    pages = {"vi": procedure_pages(procedures, vi), "en": procedure_pages(procedures, en)}
    expected = {"quy-trinh/index.md"} | {f"quy-trinh/{p.id}/index.md" for p in procedures}
    assert set(pages["vi"]) == set(pages["en"]) == expected
    page = pages["en"]["quy-trinh/mot-cua/index.md"]
    assert 'role="img"' in page
    assert "# Handling an administrative\\-procedure dossier under the one\\-stop\\-shop mechanism {#procedure}" in page
    assert page.count('<li id="step-') == len(by_id(procedures)["mot-cua"].steps)
    assert "Form 04 – Apology and new-appointment slip" in page
    assert '<a href="../../ke-hoach/da-nang-2021/3-n/">Da Nang 3.n</a>' in page
    vi_page = pages["vi"]["quy-trinh/mot-cua/index.md"]
    assert '<li id="buoc-8">' in vi_page
    assert f'<span class="badge pd-unverified-badge">{LABELS["vi"]["unverified"]}</span>' in vi_page
    index = pages["vi"]["quy-trinh/index.md"]
    assert all(f'href="{p.id}/"' in index for p in procedures)


def test_task_pages_can_link_back(real: tuple[list[Procedure], Renderer, Renderer]) -> None:
    procedures, vi, _ = real
    assert [p.id for p in procedures_by_task(procedures)["da-nang-2021/3-d"]] == ["buu-chinh-cong-ich"]
    procedure_pages(procedures, vi)  # installs the globals the macro needs
    macro = vi.env.from_string(
        '{% from "procedure_links.j2" import procedure_links with context %}{{ procedure_links(key) }}'
    )
    html = macro.render(page_url="ke-hoach/da-nang-2021/3-d/", key="da-nang-2021/3-d")
    assert '<a href="../../../quy-trinh/buu-chinh-cong-ich/">' in html
    assert macro.render(page_url="ke-hoach/da-nang-2021/1-a/", key="da-nang-2021/1-a").strip() == ""
