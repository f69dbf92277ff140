"""`python -m generator serve`: a live preview that stays live on a big site.

A full build checks and renders every page and has the renderer rebuild all of them (80+ s at 10,000
tasks). The preview keeps, between saves, what it checked (generator/content/validate.py's PlanMemo: a plan
whose files did not change is not read again), the Markdown it rendered, and the renderer's output, in
`.preview/` of the project. On a save it
- checks the content again, reading only the plans whose files changed (problems, with file and line,
  are reported as `check` reports them, and the preview stays as it was);
- renders again only the pages the edit can change (generator/scope.py: the edited plan's pages, its
  city's agency pages and the indexes), or every page when the edit can change any (reform areas,
  cities, procedures, source texts, a plan added or removed, the templates, the history, the day);
- writes only the pages whose Markdown changed and deletes those that are gone (Markdown and HTML);
- runs the renderer dirty, so that it rebuilds only the pages whose Markdown is newer than their HTML;
  a change under theme/ or to mkdocs.yml changes every page's HTML but no Markdown: the output is then
  rebuilt whole. Those runs (one a language) were started at the end of the update before, waiting
  (`Preview._start_ahead`): Python's start and the renderer's imports are paid while the user types;
  stopping the preview (`with Preview(…)`, which `serve` uses) ends them;
- writes the open data, feeds and calendars (when what they show changed) after the pages, while the
  browser reloads: at 10,000 tasks they take longer than all the rest of a save (scripts/BENCHMARKS.md).
  The next update waits for them first (`settle`).
It says which kind of update ran. The preview never touches the published site (`build` writes that).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.base.errors import ContentError, summary
from generator.content.files import source_texts
from generator.content.handwritten import written_pages
from generator.content.history import History, read_history
from generator.content.labels import LANGUAGES
from generator.content.model import Content
from generator.content.progress import lead_agencies
from generator.content.site import Site
from generator.content.validate import PlanMemo, load_content
from generator.pages.render import render
from generator.pages.scope import Scope, scope_of_change
from generator.pages.templating import RowMemo
from generator.publish import renderer
from generator.publish.build import (
    BuildError,
    check_strictly,
    finish_renderer,
    go_renderer,
    start_renderer,
)
from generator.publish.generate import cards, decoded, published
from generator.publish.local_fallbacks import BundleError, patch_fresh_bundles
from generator.publish.processes import Children
from generator.publish.publication import build_time, site_url
from generator.publish.site_folder import site_lock
from generator.publish.write import write_tree

FOLDER = ".preview"
WATCHED = ("content", "theme", "mkdocs.yml")  # in the project; and the generator's own templates
TEMPLATES = Path(__file__).resolve().parent.parent / "pages" / "templates"
# What shapes every page's HTML without changing its Markdown.
LOOKS = ("theme", "mkdocs.yml")
# Where each language's HTML goes inside the preview folder: English inside the Vietnamese site, which
# a dirty run never empties (a full run would: the preview never makes one).
OUTPUTS = {"vi": "site", "en": "site/en"}


def _prune(file: Path, top: Path) -> None:
    """Remove `file` and the folders it leaves empty, up to `top`."""
    file.unlink(missing_ok=True)
    folder = file.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _stamps(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file under `paths` with its modification time and size: equal when none was saved."""
    found = []
    for path in paths:
        for file in sorted([path, *path.rglob("*")] if path.is_dir() else [path]):
            if file.is_file():
                status = file.stat()
                found.append((file.as_posix(), status.st_mtime_ns, status.st_size))
    return tuple(found)


def url_of(page: str) -> str:
    """The site-relative URL of a generated Markdown page: "a/b/index.md" → "a/b/", "index.md" → ""."""
    return page.removesuffix("index.md")


@dataclass(frozen=True)
class Rendered:
    """What the Markdown of the generated pages was rendered from: all of it may change when any of it
    does but the content, whose changes generator/scope.py narrows down."""

    content: Content
    today: dt.date
    history: History
    sources: dict[str, bytes]
    templates: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Update:
    """What one update did: its kind in words, the pages whose Markdown changed, the seconds it took."""

    kind: str
    changed: int
    seconds: float

    def __str__(self) -> str:
        return f"preview: {self.kind}; {self.changed} pages changed, up to date in {self.seconds:.1f} s"


