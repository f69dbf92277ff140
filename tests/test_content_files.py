"""Nothing from outside content/ is read or published: links, special files and escaping source names.

The audit put /etc/passwd on the site byte for byte through a link in content/sources/. Each case here
is a `check` problem naming the file, and a build that publishes nothing (the previous site stays).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.__main__ import main

from .conftest import ROOT, make_root

SECRET = "root:x:0:0:a secret outside the repository\n"
LINK = "a symbolic link: content must be regular files inside content/"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, standing for /etc: its files must never reach the site."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET, encoding="utf-8")
    return folder


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    return code, capsys.readouterr().out


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "build", "--no-search"])
    return code, capsys.readouterr().out


def published(site: Path) -> bool:
    return any(
        SECRET.strip() in f.read_text(encoding="utf-8", errors="replace") for f in site.rglob("*") if f.is_file()
    )


def test_a_linked_source_text_is_refused_and_never_published(
    tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    assert build(root, capsys)[0] == 0
    (root / "content/sources/passwd.txt").symlink_to(outside / "passwd")
    code, out = check(root, capsys)
    assert code == 1
    assert f"content/sources/passwd.txt:1:1: {LINK}" in out
    code, out = build(root, capsys)
    assert code == 1
    assert "The site was not built" in out
    assert not published(root / "site")


@pytest.mark.parametrize(
    "link",
    [
        "content/pages/bi-mat.vi.md",
        "content/plans/alpha-2021/tasks/9.yaml",
        "content/cities/beta.yaml",
        "content/procedures/thu.yaml",
        "content/pillars.yaml",
    ],
)
def test_a_linked_content_file_is_a_problem_and_is_not_read(
    link: str, tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    target = root / link
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(outside / "passwd")
    code, out = check(root, capsys)
    assert code == 1
    assert f"{link}:1:1: {LINK}" in out
    assert "secret" not in out, "the linked file was read"


def test_a_linked_folder_is_a_problem_and_nothing_in_it_is_read(
    tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    (outside / "plan.yaml").write_text("id: [secret\n", encoding="utf-8")
    (root / "content/plans/beta-2021").symlink_to(outside)
    code, out = check(root, capsys)
    assert code == 1
    assert f"content/plans/beta-2021:1:1: {LINK}" in out
    assert "secret" not in out
    assert "beta-2021/plan.yaml" not in out


def test_a_special_file_is_a_problem_and_is_not_opened(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    os.mkfifo(root / "content/plans/alpha-2021/tasks/2.yaml")  # reading it would wait forever
    # In a subprocess: its timeout is only a safety net, so that a regression fails instead of hanging.
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "content/plans/alpha-2021/tasks/2.yaml:1:1: not a regular file (a device, pipe or socket)" in done.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("/etc/passwd", "'/etc/passwd' is not a file name in content/sources/"),
        ("../../outside/passwd", "'../../outside/passwd' is not a file name in content/sources/"),
        ("..", "'..' is not a file name in content/sources/"),
        ("notes", "'notes' is not a .txt file"),
        ("folder.txt", "content/sources/folder.txt is not a regular file inside content/"),
        ("linked.txt", "content/sources/linked.txt is not a regular file inside content/"),
        ("absent.txt", "no file content/sources/absent.txt"),
    ],
)
def test_source_file_must_name_a_regular_file_directly_in_sources(
    name: str, message: str, tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    (root / "content/sources/folder.txt").mkdir()
    (root / "content/sources/notes").write_text("x", encoding="utf-8")
    (root / "content/sources/linked.txt").symlink_to(outside / "passwd")
    plan = root / "content/plans/alpha-2021/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("file: alpha.txt", f"file: {name}"), encoding="utf-8")
    code, out = check(root, capsys)
    assert code == 1
    assert f"content/plans/alpha-2021/plan.yaml:13:9: source.file: {message}" in out


def test_a_source_text_that_is_not_utf8_is_a_problem_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    (root / "content/sources/alpha.txt").write_bytes("Số: 1\nhai\n".encode() + b"\xff\n")
    code, out = check(root, capsys)
    assert code == 1
    assert "content/sources/alpha.txt:3:1: not UTF-8 text (byte " in out


def test_a_linked_content_folder_is_refused(tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    shutil.move(root / "content", outside / "content")
    (root / "content").symlink_to(outside / "content")
    code, out = check(root, capsys)
    assert code == 1
    assert f"content:1:1: {LINK}" in out


def test_hidden_editor_files_are_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    (root / "content/plans/alpha-2021/tasks/.#1.yaml").symlink_to("user@host.1234")  # Emacs's lock file
    assert check(root, capsys)[0] == 0
