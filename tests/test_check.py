"""`python -m generator check`: every problem of broken content, one exact line each (golden)."""

from __future__ import annotations

import json
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


def test_problems_become_annotations_on_their_lines_in_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path, FIXTURES / "broken" / "references")
    assert main(["--root", str(root), "check"]) == 1
    plain = [line for line in capsys.readouterr().out.splitlines() if line.startswith("content/")]

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["--root", str(root), "check"]) == 1
    github = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert len(github) == len(plain) > 0
    for annotation, line in zip(github, plain, strict=True):
        path, row, column, _ = line.split(":", 3)
        assert annotation.startswith(f"::error file={path},line={row},col={column},title=")

    monkeypatch.delenv("GITHUB_ACTIONS")
    monkeypatch.setenv("GITLAB_CI", "true")
    assert main(["--root", str(root), "check"]) == 1
    report = json.loads((root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [f"{r['location']['path']}:{r['location']['lines']['begin']}" for r in report] == [
        ":".join(line.split(":", 2)[:2]) for line in plain
    ]
    assert len({r["fingerprint"] for r in report}) == len(report)
