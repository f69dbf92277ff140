"""Reading YAML: inputs built to exhaust time, memory or the stack are refused with one problem line."""

from __future__ import annotations

import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.base.errors import Problem
from generator.content.load import MAX_DEPTH, MAX_NODES, ContentTooLarge, UnreadableYaml, parse_text
from generator.content.validate import load_content

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


def test_aliases_that_cannot_be_read_are_refused() -> None:
    with pytest.raises(UnreadableYaml, match=r"^2:5: alias '\*a' refers to a value it is part of$"):
        parse_text("a: &a\n  - *a\n")
    with pytest.raises(UnreadableYaml, match=r"^1:4: alias '\*b' has no anchor$"):
        parse_text("a: *b\n")


LITERAL_TASK = """\
- id: 1-a
  number: 1.10
  marker: 010
  group: 1
  text: {vi: 12.50, en: 0x1F}
  output: {vi: 1_000, en: 1:30}
  notes: {vi: 2021-04-31, en: yes}
  budget_funded: yes
  targets:
    - {value: 50, unit: "%", measure: {vi: 1e3, en: .inf}}
"""


def test_values_are_read_as_typed(tmp_path: Path) -> None:
    """YAML 1.1 would publish 1.10 as 1.1, 010 as 8, 0x1F as 31, 1_000 as 1000, 1:30 as 90, yes as True."""
    root = make_root(tmp_path)
    (root / TASKS).write_text(LITERAL_TASK, encoding="utf-8")
    content, _ = load_content(root)
    (task,) = content.plans[0].tasks
    assert (task.number, task.marker, task.group) == ("1.10", "010", "1")
    assert (task.text.vi, task.text.en) == ("12.50", "0x1F")
    assert task.output is not None
    assert (task.output.vi, task.output.en) == ("1_000", "1:30")
    assert task.notes is not None
    assert (task.notes.vi, task.notes.en) == ("2021-04-31", "yes")
    # Fields that are numbers or true/false still take them unquoted.
    assert task.budget_funded is True
    assert task.targets[0].value == 50.0
    assert task.targets[0].measure.vi == "1e3"
    assert content.plans[0].plan.year == 2021
    assert parse_text("a: [1.10, ~, null, '', '~', !!str 010, \"0x1F\"]") == {
        "a": ["1.10", None, None, "", "~", "010", "0x1F"]
    }


def test_text_is_read_in_composed_form(tmp_path: Path) -> None:
    """Decomposed Vietnamese (NFD: 'ơ' + combining hook) looks the same but matched nothing."""
    root = make_root(tmp_path)
    tasks = root / TASKS
    text = tasks.read_text(encoding="utf-8").replace("Thường xuyên", unicodedata.normalize("NFD", "Thường xuyên"))
    assert unicodedata.normalize("NFC", text) != text
    tasks.write_text(text, encoding="utf-8")
    content, _ = load_content(root)
    (task,) = [t for t in content.plans[0].tasks if t.id == "1-b-1"]
    assert task.deadline is not None
    assert task.deadline.kind == "ongoing"
    assert task.deadline.text.vi == unicodedata.normalize("NFC", "Thường xuyên")
    assert parse_text(unicodedata.normalize("NFD", "a: Sở Nội vụ")) == {"a": "Sở Nội vụ"}


def test_an_invalid_byte_is_reported_where_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    tasks = root / TASKS
    lines = tasks.read_bytes().splitlines(keepends=True)
    lines[4] = lines[4].replace("Đánh".encode(), b"\xc4\x20nh")  # 'Đ' cut after its first byte
    tasks.write_bytes(b"".join(lines))
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{TASKS}:5:15: not UTF-8 text: byte 0xC4 cannot be read (invalid continuation byte)"
    )


def test_messages_show_invisible_characters_escaped() -> None:
    typed = "so-noi-vu\u200b \ufeff\u00ad\u200e\u202e\u2066\u00a0\u2028\t\r\n\x07 Sở Nội vụ"
    problem = Problem("a.yaml", 1, 1, f"id{typed}", typed, hint=typed)
    shown = r"so-noi-vu\u200b \ufeff\xad\u200e\u202e\u2066\xa0\u2028\x09\x0d\x0a\x07 Sở Nội vụ"
    assert problem.format() == f"a.yaml:1:1: id{shown}: {shown}\n  hint: {shown}"
