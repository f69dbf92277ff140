"""Link-preview cards: a 1200×630 PNG per page that shares well (Open Graph's `og:image`).

Drawn with Pillow in the Noto Sans variable font of the pinned `fontpkg-noto-sans` package (complete
Vietnamese coverage; nothing is downloaded). Each card is a pure function of its `Card` and of this
file, the font and the drawing libraries' versions: its bytes are cached under that hash (`CardCache`,
`card_key`), so a rebuild draws only the cards whose inputs changed, the same inputs give the same bytes
(builds stay reproducible), and a cache from another run or machine (CI keeps one) is safe to reuse.
A full build forgets the cached cards no page uses any more (`CardCache.prune`); the preview does not.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path

import fontpkg_noto_sans  # type: ignore[import-untyped]  # no stubs: a font package
import PIL
from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
FILE = "og.png"
"""A card's file name: beside its page (`<page>/og.png`), or at a language's root for the other pages."""

FONT = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"
# The site's colours (Material's indigo palette, mkdocs.yml): white on indigo 7.0:1, ink on white 16:1,
# grey on white 7.4:1, all above WCAG AA for text.
INDIGO = (64, 81, 181)
INK = (33, 33, 33)
GREY = (84, 84, 84)
WHITE = (255, 255, 255)
MARGIN = 64
BAND = 104  # the indigo band at the top: what the card is and where
ELLIPSIS = "…"  # Noto Sans has it; it lacks the arrows and ≤ ≥, which no card uses


@dataclass(frozen=True)
class Card:
    """What one card shows, in the page's language."""

    kind: str  # "Nhiệm vụ 3.d", in the band
    place: str  # "Đà Nẵng 2021", right of it
    text: str  # the main text, wrapped on up to `lines` lines, cut with "…"
    facts: tuple[tuple[str, str], ...]  # (label, value): lead agency, deadline, status …
    footer: str  # the site's name
    lines: int = 4


@cache
def _code_version() -> str:
    """What draws a card besides the card itself: this file, the font's bytes and the libraries that rasterise,
    shape and compress (Pillow, FreeType, Raqm and FriBiDi when present, zlib). A change to any draws every
    card anew, so a cache kept between runs (CI's, restored from an older run) never gives other bytes
    than drawing would."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(FONT.read_bytes())
    libraries = {name: features.version(name) for name in ("freetype2", "raqm", "fribidi", "zlib")}
    digest.update(json.dumps({"pillow": PIL.__version__, **libraries}, sort_keys=True).encode())
    return digest.hexdigest()


def card_key(card: Card) -> str:
    """The cache key: the card's inputs and the drawing code's version."""
    inputs = json.dumps(asdict(card), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{_code_version()}\n{inputs}".encode()).hexdigest()


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(FONT), size)
    # Axes in the font's order (get_variation_axes): weight 100–900, width 62–100.
    font.set_variation_by_axes([700 if bold else 400, 100])
    return font


def fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """`text` on one line no wider than `width`, cut with an ellipsis if it is not."""
    if font.getlength(text) <= width:
        return text
    # The longest start that fits with the ellipsis, by bisection: a few measures, not one per letter.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    text = text[:low]
    space = text.rfind(" ")
    if space > len(text) * 2 // 3:  # end on a whole word when that costs little room
        text = text[:space]
    return text.rstrip(" ,;:–-(") + ELLIPSIS


# Lines are filled by adding up the words' widths (each measured once) and this much less than the room,
# for the kerning a sum leaves out; every line is then measured whole, and a word moves on if it must.
SLACK = 4


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, lines: int) -> list[str]:
    """`text` broken between words into at most `lines` lines no wider than `width` (measured in the
    font); a word longer than a line is broken inside; what does not fit ends the last line with "…"."""
    space = _width(font, " ")
    result: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        extra = _width(font, word) + (space if current else 0)
        if used + extra <= width - SLACK:
            current.append(word)
            used += extra
            continue
        if current:
            result.append(" ".join(current))
        while _width(font, word) > width:  # a word wider than the line (a long URL, say)
            piece = fit(word, font, width)[:-1] or word[:1]
            result.append(piece)
            word = word[len(piece) :]
        current, used = [word], _width(font, word)
        if len(result) > lines:
            break  # enough: the rest is cut anyway
    if current:
        result.append(" ".join(current))
    result = _measured(result, font, width)
    if len(result) > lines:
        # The last line shown, with the start of what follows, cut to end in "…".
        return [*result[: lines - 1], fit(f"{result[lines - 1]} {result[lines]}", font, width)]
    return result


@lru_cache(maxsize=1 << 16)
def _width(font: ImageFont.FreeTypeFont, word: str) -> float:
    """A word's width, remembered: Vietnamese is written in syllables, and the same few thousand recur."""
    return font.getlength(word)


