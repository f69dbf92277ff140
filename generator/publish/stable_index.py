"""Rewrite Pagefind's filter, word and metadata indexes into a canonical, byte-stable form (the word index regrouped into small chunks)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import struct
import zlib
from pathlib import Path
from typing import TypeAlias

import cbor2

from generator.publish.index_chunks import regroup

# Pagefind builds its filter values, filter list and sort list in Rust HashMap order, so two runs over
# the same site write different filter files, hence different metadata and entry files:
# https://github.com/Pagefind/pagefind/issues/638. Each index file is gzip(PREFIX + CBOR). Sorting
# by name is the order Pagefind's main branch has since adopted for filters and their values.
PREFIX = b"pagefind_dcd"

# What Pagefind's index files hold: plain CBOR, which cbor2 reads and writes as these Python values.
Value: TypeAlias = int | bytes | str | bool | list["Value"] | dict["Value", "Value"] | None

# Hex digits of a page's fragment name (Pagefind writes 7): the page list, one name per page, is part of the
# metadata every first search downloads, and at 10,000 tasks the 3 digits less make it 18 kB smaller
# (64 → 46 kB gzip: scripts/BENCHMARKS.md). Still the start of the fragment's content hash, made longer
# where two pages would share it, so a changed page gets a new name (but for one chance in 65,536) and no
# browser keeps an old fragment under it.
FRAGMENT_DIGITS = 4

# Field numbers of Pagefind 1.5's `MetaIndex` (pagefind/src/index/index_metadata.rs): each struct is
# a CBOR array in field order.
META_PAGES = 1
META_CHUNKS = 2
META_FILTERS = 3
META_SORTS = 4


# The sort orders (`data-pagefind-sort`) are moved out of the metadata, which every first search
# downloads (42 kB gzip at 10,000 tasks), into a file of their own per language that the finder fetches
# only when it shows results in an order: the list without a query, or a sort the reader chose
# (theme/assets/finder.js; scripts/BENCHMARKS.md). Each order: the pages' fragment names (Pagefind's
# result ids), first to last.
ORDERS = "orders.{language}.json"


class IndexFormatError(Exception):
    """A Pagefind index file is not in the format this module understands."""


def _unzipped(path: Path) -> bytes:
    """A Pagefind file's bytes, gunzipped, checked to start with PREFIX (the CBOR follows it)."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise IndexFormatError(f"{path}: {error}") from error
    if not raw.startswith(PREFIX):
        raise IndexFormatError(f"{path}: expected gzip of {PREFIX!r} + CBOR, found {raw[:16]!r}")
    return raw


def read_index(path: Path) -> Value:
    """The CBOR content of one Pagefind index file (`.pf_meta`, `.pf_filter`, …).

    Only content that cbor2 writes back byte for byte is accepted: so the rewrite changes nothing but
    the order and the names, and a future Pagefind that writes CBOR some other way (a float, a tag,
    a longer form of a length) is refused here rather than quietly re-encoded.
    """
    raw = _unzipped(path)
    content = raw[len(PREFIX) :]
    try:
        value: Value = cbor2.loads(content)
        again = cbor2.dumps(value)
    except cbor2.CBORError as error:
        raise IndexFormatError(f"{path}: {error}") from error
    if again != content:
        raise IndexFormatError(f"{path}: CBOR that does not read back byte for byte (not as Pagefind 1.5 writes it)")
    return value


def read_words(path: Path) -> list[tuple[str, bytes]]:
    """The word entries of one Pagefind word-index chunk (`.pf_index`: an array holding one array of
    entries, each starting with its word): each word and its entry's CBOR exactly as Pagefind wrote it.

    The entries are only regrouped, never encoded again, so unlike `read_index` this needs no check that
    cbor2 writes them back unchanged (that check, an encoding of every chunk, cost most of the rewrite's
    time at 10,000 tasks: scripts/BENCHMARKS.md).
    """
    raw = _unzipped(path)
    stream = io.BytesIO(raw)
    stream.seek(len(PREFIX))
    if stream.read(1) != b"\x81":
        raise IndexFormatError(f"{path}: expected an array holding one list of word entries")
    count = _array_length(stream, path)
    decoder = cbor2.CBORDecoder(stream)
    words: list[tuple[str, bytes]] = []
    for _ in range(count):
        start = stream.tell()
        try:
            entry = decoder.decode()
        except cbor2.CBORError as error:
            raise IndexFormatError(f"{path}: {error}") from error
        if not isinstance(entry, list) or not entry or not isinstance(entry[0], str):
            raise IndexFormatError(f"{path}: expected a word entry starting with its word, found {entry!r:.80}")
        words.append((entry[0], raw[start : stream.tell()]))
    if stream.tell() != len(raw):
        raise IndexFormatError(f"{path}: {len(raw) - stream.tell()} bytes after the word entries")
    return words


