"""Regroup Pagefind's word index into small chunks, so that a search downloads little more than its own words.

Pagefind cuts a language's sorted word list into chunks of roughly equal word counts and a search
downloads every chunk whose range holds one of its words (or words starting with it). In Vietnamese a
few syllables (`chinh`, `hanh`, `so`, `vu` …) occur on nearly every page, so a chunk that holds one of
them weighs 200–300 kB at 10,000 tasks although the word searched for is 15–40 kB of it: `thu tuc hanh
chinh` downloaded 783 kB of chunks for about 136 kB of its own words (scripts/BENCHMARKS.md).

Here the words stay as Pagefind wrote them, in the same order; only the cut changes: a chunk closes once
its words would pass `TARGET` bytes compressed, so a common word gets a chunk of its own and a search
for it downloads little else. The cut depends only on the words, not on Pagefind's chunks, so
regrouping a regrouped index changes nothing (the build is reproducible). A chunk is
`[[word entry, …]]`; the metadata lists each chunk as `[from, last word, file name]` (`regroup`: from).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

# About the size of Pagefind's chunks at a few hundred pages; small enough that a search for a rare
# word costs little, large enough that a site of 10,000 tasks has a few hundred files per language.
TARGET = 12_000
# The most bytes of a word and the words that start with it that are kept in one chunk. A word whose
# family weighs more is the last of its chunk: a search for it finds that word alone (scripts/BENCHMARKS.md).
FAMILY = 40_000


def regroup(words: Sequence[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """`words` (each word and its entry's CBOR, as Pagefind wrote it) cut into chunks: (first word or
    the shortest start of it that sorts after the previous chunk, last word, the chunk's CBOR) for
    each, in order. The entries are copied, never encoded again.

    Pagefind looks a search term up in the first chunk whose range holds it and finds there the words
    that start with it. In Vietnamese every syllable is a word, and a complete syllable should find
    itself (its tone and diacritic variants are folded into it already), not every longer syllable
    that starts with it: `thu` (thu, thủ, thư …) is not `thực`, `thường`, `thuộc`. So a word whose
    family (itself and the words that start with it) weighs more than FAMILY closes its chunk and its
    longer syllables go to the next chunks; a smaller family stays whole in one chunk, so that a search
    for a short word still finds its rare continuations. Likewise a partly typed syllable, which is no
    word (`thuo`), finds the syllables that start with it (thuoc, thuong) when they are few enough to be
    kept in one chunk, and lands in that chunk (see `_lower_bounds`)."""
    unique = dict(words)
    ordered = sorted(unique)  # Rust's order of strings: by code point
    weight = {word: len(zlib.compress(unique[word], 6)) for word in ordered}
    family = _families(ordered, weight)
    groups: list[list[str]] = []
    size = TARGET
    index, previous = 0, ""
    while index < len(ordered):
        word = ordered[index]
        unit, closes = [word], True
        # The shortest start of this word that no earlier word has, whose family is small enough to keep
        # together: a term typed as far as it finds all its continuations in one chunk.
        for length in range(_common(previous, word) + 1, len(word) + 1):
            if family[word[:length]] <= FAMILY:
                stem = word[:length]
                end = index
                while end < len(ordered) and ordered[end].startswith(stem):
                    end += 1
                unit, closes = ordered[index:end], False
                break
        unit_weight = sum(weight[w] for w in unit)
        if size + unit_weight > TARGET:
            groups.append([])
            size = 0
        groups[-1].extend(unit)
        size = TARGET if closes else size + unit_weight
        index += len(unit)
        previous = unit[-1]
    bounds = _lower_bounds([group[0] for group in groups], [group[-1] for group in groups])
    return [
        (bound, group[-1], b"\x81" + _array_head(len(group)) + b"".join(unique[word] for word in group))
        for bound, group in zip(bounds, groups, strict=True)
    ]


def _families(ordered: Sequence[str], weight: dict[str, int]) -> dict[str, int]:
    """The bytes of the words that start with each start of a word (`thu`: thu, thuc, thuong …; `thuo`:
    thuoc, thuong …)."""
    family: dict[str, int] = {}
    for word in ordered:
        for length in range(1, len(word) + 1):
            family[word[:length]] = family.get(word[:length], 0) + weight[word]
    return family


def _common(one: str, other: str) -> int:
    """The length of the start two words share."""
    length = 0
    while length < min(len(one), len(other)) and one[length] == other[length]:
        length += 1
    return length


def _lower_bounds(firsts: Sequence[str], lasts: Sequence[str]) -> list[str]:
    """Each chunk's `from`: the shortest start of its first word that sorts after the previous chunk's
    last word. A term between two chunks that starts the next chunk's first word (a partly typed
    `thuo` between `thun` and `thuoc`) is then held by that chunk, which holds the words that start
    with it; a term between two chunks that no word starts with finds nothing, as it should, instead of
    Pagefind finding no chunk for it."""
    bounds: list[str] = []
    previous = ""
    for first, last in zip(firsts, lasts, strict=True):
        length = 1
        while first[:length] <= previous:
            length += 1
        bounds.append(first[:length])
        previous = last
    return bounds


def _array_head(length: int) -> bytes:
    """The head of a CBOR array of `length` items, as cbor2 writes it (the shortest form)."""
    if length < 24:
        return bytes([0x80 + length])
    for head, size in ((0x98, 1), (0x99, 2), (0x9A, 4)):
        if length < 1 << (8 * size):
            return bytes([head]) + length.to_bytes(size, "big")
    return b"\x9b" + length.to_bytes(8, "big")
