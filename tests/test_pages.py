"""Hand-written pages hold only safe markup: `check` names each refusal with its line, the build never
publishes one, and the real pages are unchanged by the sanitiser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import generator.content.validate
from generator.__main__ import main
from generator.content.handwritten import EXTENSIONS, refused, render, sanitise

from .conftest import ROOT, make_root

UNSAFE = """---
title: Thử
---

# Thử

A `<script>` shown as code is fine, and so is this:

```html
<script>alert("code")</script>
```

<script>alert(1)</script>

<p onclick="alert(2)">Nhấn</p>

<iframe src="https://evil.example/"></iframe>

[Liên kết](javascript:alert(3))

<style>body { display: none }</style>

<object data="x.swf"></object><embed src="x.swf">

<form action="https://evil.example/"><input name="q"></form>

[Trang](../){ onmouseover="alert(4)" }

![Ảnh](https://tracker.example/pixel.png)
"""

EXPECTED = [
    "content/pages/thu.vi.md:13:1: <script> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:15:4: attribute 'onclick' is not allowed on <p> (an event handler runs a script)",
    "content/pages/thu.vi.md:17:1: <iframe> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:19:12: a 'javascript:' address is not allowed",
    "content/pages/thu.vi.md:21:1: <style> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:23:1: <object> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:23:31: <embed> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:25:1: <form> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:25:38: <input> is not allowed in a hand-written page",
    "content/pages/thu.vi.md:27:15: attribute 'onmouseover' is not allowed on <a> (an event handler runs a script)",
    "content/pages/thu.vi.md:29:8: an image from another host (https://tracker.example/pixel.png): "
    "the site makes no request to another host",
]

DANGEROUS = ("<script", "onclick", "onmouseover", "<iframe", "javascript:", "<style", "<object", "<embed", "<form",
             "<input", "tracker.example")  # fmt: skip


def tokens(html: str) -> list[tuple[str, ...]]:
    """What a page says, whatever the spelling of its characters (`&quot;` or `"`): tags, attributes, text."""
    found: list[tuple[str, ...]] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(("start", tag, *(f"{k}={v}" for k, v in attrs)))

        def handle_endtag(self, tag: str) -> None:
            found.append(("end", tag))

        def handle_data(self, data: str) -> None:
            found.append(("text", data))

    reader = Reader(convert_charrefs=True)
    reader.feed(html)
    reader.close()
    return found


def test_check_names_every_unsafe_tag_and_attribute_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path)
    (root / "content/pages/thu.vi.md").write_text(UNSAFE, encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("content/pages/")] == EXPECTED


def test_the_build_never_publishes_an_unsafe_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    assert main(["--root", str(root), "build", "--no-search"]) == 0
    (root / "content/pages/thu.vi.md").write_text(UNSAFE, encoding="utf-8")
    assert main(["--root", str(root), "build", "--no-search"]) == 1
    assert "The site was not built" in capsys.readouterr().out
    assert not (root / "site/thu").exists()


def test_the_build_refuses_an_unsafe_page_even_if_check_missed_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: MkDocs passes hand-written pages through the sanitiser and fails on a refusal."""
    monkeypatch.setattr(generator.content.validate, "page_problems", lambda root, content: [])
    root = make_root(tmp_path)
    (root / "content/pages/thu.vi.md").write_text("# Thử\n\n<script>alert(1)</script>\n", encoding="utf-8")
    assert main(["--root", str(root), "build", "--no-search"]) == 1
    out = capsys.readouterr().out
    assert "content/pages/thu.vi.md: <script> is not allowed in a hand-written page" in out
    assert "The site was not built" in out
    assert not (root / "site").exists()


def test_the_sanitiser_removes_everything_unsafe() -> None:
    html = sanitise(render(UNSAFE))
    for word in DANGEROUS:
        assert word not in html.replace("&lt;script&gt;", ""), word
    assert '<a href="../">Trang</a>' in html
    assert "<p>Nhấn</p>" in html


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "content/pages").glob("*.md")))
def test_the_real_pages_are_safe_and_unchanged_by_the_sanitiser(page: str) -> None:
    html = render((ROOT / "content/pages" / page).read_text(encoding="utf-8"))
    assert refused(html) == []
    assert tokens(sanitise(html)) == tokens(html)


def test_pages_are_rendered_with_the_markdown_extensions_of_mkdocs() -> None:
    class Tolerant(yaml.SafeLoader):
        pass

    Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Tolerant)
    named = {next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]}
    always = {"toc", "tables", "fenced_code"}  # MkDocs adds them to every configuration
    assert named | always == {*EXTENSIONS, "toc"}
