"""The English of the site is consistent: one rendering per glossary term, one spelling convention."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.content.model import Content, Text
from generator.content.validate import load_content

from .conftest import ROOT

TERMS = Path(__file__).with_name("terms.yaml")


@cache
def content() -> Content:
    loaded, _ = load_content(ROOT)
    return loaded


@cache
def glossary() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TERMS.read_text(encoding="utf-8"))
    return data


def texts(node: object, where: str = "") -> Iterator[tuple[str, Text]]:
    """(where, text) of every bilingual text of the content: cities, pillars, plans, tasks, procedures."""
    if isinstance(node, Text):
        yield where, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from texts(getattr(node, name), f"{where}.{name}" if where else name)
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from texts(item, f"{where}[{i}]")


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def whole(words: str) -> re.Pattern[str]:
    """A case-insensitive match of `words` that starts and ends on word boundaries."""
    return re.compile(r"(?<!\w)" + re.escape(fold(words)) + r"(?!\w)", re.IGNORECASE)


def inconsistent_terms(pairs: list[tuple[str, Text]], terms: list[dict[str, Any]]) -> list[str]:
    """Each text whose Vietnamese has a glossary term but whose English lacks its rendering."""
    ordered = sorted(terms, key=lambda term: -max(len(vi) for vi in term["vi"]))
    problems = []
    for where, text in pairs:
        if not text.en:
            continue
        vi, en = fold(text.vi), fold(text.en)
        for term in ordered:
            found = False
            for spelling in term["vi"]:
                vi, count = whole(spelling).subn("\0", vi)  # hidden from the shorter terms that follow
                found = found or count > 0
            if found and not any(whole(rendering).search(en) for rendering in term["en"]):
                problems.append(f"{where}: '{term['vi'][0]}' is not rendered {' / '.join(term['en'])!r}: {en}")
    return problems


def test_glossary_file_is_well_formed() -> None:
    for term in glossary()["terms"]:
        assert set(term) == {"vi", "en", "source"}, term
        assert all(term[key] for key in ("vi", "en", "source")), term
    for word in glossary()["avoid"]:
        assert set(word) == {"en", "source"}, word


def test_one_rendering_per_term() -> None:
    problems = inconsistent_terms(list(texts(content())), glossary()["terms"])
    assert not problems, "\n".join(problems)


def test_a_second_rendering_is_caught() -> None:
    terms = [
        {"vi": ["Chỉ số cải cách hành chính"], "en": ["PAR Index"]},
        {"vi": ["cải cách hành chính"], "en": ["administrative reform"]},
    ]
    pairs = [
        ("ok", Text(vi="Chỉ số cải cách hành chính năm 2021", en="The 2021 PAR Index")),
        ("bad", Text(vi="Báo cáo chỉ số cải cách hành chính", en="Report on the administrative reform index")),
        ("inner", Text(vi="Kế hoạch cải cách hành chính", en="Administrative reform plan")),
    ]
    assert [p.split(":")[0] for p in inconsistent_terms(pairs, terms)] == ["bad"]


def test_words_the_glossary_rejects_are_not_used() -> None:
    used = [
        f"{where}: {word['en']!r} ({word['source']})"
        for where, text in texts(content())
        for word in glossary()["avoid"]
        if text.en and whole(word["en"]).search(fold(text.en))
    ]
    assert not used, "\n".join(used)


# Spelling: Oxford spelling (British -our, -re, -yse, -ll-, "programme"; but -ize, -ization), as the
# glossary of domain.md recommends ("Organizational reform", "specialized agencies", "equitization",
# "Modernization", "Public Administration Service Centre", "Labour") and most of the content used.
IZE_STEMS = [
    "apolog",
    "authori",
    "capital",
    "categor",
    "central",
    "character",
    "civil",
    "critic",
    "customi",
    "decentral",
    "digit",
    "emphas",
    "equit",
    "final",
    "general",
    "global",
    "harmon",
    "internal",
    "legal",
    "local",
    "maxim",
    "memor",
    "minim",
    "mobil",
    "modern",
    "normal",
    "optim",
    "organ",
    "personal",
    "priorit",
    "public",
    "rational",
    "real",
    "recogn",
    "reorgan",
    "social",
    "special",
    "stabil",
    "standard",
    "summar",
    "symbol",
    "synchron",
    "systemat",
    "util",
    "visual",
]
ISE = re.compile(r"\b(?:" + "|".join(IZE_STEMS) + r")is(?:e|es|ed|er|ers|ing|ation|ations|ational|ationally)\b", re.I)
AMERICAN = re.compile(
    r"\b(?:centers?|centered|labors?|favor\w*|colors?|behaviors?|honors?|neighbors?\w*|analyz\w*|catalogs?"
    r"|defense|fulfills?|enroll|(?:label|cancel|model|travel|level|signal|channel|fuel)(?:ed|ing))\b",
    re.I,
)
# Interface wording (labels, page templates) and every English text of content/: YAML, Markdown,
# schema; Vietnamese pages hold English only in examples, which follow the convention too.
# Sources (.txt) are Vietnamese.
SPELLING_FILES = (
    "content/**/*.yaml",
    "content/**/*.md",
    "content/**/*.json",
    "generator/content/wording/en.yaml",
    "generator/pages/templates/*.j2",
)


def misspellings(text: str) -> Iterator[str]:
    # Code identifiers (`mass_organisation`) are names, not English: skip words joined by "_".
    for match in (*ISE.finditer(text), *AMERICAN.finditer(text)):
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        if "_" not in before + after:
            yield match[0]


def test_one_spelling_convention() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {word}"
        for pattern in SPELLING_FILES
        for path in sorted(ROOT.glob(pattern))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for word in misspellings(line)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("the organisational reform of specialised agencies", ["organisational", "specialised"]),
        ("reorganisation of the Center; labor", ["reorganisation", "Center", "labor"]),
        ("advise, supervise, exercise, the enterprise's premises, emphasis", []),
        ("organization, specialized, Centre, labour, analyse, cancelled, fulfilling", []),
        ("kind `mass_organisation`", []),
    ],
)
def test_spelling_rule(text: str, words: list[str]) -> None:
    assert sorted(misspellings(text)) == sorted(words)
