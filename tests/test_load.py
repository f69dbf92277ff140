"""Reading YAML: inputs built to exhaust time, memory or the stack are refused with one problem line."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import MAX_DEPTH, MAX_NODES, ContentTooLarge, parse_text

from .conftest import make_root

TASKS = "content/plans/alpha-2021/tasks/1.yaml"
MEMORY = 1 << 30  # bytes of address space the `check` under test may use: a blown-up input cannot fit


def bomb(levels: int) -> str:
    """A 'billion laughs' of lists: each level holds nine aliases of the one below (9**levels strings)."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def check(root: Path) -> subprocess.CompletedProcess[str]:
    """`check` in its own process: a crash (segfault) or a blow-up fails the test instead of killing pytest."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        timeout=300,  # a safety net against a hang, not a measure of speed
        preexec_fn=_limit_memory,
        check=False,
    )


SIZE = f"the file expands to more than {MAX_NODES:,} values (aliases counted in full)"
DEPTH = f"lists and mappings nest more than {MAX_DEPTH} levels deep"
DEPTH_AT = f"1:{2 * MAX_DEPTH + 1}"  # the opening bracket one level too deep, in '[ [ [ …'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (bomb(7), f"6:15: {SIZE}"),
        (bomb(8), f"6:15: {SIZE}"),
        (bomb(9), f"6:15: {SIZE}"),
        ("[ " * 495 + "] " * 495, f"{DEPTH_AT}: {DEPTH}"),
        ("[ " * 30_000 + "] " * 30_000, f"{DEPTH_AT}: {DEPTH}"),
        ("[ " * 1_000_000, f"{DEPTH_AT}: {DEPTH}"),
        ("- " * 50_000 + "x\n", f"{DEPTH_AT}: {DEPTH}"),
        ("".join("  " * i + "k:\n" for i in range(1_000)), f"{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: {DEPTH}"),
        ("[" + "x, " * 1_000_000 + "]", f"1:{3 * MAX_NODES - 1}: {SIZE}"),
    ],
    ids=["bomb-7", "bomb-8", "bomb-9", "nest-495", "nest-30000", "nest-1000000", "block-50000", "keys-1000", "wide"],
)
def test_bombs_and_deep_nesting_are_one_problem(text: str, expected: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / TASKS).write_text(text, encoding="utf-8")
    result = check(root)
    assert (result.returncode, result.stderr) == (1, "")
    lines = [line for line in result.stdout.splitlines() if not line.startswith("  hint: ")]
    assert lines == [f"{TASKS}:{expected}", "1 problem in 1 file"]


def test_parse_text_reads_what_check_reads() -> None:
    assert parse_text("a: &x [one, {b: c}]\nd: *x\n") == {"a": ["one", {"b": "c"}], "d": ["one", {"b": "c"}]}


def test_parse_text_refuses_what_is_too_large() -> None:
    with pytest.raises(ContentTooLarge) as refused:
        parse_text(bomb(9))
    assert (refused.value.line, refused.value.column, refused.value.message) == (6, 15, SIZE)
    with pytest.raises(ContentTooLarge):
        parse_text("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    deepest = parse_text("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        (deepest,) = deepest
    assert deepest == []
