"""The live preview (`serve`): a save shows after one update, only changed pages are rendered and
rebuilt, what a partial render gives is what a full render gives, a renamed or deleted page leaves
nothing behind, and bad content is reported with its line while the preview stays as it was."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.base.errors import ContentError
from generator.content.files import source_texts
from generator.content.history import read_history
from generator.content.labels import LANGUAGES
from generator.content.progress import lead_agencies
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.cards import card_key
from generator.pages.render import render
from generator.pages.share import all_cards
from generator.publish import preview as preview_module
from generator.publish.generate import CARD_CACHE, decoded
from generator.publish.preview import TEMPLATES, Preview, watched
from generator.publish.publication import build_time

from .conftest import FIXTURES, make_root

TASK = "ke-hoach/alpha-2021/1-a/index.html"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = make_root(tmp_path)
    with Preview(root, root / ".preview") as preview:
        preview.update()
        yield preview


def html(preview: Preview, page: str) -> str:
    return (preview.site / page).read_text(encoding="utf-8")


def test_an_edit_shows_after_one_update_and_rebuilds_only_what_changed(preview: Preview) -> None:
    tasks = preview.root / "content/plans/alpha-2021/tasks/1.yaml"
    assert "Đánh giá, xếp hạng kết quả" in html(preview, TASK)
    untouched = (preview.site / "gioi-thieu/index.html").stat().st_mtime_ns
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"))
    changed = preview.update().changed
    assert "Đánh giá lại, xếp hạng kết quả" in html(preview, TASK)
    assert "Assess and rank" in html(preview, "en/" + TASK)
    assert 0 < changed < sum(len(pages) for pages in preview.pages.values()) / 2
    assert (preview.site / "gioi-thieu/index.html").stat().st_mtime_ns == untouched  # not rebuilt


def test_a_renamed_or_deleted_page_leaves_no_stale_page(preview: Preview) -> None:
    pages = preview.root / "content/pages"
    for lang in ("vi", "en"):
        (pages / f"trang-thu.{lang}.md").write_text(f"# Thử {lang}\n", encoding="utf-8")
    preview.update()
    assert "Thử vi" in html(preview, "trang-thu/index.html")
    assert "Thử en" in html(preview, "en/trang-thu/index.html")

    for lang in ("vi", "en"):
        (pages / f"trang-thu.{lang}.md").rename(pages / f"trang-thu-2.{lang}.md")
    preview.update()
    assert "Thử vi" in html(preview, "trang-thu-2/index.html")
    assert not (preview.site / "trang-thu").exists()
    assert not (preview.site / "en/trang-thu").exists()

    for lang in ("vi", "en"):
        (pages / f"trang-thu-2.{lang}.md").unlink()
    preview.update()
    assert not (preview.site / "trang-thu-2").exists()
    assert not (preview.site / "en/trang-thu-2").exists()
    assert not list((preview.folder / "docs").rglob("trang-thu*"))


def test_a_task_whose_address_changes_leaves_no_page_at_the_old_one(preview: Preview) -> None:
    tasks = preview.root / "content/plans/alpha-2021/tasks/1.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("- id: 1-a\n", "- id: 1-z\n"), encoding="utf-8")
    preview.update()
    assert "Đánh giá, xếp hạng kết quả" in html(preview, TASK.replace("1-a", "1-z"))
    assert not (preview.site / TASK).exists()
    preview.settle()  # the page's link-preview card (og.png) goes with the data files, after the pages
    assert not (preview.site / TASK).parent.exists()
    assert not (preview.site / "en" / TASK).parent.exists()


def test_a_theme_change_rebuilds_every_page(preview: Preview) -> None:
    main = preview.root / "theme/main.html"
    text = main.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<!-- preview-marker -->")
    main.write_text(text, encoding="utf-8")
    preview.update()
    for page in (TASK, "gioi-thieu/index.html", "en/index.html"):
        assert "preview-marker" in html(preview, page), page


def children_of_this_process() -> list[int]:
    """The programs this process started that still exist (zombies included: not reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def test_the_renderer_runs_started_ahead_build_the_next_save_as_of_its_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/")  # a sitemap, dated by the update's moment
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625097600")  # 2021-07-01
    root = make_root(tmp_path)
    with Preview(root, root / ".preview") as preview:
        preview.update()
        ahead = dict(preview.ready)
        assert set(ahead) == set(LANGUAGES)
        assert all(process.poll() is None for process in ahead.values())  # started, waiting for the save
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14: the save's moment is later
        tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
        tasks.write_text(tasks.read_text(encoding="utf-8").replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"))
        preview.update()
        assert [process.returncode for process in ahead.values()] == [0, 0]  # they built this save
        assert "Đánh giá lại, xếp hạng kết quả" in html(preview, TASK)
        for sitemap in ("sitemap.xml", "en/sitemap.xml"):
            assert "<lastmod>2023-11-14</lastmod>" in html(preview, sitemap), sitemap
            assert "2021-07-01" not in html(preview, sitemap), sitemap
        assert preview.ready
        assert not set(preview.ready.values()) & set(ahead.values())


def test_a_renderer_run_started_ahead_that_died_is_replaced(preview: Preview) -> None:
    for process in preview.ready.values():
        process.kill()
        process.wait()
    tasks = preview.root / "content/plans/alpha-2021/tasks/1.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"))
    preview.update()
    assert "Đánh giá lại, xếp hạng kết quả" in html(preview, TASK)
    assert "Assess and rank" in html(preview, "en/" + TASK)


