"""Replacing site/ safely: one build at a time, each in its own folder, the new site swapped in whole.

Beside `site/` (whatever its name, see `--site`):
- `.site.lock`: a build holds an exclusive lock (flock) on it from start to end; a second build waits
  for the first to finish, then builds the content as it is by then. The lock ends with its process,
  however that ends, so a killed build never leaves a stale lock.
- `.site.build-*/`: each build's private work folder (Markdown, MkDocs output, the assembled site);
  leftovers of killed builds are removed by the next build.
- `site.old/`: the previous site, only during the swap. A build killed between the swap's two renames
  leaves `site.old/` and no `site/`: the next build (failing or not) moves it back first.

The folders are beside the site, on its file system, so that moving 0.6 GB (10,000 tasks) is a rename.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.publish.processes import held
from generator.publish.write import remove_tree


def lock_file(site: Path) -> Path:
    """The lock file of a site folder: `.site.lock` beside `site/`."""
    return site.with_name(f".{site.name}.lock")


def old_site(site: Path) -> Path:
    """Where the previous site stays during the swap."""
    return site.with_name(f"{site.name}.old")


def _work_prefix(site: Path) -> str:
    return f".{site.name}.build-"


@contextlib.contextmanager
def site_lock(site: Path) -> Iterator[None]:
    """Hold the site's build lock for the block, waiting (and saying so) while another build has it."""
    site.parent.mkdir(parents=True, exist_ok=True)
    path = lock_file(site)
    with open(path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip()
            running = f"another build is running (pid {holder})" if holder.isdigit() else "another build is running"
            print(f"{running}; waiting for it to finish…", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)  # Ctrl+C or SIGTERM interrupts the wait (processes.Interrupted)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)  # the file stays: removing it would let two builds lock two different files
            fcntl.flock(lock, fcntl.LOCK_UN)


def recover(site: Path) -> str | None:
    """Under the lock: undo what a killed build left; return what was restored, to tell the maintainer."""
    old = old_site(site)
    restored = None
    if old.is_dir() and not site.exists():
        old.rename(site)
        restored = f"restored {site} from {old.name}, left by a build stopped while replacing the site"
    remove_tree(old)
    for leftover in site.parent.glob(_work_prefix(site) + "*"):
        remove_tree(leftover)
    return restored


@contextlib.contextmanager
def work_folder(site: Path) -> Iterator[Path]:
    """A private folder for one build, beside the site; removed at the end, whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=_work_prefix(site), dir=site.parent))
    try:
        yield folder
    finally:
        remove_tree(folder)


def swap(staging: Path, site: Path) -> None:
    """Put `staging` in the place of `site`, keeping the previous site until the new one is in place.

    SIGINT and SIGTERM wait until both renames are done; only a SIGKILL (or a crash) can stop between
    them, and `recover` repairs that.
    """
    old = old_site(site)
    remove_tree(old)
    with held():
        if site.exists():
            site.rename(old)
        try:
            staging.rename(site)
        except OSError:
            if old.exists():
                old.rename(site)
            raise
    remove_tree(old)


def identity(site: Path) -> tuple[int, int] | None:
    """Which folder is at `site` now (device and inode): a swap puts another one there."""
    try:
        found = site.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino
