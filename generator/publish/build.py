"""Run the whole pipeline into site/: the only module that runs the renderer (generator/publish/renderer.py) and Pagefind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from generator.base.annotations import report
from generator.base.errors import ContentError, summary
from generator.content.handwritten import HAND_WRITTEN, written_pages
from generator.content.labels import LABELS, LANGUAGES
from generator.publish import renderer, strict
from generator.publish.local_fallbacks import BundleError, patch_bundles
from generator.publish.processes import Children, Interrupted, interruptible
from generator.publish.publication import build_time, site_url
from generator.publish.site_folder import identity, recover, site_lock, swap, work_folder
from generator.publish.stable_index import IndexFormatError, canonicalize

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
# Not indexed by Pagefind: permalinks, field names, and `.ns` ("not searched"): the wording every task page
# repeats (the heading's "Nhiệm vụ", the citation but its decision number, …), the change history and the
# embed snippet. A class and this list, rather than data-pagefind-ignore on each element, save bytes on every page.
UNSEARCHED = (".headerlink", "dt", ".ns")
OUTPUT = {"vi": "site", "en": "site/en"}  # each language's renderer output in the work folder: the site


class BuildError(Exception):
    """The renderer or Pagefind failed; the message holds what they printed."""


def _config(
    root: Path, work: Path, lang: str, pages: dict[str, str], output: str | None, *, in_one_file: bool = False
) -> Path:
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
            "description": LABELS[lang]["site_description"],  # link previews of pages without their own
            HAND_WRITTEN: pages,  # {page: content file}: the pages the hook sanitises
        },
        site_url=public.rstrip("/") + ("/" if lang == "vi" else "/en/") if public else None,
        output=output,
        in_one_file=in_one_file,
    )


def _wait(process: subprocess.Popen[str], what: str) -> None:
    output, _ = process.communicate()
    if process.returncode != 0:
        raise BuildError(f"{what} failed:\n{output}")


def build_site(root: Path, site: Path, *, search: bool = True) -> dict[str, float]:
    """Validate, render and build into `site`, replacing it only when everything succeeded.

    One build at a time per site folder: see generator/publish/site_folder.py.
    """
    with site_lock(site):
        _recover(site)
        return _build(root, site, search=search)


def _recover(site: Path) -> None:
    restored = recover(site)
    if restored:
        print(restored)


def _build(root: Path, site: Path, *, search: bool) -> dict[str, float]:
    """Build in a private work folder; the programs started are ended whatever happens. Return how long
    each step took (`Laps`), the removal of the work folder ("cleanup") included, and the total."""
    laps = Laps()
    with work_folder(site) as work, Children() as children:
        _build_in(root, site, work, children, laps, search=search)
    laps("cleanup")
    return laps.total()


def start_renderer(
    children: Children,
    root: Path,
    work: Path,
    moment: dt.datetime,
    lang: str,
    written: dict[str, str],
    output: str | None = None,
    *,
    dirty: bool = False,
    waiting: bool = False,
    in_one_file: bool = False,
) -> subprocess.Popen[str]:
    """Start the renderer on `work/docs/<lang>` (each run is single-threaded: two run at once);
    `waiting`: it loads at once but reads its Markdown only after `renderer.go`; `in_one_file`: its
    Markdown comes in one file (`renderer.write_pages`), not in `work/docs/<lang>`."""
    config = _config(root, work, lang, written, output, in_one_file=in_one_file)
    return children.start(
        renderer.command(config, dirty=dirty, waiting=waiting),
        root,
        renderer.environment(int(moment.timestamp())),
        stdin=waiting,
    )


def go_renderer(
    process: subprocess.Popen[str],
    root: Path,
    work: Path,
    moment: dt.datetime,
    lang: str,
    written: dict[str, str],
    output: str | None = None,
) -> None:
    """Let a run that `start_renderer` started `waiting` build as of `moment`, its configuration written
    again first: the live preview starts the runs of its next update ahead, before it knows that
    update's moment and hand-written pages."""
    _config(root, work, lang, written, output)
    renderer.go(process, int(moment.timestamp()))


def finish_renderer(runs: dict[str, subprocess.Popen[str]]) -> dict[str, list[renderer.RendererWarning]]:
    """Wait for every language's run, then fail if any failed; return each language's warnings."""
    failures, warnings = [], {}
    for lang, process in runs.items():  # wait for every run before reporting any failure
        output, _ = process.communicate()
        warnings[lang], errors = renderer.read_log(output)
        if process.returncode != 0:
            failures.append(f"{renderer.NAME} ({lang}) failed:\n" + "\n".join(errors or [output]))
    if failures:
        raise BuildError("\n".join(failures))
    return warnings


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
        for problem in strict.problems(root, work, site, lang, written[lang], warnings[lang])
    ]
    if problems:
        raise ContentError(problems)


