"""The renderer: ProperDocs 1.6.7 (a maintained fork of MkDocs 1.x) with the Material theme.

The only module that names the renderer: its command line, the configuration keys it reads, how its
log reports warnings, its error type and its live-reload server. A change of engine is this file,
generator/publish/renderer_hooks.py (the hook file it loads by path) and their tests; docs/RENDERER.md lists
what a switch to Zensical would still need. The renderer is imported only inside functions: `check`
and the generator's own modules never load it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME = "ProperDocs"
HOOKS = Path(__file__).resolve().with_name("renderer_hooks.py")


def config_file(work: Path, lang: str) -> Path:
    """Where the configuration of one language's run goes (the renderer's file name convention)."""
    return work / f"mkdocs.{lang}.yml"


def write_config(
    work: Path,
    lang: str,
    *,
    base: Path,
    theme: Path,
    site_name: str,
    nav: list[tuple[str, str]],
    extra: dict[str, Any],
    site_url: str | None,
    output: str | None = None,
    in_one_file: bool = False,
) -> Path:
    """Write the configuration of one language's run: `base` (mkdocs.yml) plus what differs per language.

    Markdown is read from `work/docs/<lang>`, and `in_one_file` from the file `write_pages` writes
    instead; the HTML is written to `work/<output>` (default `out/<lang>`). Both folders are named
    relative to the configuration file (Zensical accepts only a relative `docs_dir`).
    """
    path = config_file(work, lang)
    config: dict[str, Any] = {
        "INHERIT": str(base.resolve()),
        "hooks": [str(HOOKS)],
        "site_name": site_name,
        "docs_dir": f"docs/{lang}",
        "site_dir": output or f"out/{lang}",
        "theme": {"language": lang, "custom_dir": str(theme.resolve())},
        "nav": [{title: page} for title, page in nav],
        "extra": {**extra, PAGES: pages_file(work, lang).name} if in_one_file else extra,
    }
    if site_url:  # canonical links and an absolute sitemap
        config["site_url"] = site_url
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


PAGES = "pages_file"  # the configuration's `extra` key naming a run's pages file (`write_pages`)


def pages_file(work: Path, lang: str) -> Path:
    """Where `write_pages` puts one language's Markdown pages."""
    return work / f"pages.{lang}.json"


def write_pages(work: Path, lang: str, pages: dict[str, bytes]) -> None:
    """Give one language's run its Markdown pages (`{page: UTF-8 text}`) in one file, read by the hook
    (`add_pages`) of a run configured `in_one_file`, rather than as a folder of files: a build would
    create, then remove, 470 files and as many folders, each new one costly on a busy disk
    (scripts/BENCHMARKS.md, "Full build against the renderer's floor"). The docs folder stays empty."""
    (work / "docs" / lang).mkdir(parents=True, exist_ok=True)
    text = {page: markdown.decode() for page, markdown in pages.items()}
    pages_file(work, lang).write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")


def read_pages(file: Path) -> dict[str, str]:
    """The pages `write_pages` wrote into `file`."""
    pages: dict[str, str] = json.loads(file.read_text(encoding="utf-8"))
    return pages


def generated_markdown(work: Path, lang: str) -> Callable[[str], str]:
    """How to get the Markdown a run read for a page ("" if none): from its pages file when the build gave
    it one (`write_pages`), else from its docs folder (the live preview's). The file is read at the first call."""
    file = pages_file(work, lang)
    pages: dict[str, str] = {}

    def markdown(page: str) -> str:
        if file.is_file():
            if not pages:
                pages.update(read_pages(file))
            return pages.get(page, "")
        source = work / "docs" / lang / page
        return source.read_text(encoding="utf-8") if source.is_file() else ""

    return markdown


def _walk_order(page: str) -> tuple[tuple[int, Any], ...]:
    """Where ProperDocs' walk of a docs folder would find `page`: a folder's files (its index first) before
    its subfolders, both sorted by name. The order of the pages is that of the sitemap."""
    *folders, name = page.split("/")
    return (*((1, folder) for folder in folders), (0, (name.rsplit(".", 1)[0] not in ("index", "README"), name)))


def add_pages(files: Any, config: Any) -> Any:
    """The hook's `on_files`: a run configured `in_one_file` gets its pages from its pages file, in the order
    in which it would have found them in its docs folder."""
    name = config["extra"].get(PAGES)
    if name:
        from properdocs.structure.files import File

        text = read_pages(Path(config.config_file_path).parent / name)
        for page in sorted(text, key=_walk_order):
            files.append(File.generated(config, page, content=text[page]))
    return files


def command(config: Path, *, dirty: bool = False, waiting: bool = False) -> list[str]:
    """The command line that builds one language; `dirty`: only the pages whose Markdown is newer than
    their HTML (the live preview; pages from a pages file are always built), into an output folder that
    is not emptied first (the build's are new, and the published files go there too); `waiting`: the
    program starts and loads the renderer at once but builds only after `go` (see `_wait_then_build`); when
    the pipe closes first (the program that started it ended), it ends without building.

    Neither `--strict` nor `--quiet`: with both, MkDocs 1.6.1 and ProperDocs 1.6.7 exit 0 on warnings
    (mkdocs#4126, the counting handler never sees what `--quiet` filters out). The build reads the
    warnings from the log instead (`read_log`) and fails on any, naming the file and line.
    """
    # -P: not the project's folder first on sys.path: generator/ is this one (PYTHONPATH, see `environment`).
    program = ("-m", "generator.publish.renderer") if waiting else ("-m", "properdocs")
    return [
        *(sys.executable, "-P", *program, "build", "--no-strict"),
        *(["--dirty"] if dirty else []),
        *("-f", str(config)),
    ]


