"""The build's second process (`Children.fork`): what it returns or raises comes back, and it never outlives the build."""

from __future__ import annotations

import os
import signal
import time

import pytest

from generator.base.errors import ContentError, Problem
from generator.publish.processes import Children, ForkError, Interrupted


def test_a_forked_function_runs_in_a_copy_and_returns_its_result() -> None:
    with Children() as children:
        forked = children.fork(lambda: (os.getpid(), os.getppid()))
        pid, parent = forked.result()
    assert parent == os.getpid()
    assert pid != os.getpid()


def test_content_problems_raised_in_the_copy_come_back_whole() -> None:
    problem = Problem("content/plans/x/tasks.yaml", 12, 5, "tasks[3].lead", "unknown agency 'so-x'", "did you mean?")

    def fail() -> None:
        raise ContentError([problem])

    with Children() as children, pytest.raises(ContentError) as raised:
        children.fork(fail).result()
    assert raised.value.problems == [problem]


def test_an_interruption_in_the_copy_comes_back_with_its_signal() -> None:
    def interrupted() -> None:
        raise Interrupted(signal.SIGTERM)

    with Children() as children, pytest.raises(Interrupted) as raised:
        children.fork(interrupted).result()
    assert raised.value.exit_code == 143


def test_an_error_that_cannot_be_sent_back_comes_back_as_its_text() -> None:
    class Unsendable(Exception):
        def __init__(self) -> None:
            super().__init__("the feed's title is missing")
            self.callback = lambda: None  # a lambda does not pickle

    def fail() -> None:
        raise Unsendable

    with Children() as children, pytest.raises(ForkError, match="the feed's title is missing"):
        children.fork(fail).result()


def test_a_copy_killed_before_it_finished_is_an_error_not_a_result() -> None:
    with Children() as children, pytest.raises(ForkError, match=r"ended without finishing \(exit code -9\)"):
        children.fork(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_leaving_the_block_ends_a_copy_that_still_runs() -> None:
    with Children() as children:
        forked = children.fork(lambda: time.sleep(600))
        assert forked.process is not None
        pid = forked.process.pid
        assert forked.process.is_alive()
    assert forked.process.exitcode == -signal.SIGTERM
    with pytest.raises(ProcessLookupError):  # ended and reaped: no zombie left either
        os.kill(pid, 0)