def _measured(lines: list[str], font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """The lines, each measured whole: a last word that does not fit after all starts the next line."""
    out: list[str] = []
    carry = ""
    for line in lines:
        line = f"{carry} {line}" if carry else line
        carry = ""
        while font.getlength(line) > width and " " in line:
            line, _, moved = line.rpartition(" ")
            carry = f"{moved} {carry}".strip()
        out.append(line)
    if carry:
        out.append(carry)
    return out


INNER = WIDTH - 2 * MARGIN
FOOTER_TOP = HEIGHT - 64
FACT_HEIGHT = 44


def _facts_top(count: int) -> int:
    return FOOTER_TOP - 24 - FACT_HEIGHT * count


@cache
def _background(footer: str, labels: tuple[str, ...]) -> Image.Image:
    """What the cards of one kind and language share: the band, the rule, the footer and the facts' labels.
    Drawn once, copied for each card (a third of the drawing saved)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, BAND), fill=INDIGO)
    pen.rectangle((0, FOOTER_TOP, WIDTH, FOOTER_TOP + 4), fill=INDIGO)
    pen.text((MARGIN, FOOTER_TOP + 34), fit(footer, _font(26), INNER), font=_font(26), fill=GREY, anchor="lm")
    y = _facts_top(len(labels))
    for label in labels:
        pen.text((MARGIN, y), label, font=_font(30), fill=GREY)
        y += FACT_HEIGHT
    return image


def draw(card: Card) -> bytes:
    """The card as PNG bytes: the same card gives the same bytes."""
    facts = card.facts[:3]
    labels = tuple(f"{label}: " for label, _ in facts)
    image = _background(card.footer, labels).copy()
    pen = ImageDraw.Draw(image)
    inner = INNER

    band = _font(40, bold=True)
    place_font = _font(36)
    place = fit(card.place, place_font, inner / 2)
    place_width = place_font.getlength(place)
    pen.text((WIDTH - MARGIN - place_width, BAND / 2), place, font=place_font, fill=WHITE, anchor="lm")
    pen.text((MARGIN, BAND / 2), fit(card.kind, band, inner - place_width - 32), font=band, fill=WHITE, anchor="lm")

    facts_top = _facts_top(len(facts))
    body = _font(44, bold=True)
    line_height = 58
    room = max(1, min(card.lines, int((facts_top - 24 - (BAND + 40)) // line_height)))
    y = BAND + 40
    for line in wrap(card.text, body, inner, room):
        pen.text((MARGIN, y), line, font=body, fill=INK)
        y += line_height

    label_font, value_font = _font(30), _font(30, bold=True)
    y = facts_top
    for label, (_, value) in zip(labels, facts, strict=True):
        x = MARGIN + label_font.getlength(label)
        pen.text((x, y), fit(value, value_font, MARGIN + inner - x), font=value_font, fill=INK)
        y += FACT_HEIGHT

    out = io.BytesIO()
    # Pillow's `optimize` would save about 8% of the bytes for four times the time: not worth it here.
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, format="PNG")
    return out.getvalue()


def _ramp(start: tuple[int, int, int], end: tuple[int, int, int], steps: int) -> list[tuple[int, int, int]]:
    return [tuple(round(a + (b - a) * k / (steps - 1)) for a, b in zip(start, end, strict=True)) for k in range(steps)]  # type: ignore[misc]


@cache
def _palette() -> Image.Image:
    """A fixed palette of 26 colours: the site's four and the anti-aliased edges between each text colour
    and its background. Mapping to a fixed palette is fast and deterministic (an adaptive quantiser
    took ten times as long), and a palette PNG is a third of an RGB one."""
    colours = [*_ramp(WHITE, INK, 12), *_ramp(WHITE, GREY, 8), *_ramp(INDIGO, WHITE, 8)]
    flat = [value for colour in dict.fromkeys(colours) for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0] * (768 - len(flat)))
    return palette


class CardCache:
    """Drawn cards by `card_key`, one file each in `folder` (outside the site: .cache/cards/)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()  # the keys asked for: what `prune` keeps

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        if self.folder is None:
            return None
        try:
            return self.file(key).read_bytes()
        except OSError:
            return None

    def file(self, key: str) -> Path:
        """Where the card of `key` is kept (a folder is needed): written whole by `put`, never changed after."""
        assert self.folder is not None
        return self.folder / f"{key}.png"

    def put(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_bytes(data)
        temporary.replace(self.file(key))  # whole or absent, even if two builds write it

    def prune(self) -> None:
        """Remove the cards not asked for since this cache was opened, so that it does not grow with every edit."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = {f"{key}.png" for key in self.used}
        for file in self.folder.iterdir():
            if file.name not in wanted and not file.name.startswith("."):  # another build's file being written
                file.unlink(missing_ok=True)


# Below this many cards to draw, a pool costs more than it saves.
POOL_FROM = 48


def _draw_all(cards: list[Card]) -> list[bytes]:
    workers = min(4, os.cpu_count() or 1)
    if len(cards) < POOL_FROM or workers < 2:
        return [draw(card) for card in cards]
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_the_build)
    try:
        drawn = list(pool.map(draw, cards, chunksize=16))
    except BaseException:  # Ctrl+C or a CI cancel (see generator/publish/processes.py): stop now, not after every card
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return drawn


def _leave_interrupts_to_the_build() -> None:
    """In a drawing worker (forked with the build's handlers, which raise): Ctrl+C and a CI cancel reach the
    whole process group, and the build reports them in one line. A worker prints nothing of its own: it
    ignores Ctrl+C (and ends when the build cancels what is left) and simply ends on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def card_files(cards: Mapping[str, Card], cache: CardCache) -> tuple[dict[str, bytes], int]:
    """Every card's PNG by its path in the site, and how many were drawn (not found in `cache`)."""
    keys = {path: card_key(card) for path, card in cards.items()}
    found = {key: data for key in set(keys.values()) if (data := cache.get(key)) is not None}
    drawn = _draw_into(cache, {key: cards[path] for path, key in keys.items() if key not in found})
    found |= drawn
    return {path: found[key] for path, key in keys.items()}, len(drawn)


def cached_card_files(cards: Mapping[str, Card], cache: CardCache) -> tuple[dict[str, Path], int]:
    """Every card's file in `cache` (which needs a folder) by its path in the site, the missing ones drawn
    into it first, and how many were drawn: the build links the site's cards to these files."""
    keys = {path: card_key(card) for path, card in cards.items()}
    cache.used |= set(keys.values())
    drawn = _draw_into(cache, {key: cards[path] for path, key in keys.items() if not cache.file(key).is_file()})
    return {path: cache.file(key) for path, key in keys.items()}, len(drawn)


def _draw_into(cache: CardCache, missing: dict[str, Card]) -> dict[str, bytes]:
    """Draw the cards of these keys and keep them in `cache`; their PNGs by key."""
    ordered = sorted(missing.items())
    drawn = dict(zip((key for key, _ in ordered), _draw_all([card for _, card in ordered]), strict=True))
    for key, data in drawn.items():
        cache.put(key, data)
    return drawn
