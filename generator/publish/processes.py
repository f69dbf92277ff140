"""Stopping a build cleanly: Ctrl+C (SIGINT) and a CI cancel (SIGTERM) end it and every program it ran.

The build's programs (MkDocs, Pagefind) run in their own process groups, so a terminal's Ctrl+C reaches
the build only; the build then ends each group (Pagefind's Python wrapper runs a binary: a group holds
both) and waits for it, so that nothing keeps writing after the build has exited.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE = 10.0  # seconds a program gets to end after SIGTERM before SIGKILL


class Interrupted(BaseException):  # like KeyboardInterrupt: no `except Exception` swallows it
    """The build received SIGINT or SIGTERM."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number (130 for Ctrl+C, 143 for SIGTERM)."""
        return 128 + self.signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _main_thread() -> bool:
    # Signal handlers can be set from the main thread only; `serve` rebuilds in another thread.
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise Interrupted (in the main thread)."""
    if not _main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise) for number in _heeded()}
    try:
        yield
    finally:
        _restore(previous)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block has run, then raise Interrupted if one came.

    For steps that must not stop halfway: starting a program (it must be known, to be ended) and
    swapping the new site in (two renames).
    """
    if not _main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda signum, _: received.append(signum)) for number in _heeded()}
    try:
        yield
    finally:
        _restore(previous)
    if received:
        raise Interrupted(received[0])


def _heeded() -> list[signal.Signals]:
    # A signal ignored on purpose (`nohup`, a shell's background job) stays ignored.
    return [number for number in SIGNALS if signal.getsignal(number) is not signal.SIG_IGN]


def _restore(previous: dict[signal.Signals, Any]) -> None:
    for number, handler in previous.items():
        if handler is not None:  # None: set outside Python, cannot be put back
            signal.signal(number, handler)


class Children:
    """The programs a build runs; leaving the `with` block ends those still running, in every case."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[str]] = []

    def __enter__(self) -> Children:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(
        self, command: list[str], cwd: Path, env: dict[str, str], *, stdin: bool = False
    ) -> subprocess.Popen[str]:
        """Start `command` in its own process group, its output (both streams) captured; `stdin`: with a
        pipe to its standard input (else none)."""
        with held():
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.PIPE if stdin else None,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            self.running.append(process)
        return process

    def stop(self) -> None:
        """End every program still running (SIGTERM to its group, SIGKILL after a grace period), and reap it."""
        with held():
            for process in self.running:
                if process.poll() is None:
                    _signal_group(process, signal.SIGTERM)
            for process in self.running:
                if process.returncode is not None:
                    continue  # reaped: its group is gone
                try:
                    process.wait(timeout=GRACE)
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
            for process in self.running:  # the pipes of a program ended before its output was read
                for pipe in (process.stdin, process.stdout):
                    if pipe is not None:
                        with contextlib.suppress(OSError):
                            pipe.close()
            self.running.clear()


def _signal_group(process: subprocess.Popen[str], number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, number)
