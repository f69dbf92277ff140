"""Run the whole pipeline into site/: the only module that runs the renderer (generator/renderer.py) and Pagefind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from . import renderer, strict
from .annotations import report
from .errors import ContentError, summary
from .export import files as data_files
from .feeds import feed_files
from .files import source_texts
from .history import History, git, read_history
from .ics import calendar_files
from .labels import LABELS, LANGUAGES
from .model import Content
from .pages import HAND_WRITTEN, hand_written
from .processes import Children, Interrupted, interruptible
from .progress import lead_agencies
from .publish import identity, recover, site_lock, swap, work_folder
from .render import render
from .schema import schema_files
from .site import Site
from .stable_index import IndexFormatError, canonicalize
from .validate import load_content
from .write import write_tree

NAV = (
    ("home", "index.md"),
    ("plans", "ke-hoach/index.md"),
    ("pillars", "linh-vuc/index.md"),
    ("agencies", "co-quan/index.md"),
    ("deadlines", "thoi-han/index.md"),
    ("procedures", "quy-trinh/index.md"),
    ("finder", "tra-cuu/index.md"),
    ("data", "du-lieu/index.md"),
    ("guide", "huong-dan/index.md"),
    ("about", "gioi-thieu/index.md"),
    ("whats_new", "thay-doi/index.md"),
)


# Only task pages carry search data (theme/main.html): Pagefind need not read the rest (a third of the bytes).
SEARCHED_PAGES = "**/ke-hoach/*/*/index.html"
# Not indexed: heading anchors ("¶") and the field labels every task page repeats ("Cơ quan chủ trì",
# "Tình hình thực hiện"): they lengthen the commonest words' postings, which a first search downloads, and
# let `thu` match "thực" on every page.
UNSEARCHED = (".headerlink", "dt")


class BuildError(Exception):
    """The renderer or Pagefind failed; the message holds what they printed."""


def build_time(root: Path) -> dt.datetime:
    """The moment the site is built 'as of': SOURCE_DATE_EPOCH when set, else the last commit, else now.

    Taking the last commit makes the same commit build byte-identical output on any day.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or (git(root, "log", "-1", "--format=%ct") or "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)


def site_url() -> str | None:
    """The public address (SITE_URL), for absolute links in feeds and calendars; relative links without it."""
    return os.environ.get("SITE_URL") or None


def _config(root: Path, work: Path, lang: str, pages: dict[str, str], output: str | None) -> Path:
    public = site_url()
    return renderer.write_config(
        work,
        lang,
        base=root / "mkdocs.yml",
        theme=root / "theme",
        site_name=LABELS[lang]["site_name"],
        nav=[(LABELS[lang][key], path) for key, path in NAV],
        extra={
            "lang": lang,
            "other_lang": "en" if lang == "vi" else "vi",
            # From a page of this language to the same page of the other: see theme/partials/alternate.html.
            "other_prefix": "en/" if lang == "vi" else "../",
            "other_name": LABELS[lang]["other_language"],
            "search_label": LABELS[lang]["search"],
            "search_placeholder": LABELS[lang]["search_placeholder"],
            "feed_title": f"{LABELS[lang]['whats_new']} – {LABELS[lang]['site_name']}",
            HAND_WRITTEN: pages,  # {page: content file}: the pages the hook sanitises
        },
        site_url=public.rstrip("/") + ("/" if lang == "vi" else "/en/") if public else None,
        output=output,
    )


def _wait(process: subprocess.Popen[str], what: str) -> None:
    output, _ = process.communicate()
    if process.returncode != 0:
        raise BuildError(f"{what} failed:\n{output}")


def build_site(root: Path, site: Path, *, search: bool = True) -> dict[str, float]:
    """Validate, render and build into `site`, replacing it only when everything succeeded.

    One build at a time per site folder: see generator/publish.py.
    """
    with site_lock(site):
        _recover(site)
        return _build(root, site, search=search)


def _recover(site: Path) -> None:
    restored = recover(site)
    if restored:
        print(restored)


def _build(root: Path, site: Path, *, search: bool) -> dict[str, float]:
    """Build in a private work folder; the programs started are ended whatever happens."""
    with work_folder(site) as work, Children() as children:
        return _build_in(root, site, work, children, search=search)


def render_pages(
    root: Path, content: Content, moment: dt.datetime, history: History, sources: dict[str, bytes]
) -> tuple[dict[str, dict[str, bytes]], dict[str, dict[str, str]]]:
    """The Markdown pages of each language, and of each language its hand-written pages' content files."""
    texts = {name: data.decode("utf-8") for name, data in sources.items()}  # UTF-8: checked by load_content
    pages: dict[str, dict[str, bytes]] = {}
    written: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        markdown = render(content, lang, moment.date(), history, texts)
        files = hand_written(root / "content", lang)
        markdown.update({page: file.read_text(encoding="utf-8") for page, file in files.items()})
        written[lang] = {page: file.relative_to(root).as_posix() for page, file in files.items()}
        pages[lang] = {page: text.encode() for page, text in markdown.items()}
    return pages, written


def run_renderer(
    children: Children,
    root: Path,
    work: Path,
    moment: dt.datetime,
    written: dict[str, dict[str, str]],
    outputs: dict[str, str] | None = None,
    *,
    dirty: bool = False,
) -> dict[str, list[renderer.RendererWarning]]:
    """Run the renderer on `work/docs/<lang>` for both languages at once (each run is single-threaded);
    return each language's warnings."""
    env = renderer.environment(int(moment.timestamp()))
    runs = {
        lang: children.start(
            renderer.command(_config(root, work, lang, written[lang], (outputs or {}).get(lang)), dirty=dirty),
            root,
            env,
        )
        for lang in LANGUAGES
    }
    failures, warnings = [], {}
    for lang, process in runs.items():  # wait for every run before reporting any failure
        output, _ = process.communicate()
        warnings[lang], errors = renderer.read_log(output)
        if process.returncode != 0:
            failures.append(f"{renderer.NAME} ({lang}) failed:\n" + "\n".join(errors or [output]))
    if failures:
        raise BuildError("\n".join(failures))
    return warnings


def published(content: Content, history: History, moment: dt.datetime, sources: dict[str, bytes]) -> dict[str, bytes]:
    """What the site publishes beside the renderer's pages, by path in the site: open data, feeds,
    calendars, schemas and the source texts."""
    indexes = Site(content)
    public = site_url()
    return {
        **data_files(indexes),
        **feed_files(indexes, history, moment, public),
        **calendar_files(indexes, moment, public),
        **{f"data/schema/{name}": data for name, data in schema_files().items()},
        **{f"nguon/{name}": data for name, data in sources.items()},
    }


def check_strictly(
    root: Path,
    work: Path,
    site: Path,
    written: dict[str, dict[str, str]],
    warnings: dict[str, list[renderer.RendererWarning]],
) -> None:
    """Strict: any warning of the renderer, or a broken link of a hand-written page, and the site stays."""
    problems = [
        problem
        for lang in LANGUAGES
        for problem in strict.problems(root, work / "docs" / lang, site, lang, written[lang], warnings[lang])
    ]
    if problems:
        raise ContentError(problems)


def _build_in(root: Path, site: Path, work: Path, children: Children, *, search: bool) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    content, _ = load_content(root)
    moment = build_time(root)
    history = read_history(root, lead_agencies(content))
    timings["validate"] = time.perf_counter() - start

    sources = source_texts(root / "content")
    pages, written = render_pages(root, content, moment, history, sources)
    for lang in LANGUAGES:
        write_tree(work / "docs" / lang, pages[lang])
    timings["render"] = time.perf_counter() - start - timings["validate"]

    step = time.perf_counter()
    warnings = run_renderer(children, root, work, moment, written)
    timings["renderer"] = time.perf_counter() - step

    # Assemble in the work folder; never nest one renderer output inside another (each empties its own).
    staging = work / "site"
    (work / "out" / "vi").rename(staging)
    (work / "out" / "en").rename(staging / "en")
    write_tree(staging, published(content, history, moment, sources))
    check_strictly(root, work, staging, written, warnings)

    if search:
        step = time.perf_counter()
        _wait(
            children.start(
                [
                    sys.executable,
                    "-m",
                    "pagefind",
                    "--site",
                    str(staging),
                    "--quiet",
                    *(arg for selector in UNSEARCHED for arg in ("--exclude-selectors", selector)),
                    "--glob",
                    SEARCHED_PAGES,
                ],
                root,
                dict(os.environ, SOURCE_DATE_EPOCH=str(int(moment.timestamp()))),
            ),
            "Pagefind",
        )
        try:
            canonicalize(staging / "pagefind")  # Pagefind writes filters in HashMap order: pagefind#638
        except IndexFormatError as error:
            raise BuildError(f"Pagefind's index has an unexpected layout: {error}") from error
        timings["pagefind"] = time.perf_counter() - step

    swap(staging, site)
    timings["total"] = time.perf_counter() - start
    return timings


def command(root: Path, site: Path | None, *, search: bool) -> int:
    """`python -m generator build`: print problems or timings; exit non-zero on failure.

    Ctrl+C (SIGINT) or a CI cancel (SIGTERM) stops the build and its programs with one line and the
    shell's exit code (130, 143); the site stays as it was unless the new one was already in place.
    """
    target = (site or root / "site").resolve()
    unchanged = f"{target} is unchanged."
    before: tuple[int, int] | bool | None = False  # False: the lock is not held yet
    try:
        with interruptible(), site_lock(target):
            _recover(target)
            before = identity(target)
            timings = _build(root, target, search=search)
    except Interrupted as stop:
        replaced = before is not False and identity(target) != before
        print(f"Build interrupted; {target} holds the new site." if replaced else f"Build interrupted; {unchanged}")
        return stop.exit_code
    except ContentError as error:
        print(summary(error.problems))
        report(error.problems, root)
        print(f"The site was not built; {unchanged}")
        return 1
    except BuildError as error:
        print(error)
        print(f"The site was not built; {unchanged}")
        return 1
    pages = sum(1 for _ in target.rglob("*.html"))
    print(
        f"built {pages} pages into {target} in {timings['total']:.1f} s "
        + " ".join(f"({k} {v:.1f} s)" for k, v in timings.items() if k != "total")
    )
    return 0
