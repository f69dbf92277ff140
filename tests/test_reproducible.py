"""The same commit builds byte-identical output, Pagefind's index included; cbor2 reads and writes its CBOR as Pagefind does."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import cbor2
import pytest

import generator.publish.build
from generator.publish.stable_index import (
    FRAGMENT_DIGITS,
    ORDERS,
    PREFIX,
    IndexFormatError,
    Value,
    canonicalize,
    page_orders,
    read_index,
    read_words,
    shorten_fragments,
    write_index,
)

from .conftest import ROOT


def tree(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Two builds of a fresh clone of HEAD, and the first build's index as Pagefind wrote it."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout, so there is no commit to clone and build twice")
    work = tmp_path_factory.mktemp("reproducible")
    clone, first, second, raw = work / "clone", work / "first", work / "second", work / "raw"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)

    def keep_raw(bundle: Path) -> None:
        shutil.copytree(bundle, raw)
        canonicalize(bundle)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.publish.build, "canonicalize", keep_raw)
        generator.publish.build.build_site(clone, first)
    time.sleep(1.1)  # whatever is dated by the clock now differs between the builds
    generator.publish.build.build_site(clone, second)
    return first, second, raw


def test_the_same_commit_builds_byte_identical_sites(builds: tuple[Path, Path, Path]) -> None:
    first, second = tree(builds[0]), tree(builds[1])
    only = sorted(set(first) ^ set(second))
    assert not only, f"{len(only)} files exist in one build only: {only[:10]}"
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"{len(differing)} files differ between two builds of the same commit: {differing[:10]}"


def test_cbor2_writes_back_every_index_file_pagefind_writes(builds: tuple[Path, Path, Path]) -> None:
    """The rewrite re-encodes with cbor2: its plain encoding is Pagefind's, byte for byte, for every kind of index file."""
    files = [f for f in sorted(builds[2].rglob("*.pf_*")) if f.suffix in (".pf_meta", ".pf_filter", ".pf_index")]
    assert {f.suffix for f in files} == {".pf_meta", ".pf_filter", ".pf_index"}
    for file in files:
        content = gzip.decompress(file.read_bytes())[len(PREFIX) :]
        assert cbor2.dumps(cbor2.loads(content)) == content, file.name


def fragment(bundle: Path, name: str) -> bytes:
    return gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())