def test_stopping_serve_leaves_no_renderer_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` ends with Ctrl+C (the live-reload server returns): the runs started ahead for the next
    save end with it, reaped."""
    root = make_root(tmp_path)
    seen: list[list[int]] = []

    def serving(rebuild: Callable[[], None], site: Path, port: int, paths: list[Path]) -> None:
        tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
        tasks.write_text(tasks.read_text(encoding="utf-8").replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"))
        rebuild()  # a save
        assert "Đánh giá lại, xếp hạng kết quả" in (site / TASK).read_text(encoding="utf-8")
        seen.append(sorted(set(children_of_this_process()) - before))

    # A program of an earlier test may still be a child of this process, not yet reaped (one was, in a
    # full run on a busy machine, before this test started anything): only what this test starts counts.
    before = set(children_of_this_process())
    monkeypatch.setattr(preview_module.renderer, "serve", serving)
    assert preview_module.serve(root, 8000) == 0
    assert len(seen) == 1
    assert len(seen[0]) == len(LANGUAGES)
    assert set(children_of_this_process()) - before == set()


def test_serve_watches_what_exists_and_the_generators_own_templates(tmp_path: Path) -> None:
    root = make_root(tmp_path)  # a project without generator/: `serve --root` used to fail on it
    assert watched(root) == [root / "content", root / "theme", root / "mkdocs.yml", TEMPLATES]
    (root / "mkdocs.yml").unlink()
    assert root / "mkdocs.yml" not in watched(root)


# Two plans of two cities (the mini fixture's alpha-2021 and the progress fixture's beta-2021).
ALPHA = "content/plans/alpha-2021/tasks/1.yaml"
BETA_REPORT = "content/plans/beta-2021/reports/2021-H1/so-noi-vu.yaml"


@pytest.fixture
def two_plans(tmp_path: Path) -> Iterator[Preview]:
    root = make_root(tmp_path, FIXTURES / "progress")
    with Preview(root, root / ".preview") as preview:
        preview.update()
        yield preview


def edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    file = root / name
    text = file.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, f"the edit changes nothing in {name}"
    file.write_text(changed, encoding="utf-8")


def full_render(root: Path) -> dict[str, dict[str, str]]:
    """Every generated page of each language, rendered from scratch as `build` renders them."""
    content, _ = load_content(root)
    moment = build_time(root)
    history = read_history(root, lead_agencies(content))
    texts = decoded(source_texts(root / "content"))
    return {lang: render(content, lang, moment.date(), history, texts) for lang in LANGUAGES}


def markdown_tree(preview: Preview, lang: str) -> dict[str, bytes]:
    docs = preview.folder / "docs" / lang
    return {file.relative_to(docs).as_posix(): file.read_bytes() for file in docs.rglob("*") if file.is_file()}


def without_task(task: str) -> Callable[[str], str]:
    return lambda text: re.sub(rf"(?ms)^- id: {task}\n.*?(?=^- id: |\Z)", "", text)


EDITS: dict[str, tuple[str, Callable[[str], str]]] = {
    "text": (ALPHA, lambda text: text.replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng")),
    "deadline": (ALPHA, lambda text: text.replace("Trước 30/4, en: By 30 April", "Trước 30/6, en: By 30 June")),
    "reform area": (
        ALPHA,
        lambda text: text.replace('group: "2"\n  text: {vi: Số hóa', 'group: "1"\n  text: {vi: Số hóa'),
    ),
    "lead agency": (ALPHA, lambda text: text.replace("agencies: [so-noi-vu]", "agencies: [so-tu-phap]", 1)),
    "renamed task": (ALPHA, lambda text: text.replace("- id: 2-b\n", "- id: 2-z\n")),
    "deleted task": (ALPHA, without_task("2-b")),
    "inserted task": (
        ALPHA,
        lambda text: (
            '- id: 0-a\n  number: "0"\n  marker: "0"\n  group: "1"\n  text: {vi: Nhiệm vụ mới, en: A new task}\n' + text
        ),
    ),
    "plan title": (
        "content/plans/alpha-2021/plan.yaml",
        lambda text: text.replace("Kế hoạch cải cách hành chính năm 2021", "Kế hoạch CCHC năm 2021"),
    ),
    "report": (BETA_REPORT, lambda text: text.replace("status: not_started", "status: in_progress", 1)),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_a_partial_render_gives_exactly_what_a_full_render_gives(two_plans: Preview, name: str) -> None:
    file, change = EDITS[name]
    edit(two_plans.root, file, change)
    done = two_plans.update()
    assert done.kind.startswith("partial render"), done.kind  # the scoped path is the one under test
    assert two_plans.memo.checked == 1  # the other plan was not read again
    expected = full_render(two_plans.root)
    for lang in LANGUAGES:
        assert two_plans.generated[lang] == expected[lang], lang
        # The Markdown tree holds exactly the pages, no stale one.
        assert markdown_tree(two_plans, lang) == two_plans.pages[lang], lang
        assert {p for p in two_plans.pages[lang] if p in expected[lang]} == set(expected[lang])


def test_an_edit_reaches_every_page_that_shows_the_task(two_plans: Preview) -> None:
    edit(two_plans.root, ALPHA, lambda text: text.replace("Số hóa hồ sơ", "Số hóa toàn bộ hồ sơ"))
    two_plans.update()
    pillars = [p.relative_to(two_plans.site).as_posix() for p in two_plans.site.glob("linh-vuc/*/index.html")]
    showing = [page for page in pillars if "alpha-2021/2-b/" in html(two_plans, page)]
    assert len(showing) == 1  # the task's reform area
    for page in (
        "ke-hoach/alpha-2021/2-b/index.html",
        "ke-hoach/alpha-2021/index.html",
        "thoi-han/index.html",
        *showing,
    ):
        assert "Số hóa toàn bộ hồ sơ" in html(two_plans, page), page
        assert "Số hóa hồ sơ" not in html(two_plans, page), page


def test_an_agency_losing_a_task_no_longer_lists_it(two_plans: Preview) -> None:
    agency = "co-quan/alpha/so-noi-vu/index.html"
    assert "1-a/" in html(two_plans, agency)
    edit(two_plans.root, ALPHA, lambda text: text.replace("agencies: [so-noi-vu]", "agencies: [so-tu-phap]", 1))
    two_plans.update()
    assert "1-a/" not in html(two_plans, agency)
    assert "1-a/" in html(two_plans, "co-quan/alpha/so-tu-phap/index.html")


def cached_cards(root: Path) -> set[str]:
    return {file.name for file in (root / CARD_CACHE).glob("*.png")}


def cards_of(root: Path) -> set[str]:
    """The cached cards' file names that the content's pages use now."""
    content, _ = load_content(root)
    return {f"{card_key(card)}.png" for card in all_cards(Site(content)).values()}


def test_a_deleted_task_leaves_no_page_and_no_link(two_plans: Preview) -> None:
    task = "ke-hoach/alpha-2021/2-b/index.html"
    assert (two_plans.site / task).exists()
    two_plans.settle()
    cached = cached_cards(two_plans.root)
    edit(two_plans.root, ALPHA, without_task("2-b"))
    two_plans.update()
    assert not (two_plans.site / task).exists()
    two_plans.settle()  # the page's link-preview card (og.png) goes with the data files, after the pages
    # The preview forgets no cached card, not even the deleted task's, which no page uses now (a full
    # build does: the last test): an undo draws nothing.
    assert cached_cards(two_plans.root) >= cached
    assert cached - cards_of(two_plans.root)
    for lang in ("", "en/"):
        assert not (two_plans.site / lang / task).parent.exists()
        assert "2-b/" not in html(two_plans, f"{lang}ke-hoach/alpha-2021/index.html")
        assert "alpha-2021/2-b/" not in html(two_plans, f"{lang}thoi-han/index.html")
    assert not list((two_plans.folder / "docs").glob("*/ke-hoach/alpha-2021/2-b"))


def test_bad_content_is_reported_with_its_line_and_the_preview_stays(two_plans: Preview) -> None:
    before = {lang: markdown_tree(two_plans, lang) for lang in LANGUAGES}
    pages = {file: file.read_bytes() for file in two_plans.site.rglob("*.html")}
    edit(
        two_plans.root,
        ALPHA,
        lambda text: text.replace('group: "2"\n  text: {vi: Số hóa', 'group: "9"\n  text: {vi: Số hóa'),
    )
    with pytest.raises(ContentError) as raised:
        two_plans.update()
    lines = [problem.format() for problem in raised.value.problems]
    line = 1 + (two_plans.root / ALPHA).read_text(encoding="utf-8").split('group: "9"')[0].count("\n")
    assert any(text.startswith(f"{ALPHA}:{line}:") and "unknown group '9'" in text for text in lines), lines
    assert {lang: markdown_tree(two_plans, lang) for lang in LANGUAGES} == before
    assert {file: file.read_bytes() for file in two_plans.site.rglob("*.html")} == pages

    # A save of the other plan: the bad plan is not read again, and its problem is still reported.
    edit(two_plans.root, BETA_REPORT, lambda text: text.replace("status: not_started", "status: in_progress", 1))
    with pytest.raises(ContentError) as again:
        two_plans.update()
    assert [problem.format() for problem in again.value.problems] == lines
    assert two_plans.memo.checked == 1

    edit(two_plans.root, ALPHA, lambda text: text.replace('group: "9"', 'group: "2"'))
    two_plans.update()
    assert "Số hóa hồ sơ" in html(two_plans, "ke-hoach/alpha-2021/2-b/index.html")
    assert full_render(two_plans.root) == two_plans.generated


def test_each_update_says_what_kind_it_was(two_plans: Preview) -> None:
    assert two_plans.update().kind == "no content change"
    edit(two_plans.root, ALPHA, lambda text: text.replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"))
    assert two_plans.update().kind == "partial render (plans alpha-2021, agencies of alpha)"
    edit(two_plans.root, "content/pillars.yaml", lambda text: text + "\n")
    assert two_plans.update().kind == "no content change"  # the same reform areas: nothing to render
    edit(two_plans.root, "content/cities/alpha.yaml", lambda text: text.replace("Sở Nội vụ", "Sở Nội Vụ", 1))
    assert two_plans.update().kind == "full render (every page)"
    assert two_plans.generated == full_render(two_plans.root)  # no row kept from before (RowMemo)
    main = two_plans.root / "theme/main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert two_plans.update().kind.endswith("theme or mkdocs.yml changed: every page's HTML rebuilt")


def test_after_edits_the_preview_serves_what_a_full_build_publishes(
    two_plans: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renderer's dirty runs leave no page of the preview different from a full build's (its navigation
    is the same on every page: mkdocs.yml names it), after a change, a rename and a deletion."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625097600")  # the same moment for both (no git here)
    for change in (
        lambda text: text.replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"),
        lambda text: text.replace("- id: 2-a\n", "- id: 2-z\n"),
        without_task("2-b"),
    ):
        edit(two_plans.root, ALPHA, change)
        two_plans.update()
    two_plans.settle()
    cached = cached_cards(two_plans.root)
    built = tmp_path / "built"
    assert main(["--root", str(two_plans.root), "build", "--site", str(built), "--no-search"]) == 0
    # The full build forgot the cards of the deleted, renamed and changed tasks, which the preview had kept.
    assert cached_cards(two_plans.root) == cards_of(two_plans.root) < cached

    def files(site: Path) -> dict[str, bytes]:
        return {file.relative_to(site).as_posix(): file.read_bytes() for file in site.rglob("*") if file.is_file()}

    served, published = files(two_plans.site), files(built)
    assert sorted(served) == sorted(published)
    assert [name for name in served if served[name] != published[name]] == []
