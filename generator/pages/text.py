"""Plain-text helpers shared by the page renderer and the search data."""

from __future__ import annotations

from generator.content.model import Text


def in_language(text: Text, lang: str) -> str:
    """A text in `lang`: the English translation when asked for and present, else the Vietnamese original."""
    return text.en if lang == "en" and text.en else text.vi


def plain(text: str) -> str:
    """One-line version of a multi-line text, for tables and titles."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def shorten(text: str, limit: int = 180) -> str:
    """The first `limit` characters of a one-line text, cut at a word."""
    text = plain(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