def search_data(bundle: Path) -> dict[str, Any]:
    """What a search can return from `bundle`, without file names or the order of unordered things."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    data: dict[str, Any] = {"entry": {**entry, "languages": None}}
    for language, info in entry["languages"].items():
        meta = read_index(bundle / f"pagefind.{info['hash']}.pf_meta")
        assert isinstance(meta, list)
        filters = {}
        for name, file_hash in meta[3]:
            name_again, values = read_index(bundle / "filter" / f"{file_hash}.pf_filter")
            assert name_again == name
            filters[name] = dict(values)
            assert len(filters[name]) == len(values), f"{name}: a value twice"
        # The sort orders move to a file of their own (stable_index.ORDERS), each page named by its fragment.
        orders = bundle / ORDERS.format(language=language)
        if meta[4]:
            assert not orders.exists()
            sorts = {name: [fragment(bundle, meta[1][n][0]) for n in pages] for name, pages in meta[4]}
        else:
            lists = json.loads(orders.read_text(encoding="utf-8"))
            sorts = {name: [fragment(bundle, page) for page in pages] for name, pages in lists.items()}
        # The word index is regrouped into other chunks (generator/publish/index_chunks.py): the same words.
        words = {}
        for _, _, chunk_hash in meta[2]:
            (entries,) = read_index(bundle / "index" / f"{chunk_hash}.pf_index")
            words.update({entry[0]: entry for entry in entries})
        data[language] = {
            **info,
            "hash": None,
            # Fragments are renamed (shorter names): each page by its fragment's content instead.
            "meta": [meta[0], [[fragment(bundle, name), count] for name, count in meta[1]], *meta[5:]],
            "words": words,
            "filters": filters,
            "sorts": sorts,
        }
    return data


def test_the_stable_index_holds_what_pagefind_wrote(builds: tuple[Path, Path, Path]) -> None:
    built, raw = builds[0] / "pagefind", builds[2]
    assert search_data(built) == search_data(raw)
    assert search_data(built)["vi"]["filters"]["city"]  # the comparison covered filters
    assert len(search_data(built)["vi"]["sorts"]["number"]) > 100  # and the sort orders


def test_canonicalize_is_idempotent(builds: tuple[Path, Path, Path], tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    shutil.copytree(builds[2], bundle)
    canonicalize(bundle)
    assert tree(bundle) == tree(builds[0] / "pagefind")
    canonicalize(bundle)
    assert tree(bundle) == tree(builds[0] / "pagefind")


def test_sort_orders_name_the_pages_by_their_fragments() -> None:
    pages: Value = [["vi_aaaa", 3], ["vi_bbbb", 5], ["vi_cccc", 1]]
    orders = page_orders([["number", [2, 0, 1]], ["deadline", [1, 2, 0]]], pages, Path("m.pf_meta"))
    assert orders == {"number": ["vi_cccc", "vi_aaaa", "vi_bbbb"], "deadline": ["vi_bbbb", "vi_cccc", "vi_aaaa"]}
    with pytest.raises(IndexFormatError, match=r"m\.pf_meta: sort 'number' is not a list of page numbers"):
        page_orders([["number", [3]]], pages, Path("m.pf_meta"))


def index_file(folder: Path, cbor: str) -> Path:
    path = folder / "pagefind.vi_0000000.pf_meta"
    write_index(path, bytes.fromhex(cbor))
    return path


def test_read_index_reads_what_pagefind_writes(tmp_path: Path) -> None:
    value: Value = [["en_1a2b3c4", 157], {"a": None, "b": True}, b"\x01", "Sở", -25, 2**32]
    assert read_index(index_file(tmp_path, cbor2.dumps(value).hex())) == value


@pytest.mark.parametrize(
    ("cbor", "problem"),
    [
        ("1817", "does not read back byte for byte"),  # 23 in a longer form than needed
        ("190017", "does not read back byte for byte"),
        ("9f00ff", "does not read back byte for byte"),  # an array of unstated length
        ("0000", "does not read back byte for byte"),  # a byte after the item
        ("f93c00", "does not read back byte for byte"),  # a float
        ("8200", "premature end of stream"),
        ("62c328", "error decoding text string"),  # not UTF-8
    ],
)
def test_read_index_refuses_what_it_would_not_write_back_unchanged(tmp_path: Path, cbor: str, problem: str) -> None:
    with pytest.raises(IndexFormatError, match=problem):
        read_index(index_file(tmp_path, cbor))


def test_read_words_gives_each_entry_as_pagefind_wrote_it(tmp_path: Path) -> None:
    entries: list[Value] = [["dai", [], [["đai", [[3, [-25, 7], []]]]]], ["đat", [[1, [-25, 9, 2], [-6, 4]]], []]]
    # 23 written in a longer form than cbor2 would: copied as it is, since it is never encoded again.
    odd = bytes.fromhex("82" + "63" + b"abc".hex() + "1817")
    content = bytes([0x81, 0x83]) + b"".join(cbor2.dumps(e) for e in entries) + odd
    assert read_words(index_file(tmp_path, content.hex())) == [
        ("dai", cbor2.dumps(entries[0])),
        ("đat", cbor2.dumps(entries[1])),
        ("abc", odd),
    ]


@pytest.mark.parametrize(
    ("cbor", "problem"),
    [
        ("8080", "expected an array holding one list of word entries"),
        ("81a0", "expected a list of word entries"),
        ("819fff", "expected a list of word entries"),  # an array of unstated length: not as Pagefind writes
        ("81810100", "expected a word entry starting with its word"),
        ("8181820100", "expected a word entry starting with its word"),
        ("8181816161" + "00", "bytes after the word entries"),
        ("818282616100", "premature end of stream"),
    ],
)
def test_read_words_refuses_another_layout(tmp_path: Path, cbor: str, problem: str) -> None:
    with pytest.raises(IndexFormatError, match=problem):
        read_words(index_file(tmp_path, cbor))


def test_fragment_names_are_short_and_name_every_fragment(builds: tuple[Path, Path, Path]) -> None:
    bundle = builds[0] / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    names = []
    for info in entry["languages"].values():
        meta = read_index(bundle / f"pagefind.{info['hash']}.pf_meta")
        assert isinstance(meta, list)
        names += [name for name, _ in meta[1]]
    assert {p.stem for p in (bundle / "fragment").iterdir()} == set(names)
    assert {len(name) for name in names} == {len("vi_") + FRAGMENT_DIGITS}, "Pagefind's 7 digits shortened"


def test_shortened_names_extend_where_pages_would_share_one() -> None:
    pages: list[list[Value]] = [["vi_abcd123", 5], ["vi_abcd456", 6], ["vi_abcd4ff", 7], ["vi_0000000", 8]]
    renames = shorten_fragments(pages, "vi", Path("meta"))
    assert [p[0] for p in pages] == ["vi_abcd", "vi_abcd4", "vi_abcd4f", "vi_0000"]
    assert len(renames) == 4
    assert shorten_fragments(pages, "vi", Path("meta")) == []  # run again: the same names
