"""`python -m generator serve`: a live preview that stays live on a big site.

A full build renders every page and has the renderer rebuild all of them (80+ s at 10,000 tasks). The
preview keeps its Markdown tree and the renderer's output between saves, in `.preview/` of the project:
it writes only the pages whose Markdown changed, deletes the pages that are gone (Markdown and HTML),
and runs the renderer dirty, so that it rebuilds only the pages whose Markdown is newer than their
HTML. A change under theme/ or to mkdocs.yml changes every page's HTML but no Markdown: the output is
then rebuilt whole. The preview never touches the published site (`build` writes that).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from generator.base.errors import ContentError, summary
from generator.content.files import source_texts
from generator.content.history import read_history
from generator.content.labels import LANGUAGES
from generator.content.progress import lead_agencies
from generator.content.validate import load_content
from generator.publish import renderer
from generator.publish.build import BuildError, build_time, cards, check_strictly, published, render_pages, run_renderer
from generator.publish.processes import Children
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


class Preview:
    """The preview's folder and what was last written into it."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.folder = folder
        self.site = folder / "site"
        for stale in (folder / "docs", self.site):  # what another session left is unknown: start afresh
            shutil.rmtree(stale, ignore_errors=True)
        self.pages: dict[str, dict[str, bytes]] = {lang: {} for lang in LANGUAGES}
        self.published: dict[str, bytes] = {}
        self.looks: tuple[tuple[str, int, int], ...] = ()
        self.timings: dict[str, float] = {}  # of the last update, by stage (scripts/preview_benchmark.py)

    def _looks(self) -> tuple[tuple[str, int, int], ...]:
        found = []
        for name in LOOKS:
            path = self.root / name
            for file in sorted([path, *path.rglob("*")] if path.is_dir() else [path]):
                if file.is_file():
                    stat = file.stat()
                    found.append((file.as_posix(), stat.st_mtime_ns, stat.st_size))
        return tuple(found)

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

    def update(self) -> tuple[int, float]:
        """Bring the preview up to date with the project; return the pages changed and the seconds taken.

        Raises ContentError (content or links) or BuildError (the renderer) like `build`, after writing
        what it could: the next save tries again.
        """
        start = step = time.perf_counter()
        self.timings = {}

        def lap(stage: str) -> None:
            nonlocal step
            now = time.perf_counter()
            self.timings[stage] = now - step
            step = now

        content, _ = load_content(self.root)
        moment = build_time(self.root)
        history = read_history(self.root, lead_agencies(content))
        lap("validate")
        sources = source_texts(self.root / "content")
        pages, written = render_pages(self.root, content, moment, history, sources)
        lap("render")
        looks = self._looks()
        if looks != self.looks:  # every page's HTML changes: rebuild it all
            shutil.rmtree(self.site, ignore_errors=True)
            self.published = {}
            self.looks = looks
        changed = sum(self._sync(lang, pages[lang]) for lang in LANGUAGES)
        lap("write")
        with Children() as children:
            warnings = run_renderer(children, self.root, self.folder, moment, written, OUTPUTS, dirty=True)
        lap("renderer")
        files = {**published(content, history, moment, sources), **cards(self.root, content)[0]}  # cards: cached
        for gone in self.published.keys() - files.keys():
            _prune(self.site / gone, self.site)
        write_tree(self.site, {name: data for name, data in files.items() if self.published.get(name) != data})
        self.published = files
        lap("published")
        check_strictly(self.root, self.folder, self.site, written, warnings)
        lap("strict")
        return changed, time.perf_counter() - start


def watched(root: Path) -> list[Path]:
    """What a save in re-renders: the project's content, theme and configuration, and the generator's
    templates (those of this code, wherever the project is); only what exists (the watcher fails on
    a missing path)."""
    return [path for path in (*(root / name for name in WATCHED), TEMPLATES) if path.exists()]


def serve(root: Path, port: int) -> int:
    """Preview the project on 127.0.0.1:`port`, updated on every save under WATCHED; Ctrl+C stops."""
    folder = root / FOLDER
    with site_lock(folder / "site"):  # one preview per project at a time
        preview = Preview(root, folder)

        def rebuild() -> None:
            try:
                changed, seconds = preview.update()
            except ContentError as error:
                print(summary(error.problems))
            except BuildError as error:
                print(error)
            else:
                print(f"preview: {changed} pages changed, up to date in {seconds:.1f} s", flush=True)

        rebuild()
        print(f"serving http://127.0.0.1:{port}/ (updates and reloads on every save; Ctrl+C stops)", flush=True)
        renderer.serve(rebuild, preview.site, port, watched(root))
    return 0