def _array_length(stream: io.BytesIO, path: Path) -> int:
    """The length in a definite CBOR array head (major type 4), read from `stream`."""
    head = stream.read(1)
    if not head or head[0] >> 5 != 4 or head[0] & 0x1F > 27:
        raise IndexFormatError(f"{path}: expected a list of word entries, found {head!r}")
    info = head[0] & 0x1F
    if info < 24:
        return info
    size = 1 << (info - 24)
    data = stream.read(size)
    if len(data) != size:
        raise IndexFormatError(f"{path}: truncated")
    return int.from_bytes(data, "big")


def write_index(path: Path, content: bytes) -> None:
    """Write CBOR `content` as Pagefind does, with a gzip header that never varies (no name, no time)."""
    data = PREFIX + content
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    # Built by hand: gzip.compress's OS byte differs between Python versions. XFL 2 = best compression.
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    path.write_bytes(header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))


def canonicalize(bundle: Path) -> None:
    """Rewrite the filter and metadata indexes in `bundle` (Pagefind's output folder) sorted and renamed by
    content; the sort orders move from the metadata to the ORDERS files."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict) or not all(
        isinstance(info, dict) and isinstance(info.get("hash"), str) for info in languages.values()
    ):
        raise IndexFormatError(f"{entry_path}: expected 'languages', each with a 'hash'")
    for language in sorted(languages):
        languages[language]["hash"] = _canonical_language(bundle, language, languages[language]["hash"])
    entry["languages"] = dict(sorted(languages.items()))
    # As serde_json writes it: compact, UTF-8, fields in Pagefind's order.
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _canonical_language(bundle: Path, language: str, meta_hash: str) -> str:
    """Rewrite one language's metadata index, its word index and its filter indexes; return the metadata's new hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_index(meta_path)
    if not isinstance(meta, list) or len(meta) <= META_SORTS:
        raise IndexFormatError(f"{meta_path}: expected an array of at least {META_SORTS + 1} fields")
    replaced = [meta_path]
    filters: dict[str, tuple[list[Value], bytes]] = {}  # name: (its record in the metadata, its new content)
    for name, record in _named(meta[META_FILTERS], meta_path):
        if not isinstance(record[1], str):
            raise IndexFormatError(f"{meta_path}: filter {name!r} has no file hash, found {record[1]!r:.80}")
        path = bundle / "filter" / f"{record[1]}.pf_filter"
        index = read_index(path)
        if not isinstance(index, list) or len(index) < 2:
            raise IndexFormatError(f"{path}: expected an array of a filter name and its values")
        index[1] = [value for _, value in sorted(_named(index[1], path), key=_first)]
        filters[name] = (record, cbor2.dumps(index))
        replaced.append(path)

    written: dict[Path, bytes] = {}
    taken: set[str] = set()
    words: list[tuple[str, bytes]] = []
    records = meta[META_CHUNKS]
    if not isinstance(records, list):
        raise IndexFormatError(f"{meta_path}: expected a list of index chunks, found {records!r:.80}")
    for item in records:
        if not isinstance(item, list) or len(item) != 3 or not isinstance(item[2], str):
            raise IndexFormatError(f"{meta_path}: expected an index chunk [from, to, hash], found {item!r:.80}")
        path = bundle / "index" / f"{item[2]}.pf_index"
        words += read_words(path)
        replaced.append(path)
    chunks: list[Value] = []
    for first, last, content in regroup(words):  # generator/publish/index_chunks.py: why
        file_hash = _content_name(language, content, 7, taken)
        chunks.append([first, last, file_hash])
        written[bundle / "index" / f"{file_hash}.pf_index"] = content
    meta[META_CHUNKS] = chunks
    taken = set()
    for name in sorted(filters):
        record, content = filters[name]
        record[1] = file_hash = _content_name(language, content, 7, taken)
        written[bundle / "filter" / f"{file_hash}.pf_filter"] = content
    meta[META_FILTERS] = [filters[name][0] for name in sorted(filters)]
    sorts = [record for _, record in sorted(_named(meta[META_SORTS], meta_path), key=_first)]
    renames = shorten_fragments(meta[META_PAGES], language, meta_path)
    if sorts:  # run again on a canonical bundle, the metadata has none and the orders file stays as it is
        written_orders = json.dumps(page_orders(sorts, meta[META_PAGES], meta_path), separators=(",", ":"))
        (bundle / ORDERS.format(language=language)).write_text(written_orders, encoding="utf-8")
    meta[META_SORTS] = []
    content = cbor2.dumps(meta)
    new_hash = _content_name(language, content, len(language) + 8, set())
    written[bundle / f"pagefind.{new_hash}.pf_meta"] = content

    # Delete every old file before writing: a new name may equal another file's old name.
    for path in replaced:
        path.unlink()
    for path, content in written.items():
        write_index(path, content)
    for old, new in renames:  # a new name is never another page's old one: see shorten_fragments
        (bundle / "fragment" / f"{old}.pf_fragment").rename(bundle / "fragment" / f"{new}.pf_fragment")
    return new_hash


