"""Regroup Pagefind's word index into small chunks, so that a search downloads little more than its own words.

Pagefind cuts a language's sorted word list into chunks of roughly equal word counts and a search
downloads every chunk whose range holds one of its words (or words starting with it). In Vietnamese a
few syllables (`chinh`, `hanh`, `so`, `vu` …) occur on nearly every page, so a chunk that holds one of
them weighs 200–300 kB at 10,000 tasks although the word searched for is 15–40 kB of it: `thu tuc hanh
chinh` downloaded 783 kB of chunks for about 136 kB of its own words (scripts/BENCHMARKS.md).

Here the words stay as Pagefind wrote them, in the same order; only the cut changes: a chunk closes once
its words would pass `TARGET` bytes compressed, so a common word gets a chunk of its own (with the words
that start with it, which a search for it also finds) and a search for it downloads little else. The cut depends only on the words,
not on Pagefind's chunks, so regrouping a regrouped index changes nothing (the build is reproducible).
A chunk is `[[word entry, …]]`; the metadata lists each chunk as `[first word, last word, file name]`.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

# About the size of Pagefind's chunks at a few hundred pages; small enough that a search for a rare
# word costs little, large enough that a site of 10,000 tasks has a few hundred files per language.
TARGET = 12_000
# The most bytes of a word and the words that start with it that are kept in one chunk.
FAMILY = 96_000


def regroup(words: Sequence[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """`words` (each word and its entry's CBOR, as Pagefind wrote it) cut into chunks: (first word, last
    word, the chunk's CBOR) for each, in order. The entries are copied, never encoded again."""
    unique = dict(words)
    groups: list[list[str]] = []
    size = TARGET
    stems: list[tuple[str, int]] = []  # the words so far that this word starts with, and their families' bytes
    for word in sorted(unique):  # Rust's order of strings: by code point
        weight = len(zlib.compress(unique[word], 6))
        while stems and not word.startswith(stems[-1][0]):
            stems.pop()
        # Pagefind looks a search term up in one chunk only and finds there the words that start with
        # it, so a word stays with the nearest shorter word it starts with (`thuc` with `thu`), unless
        # that family passes FAMILY, or that word is one letter: a one-letter word starts thousands of
        # others, and keeping them had put `hanh` (31 kB at 10,000 tasks) in a 123 kB chunk of `h`, `ha`,
        # `han`, `hien`, `hoach` … that a search for `hanh` downloaded (scripts/BENCHMARKS.md).
        keep = bool(stems) and len(stems[-1][0]) > 1 and stems[-1][1] + weight <= FAMILY
        if size + weight > TARGET and not keep:
            groups.append([])
            size = 0
        groups[-1].append(word)
        size += weight
        stems = [(stem, family + weight) for stem, family in stems]
        stems.append((word, weight))
    return [
        (group[0], group[-1], b"\x81" + _array_head(len(group)) + b"".join(unique[word] for word in group))
        for group in groups
    ]


def _array_head(length: int) -> bytes:
    """The head of a CBOR array of `length` items, as cbor2 writes it (the shortest form)."""
    if length < 24:
        return bytes([0x80 + length])
    for head, size in ((0x98, 1), (0x99, 2), (0x9A, 4)):
        if length < 1 << (8 * size):
            return bytes([head]) + length.to_bytes(size, "big")
    return b"\x9b" + length.to_bytes(8, "big")
