"""The renderer stays behind one module (generator/publish/renderer.py), and the theme stays portable to an engine
with MiniJinja templates (Zensical): see docs/RENDERER.md."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.publish.renderer import (
    GO,
    RendererWarning,
    command,
    environment,
    read_log,
    write_config,
    write_pages,
)
from generator.publish.write import write_tree

ROOT = Path(__file__).resolve().parent.parent
RENDERERS = {"mkdocs", "properdocs", "material", "zensical"}
RENDERER_MODULE = ROOT / "generator/publish/renderer.py"
# Calls that look like methods but are template macros, which MiniJinja calls as Jinja2 does:
# Material's translation macro (`{% import "partials/language.html" as lang %}`).
ALLOWED_CALLS = {"lang.t("}


def imported(file: Path) -> set[str]:
    """The top-level packages a Python file imports, anywhere in it (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_renderer_module_imports_the_renderer() -> None:
    python = sorted({*ROOT.glob("generator/**/*.py"), *ROOT.glob("scripts/**/*.py")})
    assert RENDERER_MODULE in python
    assert imported(RENDERER_MODULE) & RENDERERS == {"properdocs"}
    offenders = {file.relative_to(ROOT).as_posix(): imported(file) & RENDERERS for file in python}
    assert {name: found for name, found in offenders.items() if found and name != "generator/publish/renderer.py"} == {}


def test_imports_are_found_wherever_they_are(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from mkdocs.livereload import X\n    import properdocs.exceptions\n")
    assert imported(module) == {"mkdocs", "properdocs"}


TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def method_calls(template: str) -> list[str]:
    """Python method calls inside template tags (`x.rstrip(`, `d.items(`), the allowed macros aside."""
    found = [call.group(0) for tag in TAG.findall(template) for call in re.finditer(r"\w+\.\w+\(", tag)]
    return [call for call in found if call not in ALLOWED_CALLS]


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("theme/**/*.html")))
def test_theme_templates_call_no_python_methods(template: str) -> None:
    """MiniJinja (Zensical) has no Python string or dict methods: `|trim`, `|items`, slicing instead."""
    assert method_calls((ROOT / template).read_text(encoding="utf-8")) == []


def test_the_method_check_sees_calls_in_expressions_and_statements() -> None:
    template = "{{ a.rstrip('/') }} {% for k, v in d.items() %}{% endfor %} {{ lang.t('toc') }} {# x.y() #} a.b()"
    assert method_calls(template) == ["a.rstrip(", "d.items("]
    assert method_calls("{{ s[:-1] if s[-1:] == '/' else s }} {% for k, v in d | items %}{% endfor %}") == []


def test_the_configuration_names_docs_and_site_folders_relative_to_itself(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "en",
        base=ROOT / "mkdocs.yml",
        theme=ROOT / "theme",
        site_name="Plans",
        nav=[("Home", "index.md")],
        extra={"lang": "en"},
        site_url=None,
    )
    written = json.loads(config.read_text(encoding="utf-8"))
    assert (written["docs_dir"], written["site_dir"]) == ("docs/en", "out/en")
    assert written["nav"] == [{"Home": "index.md"}]
    assert "site_url" not in written


LOG = """\
INFO    -  Cleaning site directory
WARNING -  Doc file 'gioi-thieu/index.md' contains a link '#khong-co', but there is no such anchor on this
           page.
WARNING -  Doc file 'a/index.md' contains an unrecognized relative link 'b/', it was left as is.
WARNING -  Config value 'x': Unrecognised configuration name: x
ERROR   -  Error reading page 'thu/index.md':
content/pages/thu.vi.md: <script> is not allowed
INFO    -  Documentation built in 0.10 seconds
"""
CRASH = """\
Traceback (most recent call last):
  File "x.py", line 1, in <module>
ValueError: x
"""


def test_the_log_gives_every_warning_with_its_page_and_link_and_every_error() -> None:
    warnings, errors = read_log(LOG)
    errors += read_log(CRASH)[1]
    assert warnings == [
        RendererWarning(
            "Doc file 'gioi-thieu/index.md' contains a link '#khong-co', but there is no such anchor on this page.",
            "gioi-thieu/index.md",
            "#khong-co",
        ),
        RendererWarning(
            "Doc file 'a/index.md' contains an unrecognized relative link 'b/', it was left as is.", "a/index.md", "b/"
        ),
        RendererWarning("Config value 'x': Unrecognised configuration name: x"),
    ]
    assert errors == [
        "ERROR: Error reading page 'thu/index.md':\ncontent/pages/thu.vi.md: <script> is not allowed",
        'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: x',
    ]


