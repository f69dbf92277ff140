"""Strict builds: a renderer warning or a broken link of a hand-written page fails the build at its
file and line, and the published site stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.__main__ import main
from generator.publish.renderer import RendererWarning, write_pages
from generator.publish.strict import locate, renderer_problems
from generator.publish.write import write_tree

from .conftest import FIXTURES, make_root
from .test_build import tree_digest

PAGE = "content/pages/gioi-thieu.vi.md"
EXPECTED = [
    f"{PAGE}:9:31: broken link 'khong-co/' (no such page or file)",
    f"{PAGE}:11:30: broken link '#khong-co' (no heading or anchor '#khong-co' on this page)",
    f"{PAGE}:13:43: broken link '../huong-dan/#khong-co-muc' (no heading or anchor '#khong-co-muc' on that page)",
    f"{PAGE}:15:34: ProperDocs: Doc file 'gioi-thieu/index.md' contains a link 'khong-co.md', but the target "
    "'gioi-thieu/khong-co.md' is not found among documentation files.",
    f"{PAGE}:19:50: broken link '../huong-dan/index.md#khong-co-muc-nay' "
    "(no heading or anchor '#khong-co-muc-nay' on that page)",
]


def test_broken_links_and_anchors_fail_the_build_at_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    assert main(["--root", str(root), "build", "--no-search"]) == 0
    before = tree_digest(root / "site")
    broken = make_root(tmp_path / "broken", FIXTURES / "strict")
    (root / PAGE).write_text((broken / PAGE).read_text(encoding="utf-8"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--no-search"]) == 1
    out = capsys.readouterr().out
    # Only the broken ones: the page's links to another page, to open data, to its own heading and to an id
    # in a generated page's raw HTML (through that page's Markdown file) are good.
    assert [line for line in out.splitlines() if line.startswith("content/")] == EXPECTED
    assert "The site was not built" in out
    assert tree_digest(root / "site") == before


def test_a_warning_outside_any_page_names_the_configuration(tmp_path: Path) -> None:
    warning = RendererWarning("Config value 'x': Unrecognised configuration name: x")
    [problem] = renderer_problems(tmp_path, tmp_path, "vi", {}, [warning])
    assert problem.format() == "mkdocs.yml:1:1: ProperDocs: Config value 'x': Unrecognised configuration name: x"


@pytest.mark.parametrize("in_one_file", [True, False])  # as the build gives the pages, as the live preview does
def test_a_warning_about_a_generated_page_points_into_it_and_at_the_generator(
    tmp_path: Path, in_one_file: bool
) -> None:
    pages = {"thoi-han/index.md": "# Thời hạn\n\n[a](../khong-co.md)\n".encode(), "index.md": "# Trang chủ\n".encode()}
    if in_one_file:
        write_pages(tmp_path, "en", pages)
    else:
        write_tree(tmp_path / "docs" / "en", pages)
    message = "Doc file 'thoi-han/index.md' contains a link '../khong-co.md', but the target is not found."
    [problem] = renderer_problems(
        tmp_path, tmp_path, "en", {}, [RendererWarning(message, "thoi-han/index.md", "../khong-co.md")]
    )
    assert (problem.path, problem.line, problem.column) == ("(generated) en/thoi-han/index.md", 3, 5)
    assert "generator/pages/templates" in problem.hint


@pytest.mark.parametrize(
    ("text", "link", "places"),
    [
        ("a\n[x](b/) [y](b/)\n", "b/", [(2, 5), (2, 13)]),
        ('<a href="b/">x</a>\n', "b/", [(1, 10)]),
        ("[x](b/c/)\n", "b/", [(1, 1)]),  # a longer address is not this link: the top of the file
        ("[x]: #a\n", "#a", [(1, 6)]),
    ],
)
def test_locate_finds_the_whole_address_only(text: str, link: str, places: list[tuple[int, int]]) -> None:
    assert locate(text, link) == places
