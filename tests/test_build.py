"""End-to-end builds of the fixture site into a temp dir: pages, open data, atomic replacement."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.content.site import reserved_names

from .conftest import make_root

LANG_PAGES = ["", "ke-hoach/alpha-2021/", "ke-hoach/alpha-2021/1-a/", "linh-vuc/thu-tuc-hanh-chinh/",
              "co-quan/alpha/so-noi-vu/", "thoi-han/", "du-lieu/", "tra-cuu/", "gioi-thieu/", "thay-doi/",
              "huong-dan/"]  # fmt: skip


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            digest.update(file.relative_to(folder).as_posix().encode() + file.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_root(tmp_path_factory.mktemp("build"))
    assert main(["--root", str(root), "build"]) == 0
    return root


def test_every_page_kind_exists_in_both_languages_with_its_lang(built: Path) -> None:
    for url in LANG_PAGES:
        for prefix, lang in (("", "vi"), ("en/", "en")):
            html = (built / "site" / prefix / url / "index.html").read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in html, url
            other = "en" if lang == "vi" else "vi"
            assert f'hreflang="{other}"' in html, url


def test_hreflang_alternates_point_to_the_same_page_only(built: Path) -> None:
    for page, vi, en in (
        ("ke-hoach/alpha-2021/1-a/", "../../../ke-hoach/alpha-2021/1-a/", "../../../en/ke-hoach/alpha-2021/1-a/"),
        ("en/co-quan/alpha/so-noi-vu/", "../../../../co-quan/alpha/so-noi-vu/", "../../../co-quan/alpha/so-noi-vu/"),
    ):
        html = (built / "site" / page / "index.html").read_text(encoding="utf-8")
        alternates = re.findall(r'<link rel="alternate" hreflang[^>]*>', html)
        assert sorted(alternates) == sorted([
            f'<link rel="alternate" hreflang="vi" href="{vi}">',
            f'<link rel="alternate" hreflang="en" href="{en}">',
        ])  # fmt: skip


def test_language_switch_points_to_the_same_page(built: Path) -> None:
    html = (built / "site/ke-hoach/alpha-2021/1-a/index.html").read_text(encoding="utf-8")
    assert 'class="lang-switch__link" href="../../../en/ke-hoach/alpha-2021/1-a/" lang="en"' in html
    html = (built / "site/en/ke-hoach/alpha-2021/1-a/index.html").read_text(encoding="utf-8")
    assert 'class="lang-switch__link" href="../../../../ke-hoach/alpha-2021/1-a/" lang="vi"' in html


def test_open_data_follows_the_contract(built: Path) -> None:
    data = built / "site/data"
    plans = json.loads((data / "plans.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in plans] == ["alpha-2021"]
    plan = plans[0]
    assert plan["city"] == {"vi": "Đà Lạt", "en": "Da Lat"}
    assert plan["year"] == 2021
    assert plan["title"] == {"vi": "Kế hoạch cải cách hành chính năm 2021", "en": "2021 Administrative Reform Plan"}
    decision = {k: plan["decision"][k] for k in ("number", "date", "signer")}
    assert decision == {"number": "1/QĐ-UBND", "date": "2020-12-01", "signer": "Nguyễn Văn A"}
    # The plan-level content (generator/pages/export_plans.py), beside the ids: tests/test_datapackage.py checks it.
    assert {"purposes", "targets", "duties", "reporting_calendar", "funding", "editorial_notes"} <= set(plan)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == {p.name for p in data.glob("*.csv")}
    tasks = {t["id"]: t for t in json.loads((data / "tasks.json").read_text(encoding="utf-8"))}
    assert set(tasks["alpha-2021/1-b-1"]) == {
        "id", "plan", "number", "parent", "pillar", "title", "lead", "coordinating", "deadline", "output",
        "budget_funded", "url", "status",
    }  # fmt: skip
    sub = tasks["alpha-2021/1-b-1"]
    assert (sub["parent"], sub["pillar"], sub["lead"]) == ("alpha-2021/1-b", "chi-dao-dieu-hanh", ["alpha/so-noi-vu"])
    assert sub["deadline"] == {
        "text": {"vi": "Thường xuyên", "en": "Ongoing"},
        "kind": "ongoing",
        "start": None,
        "end": None,
    }
    assert tasks["alpha-2021/1-a"]["deadline"]["end"] == "2021-04-30"
    assert tasks["alpha-2021/2-a"]["budget_funded"] is True
    assert sub["url"] == {"vi": "/ke-hoach/alpha-2021/1-b-1/", "en": "/en/ke-hoach/alpha-2021/1-b-1/"}
    for url in sub["url"].values():
        assert (built / "site" / url.strip("/") / "index.html").exists()
    agencies = json.loads((data / "agencies.json").read_text(encoding="utf-8"))
    assert {"id": "alpha/so-noi-vu", "city": "alpha"}.items() <= agencies[0].items()


def test_csv_opens_in_excel_with_vietnamese(built: Path) -> None:
    raw = (built / "site/data/tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark makes Excel read UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    first = rows[0]
    assert first["title_vi"] == "Đánh giá, xếp hạng kết quả cải cách hành chính."
    assert first["coordinating_names_vi"] == "Sở, ban, ngành"
    assert first["deadline_end"] == "2021-04-30"


def test_source_text_schema_and_search_index_are_published(built: Path) -> None:
    site = built / "site"
    assert (site / "nguon/alpha.txt").read_text(encoding="utf-8").startswith("Số: 1/QĐ-UBND")
    assert json.loads((site / "data/schema/tasks.schema.json").read_text())["type"] == "array"
    assert (site / "pagefind/pagefind.js").exists()


def test_bad_content_leaves_the_previous_site_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    assert main(["--root", str(root), "build", "--no-search"]) == 0
    before = tree_digest(root / "site")
    tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("[so-noi-vu]", "[so-noi-vu2]", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--no-search"]) == 1
    out = capsys.readouterr().out
    assert "content/plans/alpha-2021/tasks/1.yaml:8:16: [0].lead.agencies[0]: unknown agency 'so-noi-vu2'" in out
    assert "The site was not built" in out
    assert tree_digest(root / "site") == before


def test_a_failing_mkdocs_run_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    assert main(["--root", str(root), "build", "--no-search"]) == 0
    before = tree_digest(root / "site")
    (root / "theme/main.html").write_text("{% extends 'base.html' %}{% block content %}{% endif %}")
    assert main(["--root", str(root), "build", "--no-search"]) == 1
    assert tree_digest(root / "site") == before


def test_every_folder_at_the_site_root_is_a_name_check_reserves(built: Path) -> None:
    """A hand-written page named like any of these would overwrite it: `check` must know them all."""
    pages = {file.name.split(".")[0] for file in (built / "content" / "pages").glob("*.md")}
    for folder in (built / "site", built / "site" / "en"):
        assert {entry.name for entry in folder.iterdir() if entry.is_dir()} - pages <= reserved_names(), folder
