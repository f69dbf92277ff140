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

from generator.base.git import git
from generator.content.load import UnreadableYaml, parse_text
from generator.content.model import PERIOD
from generator.content.progress import period_span

TASK_FILES = re.compile(r"^content/plans/(?P<plan>[^/]+)/tasks/[^/]+\.ya?ml$")
REPORT_FILES = re.compile(r"^content/plans/(?P<plan>[^/]+)/reports/(?P<period>[^/]+)/(?P<agency>[^/]+)\.ya?ml$")
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


@dataclass(frozen=True)
class StatusChange:
    """A commit changed a task's reported status: the status of its latest reported period, before and after.

    `before` is None when the task had no report before. `period` and `agency` say which report now speaks
    for the task. Values are as typed in the files (a past revision may hold a status no longer allowed).
    """

    commit: Commit
    plan: str
    task: str
    before: str | None
    after: str
    period: str
    agency: str

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.task}"


@dataclass
class History:
    """Every task revision and status change, newest first; `unavailable` says why there is none."""

    revisions: list[Revision] = field(default_factory=list)
    unavailable: str | None = None  # "archive" or "shallow"
    unreadable: list[Unreadable] = field(default_factory=list)  # newest first
    status_changes: list[StatusChange] = field(default_factory=list)  # newest first

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


def read_history(root: Path, leads: dict[str, frozenset[str]] | None = None) -> History:
    """Replay the git history of content/plans/*/tasks/ and content/plans/*/reports/ under `root`.

    `leads` gives, for each task key, the agencies whose entry speaks for it (progress.pick_entry: its
    lead agencies, groups' members included); without it, the latest-dated report of a period speaks.
    """
    return replay(history_files(root), leads)


Files = list[tuple[Commit, list[tuple[str, Any]]]]
"""Each commit that changed task or report files, oldest first, with each such file as read: its tasks by id
(`_tasks_in`) or its entries by task (`_entries_in`), {} if deleted, None if it cannot be read."""


def history_files(root: Path) -> Files | str:
    """The task and report files of each commit of content/plans under `root`, read (the content of today
    is not needed: the build reads them while it validates it); or why there are none: "archive" or "shallow"."""
    inside = git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return "archive"
    if git(root, "rev-parse", "--is-shallow-repository") != "false\n":
        return "shallow"
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
        return "archive"
    url = commit_url_template(root)
    commits: list[tuple[Commit, list[str]]] = []
    for record in log.split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        sha, time, subject = header.split("\x1f", 2)
        files = [n for n in names.splitlines() if TASK_FILES.match(n) or _report_file(n)]
        if files:
            link = url.format(sha=sha) if url else None
            commits.append((Commit(sha, dt.datetime.fromisoformat(time), subject, link), files))

    blobs = _read_blobs(root, [(c.sha, f) for c, files in commits for f in files])
    if blobs is None:
        return "archive"
    return [
        (commit, [(f, (_tasks_in if TASK_FILES.match(f) else _entries_in)(blobs[(commit.sha, f)])) for f in files])
        for commit, files in commits
    ]


def replay(files: Files | str, leads: dict[str, frozenset[str]] | None = None) -> History:
    """The history those files tell, commit after commit, or none and why (`history_files`); `leads`: see
    `read_history`."""
    if isinstance(files, str):
        return History(unavailable=files)
    snapshot: dict[str, dict[str, Any]] = {}  # file -> {task id: task}, as of the commit being replayed
    reports = _Reports(leads or {})
    revisions: list[Revision] = []
    unreadable: list[Unreadable] = []
    for commit, read in files:
        task_files = [(f, tasks) for f, tasks in read if TASK_FILES.match(f)]
        touched = {TASK_FILES.match(f)["plan"]: None for f, _ in task_files}  # type: ignore[index]
        before = {plan: _plan_tasks(snapshot, plan) for plan in touched}
        for file, tasks in task_files:
            if tasks is None:  # a broken file never built: the next good one is compared with the last
                unreadable.append(Unreadable(commit, file))
            else:
                snapshot[file] = tasks
        for plan in touched:
            revisions.extend(_compare(commit, plan, before[plan], _plan_tasks(snapshot, plan)))
        for file, entries in read:
            if not TASK_FILES.match(file) and not reports.read(file, entries):
                unreadable.append(Unreadable(commit, file))
        reports.commit(commit)
    revisions.reverse()
    unreadable.reverse()
    changes = [change for batch in reversed(reports.changes) for change in batch]  # newest commit first
    return History(revisions, unreadable=unreadable, status_changes=changes)


