"""ASCII slugs for Vietnamese text: đ becomes d, tone marks are dropped, no letter is lost."""

import re
import unicodedata


def fold(text: str) -> str:
    """Return `text` without tone marks and with đ/Đ as d/D (Unicode cannot decompose đ)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def slugify(text: str, separator: str = "-") -> str:
    """Return a lower-case ASCII slug: 'Đất đai' → 'dat-dai', 'Sở Nội vụ' → 'so-noi-vu'."""
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    return separator.join(words)
