"""Put rendered files on disk and take folders off it: the one place that writes generated output.

One file-system call after another, in both directions. Writing: the build writes while the renderer's
runs keep both cores busy, and there sixteen threads taking turns at the GIL cost the forked process
writing the published files 1.4–1.9 s of system time, one thread 0.5–1.5 s. Removing: a built site of
the real plans goes in 0.11–0.13 s with `shutil.rmtree`, 0.17–0.21 s with sixteen calls in flight
(0.17–0.27 s against 0.32–0.57 s with the cores busy); an earlier measurement on a busier disk had
favoured the threads (scripts/BENCHMARKS.md, "Full build against the renderer's floor").
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


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
    """Remove `folder` and everything in it, ignoring errors. Links are removed, never followed: what a
    link inside points to stays, and a link given as `folder` is left alone."""
    shutil.rmtree(folder, ignore_errors=True)
