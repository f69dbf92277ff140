"""The generator's raw HTML blocks, passed through the renderer's Markdown converter untouched.

A generated page is mostly final HTML (its templates escape every value), which Python-Markdown parses
twice only to pass it through as it is: ProperDocs scans it for anchors, then md_in_html's block parser
stashes it. That was 60 % of the conversion of the real plans' pages (scripts/BENCHMARKS.md, "Full build
against the renderer's floor"). The renderer's hook (generator/publish/renderer_hooks.py) lifts each such
block out before the conversion, leaving a placeholder paragraph, and puts it back after it, as
Python-Markdown puts back its own stashed blocks (`<p>placeholder</p>` becomes the block): the same bytes.
Only a block whose bounds are certain is lifted; anything else is left to the converter.
"""

from __future__ import annotations

import re
import secrets

from markdown.util import BLOCK_LEVEL_ELEMENTS, ETX, STX  # type: ignore[import-untyped]  # no stubs in the lock file

TAB_LENGTH = 4  # Python-Markdown's default; mkdocs.yml does not change it

_START = re.compile(r"<([a-z][a-z0-9]*)(?=[\s>])")
_FENCE = re.compile(r"^(```|~~~)")
# md_in_html's attribute: the block's content is Markdown, for the converter to read.
_MARKDOWN = re.compile(r"<[^>]*\smarkdown(?:[\s=>])")


class Lifted:
    """The raw HTML blocks lifted out of one page's Markdown, to be put back into its HTML."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(6)  # placeholders no page text contains
        self.blocks: list[str] = []

    def placeholder(self, number: int) -> str:
        return f"generatedhtml{self.nonce}n{number}"

    def lift(self, markdown: str) -> str:
        """`markdown` with each raw HTML block that stands alone (a block-level tag at the start of a line,
        closed at the end of a later line, blank lines or the page's ends around it) replaced by a
        placeholder paragraph; code fences and md_in_html blocks are left whole."""
        lines = _normalised(markdown).split("\n")
        kept: list[str] = []
        fenced = False
        number = 0
        while number < len(lines):
            line = lines[number]
            if _FENCE.match(line):
                fenced = not fenced
            end = None if fenced or (number and lines[number - 1].strip()) else _block_end(lines, number)
            if end is None:
                kept.append(line)
                number += 1
                continue
            block, liftable = end
            if liftable:
                self.blocks.append("\n".join(lines[number:block]))
                kept.append(self.placeholder(len(self.blocks) - 1))
            else:
                kept.extend(lines[number:block])
            number = block
        return "\n".join(kept)

    def restore(self, html: str) -> str:
        """The converted page with every lifted block back in its placeholder's paragraph."""
        for number, block in enumerate(self.blocks):
            paragraph = f"<p>{self.placeholder(number)}</p>"
            if html.count(paragraph) != 1:
                raise ValueError(f"the converter changed the placeholder of generated HTML block {number}")
            html = html.replace(paragraph, block + "\n")  # the converter keeps the end of the block's last line
        return html.strip()  # as the converter ends, its blocks back in place


def _normalised(markdown: str) -> str:
    """What Python-Markdown makes of the text before it looks for blocks (its NormalizeWhitespace), so that a
    lifted block is what it would have passed through: tabs expanded, line ends and blank lines made plain."""
    text = markdown.replace(STX, "").replace(ETX, "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(TAB_LENGTH))


def _block_end(lines: list[str], start: int) -> tuple[int, bool] | None:
    """Where the raw block starting at line `start` ends (the index after its last line) and whether it may be
    lifted (not an md_in_html block); None when that line starts no block or its end is uncertain."""
    opened = _START.match(lines[start])
    if not opened or opened[1] not in BLOCK_LEVEL_ELEMENTS:
        return None
    tag = opened[1]
    opening = re.compile(rf"<{tag}(?=[\s>])")
    closing = f"</{tag}>"
    depth = 0
    markdown = False
    for end in range(start, len(lines)):
        line = lines[end]
        markdown = markdown or bool(_MARKDOWN.search(line))
        depth += len(opening.findall(line)) - line.count(closing)
        if depth <= 0:
            alone = line.endswith(closing) and (end + 1 == len(lines) or not lines[end + 1].strip())
            return (end + 1, not markdown) if depth == 0 and alone else None
    return None
