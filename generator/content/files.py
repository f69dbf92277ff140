"""Which files under content/ may be read and published: regular files inside content/, nothing else.

A symbolic link, a device or a pipe in content/ would let the site publish (or `check` read, or hang on)
a file from outside the repository: /etc/passwd was once published byte for byte from content/sources/.
Every reader of content/ lists its files here; `problems` names everything else for `check`.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from generator.base.errors import Problem

SOURCES = "sources"
LINK = "a symbolic link: content must be regular files inside content/"
LINK_HINT = "replace the link with a copy of the file it points to"
SPECIAL = "not a regular file (a device, pipe or socket): content must be regular files inside content/"


def _hidden(name: str) -> bool:
    # Editors' lock and swap files (Emacs's `.#task.yaml` is a dangling link) are nobody's content.
    return name.startswith(".")


def within(content: Path, path: Path) -> bool:
    """Whether `path` lies inside `content` and neither it nor a folder on the way is a link."""
    try:
        parts = path.relative_to(content).parts
    except ValueError:
        return False
    if ".." in parts:
        return False
    current = content
    for part in ("", *parts):
        current = current / part if part else current
        try:
            if stat.S_ISLNK(current.lstat().st_mode):
                return False
        except OSError:
            return False
    return True


def is_regular(content: Path, path: Path) -> bool:
    """Whether `path` is a regular file inside `content`, reached without links."""
    try:
        return within(content, path) and stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def listing(content: Path, folder: Path, pattern: str, *, folders: bool = False) -> list[Path]:
    """The regular files (or, with `folders`, the folders) in `folder` whose names match `pattern`, sorted.

    Links, special files and hidden names are left out: `problems` reports the first two.
    """
    if not within(content, folder):
        return []
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if not _hidden(entry.name)
                and fnmatch.fnmatchcase(entry.name, pattern)
                and (entry.is_dir(follow_symlinks=False) if folders else entry.is_file(follow_symlinks=False))
            )
    except OSError:  # missing or unreadable: as if empty; the callers report what is missing
        return []


def problems(root: Path, content: Path) -> list[Problem]:
    """One problem per link or special file under `content`, and per source text that is not UTF-8."""
    found: list[Problem] = []

    def add(path: Path, message: str, hint: str = "", line: int = 1) -> None:
        found.append(Problem(_shown(root, path), line, 1, "", message, hint))

    if content.is_symlink():
        add(content, LINK, LINK_HINT)
        return found

    def walk(folder: Path) -> None:
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            if _hidden(entry.name):
                continue
            if entry.is_symlink():
                add(path, LINK, LINK_HINT)
            elif entry.is_dir(follow_symlinks=False):
                walk(path)
            elif not entry.is_file(follow_symlinks=False):
                add(path, SPECIAL)
            elif folder == content / SOURCES and entry.name.endswith(".txt"):
                bad = _not_utf8(path)
                if bad is not None:
                    add(path, f"not UTF-8 text ({bad[1]})", "save the file as UTF-8", bad[0])

    walk(content)
    return found


def source_problem(content: Path, name: str) -> str | None:
    """Why `source.file` cannot name a published source text, or None when it can."""
    folder = content / SOURCES
    if not name or "/" in name or "\\" in name or _hidden(name):
        return f"'{name}' is not a file name in content/{SOURCES}/ (no folders, no '..', no hidden files)"
    if not name.endswith(".txt"):
        return f"'{name}' is not a .txt file: the site publishes the source as plain text"
    path = folder / name
    if not os.path.lexists(path):
        return f"no file content/{SOURCES}/{name}"
    if not is_regular(content, path):
        return f"content/{SOURCES}/{name} is not a regular file inside content/ (a link, folder or device)"
    return None


def source_texts(content: Path) -> dict[str, bytes]:
    """The source texts to publish under nguon/: every regular content/sources/*.txt, as bytes."""
    return {path.name: path.read_bytes() for path in listing(content, content / SOURCES, "*.txt")}


def _not_utf8(path: Path) -> tuple[int, str] | None:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1, f"byte {error.start + 1}: {error.reason}"
    return None


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
