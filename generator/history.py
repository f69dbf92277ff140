"""The change history of every task, read from git: which field changed, from what to what, in which commit.

Every commit that touched a plan's task files is replayed oldest first; the tasks before and after
are compared field by field. A copy without history (a tarball, or a shallow clone whose first
commit would look as if it created everything) gives an empty history that says why.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .load import UnreadableYaml, parse_text

TASK_FILES = re.compile(r"^content/plans/(?P<plan>[^/]+)/tasks/[^/]+\.ya?ml$")
MOST_CHANGES = 30  # changes of one revision that pages and feeds list, the rest counted: real ones have under 20


@dataclass(frozen=True)
class Commit:
    sha: str
    time: dt.datetime  # when it was committed, with the committer's offset
    subject: str
    url: str | None  # where readers can see the commit, when the repository is public

    @property
    def date(self) -> dt.date:
        return self.time.date()


@dataclass(frozen=True)
class Change:
    """One field of a task: `before` is None when it was added, `after` None when removed."""

    path: tuple[str, ...]  # e.g. ("deadline", "text", "vi") or ("targets", "0", "value")
    before: Any
    after: Any


@dataclass(frozen=True)
class Revision:
    """What one commit did to one task."""

    commit: Commit
    plan: str
    task: str
    kind: str  # "added", "changed" or "removed"
    changes: tuple[Change, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.task}"

    @property
    def shown(self) -> tuple[Change, ...]:
        """The changes that pages and feeds list."""
        return self.changes[:MOST_CHANGES]

    @property
    def hidden(self) -> int:
        """How many changes are only counted."""
        return max(0, len(self.changes) - MOST_CHANGES)


@dataclass(frozen=True)
class Unreadable:
    """A task file that a commit left unreadable: what that commit did to its tasks is not itemised."""

    commit: Commit
    file: str  # e.g. content/plans/da-nang-2021/tasks/3.yaml


@dataclass
class History:
    """Every task revision, newest first; `unavailable` says why there is none."""

    revisions: list[Revision] = field(default_factory=list)
    unavailable: str | None = None  # "archive" or "shallow"
    unreadable: list[Unreadable] = field(default_factory=list)  # newest first

    by_task: dict[str, list[Revision]] = field(init=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Revision]] = defaultdict(list)
        for revision in self.revisions:
            index[revision.key].append(revision)
        self.by_task = dict(index)

    def of_task(self, key: str) -> list[Revision]:
        return self.by_task.get(key, [])

    def last_changed(self, key: str) -> dt.date | None:
        revisions = self.of_task(key)
        return revisions[0].commit.date if revisions else None


def read_history(root: Path) -> History:
    """Replay the git history of content/plans/*/tasks/ under `root`."""
    inside = git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return History(unavailable="archive")
    if git(root, "rev-parse", "--is-shallow-repository") != "false\n":
        return History(unavailable="shallow")
    log = git(
        root,
        "log",
        "--reverse",
        "--no-renames",
        "--relative",
        "--format=%x1e%H%x1f%cI%x1f%s",
        "--name-only",
        "--",
        "content/plans",
    )
    if log is None:
        return History(unavailable="archive")
    url = commit_url_template(root)
    commits: list[tuple[Commit, list[str]]] = []
    for record in log.split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        sha, time, subject = header.split("\x1f", 2)
        files = [n for n in names.splitlines() if TASK_FILES.match(n)]
        if files:
            link = url.format(sha=sha) if url else None
            commits.append((Commit(sha, dt.datetime.fromisoformat(time), subject, link), files))

    blobs = _read_blobs(root, [(c.sha, f) for c, files in commits for f in files])
    if blobs is None:
        return History(unavailable="archive")
    snapshot: dict[str, dict[str, Any]] = {}  # file -> {task id: task}, as of the commit being replayed
    revisions: list[Revision] = []
    unreadable: list[Unreadable] = []
    for commit, files in commits:
        touched = {TASK_FILES.match(f)["plan"]: None for f in files}  # type: ignore[index]
        before = {plan: _plan_tasks(snapshot, plan) for plan in touched}
        for file in files:
            tasks = _tasks_in(blobs[(commit.sha, file)])
            if tasks is None:  # a broken file never built: the next good one is compared with the last
                unreadable.append(Unreadable(commit, file))
            else:
                snapshot[file] = tasks
        for plan in touched:
            revisions.extend(_compare(commit, plan, before[plan], _plan_tasks(snapshot, plan)))
    revisions.reverse()
    unreadable.reverse()
    return History(revisions, unreadable=unreadable)


def commit_url_template(root: Path) -> str | None:
    """A link pattern for commits: from COMMIT_URL, the CI's variables, or the `origin` remote."""
    if os.environ.get("COMMIT_URL"):
        return os.environ["COMMIT_URL"]
    if os.environ.get("GITHUB_REPOSITORY"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{os.environ['GITHUB_REPOSITORY']}/commit/{{sha}}"
    if os.environ.get("CI_PROJECT_URL"):
        return f"{os.environ['CI_PROJECT_URL']}/-/commit/{{sha}}"
    remote = (git(root, "remote", "get-url", "origin") or "").strip()
    match = re.match(r"^(?:https://|git@)(?P<host>github\.com|gitlab\.com)[/:](?P<path>.+?)(?:\.git)?$", remote)
    if not match:
        return None
    separator = "/-/commit/" if match["host"] == "gitlab.com" else "/commit/"
    return f"https://{match['host']}/{match['path']}{separator}{{sha}}"


def git(root: Path, *args: str) -> str | None:
    """What a git command prints in `root`; None where git is missing or the command fails."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace")


def _read_blobs(root: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes | None] | None:
    """The content of each (commit, file) in one `git cat-file --batch` (None: deleted there)."""
    request = "".join(f"{sha}:./{PurePosixPath(file)}\n" for sha, file in wanted).encode()
    try:
        out = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True, check=True, timeout=600
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    blobs: dict[tuple[str, str], bytes | None] = {}
    position = 0
    for key in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if header[-1] == b"missing":
            blobs[key] = None
            continue
        size = int(header[2])
        blobs[key] = out[position : position + size]
        position += size + 1
    return blobs


def _tasks_in(blob: bytes | None) -> dict[str, Any] | None:
    """Tasks of one file by id; {} for a deleted file, None for one that cannot be read.

    Any past commit may hold what `check` refuses today (an impossible date, an alias bomb, deep
    nesting, bytes that are not UTF-8): such a file is skipped, never a reason for the build to fail.
    """
    if blob is None:
        return {}
    try:
        data = parse_text(blob.decode("utf-8"))  # within check's limits on nesting and alias expansion
    except (UnreadableYaml, yaml.YAMLError, ValueError, RecursionError, MemoryError):
        return None  # ValueError: an impossible date, or bytes that are not UTF-8
    if not isinstance(data, list):
        return None
    return {str(t["id"]): t for t in data if isinstance(t, dict) and "id" in t}


def _plan_tasks(snapshot: dict[str, dict[str, Any]], plan: str) -> dict[str, Any]:
    prefix = f"content/plans/{plan}/"
    return {
        tid: task for file, tasks in sorted(snapshot.items()) if file.startswith(prefix) for tid, task in tasks.items()
    }


def _compare(commit: Commit, plan: str, before: dict[str, Any], after: dict[str, Any]) -> list[Revision]:
    revisions = []
    for task_id in [*after, *(t for t in before if t not in after)]:
        if task_id not in before:
            revisions.append(Revision(commit, plan, task_id, "added"))
        elif task_id not in after:
            revisions.append(Revision(commit, plan, task_id, "removed"))
        else:
            changes = diff(before[task_id], after[task_id])
            if changes:
                revisions.append(Revision(commit, plan, task_id, "changed", tuple(changes)))
    return revisions


def diff(before: Any, after: Any, path: tuple[str, ...] = ()) -> list[Change]:
    """Field-by-field differences; a record added or removed as a whole is one change, not one per field."""
    if before == after or (_empty(before) and _empty(after)):
        return []
    if _empty(before) or _empty(after):
        return [Change(path, None if _empty(before) else before, None if _empty(after) else after)]
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*after, *(k for k in before if k not in after)]
        return [c for k in keys for c in diff(before.get(k), after.get(k), (*path, str(k)))]
    if isinstance(before, list) and isinstance(after, list) and all(isinstance(v, dict) for v in before + after):
        count = max(len(before), len(after))
        return [
            c
            for i in range(count)
            for c in diff(
                before[i] if i < len(before) else None, after[i] if i < len(after) else None, (*path, str(i + 1))
            )
        ]
    return [Change(path, before, after)]


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""
