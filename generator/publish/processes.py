"""Stopping a build cleanly: Ctrl+C (SIGINT) and a CI cancel (SIGTERM) end it and every program it ran.

The build's programs (the renderer, Pagefind) run in their own process groups, so a terminal's Ctrl+C
reaches the build only; the build then ends each group (Pagefind's Python wrapper runs a binary: a group
holds both) and waits for it, so that nothing keeps writing after the build has exited. Its own work in a
second process (`Children.fork`) is ended the same way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE = 10.0  # seconds a program gets to end after SIGTERM before SIGKILL


class Interrupted(BaseException):  # like KeyboardInterrupt: no `except Exception` swallows it
    """The build received SIGINT or SIGTERM."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    def __reduce__(self) -> tuple[type[Interrupted], tuple[int]]:
        return Interrupted, (self.signum,)  # by its number, not its name (a forked process sends it back)

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


class ForkError(Exception):
    """A forked process ended without an outcome (killed), or with one that could not come back."""


class Forked(Generic[T]):
    """A function running in a copy of this process (see `Children.fork`); `result` waits for it."""

    def __init__(self, process: BaseProcess | None, outcome: Connection | tuple[bool, object]) -> None:
        self.process = process
        self.outcome = outcome

    def result(self) -> T:
        """What the function returned; what it raised is raised here."""
        outcome = self.outcome
        if isinstance(outcome, Connection):
            try:
                outcome = outcome.recv()
            except (EOFError, OSError):  # it ended without sending: killed (what does not pickle comes as text)
                outcome = (False, None)
            except Exception as error:  # what it raised did not unpickle: say what
                outcome = (False, ForkError(f"{error.__class__.__name__}: {error}"))
            finally:
                self.outcome.close()  # type: ignore[union-attr]
            self.outcome = outcome
        if self.process is not None:
            self.process.join()
        done, value = outcome
        if done:
            return value  # type: ignore[return-value]
        if value is None:
            code = self.process.exitcode if self.process is not None else None
            raise ForkError(f"the build's second process ended without finishing (exit code {code})")
        raise value  # type: ignore[misc]

    def stop(self) -> None:
        """End it if it still runs (SIGTERM, SIGKILL after the grace period) and reap it."""
        if self.process is None or self.process.exitcode is not None:
            return
        self.process.terminate()
        self.process.join(GRACE)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()


def _outcome(function: Callable[[], T], sender: Connection, mask: set[signal.Signals]) -> None:
    """In the forked process: run `function`, send back what it returned or raised. It has the build's
    handlers: SIGINT or SIGTERM raise Interrupted here too, so that what it runs (the card drawing pool)
    stops as in the build itself; one that came while it was being forked arrives now (`mask`: the signals
    blocked before)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    try:
        sender.send((True, function()))
    except BaseException as error:  # every failure goes back to the parent, which reports it
        try:
            sender.send((False, error))
        except Exception:  # it does not pickle: its text does
            sender.send((False, ForkError("".join(traceback.format_exception(error)))))
    sender.close()


class Children:
    """The programs a build runs, and its forked copies; leaving the `with` block ends those still
    running, in every case."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[str]] = []
        self.forked: list[Forked[Any]] = []

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

    def fork(self, function: Callable[[], T]) -> Forked[T]:
        """Run `function` in a copy of this process (fork: nothing is pickled on the way in, the content
        already loaded is shared) while this one goes on; its result or exception comes back pickled, by
        `Forked.result`. Where there is no fork (Windows), it runs here, at once."""
        if "fork" not in multiprocessing.get_all_start_methods():
            try:
                return Forked(None, (True, function()))
            except Exception as error:  # raised by `result`, as from a fork
                return Forked(None, (False, error))
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # or the copy would print what this one has buffered
            stream.flush()
        # Blocked, not `held`: the copy must get the build's handlers, and a signal that comes meanwhile
        # reaches both once the copy is known (here, at the end of the block; in the copy, in `_outcome`).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            process = context.Process(target=_outcome, args=(function, sender, mask))
            process.start()
            forked: Forked[T] = Forked(process, receiver)
            self.forked.append(forked)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        sender.close()  # only the copy sends: its end closed here, its exit is seen as EOF
        return forked

    def stop(self) -> None:
        """End every program still running (SIGTERM to its group, SIGKILL after a grace period), and reap it;
        the same for the forked copies."""
        with held():
            for forked in self.forked:
                forked.stop()
            self.forked.clear()
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
