"""Rewrite Pagefind's filter and metadata indexes into a canonical, byte-stable form."""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import zlib
from pathlib import Path
from typing import TypeAlias

# Pagefind builds its filter values, filter list and sort list in Rust HashMap order, so two runs over
# the same site write different filter files, hence different metadata and entry files:
# https://github.com/Pagefind/pagefind/issues/638. Each index file is gzip(PREFIX + CBOR). Sorting
# by name is the order Pagefind's main branch has since adopted for filters and their values.
PREFIX = b"pagefind_dcd"

Value: TypeAlias = int | bytes | str | bool | list["Value"] | dict["Value", "Value"] | None

# Field numbers of Pagefind 1.5's `MetaIndex` (pagefind/src/index/index_metadata.rs): each struct is
# a CBOR array in field order.
META_FILTERS = 3
META_SORTS = 4


class IndexFormatError(Exception):
    """A Pagefind index file is not in the format this module understands."""


def decode(data: bytes) -> Value:
    """The one CBOR item in `data`; only the shortest, definite-length encodings Pagefind writes."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise IndexFormatError(f"{len(data) - end} bytes after the CBOR item")
    return value


def encode(value: Value) -> bytes:
    """`value` as CBOR, each length and integer in its shortest form (RFC 8949 §4.2.1)."""
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    if at >= len(data):
        raise IndexFormatError("CBOR data ends too early")
    major, info = data[at] >> 5, data[at] & 0x1F
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise IndexFormatError(f"unsupported CBOR additional information {info} at byte {at}")
    size = 1 << (info - 24)
    if at + 1 + size > len(data):
        raise IndexFormatError("CBOR data ends too early")
    argument = int.from_bytes(data[at + 1 : at + 1 + size], "big")
    if major != 7 and argument < (24 if size == 1 else 1 << (4 * size)):
        raise IndexFormatError(f"CBOR integer at byte {at} is not in its shortest form")
    return major, argument, at + 1 + size


def _decode(data: bytes, at: int) -> tuple[Value, int]:
    start = at
    major, argument, at = _head(data, at)
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        end = at + argument
        if end > len(data):
            raise IndexFormatError("CBOR data ends too early")
        chunk = data[at:end]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), end
    if major == 4:
        items: list[Value] = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping: dict[Value, Value] = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            if isinstance(key, list | dict):
                raise IndexFormatError(f"CBOR map key at byte {start} is not a scalar")
            mapping[key], at = _decode(data, at)
        return mapping, at
    if major == 7 and data[start] in _SIMPLE:
        return _SIMPLE[data[start]], at
    raise IndexFormatError(f"unsupported CBOR item 0x{data[start]:02x} at byte {start}")


_SIMPLE: dict[int, Value] = {0xF4: False, 0xF5: True, 0xF6: None}


def _put_head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
    elif argument < 1 << 8:
        out += struct.pack(">BB", major << 5 | 24, argument)
    elif argument < 1 << 16:
        out += struct.pack(">BH", major << 5 | 25, argument)
    elif argument < 1 << 32:
        out += struct.pack(">BI", major << 5 | 26, argument)
    else:
        out += struct.pack(">BQ", major << 5 | 27, argument)


def _encode(value: Value, out: bytearray) -> None:
    if value is None or isinstance(value, bool):  # before int: bool is an int
        out.append({False: 0xF4, True: 0xF5, None: 0xF6}[value])
    elif isinstance(value, int):
        if value >= 0:
            _put_head(0, value, out)
        else:
            _put_head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _put_head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _put_head(3, len(raw), out)
        out += raw
    elif isinstance(value, list):
        _put_head(4, len(value), out)
        for item in value:
            _encode(item, out)
    else:
        _put_head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)


def read_index(path: Path) -> Value:
    """The CBOR content of one Pagefind index file (`.pf_meta`, `.pf_filter`, …)."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise IndexFormatError(f"{path}: {error}") from error
    if not raw.startswith(PREFIX):
        raise IndexFormatError(f"{path}: expected gzip of {PREFIX!r} + CBOR, found {raw[:16]!r}")
    try:
        return decode(raw[len(PREFIX) :])
    except (IndexFormatError, UnicodeDecodeError) as error:
        raise IndexFormatError(f"{path}: {error}") from error


def write_index(path: Path, content: bytes) -> None:
    """Write CBOR `content` as Pagefind does, with a gzip header that never varies (no name, no time)."""
    data = PREFIX + content
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    # Built by hand: gzip.compress's OS byte differs between Python versions. XFL 2 = best compression.
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    path.write_bytes(header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))


def canonicalize(bundle: Path) -> None:
    """Rewrite the filter and metadata indexes in `bundle` (Pagefind's output folder) sorted and renamed by content."""
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
    """Rewrite one language's metadata index and its filter indexes; return the metadata's new hash."""
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
        filters[name] = (record, encode(index))
        replaced.append(path)

    written: dict[Path, bytes] = {}
    taken: set[str] = set()
    for name in sorted(filters):
        record, content = filters[name]
        record[1] = file_hash = _content_name(language, content, 7, taken)
        written[bundle / "filter" / f"{file_hash}.pf_filter"] = content
    meta[META_FILTERS] = [filters[name][0] for name in sorted(filters)]
    meta[META_SORTS] = [record for _, record in sorted(_named(meta[META_SORTS], meta_path), key=_first)]
    content = encode(meta)
    new_hash = _content_name(language, content, len(language) + 8, set())
    written[bundle / f"pagefind.{new_hash}.pf_meta"] = content

    # Delete every old file before writing: a new name may equal another file's old name.
    for path in replaced:
        path.unlink()
    for path, content in written.items():
        write_index(path, content)
    return new_hash


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
