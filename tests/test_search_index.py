"""What the built site's Vietnamese search index holds for a task page: its own text, number, agencies,
deadline and the plan's decision number; not the wording every task page repeats (the heading's
"Nhiệm vụ", the citation's "Kế hoạch ban hành kèm theo Quyết định số …", the field labels, the status
sentence, the last-updated line), which made every first search download it (scripts/BENCHMARKS.md)."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import cbor2
import pytest

PREFIX = b"pagefind_dcd"


def _read(path: Path) -> object:
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(PREFIX) :])


@cache
def _pages_by_word(bundle: Path) -> dict[str, set[str]]:
    """Each indexed word (as searched: without tone marks) and the URLs of the pages it is indexed on."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = _read(bundle / f"pagefind.{entry['languages']['vi']['hash']}.pf_meta")
    assert isinstance(meta, list)
    urls = []
    for fragment, _ in meta[1]:
        raw = gzip.decompress((bundle / "fragment" / f"{fragment}.pf_fragment").read_bytes())
        urls.append(json.loads(raw[len(PREFIX) :])["url"])
    words: dict[str, set[str]] = {}
    for _, _, name in meta[2]:
        chunk = _read(bundle / "index" / f"{name}.pf_index")
        assert isinstance(chunk, list)
        for word, pages, variants in chunk[0]:
            found = words.setdefault(word, set())
            for postings in [pages, *(p for _, p in variants)]:
                number = 0
                for delta, _, _ in postings:  # page numbers are stored as differences
                    number += delta
                    found.add(urls[number])
    return words


def words_of(site: Path, url: str) -> set[str]:
    return {word for word, urls in _pages_by_word(site / "pagefind").items() if url in urls}


TASK = "/ke-hoach/hai-phong-2021/3/"  # "Xây dựng Báo cáo xác định chỉ số cải cách hành chính năm 2020 …"


@pytest.mark.parametrize(
    "words",
    [
        pytest.param(
            {"xay", "dung", "bao", "cao", "chi", "so", "cai", "cach", "hanh", "chinh", "2020", "ubnd"}, id="text"
        ),
        pytest.param({"3"}, id="number"),
        pytest.param({"noi", "vu"}, id="lead agency, Sở Nội vụ"),
        pytest.param({"nganh", "lien", "quan"}, id="coordinating agencies"),
        pytest.param({"theo", "yeu", "cau"}, id="deadline, Theo yêu cầu của Bộ Nội vụ"),
        pytest.param({"3943"}, id="the plan's decision number"),
        pytest.param({"chi", "đao", "đieu", "hanh", "kiem", "tra", "tuyen", "truyen"}, id="task group"),
    ],
)
def test_a_task_is_found_by_its_own_words(site: Path, words: set[str]) -> None:
    assert words <= words_of(site, TASK), words - words_of(site, TASK)


def test_the_wording_every_task_page_repeats_is_not_indexed(site: Path) -> None:
    # None of these words is in task 3's own text, agencies, deadline or group.
    boilerplate = {
        "nhiem",  # heading "Nhiệm vụ 3", status "… cho nhiệm vụ này."
        "muc", "kem", "quyet",  # citation ("kế hoạch", "ban", "định" are in task 3's own words)
        "ghi",  # "Ghi trong kế hoạch:"
        "nghia",  # "Nghĩa là:"
        "tien", "do", "cong",  # "Chưa có báo cáo tiến độ nào được công bố …"
        "lan", "cuoi", "lich", "su", "thay", "doi",  # "Cập nhật lần cuối … (lịch sử thay đổi)"
        "29",  # the decision's date
        "nhung", "iframe", "width", "style",  # the embed snippet: "Nhúng …", <iframe … width=… style=…>
    }  # fmt: skip
    assert not boilerplate & words_of(site, TASK), boilerplate & words_of(site, TASK)


def test_a_decision_number_finds_every_task_of_its_plan(site: Path) -> None:
    words = _pages_by_word(site / "pagefind")
    plan = {url for urls in words.values() for url in urls if url.startswith("/ke-hoach/hai-phong-2021/")}
    assert len(plan) > 30
    assert words["3943"] == plan