class Laps:
    """How long each step of the build took, one after the other: the stages add up to the total."""

    def __init__(self) -> None:
        self.start = self.step = time.perf_counter()
        self.timings: dict[str, float] = {}

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.step
        self.step = now

    def total(self) -> dict[str, float]:
        return {**self.timings, "total": time.perf_counter() - self.start}


def pagefind_program() -> list[str]:
    """Pagefind's binary as the pinned pagefind_bin installs it, started directly: `python -m pagefind` only
    starts an interpreter that imports the wrapper (asyncio included) to find this file and exec it (about
    0.1 s of CPU in every build). The wrapper's way when the binary package is missing."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return [str(get_executable().resolve())]
    except (ImportError, OSError):  # OSError: FileNotFoundError when the binary is not there
        return [sys.executable, "-m", "pagefind"]


def _pagefind(children: Children, root: Path, staging: Path, moment: dt.datetime) -> subprocess.Popen[str]:
    return children.start(
        [
            *pagefind_program(),
            "--site",
            str(staging),
            "--quiet",
            *(arg for selector in UNSEARCHED for arg in ("--exclude-selectors", selector)),
            "--glob",
            SEARCHED_PAGES,
        ],
        root,
        dict(os.environ, SOURCE_DATE_EPOCH=str(int(moment.timestamp()))),
    )


def _build_in(root: Path, site: Path, work: Path, children: Children, laps: Laps, *, search: bool) -> None:
    """Each step starts as soon as what it reads is ready, so that the renderer's two runs (the longest
    step) start early and the generator's own work overlaps them: see scripts/BENCHMARKS.md, "Full
    build against the renderer's floor"."""
    moment = build_time(root)
    # The renderer's runs load while the content is validated and rendered, and each builds as soon
    # as its language's Markdown is written.
    written = {lang: written_pages(root, lang) for lang in LANGUAGES}
    # Each writes the site in the work folder, English's in its en/, where the forked copy below writes the
    # published files meanwhile: a "dirty" run does not empty its output folder first, and these are new,
    # so every page is built.
    staging = work / OUTPUT["vi"]
    runs = {
        lang: start_renderer(
            children, root, work, moment, lang, written[lang], OUTPUT[lang], dirty=True, waiting=True, in_one_file=True
        )
        for lang in LANGUAGES
    }
    laps("start")
    # Imported only now, so that the runs load while these do (0.3 s: the content's models, the templates,
    # the open-data and feed writers): this module's own imports are the few that starting them needs.
    from generator.content.files import source_texts
    from generator.content.history import history_files, replay
    from generator.content.progress import lead_agencies
    from generator.content.validate import load_content
    from generator.pages import fontmetrics
    from generator.publish.generate import decoded, english_and_published, render_language

    laps("imports")
    # While this process validates the content, a copy of it reads the files of the git history and measures
    # the diagrams' font, which need no content, on a core that the renderer's runs leave idle until then.
    ahead = children.fork(lambda: (history_files(root), fontmetrics.measured()))
    content, _ = load_content(root)
    laps("validate")
    files, widths = ahead.result()
    fontmetrics.remember(widths)
    history = replay(files, lead_agencies(content))
    laps("history")

    # A copy of this process renders English (its run starts as soon as Vietnamese's) and then writes
    # the published files, while this one renders Vietnamese: the two cores both work from here on.
    sources = source_texts(root / "content")
    beside = children.fork(lambda: english_and_published(root, work, staging, content, history, moment, sources, runs))
    pages, _ = render_language(root, content, "vi", moment, history, decoded(sources))
    renderer.write_pages(work, "vi", pages)
    renderer.go(runs["vi"])
    laps("render")
    warnings = finish_renderer(runs)
    laps("renderer")
    # Pagefind reads only the renderer's task pages (SEARCHED_PAGES), all there now: it runs while the
    # published files are finished, the bundles patched and the links checked.
    indexing = _pagefind(children, root, staging, moment) if search else None
    beside.result()
    laps("published")
    try:
        patch_bundles(staging)  # no fallback script from unpkg.com: generator/publish/local_fallbacks.py
    except BundleError as error:
        raise BuildError(str(error)) from error
    laps("assemble")
    check_strictly(root, work, staging, written, warnings)
    laps("strict")

    if indexing is not None:
        _wait(indexing, "Pagefind")
        laps("pagefind")
        try:
            canonicalize(staging / "pagefind")  # Pagefind writes filters in HashMap order: pagefind#638
        except IndexFormatError as error:
            raise BuildError(f"Pagefind's index has an unexpected layout: {error}") from error
        laps("canonicalise")

    swap(staging, site)
    laps("swap")


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
