"""Hand-written pages: content/pages/<name>.<lang>.md becomes <name>/index.md of that language."""

from __future__ import annotations

from pathlib import Path


def hand_written(folder: Path, lang: str) -> dict[str, str]:
    """Return the hand-written pages of one language as `{markdown_path: text}`."""
    return {
        f"{file.name.removesuffix(f'.{lang}.md')}/index.md": file.read_text(encoding="utf-8")
        for file in sorted(folder.glob(f"*.{lang}.md"))
    }