def waiting_run(tmp_path: Path, say: str) -> tuple[int, str, Path]:
    """A run started `waiting` on one page, told `say` on its standard input, then left to end."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Page\n\nText.\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    settings = {"INHERIT": str(ROOT / "mkdocs.yml"), "site_name": "T", "docs_dir": "docs", "site_dir": "out"}
    settings["site_url"] = "https://example.org/"  # a sitemap with the page, dated
    config.write_text(json.dumps(settings | {"theme": {"name": "material", "custom_dir": str(tmp_path)}}))
    process = subprocess.run(
        command(config, waiting=True),
        cwd=tmp_path,
        env=environment(0),
        input=say,
        capture_output=True,
        text=True,
        timeout=600,  # a safety net only
    )
    return process.returncode, process.stdout + process.stderr, tmp_path / "out"


def test_a_waiting_run_builds_only_after_go(tmp_path: Path) -> None:
    code, output, out = waiting_run(tmp_path, GO)
    assert code == 0, output
    assert (out / "index.html").is_file()


def test_a_waiting_run_that_never_hears_go_builds_nothing(tmp_path: Path) -> None:
    """The build failed (bad content) before its Markdown was written: the run must not read half a tree."""
    code, output, out = waiting_run(tmp_path, "")
    assert code != 0
    assert "not started: the build ended before its Markdown was written" in output
    assert not out.exists()


def test_a_waiting_run_told_a_moment_builds_as_of_that_moment(tmp_path: Path) -> None:
    """The live preview starts a run ahead, before it knows the moment of the update it will build."""
    code, output, out = waiting_run(tmp_path, "go 1700000000\n")  # started with SOURCE_DATE_EPOCH 0
    assert code == 0, output
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2023-11-14</lastmod>" in sitemap, sitemap


@pytest.mark.parametrize("say", ["go", "go soon\n", "stop\n"])
def test_a_waiting_run_builds_only_on_a_whole_go_line(tmp_path: Path, say: str) -> None:
    code, output, out = waiting_run(tmp_path, say)
    assert code != 0
    assert "not started" in output
    assert not out.exists()


def built_tree(work: Path, lang: str, *, in_one_file: bool) -> dict[str, bytes]:
    """Every file one run writes, its pages given in one file (as the build does) or in its docs folder."""
    config = write_config(
        work,
        lang,
        base=ROOT / "mkdocs.yml",
        theme=ROOT / "theme",
        site_name="T",
        nav=[("Home", "index.md")],
        extra={"lang": lang},
        site_url="https://example.org/",  # a sitemap, which lists the pages in the order the run found them
        in_one_file=in_one_file,
    )
    run = subprocess.run(command(config), cwd=work, env=environment(0), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    out = work / "out" / lang
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_pages_given_in_one_file_build_as_from_a_folder(tmp_path: Path) -> None:
    """The build gives each run its pages in one file: the site must be the one the folder of pages gives,
    sitemap order included (folders and files sorted, a folder's index first)."""
    pages = {
        name: f"# {name}\n\n[home](/index.md) <div markdown>*{name}*</div>\n".encode()
        for name in ("index.md", "b/index.md", "a/z.md", "a/index.md", "a/b/index.md", "a-b/index.md", "a/c.md")
    }
    write_pages(tmp_path / "one-file", "vi", pages)
    write_tree(tmp_path / "folder" / "docs" / "vi", pages)
    assert not list((tmp_path / "one-file" / "docs" / "vi").iterdir())  # nothing to walk
    one_file = built_tree(tmp_path / "one-file", "vi", in_one_file=True)
    assert one_file == built_tree(tmp_path / "folder", "vi", in_one_file=False)
    sitemap = one_file["sitemap.xml"].decode()
    assert re.findall(r"<loc>https://example.org/(.*?)</loc>", sitemap) == [
        "", "a/", "a/c/", "a/z/", "a/b/", "a-b/", "b/"
    ]  # fmt: skip
