"""Embeddable cards (generator/pages/embeds.py) in a built site: one per plan, agency and task page (added tasks
too), each page's snippet frames an existing card, and the cards stay tiny, scriptless and out of the
sitemap and search index. How they look framed: tests/test_embeds_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.pages.embed_links import embed_src

from .conftest import FIXTURES, make_root

# Kept out of the search index (class "ns", which the build excludes): the same help and markup on every task page.
SNIPPET = re.compile(r'<details class="embed ns">.*?&lt;iframe src="([^"]+)" title="([^"]+)".*?</details>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_root(tmp_path_factory.mktemp("embeds"), FIXTURES / "progress")
    out = root.parent / "site"
    assert main(["--root", str(root), "build", "--site", str(out)]) == 0
    return out


def pages(site: Path) -> list[Path]:
    """Every plan, agency and task page, in both languages."""
    found = []
    for prefix in ("", "en/"):
        found += list(site.glob(f"{prefix}ke-hoach/*/index.html"))
        found += list(site.glob(f"{prefix}ke-hoach/*/*/index.html"))
        found += list(site.glob(f"{prefix}co-quan/*/*/index.html"))
    return [p for p in found if p.parent.name not in ("van-ban-goc", "tien-do", "dieu-chinh")]


def test_every_plan_agency_and_task_page_frames_its_own_card(built: Path) -> None:
    checked = 0
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        found = SNIPPET.findall(text)
        assert len(found) == 1, page
        src, title = found[0]
        page_url = page.parent.relative_to(built).as_posix() + "/"
        assert src == "/" + re.sub(r"^(en/)?", r"\1nhung/", page_url).rstrip("/") + ".html"
        card = built / src.lstrip("/")
        assert card.is_file(), src
        assert title.startswith(("Thẻ ", "Task card", "Plan card", "Agency card")), title
        checked += 1
    assert checked > 30
    assert (built / "nhung/ke-hoach/beta-2021/2-f.html").is_file(), "a task an amendment added has its card"


def test_cards_are_tiny_scriptless_pages_in_their_language_out_of_sitemap_and_search(built: Path) -> None:
    cards = sorted(built.glob("nhung/**/*.html")) + sorted(built.glob("en/nhung/**/*.html"))
    assert len(cards) > 30
    for card in cards:
        raw = card.read_bytes()
        text = raw.decode()
        lang = "en" if card.relative_to(built).parts[0] == "en" else "vi"
        assert text.startswith(f'<!doctype html>\n<html lang="{lang}">'), card
        assert len(raw) < 6000, card
        # Its one link element names an empty icon, so that no browser asks for /favicon.ico.
        assert text.count("<link") == 1, card
        assert '<link rel="icon" href="data:,">' in text, card
        for banned in ("<script", "<img", "@import", "url(", "top.location", "X-Frame-Options"):
            assert banned not in text, (card, banned)
        assert '<meta name="robots" content="noindex">' in text
        assert "prefers-color-scheme:dark" in text
        links = re.findall(r"<a ([^>]*)>", text)
        assert links
        for attributes in links:
            assert 'target="_blank" rel="noopener"' in attributes
            target = re.search(r'href="([^"]+)"', attributes)
            assert target is not None
            assert (card.parent / target.group(1) / "index.html").resolve().is_file(), (card, target.group(1))
    assert "nhung" not in (built / "sitemap.xml").read_text(encoding="utf-8")
    assert not any("nhung" in p.read_text(encoding="utf-8", errors="ignore") for p in built.glob("pagefind/*.json"))


def test_a_card_shows_the_task_as_amended(built: Path) -> None:
    """1.c's deadline was revised by an amendment: the card shows the revised one, as the task page."""
    text = (built / "nhung/ke-hoach/beta-2021/1-c.html").read_text(encoding="utf-8")
    assert "<dt>Thời hạn</dt><dd>Quý III</dd>" in text
    assert ">Hoàn thành</span>" in text


def test_the_snippet_gives_the_absolute_address_when_the_site_has_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://cchc.example.vn/")
    assert embed_src("ke-hoach/p/1-a/", "en") == "https://cchc.example.vn/en/nhung/ke-hoach/p/1-a.html"
    monkeypatch.delenv("SITE_URL")
    assert embed_src("co-quan/c/a/", "vi") == "/nhung/co-quan/c/a.html"


def test_one_task_is_one_task_not_one_tasks(built: Path) -> None:
    """English cards and agency previews count tasks in the singular when there is one ("Leads 1 task")."""
    counts = []
    for card in [*built.glob("en/nhung/co-quan/*/*.html"), *built.glob("en/nhung/ke-hoach/*.html")]:
        text = card.read_text(encoding="utf-8")
        for n, plural in re.findall(r"\b(\d+) task(s?)\b", text):
            assert (plural == "") == (n == "1"), f"{card}: {n} task{plural}"
            counts.append(int(n))
    assert 1 in counts, "the fixture has an agency that leads one task"
    for page in built.glob("en/co-quan/*/*/index.html"):
        description = re.search(r'<meta name="description" content="([^"]*)"', page.read_text(encoding="utf-8"))
        assert description is not None, page
        for n, plural in re.findall(r"\b(\d+) task(s?)\b", description[1]):
            assert (plural == "") == (n == "1"), f"{page}: {description[1]}"