GO = "go\n"
# What a run imports before it reads anything (ProperDocs' command line, its build, Markdown and the
# extensions mkdocs.yml names, the hook's sanitiser): about 0.3 s of a run that the build spends
# validating and rendering instead. A name that does not import is skipped: this only saves time.
PRELOAD = (
    "properdocs.__main__",
    "properdocs.commands.build",
    "properdocs.config.defaults",
    "properdocs.replacement",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.codehilite",
    "markdown.extensions.md_in_html",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "generator.publish.renderer_hooks",
    "generator.base.slug",
)


def go(process: subprocess.Popen[str], moment: int | None = None) -> None:
    """Let a run started `waiting` build: its Markdown and configuration are complete. `moment`: the
    SOURCE_DATE_EPOCH it builds as of, instead of the one it was started with (`environment`): the live
    preview starts the runs of its next update ahead, before it knows that update's moment."""
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError):  # it ended already: its output says why
        process.stdin.write(GO if moment is None else f"{GO.strip()} {moment}\n")
        process.stdin.flush()


def _started(line: str) -> bool:
    """Whether `line` is `go` (see `go`), setting SOURCE_DATE_EPOCH when it names a moment."""
    word, _, moment = line.rstrip("\n").partition(" ")
    if word != GO.strip() or (moment and not moment.isdigit()) or not line.endswith("\n"):
        return False
    if moment:  # read by the renderer when it dates the sitemap, after this
        os.environ["SOURCE_DATE_EPOCH"] = moment
    return True


def _wait_then_build() -> None:
    """`python -m generator.publish.renderer build …`: import the renderer, wait for `go` on the standard input,
    then run ProperDocs' command line with these arguments. Without `go` (the build stopped before its
    Markdown was ready) nothing is built."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if not _started(sys.stdin.readline()):
        sys.exit("not started: the build ended before its Markdown was written")
    from properdocs.__main__ import cli

    # Leave the run's objects as they are to the end of the process: CPython's last collection at exit
    # would walk them all (about 0.1 s of each run on the real plans), and the build waits for it.
    atexit.register(gc.freeze)

    cli()


def output_of(page: str) -> str:
    """The HTML file a Markdown page becomes (directory URLs): "a/index.md" → "a/index.html",
    "a/b.md" → "a/b/index.html"."""
    folder, _, name = page.rpartition("/")
    stem = name.removesuffix(".md")
    return "/".join(part for part in (folder, "" if stem in ("index", "README") else stem, "index.html") if part)


def environment(moment: int) -> dict[str, str]:
    """Variables for the renderer's process: it imports generator.base.slug (mkdocs.yml) and the hook file
    wherever the project lives, and dates the sitemap by SOURCE_DATE_EPOCH."""
    return dict(
        os.environ,
        PYTHONPATH=str(Path(__file__).resolve().parent.parent.parent),
        SOURCE_DATE_EPOCH=str(moment),
    )


@dataclass(frozen=True)
class RendererWarning:
    """One warning of the renderer; `page` and `link` when it is about a link of a Markdown page."""

    message: str
    page: str | None = None  # relative to the language's docs folder: "gioi-thieu/index.md"
    link: str | None = None  # as written in the page


# The log format when the output is not a terminal: "WARNING -  message", continued on further lines.
_RECORD = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL) *-  (.*)$")
# What a dirty build always says (it knows that other pages' navigation may be stale): not a problem here.
_DIRTY = "A 'dirty' build is being performed"
# "Doc file 'a/index.md' contains a link 'b/', but …", "… contains an unrecognized relative link 'c' …"
_LINK = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:an? )?(?:[\w ]+ )?link '(?P<link>[^']*)'")


def read_log(output: str) -> tuple[list[RendererWarning], list[str]]:
    """The renderer's warnings, and its errors (and anything else it printed, a traceback say) as printed."""
    records: list[tuple[str, list[str]]] = []
    for line in output.splitlines():
        found = _RECORD.match(line)
        if found:
            records.append((found[1], [found[2]]))
        elif records:  # a message of several lines, or what a crash printed after the last record
            records[-1][1].append(line)
        elif line.strip():
            records.append(("", [line]))
    warnings, errors = [], []
    for level, lines in records:
        if level == "WARNING":  # one line, as every problem is
            message = " ".join(line.strip() for line in lines if line.strip())
            if message.startswith(_DIRTY):
                continue
            link = _LINK.match(message)
            warnings.append(RendererWarning(message, link["page"], link["link"]) if link else RendererWarning(message))
        elif level not in ("DEBUG", "INFO"):
            errors.append("\n".join([f"{level}: {lines[0]}" if level else lines[0], *lines[1:]]).rstrip())
    return warnings, errors


def refusal(message: str) -> Exception:
    """The error a hook raises to stop the run with `message` (shown without a traceback)."""
    from properdocs.exceptions import PluginError

    return PluginError(message)


def serve(rebuild: Callable[[], None], site: Path, port: int, watched: Iterable[Path]) -> None:
    """Serve `site` on 127.0.0.1:`port`; on a change under `watched`, call `rebuild` and reload the browser."""
    from properdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(site))
    for path in watched:
        server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    _wait_then_build()
