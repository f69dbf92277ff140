"""Builds under stress: two at once, one killed between its renames, one stopped by Ctrl+C or a CI cancel.

Real builds run as subprocesses on the small fixture. Nothing here assumes how long a step takes:
each test waits for an observable state (a line printed, a process started) and for the outcome,
with timeouts only as safety nets.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, make_root

SAFETY_NET = 600  # seconds: only so that a regression fails instead of hanging
EPOCH = "1640995200"  # the same build time for every build, so that two builds are byte-identical


def digest(folder: Path) -> str:
    found = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            found.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return found.hexdigest()


# A shell's background job (CI may run the suite as one) starts with SIGINT ignored, and the build rightly
# keeps an ignored signal ignored: these builds get Ctrl+C as a terminal delivers it (a disposition set to
# the default survives exec, and no preexec_fn is needed in a process with threads).
IN_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)


def start(root: Path, site: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "generator", "--root", str(root), "build", "--no-search", "--site", str(site)]
    return subprocess.Popen(
        [sys.executable, "-c", IN_A_TERMINAL, *command],
        cwd=ROOT,
        env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run(root: Path, site: Path) -> tuple[int, str]:
    process = start(root, site)
    out, _ = process.communicate(timeout=SAFETY_NET)
    return process.returncode, out


def leftovers(site: Path) -> list[str]:
    """What a build may leave beside the site besides the site and its lock file."""
    return sorted(p.name for p in site.parent.iterdir() if p.name not in (site.name, f".{site.name}.lock"))


def children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is `pid`, with their command lines."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if parent == pid:
            found.append((int(stat.parent.name), command))
    return found


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture project and a site folder of its own, built once."""
    root = make_root(tmp_path)
    site = tmp_path / "out" / "site"
    code, out = run(root, site)
    assert code == 0, out
    return root, site


def test_two_builds_at_once_leave_one_complete_site(project: tuple[Path, Path]) -> None:
    root, site = project
    expected = digest(site)
    first, second = start(root, site), start(root, site)
    outputs = [process.communicate(timeout=SAFETY_NET)[0] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert all("built " in out for out in outputs), outputs
    assert digest(site) == expected
    assert leftovers(site) == []


def test_a_second_build_waits_for_the_first_and_says_so(project: tuple[Path, Path]) -> None:
    root, site = project
    before = digest(site)
    with open(site.parent / ".site.lock", "a+", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # this test is "the first build"
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        process = start(root, site)
        assert process.stdout is not None
        line = process.stdout.readline()  # printed before it blocks: no timing involved
        assert line == f"another build is running (pid {os.getpid()}); waiting for it to finish…\n"
        assert process.poll() is None, "the second build must wait"
        assert digest(site) == before
        fcntl.flock(lock, fcntl.LOCK_UN)
    out, _ = process.communicate(timeout=SAFETY_NET)
    assert process.returncode == 0, out
    assert "built " in out


@pytest.mark.parametrize("content_ok", [False, True], ids=["failing build", "succeeding build"])
def test_a_build_killed_between_its_two_renames_is_repaired_by_the_next(
    project: tuple[Path, Path], content_ok: bool
) -> None:
    root, site = project
    before = digest(site)
    site.rename(site.with_name("site.old"))  # the state a SIGKILL between the swap's renames leaves
    if not content_ok:
        (root / "content/cities/alpha.yaml").write_text("id: [\n", encoding="utf-8")
    code, out = run(root, site)
    assert f"restored {site} from site.old, left by a build stopped while replacing the site" in out
    if content_ok:
        assert code == 0, out
    else:
        assert code == 1
        assert f"The site was not built; {site} is unchanged." in out
        assert digest(site) == before
    assert (site / "index.html").exists()
    assert leftovers(site) == []


def state(pid: int) -> str:
    """A process's state letter from /proc (R, S, T for stopped, Z …), or '' when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def frozen_mkdocs(process: subprocess.Popen[str]) -> list[int]:
    """Wait for the build's MkDocs runs and freeze them (SIGSTOP): the build then cannot get past MkDocs
    before the test's signal arrives, however slow the machine. Returns the frozen pids, or [] when the
    build got past MkDocs before the test saw it (a busy machine can keep the test off the CPU that long)."""
    deadline = time.monotonic() + SAFETY_NET
    while process.poll() is None and time.monotonic() < deadline:
        found = [pid for pid, command in children(process.pid) if "mkdocs" in command]
        for pid in found:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        while any(state(pid) in "RSD" and state(pid) for pid in found):  # until each stop has arrived
            time.sleep(0.01)
        frozen = [pid for pid in found if state(pid) in ("T", "t")]
        if frozen:
            return frozen
        time.sleep(0.01)
    return []


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_build_ends_its_programs_says_one_line_and_keeps_the_site(
    project: tuple[Path, Path], number: signal.Signals, code: int
) -> None:
    root, site = project
    before = digest(site)
    for _attempt in range(5):  # a build that finished before the test could see MkDocs is not the test
        process = start(root, site)
        frozen = frozen_mkdocs(process)
        if frozen:
            break
        process.communicate(timeout=SAFETY_NET)
    assert frozen, "the test never saw the build's MkDocs running"
    process.send_signal(number)
    for pid in frozen:  # thawed, each ends at the build's SIGTERM
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
    out, _ = process.communicate(timeout=SAFETY_NET)
    assert out == f"Build interrupted; {site} is unchanged.\n"
    assert process.returncode == code
    assert not [pid for pid in frozen if group_alive(pid)], "MkDocs still runs after the build ended"
    assert digest(site) == before
    assert leftovers(site) == []
