"""Widths of diagram text, from the advance widths of Noto Sans as the pinned fontpkg-noto-sans installs it.

The site sets no web font, so each reader's browser sets the labels in the first font of Material's stack it has
(-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif): San Francisco on Apple systems, Arial on Windows,
Roboto on Android, often DejaVu Sans on Linux. No table can know which; Noto Sans, which covers all of Vietnamese,
stands in for them, and SPREAD widens its measure to the widest of them, DejaVu Sans, so that a line laid out here
stays in its box in each of those. Kerning is left out.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

FONT_PACKAGE = "fontpkg_noto_sans"
FONT_FILE = "NotoSans[wdth,wght].ttf"
"""The variable font; its normal-width instances at weight 400 and 700 are the regular and bold text."""
WEIGHT = {False: 400, True: 700}
SPREAD = {False: 1.10, True: 1.16}
"""How much wider than Noto Sans a browser's own sans-serif may set a line: DejaVu Sans runs up to 9.6% wider on
the real step labels and 15.8% on the bold lane headers; Arial and Helvetica (Liberation Sans here) run narrower.
tests/test_diagram.py (font files) and tests/test_browser.py (Chromium) check the labels in both."""
UNKNOWN = 1.0
"""Width in em assumed for a character the font does not have (wider than any Latin letter)."""


@cache
def _font() -> Any:
    with as_file(files(FONT_PACKAGE) / "files" / FONT_FILE) as path:
        return TTFont(path)  # reads the whole file into memory, so a temporary copy may go


@cache
def _glyphs(bold: bool) -> tuple[dict[int, str], Any, int]:
    font = _font()
    glyph_set = font.getGlyphSet(location={"wdth": 100, "wght": WEIGHT[bold]})
    return font.getBestCmap(), glyph_set, int(font["head"].unitsPerEm)


_advances: dict[tuple[str, bool], float] = {}  # by (character, bold): measured here, or `remember`ed


def advance(char: str, bold: bool = False) -> float:
    """Advance width of one character in em, as Noto Sans sets it (regular or bold), before SPREAD."""
    found = _advances.get((char, bold))
    if found is None:
        cmap, glyph_set, units = _glyphs(bold)
        name = cmap.get(ord(char))
        found = _advances[char, bold] = UNKNOWN if name is None else float(glyph_set[name].width) / units
    return found


VIETNAMESE = "".join(
    chr(code)
    for first, last in (
        (0x20, 0x7E), (0xC0, 0xFF), (0x102, 0x103), (0x110, 0x111), (0x128, 0x129), (0x168, 0x169),
        (0x1A0, 0x1A1), (0x1AF, 0x1B0), (0x1EA0, 0x1EF9), (0x2013, 0x2014), (0x2018, 0x201D), (0x2026, 0x2026),
    )
    for code in range(first, last + 1)
)  # fmt: skip
"""What the diagrams' labels are written in: ASCII, the Vietnamese letters, dashes, quotation marks, ellipsis."""


def measured(chars: str = VIETNAMESE) -> dict[tuple[str, bool], float]:
    """The advance widths of these characters, regular and bold: loading the font and its variations takes
    0.1 s, which a process that needs the widths soon may spend ahead, elsewhere (`remember`)."""
    return {(char, bold): advance(char, bold) for char in chars for bold in (False, True)}


def remember(widths: dict[tuple[str, bool], float]) -> None:
    """Take widths `measured` elsewhere (by a copy of this process), so that these need not be measured here."""
    _advances.update(widths)


def covers(char: str) -> bool:
    """Whether the font has a glyph for the character."""
    return ord(char) in _glyphs(False)[0]


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in pixels that `text` may take in a browser's sans-serif of `size` pixels."""
    return sum(advance(char, bold) for char in text) * size * SPREAD[bold]
