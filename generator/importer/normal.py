"""Text normalisation shared by the importer: extraction debris, whitespace, comparison keys."""

from __future__ import annotations

import re
import unicodedata

from generator.base.slug import fold

# `<p>`, `</p>`, `<ul …>`, `<b>`, … left by the PDF extraction, and the `*ml*` marks after articles.
_TAG = re.compile(r"</?(?:p|ul|ol|li|b|strong|i|em|br)\b[^>]*>", re.IGNORECASE)
_DEBRIS = re.compile(r"\*ml\*")
# Emphasis marks, but never the "(*)" that flags a budget-funded task.
_MARKDOWN = re.compile(r"\*\*|__|(?<![\w(\\])\*(?=[^\s)])|(?<=[^\s(\\])\*(?![\w)])")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Collapse runs of spaces and tabs, keep line breaks, trim every line."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in nfc(text).split("\n")]
    return "\n".join(line for line in lines if line)


def strip_debris(text: str) -> str:
    """Remove HTML tags, `*ml*` and Markdown emphasis left by the extraction."""
    return _MARKDOWN.sub("", _DEBRIS.sub("", _TAG.sub(" ", text))).replace("(\\*)", "(*)")


def key(text: str) -> str:
    """Comparison key: no debris, one space between words, NFC (case and accents kept)."""
    return re.sub(r"\s+", " ", strip_debris(nfc(text))).strip()


def loose(text: str) -> str:
    """Looser key for look-ups: also case- and diacritic-insensitive, without end punctuation."""
    return fold(key(text)).lower().rstrip(" .;:,")