def page_orders(sorts: list[list[Value]], pages: Value, path: Path) -> dict[str, list[str]]:
    """Each sort order of the metadata (`[name, [page number, …]]`) as the pages' fragment names in that order."""
    if not isinstance(pages, list):
        raise IndexFormatError(f"{path}: expected a list of pages, found {pages!r:.80}")
    orders: dict[str, list[str]] = {}
    for record in sorts:
        name, numbers = record[0], record[1]
        if not isinstance(numbers, list) or not all(isinstance(n, int) and 0 <= n < len(pages) for n in numbers):
            raise IndexFormatError(f"{path}: sort {name!r} is not a list of page numbers, found {numbers!r:.80}")
        orders[str(name)] = [str(pages[n][0]) for n in numbers]  # type: ignore[index]
    return orders


def shorten_fragments(pages: Value, language: str, path: Path) -> list[tuple[str, str]]:
    """Give the pages of the metadata's page list (`[fragment name, word count]` each) names of
    FRAGMENT_DIGITS hex digits, the start of Pagefind's own, one more digit at a time where an earlier page
    has it; return the (old, new) names that changed. On Pagefind's names (7 digits, unique) a new name is
    never another page's old one: it is shorter, or this page's own. Run again on these names, it gives
    the same names (the page order does not change) and renames nothing."""
    if not isinstance(pages, list):
        raise IndexFormatError(f"{path}: expected a list of pages, found {pages!r:.80}")
    prefix = f"{language}_"
    taken: set[str] = set()
    renames: list[tuple[str, str]] = []
    for page in pages:
        if not isinstance(page, list) or not page or not isinstance(page[0], str) or not page[0].startswith(prefix):
            raise IndexFormatError(f"{path}: expected a page [{prefix}…, word count], found {page!r:.80}")
        old = page[0]
        length = len(prefix) + FRAGMENT_DIGITS
        while old[:length] in taken and length < len(old):
            length += 1
        if old[:length] in taken:
            raise IndexFormatError(f"{path}: two pages named {old}")
        taken.add(old[:length])
        page[0] = old[:length]
        if page[0] != old:
            renames.append((old, page[0]))
    return renames


def _named(value: Value, path: Path) -> list[tuple[str, list[Value]]]:
    """`value`, a list of Pagefind records whose first field is a unique name, as (name, record) pairs."""
    if not isinstance(value, list):
        raise IndexFormatError(f"{path}: expected a list of records, found {value!r:.80}")
    pairs: list[tuple[str, list[Value]]] = []
    for record in value:
        if not isinstance(record, list) or len(record) < 2 or not isinstance(record[0], str):
            raise IndexFormatError(f"{path}: expected a record starting with a name, found {record!r:.80}")
        pairs.append((record[0], record))
    if len({name for name, _ in pairs}) != len(pairs):  # sorting by name alone would then keep HashMap order
        raise IndexFormatError(f"{path}: two records share a name")
    return pairs


def _first(pair: tuple[str, list[Value]]) -> str:
    return pair[0]


def _content_name(language: str, content: bytes, digits: int, taken: set[str]) -> str:
    """A file name in Pagefind's shape, `<language>_<hex digits of the content's SHA-1>`, unique within `taken`."""
    digest = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    while (name := f"{language}_{digest[:digits]}") in taken:  # as Pagefind does on a collision
        digits += 1
    taken.add(name)
    return name
