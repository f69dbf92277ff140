"""The live preview (`serve`): a save shows after one update, only changed pages are rebuilt, and a
renamed or deleted page leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.publish.preview import TEMPLATES, Preview, watched

from .conftest import make_root

TASK = "ke-hoach/alpha-2021/1-a/index.html"


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    root = make_root(tmp_path)
    preview = Preview(root, root / ".preview")
    preview.update()
    return preview


def html(preview: Preview, page: str) -> str:
    return (preview.site / page).read_text(encoding="utf-8")


def test_an_edit_shows_after_one_update_and_rebuilds_only_what_changed(preview: Preview) -> None:
    tasks = preview.root / "content/plans/alpha-2021/tasks/1.yaml"
    assert "Đánh giá, xếp hạng kết quả" in html(preview, TASK)
    untouched = (preview.site / "gioi-thieu/index.html").stat().st_mtime_ns
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("Đánh giá, xếp hạng", "Đánh giá lại, xếp hạng"))
    changed, _ = preview.update()
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
    assert not (preview.site / TASK).parent.exists()
    assert not (preview.site / "en" / TASK).parent.exists()


def test_a_theme_change_rebuilds_every_page(preview: Preview) -> None:
    main = preview.root / "theme/main.html"
    text = main.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<!-- preview-marker -->")
    main.write_text(text, encoding="utf-8")
    preview.update()
    for page in (TASK, "gioi-thieu/index.html", "en/index.html"):
        assert "preview-marker" in html(preview, page), page


def test_serve_watches_what_exists_and_the_generators_own_templates(tmp_path: Path) -> None:
    root = make_root(tmp_path)  # a project without generator/: `serve --root` used to fail on it
    assert watched(root) == [root / "content", root / "theme", root / "mkdocs.yml", TEMPLATES]
    (root / "mkdocs.yml").unlink()
    assert root / "mkdocs.yml" not in watched(root)
