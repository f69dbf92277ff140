"""What CI keeps between runs is safe to reuse: a cached link-preview card is found only under a key of
everything that drew it, so a cache restored from an older run (another Pillow, another font) is
never taken for a card drawn now (generator/pages/cards.py, .github/workflows/site.yml, .gitlab-ci.yml).
That a full build forgets the cards no page uses, and the preview does not: tests/test_preview.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import PIL
import pytest
from PIL import features

from generator.pages import cards
from generator.pages.cards import Card, card_key


@pytest.fixture
def fresh_code_version() -> Iterator[None]:
    cards._code_version.cache_clear()
    yield
    cards._code_version.cache_clear()  # monkeypatch has undone its changes by now


def test_a_card_drawn_by_other_libraries_or_another_font_is_not_taken_from_the_cache(
    fresh_code_version: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another Pillow, FreeType, Raqm, FriBiDi or zlib, or another font file of the same name and size, may
    draw other bytes: each gives another key."""
    card = Card("Nhiệm vụ 1.a", "Đà Nẵng 2021", "Rà soát thủ tục hành chính", (("Hạn", "2021"),), "CCHC")
    keys = {card_key(card)}
    monkeypatch.setattr(PIL, "__version__", "0.0.0")
    cards._code_version.cache_clear()
    keys.add(card_key(card))
    version = features.version
    for library in ("freetype2", "raqm", "fribidi", "zlib"):
        monkeypatch.setattr(features, "version", lambda name, lib=library: "0" if name == lib else version(name))
        cards._code_version.cache_clear()
        keys.add(card_key(card))
    font = bytearray(cards.FONT.read_bytes())
    font[-1] ^= 1
    other = tmp_path / cards.FONT.name
    other.write_bytes(bytes(font))
    monkeypatch.setattr(cards, "FONT", other)
    cards._code_version.cache_clear()
    keys.add(card_key(card))
    assert len(keys) == 7


def test_the_build_gets_each_card_as_a_cached_file_drawn_once(tmp_path: Path) -> None:
    """The build links the site's cards to the cache's files (generator/publish/generate.py): a missing card is
    drawn into the cache first, once for the pages that share it, and a full build's prune keeps it."""
    one = Card("Nhiệm vụ 1.a", "Đà Nẵng 2021", "Rà soát thủ tục hành chính", (("Hạn", "2021"),), "CCHC")
    other = Card("Nhiệm vụ 1.b", "Đà Nẵng 2021", "Công bố thủ tục hành chính", (("Hạn", "Quý I"),), "CCHC")
    pages = {"a/og.png": one, "en/a/og.png": one, "b/og.png": other}
    cache = cards.CardCache(tmp_path / "cache")
    files, drawn = cards.cached_card_files(pages, cache)
    assert drawn == 2
    assert files["a/og.png"] == files["en/a/og.png"] != files["b/og.png"]
    assert (files["a/og.png"].read_bytes(), files["b/og.png"].read_bytes()) == (cards.draw(one), cards.draw(other))
    cache.prune()
    again = cards.CardCache(tmp_path / "cache")
    assert cards.cached_card_files(pages, again) == (files, 0)
