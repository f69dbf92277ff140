"""The word index regrouped into small chunks (generator/publish/index_chunks.py): same words, same order, a
common word in a chunk of its own, a small family (a word and those that start with it) kept together, a
large one cut after its first word, and each partly typed word held by the chunk of its continuations."""

from __future__ import annotations

import itertools
import random
import zlib

import cbor2

from generator.publish.index_chunks import FAMILY, regroup


def entry(word: str, pages: int) -> list[object]:
    """A word entry shaped like Pagefind's: the word, then its pages with locations (random, so incompressible)."""
    rng = random.Random(word)
    return [word, [], [[word, [[rng.randrange(10**6), [-25, rng.randrange(10**6)], []] for _ in range(pages)]]]]


ENTRIES = [entry(w, n) for w, n in [
    ("a", 1200), ("an", 1200), ("bo", 3000), ("chi", 400), ("chinh", 3000), ("cho", 40), ("thi", 30), ("thu", 900), ("thuan", 80),
    ("thuc", 3000), ("thuong", 2000), ("tra", 30), ("tu", 40), ("tuc", 1500), ("xa", 20),
]]  # fmt: skip
WORDS = [(str(e[0]), cbor2.dumps(e)) for e in ENTRIES]  # as generator.publish.stable_index.read_words gives them
SIZES = {w: len(zlib.compress(e, 6)) for w, e in WORDS}


def chunk_words(chunks: list[tuple[str, str, bytes]]) -> list[list[str]]:
    return [[e[0] for e in cbor2.loads(content)[0]] for _, _, content in chunks]


def found(chunks: list[tuple[str, str, bytes]], term: str) -> list[str] | None:
    """What Pagefind finds for `term`: the words that start with it in the first chunk whose range holds
    it (pagefind_web's try_request_indexes and find_word_extensions); None when no chunk holds it."""
    for (low, high, _), words in zip(chunks, chunk_words(chunks), strict=True):
        if low <= term <= high:
            return [w for w in words if w.startswith(term)]
    return None


def test_the_test_words_have_one_large_and_one_small_family() -> None:
    assert SIZES["thu"] + SIZES["thuan"] + SIZES["thuc"] + SIZES["thuong"] > FAMILY
    assert SIZES["chi"] + SIZES["chinh"] <= FAMILY


def test_every_word_once_in_order_and_ranges_match() -> None:
    chunks = regroup(WORDS)
    words = chunk_words(chunks)
    assert [w for group in words for w in group] == [w for w, _ in WORDS]
    assert [last for _, last, _ in chunks] == [group[-1] for group in words]
    for (low, _, _), group in zip(chunks, words, strict=True):
        assert group[0].startswith(low)  # the range starts at a start of its first word …
    for (_, before, _), (low, _, _) in itertools.pairwise(chunks):
        assert before < low  # … after the previous chunk: no term is in two ranges


def test_common_words_get_small_chunks_and_small_families_stay_together() -> None:
    words = chunk_words(regroup(WORDS))
    chunk_of = {w: i for i, group in enumerate(words) for w in group}
    assert chunk_of["chinh"] == chunk_of["chi"]  # a small family: a search for chi still finds chinh
    assert chunk_of["tuc"] == chunk_of["tu"]
    assert ["bo"] in words  # a common word alone: a search for it downloads nothing else
    assert len(words) > 4  # more and smaller than Pagefind's few chunks of equal word counts
    assert all(len(g) == 1 or sum(SIZES[w] for w in g) <= FAMILY for g in words)


def test_a_complete_syllable_of_a_large_family_finds_itself_and_a_partly_typed_one_its_continuations() -> None:
    """In Vietnamese every syllable is a word: `thu` (thu, thủ, thư) is not `thực` or `thường`. A word whose
    family passes FAMILY ends its chunk, so a search for it finds it alone; a start of a syllable that is
    no word still finds the syllables that start with it, in the chunk of the first of them."""
    chunks = regroup(WORDS)
    assert found(chunks, "thu") == ["thu"]
    assert found(chunks, "thuc") == ["thuc"]
    assert found(chunks, "thuo") == ["thuong"]  # between the chunks of thuc and thuong: held by thuong's
    assert found(chunks, "thua") == ["thuan"]
    assert found(chunks, "chi") == ["chi", "chinh"]
    assert found(chunks, "ch") == ["chi", "chinh", "cho"]  # a small family of a partly typed word: all of it
    assert found(chunks, "th")  # a large one: those in the first chunk that holds it (one chunk a term)
    assert found(chunks, "tu") == ["tu", "tuc"]
    assert found(chunks, "a") == ["a", "an"]  # a small family, even of a one-letter word
    assert found(chunks, "xa") == ["xa"]
    for word, _ in WORDS:  # every start of every word finds at least the first word that starts with it
        assert all(found(chunks, word[:n]) for n in range(1, len(word) + 1)), word
    for term in ("bz", "thuz", "zz"):  # no word starts with it: whatever chunk Pagefind loads, nothing found
        assert not found(chunks, term)


def test_regrouping_regrouped_chunks_changes_nothing() -> None:
    chunks = regroup(WORDS)
    again = regroup([(e[0], cbor2.dumps(e)) for _, _, content in chunks for e in cbor2.loads(content)[0]])
    assert again == chunks
    assert regroup(list(reversed(WORDS))) == chunks  # the input's order does not matter either
