"""Put rendered files on disk and take folders off it: the one place that writes generated output.

Removing keeps many file-system calls in flight at once (threads: the calls release the GIL). On a busy
disk each removal of a folder waits for the file system's journal, a millisecond or more, while a dozen
waits at once cost about as much as one: removing a built site of the real plans one folder after
another took 1.1–1.3 s, with 16 at once 0.1–0.2 s (scripts/BENCHMARKS.md, "Full build against the
renderer's floor"). Writing goes one file after another: the build writes while the renderer's runs keep
both cores busy, and there sixteen threads taking turns at the GIL cost the forked process writing the
published files 1.4–1.9 s of system time, one thread 0.5–1.5 s (the same section).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

IN_FLIGHT = 16  # file-system calls at once
T = TypeVar("T")


def _each(function: Callable[[T], object], items: Iterable[T]) -> None:
    """Call `function` on every item, IN_FLIGHT at once; the first exception is raised once all ended."""
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        for _ in pool.map(function, items):
            pass


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write `{relative_path: bytes}` under `folder`, creating folders as needed."""

    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def link_tree(folder: Path, files: dict[str, Path]) -> None:
    """Put `{relative_path: file}` under `folder` as hard links to those files, creating folders as needed:
    no new file and no copy (files that are never changed in place, as cached cards). A copy where a
    link cannot be made (another file system)."""
    for path, source in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def remove_tree(folder: Path) -> None:
    """Remove `folder` and everything in it, ignoring errors, like `shutil.rmtree(folder, ignore_errors=True)`.

    Links are removed, never followed: what a link inside points to stays, and a link given as
    `folder` is left alone (as rmtree does).
    """
    if folder.is_symlink() or not folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        return
    folders = [Path(parent) for parent, _, _ in os.walk(folder)]  # os.walk does not enter linked folders
    _each(_remove_files, folders)
    by_depth: dict[int, list[Path]] = {}
    for found in folders:
        by_depth.setdefault(len(found.parts), []).append(found)
    for depth in sorted(by_depth, reverse=True):  # a folder's subfolders are gone before it
        _each(_remove_folder, by_depth[depth])
    shutil.rmtree(folder, ignore_errors=True)  # what appeared meanwhile, or could not be removed above


def _remove_files(folder: Path) -> None:
    """Remove what `folder` holds but its subfolders (files and links, to folders too)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)


def _remove_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
