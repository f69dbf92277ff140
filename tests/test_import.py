"""`python -m generator import`: drafts, refusals, agencies, deadlines, English and the review report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.__main__ import main

from .conftest import ROOT

HEADER = "TT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\tGhi chú\n"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "content", root / "content")
    return root


def decision(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    text = (
        "Số: 12/QĐ-UBND\n\nĐà Nẵng, ngày 20 tháng 12 năm 2021\n\nKẾ HOẠCH\n\n"
        "Cải cách hành chính năm 2022 của thành phố Đà Nẵng\n\nI. NỘI DUNG\n\n" + header + rows
    )
    path = tmp_path / "qd-12.txt"
    path.write_text(text, encoding="utf-8")
    return path


def run(root: Path, file: Path, *extra: str, city: str = "da-nang", plan: str = "da-nang-2022") -> int:
    return main(["--root", str(root), "import", str(file), "--city", city, "--plan", plan, *extra])


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def tasks(root: Path, plan: str = "da-nang-2022") -> list[dict]:  # type: ignore[type-arg]
    out: list[dict] = []  # type: ignore[type-arg]
    for path in sorted((root / f"content/plans/{plan}/tasks").glob("*.yaml")):
        out += yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


ROWS = (
    "1.\tChỉ đạo điều hành và tuyên truyền về cải cách hành chính\t\t\t\t\n"
    "a)\tTổ chức đánh giá, xếp hạng kết quả cải cách hành chính năm 2020 của các cơ quan, đơn vị thuộc UBND "
    "thành phố.\tSở Nội vụ\tSở, ban, ngành, UBND quận, huyện, phường, xã\tTrước 30/4\t\n"
    "b)\tMột nhiệm vụ mới chưa có bản dịch (*)\tSở Ngoại vụ\tSở Tư phápp; Sở Nội Vụ\tKhi nào xong\t\n"
    "\n" + HEADER + "\tcòn tiếp sau ngắt trang\tTrung tâm Xúc tiến Du lịch\t\t\t\n"
    "c)\tKiểm tra:\t\t\t\t\n\t- Dòng con thứ nhất\tSở Nội vụ\t\tQuý I/2022\t\n\t+ Dòng cháu\tSở Nội vụ\t\tThường xuyên\t\n"
)


def test_draft_tasks_agencies_deadlines_and_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    assert run(root, decision(tmp_path, ROWS)) == 0
    got = {t["id"]: t for t in tasks(root)}
    assert list(got) == ["1-a", "1-b", "1-c", "1-c-1", "1-c-1-1"]
    # English only where content/ already has it: the identical text, the registry, the deadline rendering.
    assert got["1-a"]["text"]["en"].startswith("Assess and rank the 2020")
    assert got["1-a"]["deadline"]["text"]["en"] == "By 30 April 2022"
    assert got["1-a"]["coordinating"]["agencies"] == ["so-ban-nganh", "ubnd-quan-huyen", "ubnd-phuong-xa"]
    assert "en" not in got["1-b"]["text"]
    # The row a page break split is joined; the (*) flag is read off the text.
    assert got["1-b"]["text"]["vi"] == "Một nhiệm vụ mới chưa có bản dịch còn tiếp sau ngắt trang"
    assert got["1-b"]["budget_funded"] is True
    assert got["1-b"]["lead"]["printed"]["vi"] == "Sở Ngoại vụ Trung tâm Xúc tiến Du lịch"
    # Unknown bodies are proposed (kind guessed), a typo is resolved but listed as uncertain.
    assert got["1-b"]["lead"]["agencies"] == ["so-ngoai-vu", "trung-tam-xuc-tien-du-lich"]
    assert got["1-b"]["coordinating"]["agencies"] == ["so-tu-phap", "so-noi-vu"]
    city = yaml.safe_load((root / "content/cities/da-nang.yaml").read_text(encoding="utf-8"))
    proposed = {a["id"]: a["kind"] for a in city["agencies"][-2:]}
    assert proposed == {"so-ngoai-vu": "department", "trung-tam-xuc-tien-du-lich": "city_unit"}
    assert got["1-c-1-1"]["parent"] == "1-c-1"
    assert got["1-c-1-1"]["marker"] == "+"
    out = capsys.readouterr().out
    review = (root / "content/plans/da-nang-2022/IMPORT-REVIEW.md").read_text(encoding="utf-8")
    for text in (out, review):
        assert "| 1 | Chỉ đạo điều hành và tuyên truyền về cải cách hành chính | 5 | 2 |" in text
        assert "joined to task 1.b: text, lead" in text
        assert "`so-ngoai-vu` Sở Ngoại vụ (kind guessed: department)" in text
        assert "“Sở Tư phápp” → `so-tu-phap`" in text
        assert "task 1.b: “Khi nào xong”: cannot read the deadline 'Khi nào xong'" in text
        assert "English reused from the translation memory:" in text
    # The exact check problems: the unread deadline, and every untranslated text in the file.
    assert "content/plans/da-nang-2022/tasks/1.yaml:" in review
    assert "cannot read the deadline" in review
    assert "tasks/1.yaml:34:5: warning: [1].text.en: missing English translation" in review


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    source = decision(tmp_path, ROWS)
    assert run(root, source) == 0
    before = files(root)
    capsys.readouterr()
    assert run(root, source) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "already exist: nothing written (use --force" in out
    assert files(root) == before
    assert run(root, source, "--force") == 0
    # Re-importing with --force proposes nothing twice: the first run's proposals now resolve.
    assert (root / "content/cities/da-nang.yaml").read_text(encoding="utf-8").count("- id: so-ngoai-vu") == 1


@pytest.mark.parametrize(
    ("name", "data", "city", "message"),
    [
        ("no-table.txt", "Số: 1/QĐ-UBND\nKhông có bảng nào.\n".encode(), "da-nang", "no task table"),
        ("plan.txt", HEADER.encode(), "hue", "unknown city 'hue'"),
        ("bad.txt", b"\xff\xfe\x00bad", "da-nang", "not UTF-8 text"),
        ("corrupt.docx", b"PK\x03\x04 not really a zip", "da-nang", "not a readable .docx"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "da-nang", "password-protected"),
    ],
)
def test_one_line_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, city: str, message: str
) -> None:
    root = project(tmp_path)
    before = files(root)
    path = tmp_path / name
    path.write_bytes(data)
    assert run(root, path, city=city) == 1
    out = capsys.readouterr().out
    assert out.startswith("import: "), out
    assert out.count("\n") == 1, out
    assert message in out, out
    assert files(root) == before


def test_the_draft_of_a_real_decision_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    source = ROOT / "content/sources/003_cd7e1d5a07b06c46.txt"
    assert run(root, source, city="hai-phong", plan="hai-phong-2022") == 0
    out = capsys.readouterr().out
    assert "## `check` problems left: 0 errors" in out
    assert "| all | | 38 | 11 |" in out
    plan = yaml.safe_load((root / "content/plans/hai-phong-2022/plan.yaml").read_text(encoding="utf-8"))
    assert plan["decision"]["number"] == "3943 /QĐ-UBND"  # exactly as printed
    assert [g["pillar"] for g in plan["groups"]][:2] == ["chi-dao-dieu-hanh", "the-che"]
    assert len(plan["targets"]) == 9
    assert plan["purposes"][0]["marker"] == "a)"
    assert plan["task_list"]["footnote"]["vi"].startswith("Ghi chú: các nhiệm vụ có dấu (*)")
    assert [d["marker"] for d in plan["general_duties"]] == ["a)", "b)", "c)", "d)"]
    assert [(d["marker"], d["agencies"]) for d in plan["duties"][:2]] == [
        ("a)", ["so-noi-vu"]),
        ("b)", ["van-phong-ubnd"]),
    ]


def test_the_duties_per_agency_of_da_nang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    assert run(root, ROOT / "content/sources/000_75ecdb6cea85afdc.txt") == 0
    plan = yaml.safe_load((root / "content/plans/da-nang-2022/plan.yaml").read_text(encoding="utf-8"))
    curated = yaml.safe_load((ROOT / "content/plans/da-nang-2021/plan.yaml").read_text(encoding="utf-8"))
    shape = [
        (d["marker"], d["heading"]["vi"], d["agencies"], [i["marker"] for i in d["items"]]) for d in plan["duties"]
    ]
    assert shape == [
        (d["marker"], d["heading"]["vi"], d["agencies"], [i["marker"] for i in d["items"]]) for d in curated["duties"]
    ]
    assert plan["funding"]["vi"] == curated["funding"]["vi"]
    assert plan["decision"]["signer"] == curated["decision"]["signer"]


def test_a_broken_registry_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    (root / "content/cities/da-nang.yaml").write_text("id: da-nang\nagencies:\n  - name: [", encoding="utf-8")
    before = files(root)
    assert run(root, decision(tmp_path, ROWS)) == 1
    out = capsys.readouterr().out
    assert out == "import: content/cities/da-nang.yaml cannot be read: run `check` and fix it first\n"
    assert files(root) == before