class Preview:
    """The preview's folder and what was last written into it."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.folder = folder
        self.site = folder / "site"
        for stale in (folder / "docs", self.site):  # what another session left is unknown: start afresh
            shutil.rmtree(stale, ignore_errors=True)
        self.memo = PlanMemo()
        self.rendered: Rendered | None = None
        self.generated: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}  # of `rendered`
        self.encoded: dict[str, dict[str, tuple[str, bytes]]] = {lang: {} for lang in LANGUAGES}  # see `_encoded`
        self.rows = {lang: RowMemo() for lang in LANGUAGES}
        self.pages: dict[str, dict[str, bytes]] = {lang: {} for lang in LANGUAGES}  # as written to docs/
        self.published: dict[str, bytes] = {}
        self.published_from: tuple[Content, dt.datetime, History, dict[str, bytes]] | None = None
        self.publishing: threading.Thread | None = None
        self.built = False  # whether the last run of the renderer, and the link check after it, succeeded
        self.looks: tuple[tuple[str, int, int], ...] = ()
        self.timings: dict[str, float] = {}  # of the last update, by stage (scripts/preview_benchmark.py)
        # The renderer's runs for the next update, started ahead and waiting (see `_start_ahead`).
        self.ahead: Children | None = None
        self.ready: dict[str, subprocess.Popen[str]] = {}

    def _sync(self, lang: str, pages: dict[str, bytes]) -> int:
        """Write the pages of `lang` whose Markdown changed, delete the ones that are gone; return how many."""
        docs = self.folder / "docs" / lang
        out = self.folder / OUTPUTS[lang]
        before = self.pages[lang]
        for gone in before.keys() - pages.keys():
            _prune(docs / gone, docs)
            _prune(out / renderer.output_of(gone), self.site)
        changed = {page: data for page, data in pages.items() if before.get(page) != data}
        write_tree(docs, changed)  # newer than their HTML: the dirty run rebuilds exactly these
        self.pages[lang] = pages
        return len(changed) + len(before.keys() - pages.keys())

    def _render(self, rendered: Rendered, history: History) -> str:
        """Render the generated pages the change since the last update can change; say which."""
        before = self.rendered
        scope: Scope | None = None
        if before is not None and (before.today, before.history, before.sources, before.templates) == (
            rendered.today,
            rendered.history,
            rendered.sources,
            rendered.templates,
        ):
            scope = scope_of_change(before.content, rendered.content)
        if scope is not None and not scope.plans:  # the same inputs: the same pages
            self.rendered = rendered
            return "no content change"
        texts = decoded(rendered.sources)
        for lang in LANGUAGES:
            if scope is None:  # what a row shows besides its task may have changed
                self.rows[lang] = RowMemo()
            fresh = render(rendered.content, lang, rendered.today, history, texts, site_url(), scope, self.rows[lang])
            self.rows[lang].next()
            if scope is not None:  # the pages out of scope stay; those in it are all in `fresh` or gone
                fresh = {**{p: t for p, t in self.generated[lang].items() if url_of(p) not in scope}, **fresh}
            self.generated[lang] = fresh
        self.rendered = rendered
        if scope is None:
            return "full render (every page)" if before is not None else "first render (every page)"
        return f"partial render (plans {', '.join(sorted(scope.plans))}, agencies of {', '.join(sorted(scope.cities))})"

    def _encoded(self, lang: str) -> dict[str, bytes]:
        """The generated pages of `lang` as UTF-8: a page not rendered again is the same text object, whose
        bytes are kept (encoding all 24,000 pages was a tenth of a save at 10,000 tasks)."""
        before, now = self.encoded[lang], {}
        for page, text in self.generated[lang].items():
            found = before.get(page)
            now[page] = found if found is not None and found[0] is text else (text, text.encode())
        self.encoded[lang] = now
        return {page: data for page, (_, data) in now.items()}

    def _publish(self, content: Content, moment: dt.datetime, history: History, sources: dict[str, bytes]) -> None:
        """Write the open data, feeds, calendars and cards that changed, delete those that are gone."""
        indexes = Site(content)
        files = {**published(indexes, history, moment, sources), **cards(self.root, indexes)[0]}  # cards: cached
        for gone in self.published.keys() - files.keys():
            _prune(self.site / gone, self.site)
        write_tree(self.site, {name: data for name, data in files.items() if self.published.get(name) != data})
        self.published, self.published_from = files, (content, moment, history, sources)

    def _start_ahead(self, moment: dt.datetime, written: dict[str, dict[str, str]]) -> None:
        """Start the renderer's runs of the next update now, waiting (`renderer.command`): Python's start and
        the renderer's imports (about 0.2 s of CPU a run, half a second or more on a busy machine) are then
        paid while the user types, not after the save. The next update writes their configuration again and tells them its moment (`go_renderer`)."""
        self.close()
        self.ahead = Children()
        self.ready = {
            lang: start_renderer(
                self.ahead, self.root, self.folder, moment, lang, written[lang], OUTPUTS[lang], dirty=True, waiting=True
            )
            for lang in LANGUAGES
        }

    @contextlib.contextmanager
    def _renderers(
        self, moment: dt.datetime, written: dict[str, dict[str, str]]
    ) -> Iterator[dict[str, subprocess.Popen[str]]]:
        """The renderer's runs of this update, building: those started ahead when still waiting, else new
        ones. Leaving the block ends any still running (a failure), as `build` does."""
        children, ready = self.ahead or Children(), self.ready
        self.ahead, self.ready = None, {}
        with children:
            runs = {}
            for lang in LANGUAGES:
                process = ready.get(lang)
                if process is not None and process.poll() is None:
                    go_renderer(process, self.root, self.folder, moment, lang, written[lang], OUTPUTS[lang])
                    runs[lang] = process
                else:  # never started, or ended (killed, say): its output is of no use
                    runs[lang] = start_renderer(
                        children, self.root, self.folder, moment, lang, written[lang], OUTPUTS[lang], dirty=True
                    )
            yield runs

    def close(self) -> None:
        """End the renderer's runs started ahead, if any (they build nothing)."""
        if self.ahead is not None:
            self.ahead.stop()
        self.ahead, self.ready = None, {}

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *_: object) -> None:
        """The preview stops: the data files of the last update written, no program left running."""
        try:
            self.settle()
        finally:
            self.close()

    def settle(self) -> None:
        """Wait until the open data, feeds and calendars of the last update are written."""
        if self.publishing is not None:
            self.publishing.join()
            self.publishing = None

    def update(self) -> Update:
        """Bring the preview up to date with the project; return what was done.

        Raises ContentError (content or links) or BuildError (the renderer) like `build`. Bad content
        changes nothing of the preview; a failure of the renderer or a broken link leaves the pages
        written so far: the next save tries again.
        """
        self.settle()
        start = step = time.perf_counter()
        self.timings = {}

        def lap(stage: str) -> None:
            nonlocal step
            now = time.perf_counter()
            self.timings[stage] = now - step
            step = now

        content, _ = load_content(self.root, memo=self.memo)
        moment = build_time(self.root)
        history = read_history(self.root, lead_agencies(content))
        sources = source_texts(self.root / "content")
        lap("validate")
        rendered = Rendered(content, moment.date(), history, sources, _stamps([TEMPLATES]))
        kind = self._render(rendered, history)
        written = {lang: written_pages(self.root, lang) for lang in LANGUAGES}
        pages = {
            lang: {
                **self._encoded(lang),
                **{page: (self.root / file).read_bytes() for page, file in written[lang].items()},
            }
            for lang in LANGUAGES
        }
        lap("render")
        looks = _stamps([self.root / name for name in LOOKS])
        if looks != self.looks:  # every page's HTML changes: rebuild it all
            shutil.rmtree(self.site, ignore_errors=True)
            self.built = False
            self.published = {}
            self.published_from = None
            if self.looks:
                kind += "; theme or mkdocs.yml changed: every page's HTML rebuilt"
            self.looks = looks
        changed = sum(self._sync(lang, pages[lang]) for lang in LANGUAGES)
        lap("write")
        stale = (content, moment, history, sources) != self.published_from
        if not changed and not stale and self.built:  # nothing to rebuild, write or check again
            return Update(kind, changed, time.perf_counter() - start)
        self.built = False
        with self._renderers(moment, written) as runs:
            # The open data, feeds and calendars, when what they show changed: the first time while the
            # renderer runs (the links of hand-written pages to them are checked), later after the pages.
            if stale and not self.published:
                self._publish(content, moment, history, sources)
                stale = False
            lap("published")
            warnings = finish_renderer(runs)
        try:
            # As the build does: no fallback script from a third-party host.
            patch_fresh_bundles([self.folder / OUTPUTS[lang] for lang in LANGUAGES])
        except BundleError as error:
            raise BuildError(str(error)) from error
        lap("renderer")
        check_strictly(self.root, self.folder, self.site, written, warnings)
        lap("strict")
        self.built = True
        if stale:
            self.publishing = threading.Thread(target=self._publish, args=(content, moment, history, sources))
            self.publishing.start()
        self._start_ahead(moment, written)
        return Update(kind, changed, time.perf_counter() - start)


def watched(root: Path) -> list[Path]:
    """What a save in re-renders: the project's content, theme and configuration, and the generator's
    templates (those of this code, wherever the project is); only what exists (the watcher fails on
    a missing path)."""
    return [path for path in (*(root / name for name in WATCHED), TEMPLATES) if path.exists()]


def serve(root: Path, port: int) -> int:
    """Preview the project on 127.0.0.1:`port`, updated on every save under WATCHED; Ctrl+C stops."""
    folder = root / FOLDER
    # One preview per project at a time; leaving it ends the renderer's runs started ahead for a save
    # that will not come.
    with site_lock(folder / "site"), Preview(root, folder) as preview:

        def rebuild() -> None:
            try:
                done = preview.update()
            except ContentError as error:
                print(summary(error.problems))
                print("preview: not updated; it shows the last content without problems", flush=True)
            except BuildError as error:
                print(error, flush=True)
            else:
                print(done, flush=True)

        rebuild()
        print(f"serving http://127.0.0.1:{port}/ (updates and reloads on every save; Ctrl+C stops)", flush=True)
        renderer.serve(rebuild, preview.site, port, watched(root))
    return 0