def _report_file(name: str) -> bool:
    """A report file whose folder is a period id (period_span can place it)."""
    match = REPORT_FILES.match(name)
    return match is not None and re.fullmatch(PERIOD, match["period"]) is not None


class _Reports:
    """Replays report files: after each commit, each task's reported status and the changes since the last."""

    def __init__(self, leads: dict[str, frozenset[str]]) -> None:
        self.leads = leads
        # (plan, task) -> {(period, agency): (report date as typed, status)}
        self.entries: dict[tuple[str, str], dict[tuple[str, str], tuple[str, str]]] = defaultdict(dict)
        self.files: dict[str, dict[str, tuple[str, str]]] = {}  # file -> {task: (date, status)}
        self.touched: set[tuple[str, str]] = set()
        self.known: dict[tuple[str, str], str] = {}  # (plan, task) -> status after the last commit
        self.changes: list[list[StatusChange]] = []  # per commit, oldest first

    def read(self, file: str, found: dict[str, tuple[str, str]] | None) -> bool:
        """Take a file's new entries (`_entries_in`); False when it could not be read (then its last good stays)."""
        if found is None:
            return False
        match = REPORT_FILES.match(file)
        assert match is not None
        plan, where = match["plan"], (match["period"], match["agency"])
        for task in self.files.get(file, {}):
            self.entries[(plan, task)].pop(where, None)
            self.touched.add((plan, task))
        for task, value in found.items():
            self.entries[(plan, task)][where] = value
            self.touched.add((plan, task))
        self.files[file] = found
        return True

    def commit(self, commit: Commit) -> None:
        """Record the status change of every task the commit's report files touched."""
        batch: list[StatusChange] = []
        for plan, task in sorted(self.touched):
            speaking = self._speaking(plan, task)
            before = self.known.get((plan, task))
            if speaking is None:
                self.known.pop((plan, task), None)
                continue
            (period, agency), status = speaking
            self.known[(plan, task)] = status
            if status != before:
                batch.append(StatusChange(commit, plan, task, before, status, period, agency))
        if batch:
            self.changes.append(batch)
        self.touched.clear()

    def _speaking(self, plan: str, task: str) -> tuple[tuple[str, str], str] | None:
        """The entry that speaks for a task: in its latest period, a lead's, else the latest-dated report's."""
        entries = self.entries.get((plan, task))
        if not entries:
            return None
        latest = max(map(_order, (period for period, _ in entries)))
        pool = [(where, value) for where, value in entries.items() if _order(where[0]) == latest]
        leads = self.leads.get(f"{plan}/{task}", frozenset())
        pool = [item for item in pool if item[0][1] in leads] or pool
        where, (_, status) = max(pool, key=lambda item: (item[1][0], item[0][1]))
        return where, status


def _order(period: str) -> tuple[dt.date, dt.date]:
    """Periods in time order: by last day, then first (a year, 2021-Y, comes after its third quarter)."""
    start, end = period_span(period)
    return end, start


def _entries_in(blob: bytes | None) -> dict[str, tuple[str, str]] | None:
    """{task: (report date, status)} of one report file; {} when deleted; None when it cannot be read."""
    if blob is None:
        return {}
    try:
        data = parse_text(blob.decode("utf-8"))
    except (UnreadableYaml, yaml.YAMLError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    day = str(data.get("date", ""))
    return {
        str(e["task"]): (day, str(e["status"]))
        for e in data["entries"]
        if isinstance(e, dict) and isinstance(e.get("task"), str | int) and isinstance(e.get("status"), str)
    }


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
