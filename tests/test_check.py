"""`python -m generator check`: every problem of broken content, one exact line each (golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.__main__ import main

from .conftest import FIXTURES, ROOT, assert_golden, make_root

CASES = sorted(p.name for p in (FIXTURES / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_check_reports_every_problem_with_its_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = FIXTURES / "broken" / case
    root = make_root(tmp_path, folder)
    args = (folder / "args.txt").read_text().split() if (folder / "args.txt").exists() else []
    code = main(["--root", str(root), "check", *args])
    assert_golden(folder / "expected.txt", capsys.readouterr().out + f"exit {code}\n")


def test_clean_fixture_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(make_root(tmp_path)), "check", "--strict"]) == 0
    assert "content is valid" in capsys.readouterr().out


def test_real_content_is_valid_and_fully_translated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "check", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "da-nang-2021: 95 tasks, English 100.0%" in out
    assert "hai-phong-2021: 38 tasks, English 100.0%" in out


def test_bad_content_never_gives_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
    for junk in ("", "- 5\n- [1, 2]\n", "{a: b}", "\t- x", "- id: [\n", b"\xff\xfe".decode("latin-1")):
        tasks.write_text(junk, encoding="utf-8")
        assert main(["--root", str(root), "check"]) == 1
        assert "content/plans/alpha-2021/tasks/1.yaml:" in capsys.readouterr().out
