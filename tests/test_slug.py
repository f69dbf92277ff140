"""Slugs are ASCII, map đ to d, drop tone marks and never lose a letter."""

from __future__ import annotations

import pytest

from generator.base.slug import fold, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đất đai", "dat-dai"),
        ("Sở Nội vụ", "so-noi-vu"),
        ("Bưu chính công ích", "buu-chinh-cong-ich"),
        ("Quý IV/2021", "quy-iv-2021"),
        ("Văn phòng Đoàn ĐBQH, HĐND và UBND", "van-phong-doan-dbqh-hdnd-va-ubnd"),
        ("Nghị định 61/2018/NĐ-CP", "nghi-dinh-61-2018-nd-cp"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_fold_keeps_every_letter() -> None:
    assert fold("Đường phố Hải Phòng") == "Duong pho Hai Phong"
