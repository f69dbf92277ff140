"""The word index regrouped into small chunks (generator/publish/index_chunks.py): same words, same order, a
common word in a chunk of its own, a word kept with the shorter words it starts with."""

from __future__ import annotations

import random

import cbor2

from generator.publish.index_chunks import FAMILY, TARGET, regroup


def entry(word: str, pages: int) -> list[object]:
    """A word entry shaped like Pagefind's: the word, then its pages with locations (random, so incompressible)."""
    rng = random.Random(word)
    return [word, [], [[word, [[rng.randrange(10**6), [-25, rng.randrange(10**6)], []] for _ in range(pages)]]]]


ENTRIES = [entry(w, n) for w, n in [
    ("a", 1200), ("an", 1200), ("bo", 3000), ("chi", 400), ("chinh", 3000), ("cho", 40), ("thi", 30), ("thu", 900), ("thuan", 80),
    ("thuc", 900), ("thuong", 600), ("tra", 30), ("tu", 40), ("tuc", 1500), ("xa", 20),
]]  # fmt: skip
WORDS = [(str(e[0]), cbor2.dumps(e)) for e in ENTRIES]  # as generator.publish.stable_index.read_words gives them


def chunk_words(chunks: list[tuple[str, str, bytes]]) -> list[list[str]]:
    return [[e[0] for e in cbor2.loads(content)[0]] for _, _, content in chunks]


def test_every_word_once_in_order_and_ranges_match() -> None:
    chunks = regroup(WORDS)
    words = chunk_words(chunks)
    assert [w for group in words for w in group] == [w for w, _ in WORDS]
    assert [(first, last) for first, last, _ in chunks] == [(group[0], group[-1]) for group in words]


def test_common_words_get_small_chunks_and_families_stay_together() -> None:
    words = chunk_words(regroup(WORDS))
    chunk_of = {w: i for i, group in enumerate(words) for w in group}
    assert chunk_of["thu"] == chunk_of["thuc"] == chunk_of["thuong"] == chunk_of["thuan"]  # a search for thu finds them
    assert chunk_of["chinh"] == chunk_of["chi"]
    assert chunk_of["an"] != chunk_of["a"]  # but not with a one-letter word, which starts too many others
    assert ["bo"] in words  # a common word alone: a search for it downloads nothing else
    assert len(words) > 4  # more and smaller than Pagefind's few chunks of equal word counts
    sizes = {w: len(e) for w, e in WORDS}
    assert all(len(g) == 1 or sum(sizes[w] for w in g) < FAMILY + TARGET for g in words)


def test_regrouping_regrouped_chunks_changes_nothing() -> None:
    chunks = regroup(WORDS)
    again = regroup([(e[0], cbor2.dumps(e)) for _, _, content in chunks for e in cbor2.loads(content)[0]])
    assert again == chunks
    assert regroup(list(reversed(WORDS))) == chunks  # the input's order does not matter either
