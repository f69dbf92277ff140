"""Writing and removing generated trees (generator/publish/write.py): many calls at once, nothing else touched."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator.publish.write import link_tree, remove_tree, write_tree


def test_write_tree_writes_every_file_in_nested_folders(tmp_path: Path) -> None:
    files = {f"a/{i % 7}/{i}/index.md": f"page {i}".encode() for i in range(200)} | {"top.txt": b"x"}
    write_tree(tmp_path / "out", files)
    found = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()
    }
    assert found == files


def test_write_tree_reports_a_failure(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a").write_text("a file where a folder must go", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_tree(tmp_path / "out", {"b.md": b"b", "a/c.md": b"c"})


def test_remove_tree_removes_everything_but_what_links_point_to(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    write_tree(kept, {"inside/file.txt": b"keep me", "other.txt": b"keep me too"})
    doomed = tmp_path / "doomed"
    write_tree(doomed, {f"{i % 5}/{i}/index.html": b"x" for i in range(100)})
    (doomed / "3" / "link-to-folder").symlink_to(kept / "inside", target_is_directory=True)
    (doomed / "link-to-file").symlink_to(kept / "other.txt")
    (doomed / "empty" / "deeper").mkdir(parents=True)
    remove_tree(doomed)
    assert not doomed.exists()
    assert (kept / "inside" / "file.txt").read_bytes() == b"keep me"
    assert (kept / "other.txt").read_bytes() == b"keep me too"


def test_remove_tree_leaves_a_linked_folder_and_ignores_a_missing_one(tmp_path: Path) -> None:
    target = tmp_path / "target"
    write_tree(target, {"a/b.txt": b"b"})
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    remove_tree(link)  # as shutil.rmtree(ignore_errors=True): a link is not a tree to remove
    remove_tree(tmp_path / "missing")
    assert (target / "a" / "b.txt").read_bytes() == b"b"


def test_link_tree_links_each_file_and_copies_where_it_cannot_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = tmp_path / "cache" / "k.png"
    cached.parent.mkdir()
    cached.write_bytes(b"card")
    link_tree(tmp_path / "site", {"a/og.png": cached, "en/a/og.png": cached})
    assert {(tmp_path / "site" / p).stat().st_ino for p in ("a/og.png", "en/a/og.png")} == {cached.stat().st_ino}

    def cross_device(source: Path, target: Path) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)  # the site on another file system than the cache
    link_tree(tmp_path / "other", {"b/og.png": cached})
    copy = tmp_path / "other" / "b" / "og.png"
    assert copy.read_bytes() == b"card"
    assert copy.stat().st_ino != cached.stat().st_ino
