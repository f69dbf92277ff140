"""data/datapackage.json: the frictionless library finds the real open data and the progress fixture's valid,
and finds a broken key planted in a copy; the plan-level content is in plans.json and its CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest
from frictionless import Report, validate

from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.datapackage import datapackage
from generator.pages.export import files
from generator.pages.export_plans import TABLE_COLUMNS
from generator.publish.write import write_tree

from .conftest import FIXTURES, ROOT, make_root

MOMENT = dt.datetime(2021, 12, 31, 17, 0, tzinfo=dt.UTC)


def published(root: Path) -> dict[str, bytes]:
    """The open data of the content under `root`, with its datapackage.json, as the build writes them."""
    content, problems = load_content(root)
    assert not problems
    site = Site(content)
    data = files(site)
    return {**data, "data/datapackage.json": datapackage(site, data, MOMENT, None)}


@pytest.fixture(scope="module")
def real() -> dict[str, bytes]:
    return published(ROOT)


@pytest.fixture(scope="module")
def progress(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return published(make_root(tmp_path_factory.mktemp("progress"), FIXTURES / "progress"))


def written(tmp_path: Path, data: dict[str, bytes]) -> Path:
    write_tree(tmp_path, data)
    return tmp_path / "data/datapackage.json"


def errors(report: Report) -> list[tuple[str, str]]:
    return [(kind, message) for kind, message in report.flatten(["type", "message"])]


def rows_checked(report: Report) -> dict[str, int]:
    return {task.name: task.stats.get("rows") or 0 for task in report.tasks}


def test_the_real_open_data_is_a_valid_data_package(real: dict[str, bytes], tmp_path: Path) -> None:
    report = validate(str(written(tmp_path, real)))
    assert report.valid, errors(report)
    checked = rows_checked(report)
    assert checked["tasks"] == 133
    assert checked["agencies"] == 63
    assert checked["plans"] == 2
    assert checked["task-agencies"] > checked["tasks"]  # some tasks name several agencies
    assert checked["plan-calendar"] == 4
    assert checked["plan-targets"] == 9
    assert checked["plan-purposes"] == 6  # Hải Phòng I.1 a)–e); Đà Nẵng's plan prints none
    assert checked["plan-general-tasks"] == 36  # Hải Phòng II.1: 7 headings, 9 + 4 + 4 + 4 + 7 + 4 + 4 bullets
    assert checked["plan-general-duties"] == 4  # Hải Phòng IV.1 a)–d)
    descriptor = json.loads(real["data/datapackage.json"])
    csv_files = sorted(name.removeprefix("data/") for name in real if name.endswith(".csv"))
    assert sorted(r["path"] for r in descriptor["resources"]) == csv_files, "every CSV is described"


def test_the_progress_fixture_with_reports_and_amendments_is_a_valid_data_package(
    progress: dict[str, bytes], tmp_path: Path
) -> None:
    report = validate(str(written(tmp_path, progress)))
    assert report.valid, errors(report)
    checked = rows_checked(report)
    assert checked["reports"] > 0
    assert checked["amendments"] > 0


def planted(tmp_path: Path, data: dict[str, bytes], name: str, column: str, row: int, value: str) -> Path:
    """A copy of the open data whose CSV `name` has `value` in `column` of data row `row`; its size and
    hash in the descriptor are updated, so that only the planted value can make it invalid."""
    text = data[f"data/{name}"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[row][column] != value
    rows[row][column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    edited = {**data, f"data/{name}": "\ufeff".encode() + buffer.getvalue().encode()}
    descriptor = json.loads(data["data/datapackage.json"])
    for resource in descriptor["resources"]:
        if resource["path"] == name:
            resource.pop("bytes"), resource.pop("hash")
    edited["data/datapackage.json"] = json.dumps(descriptor, ensure_ascii=False).encode()
    return written(tmp_path, edited)


def test_a_lead_agency_missing_from_agencies_csv_is_reported(real: dict[str, bytes], tmp_path: Path) -> None:
    first = next(csv.DictReader(io.StringIO(real["data/task-agencies.csv"].decode("utf-8-sig"))))
    assert (first["task"], first["role"]) == ("da-nang-2021/1-a", "lead")
    report = validate(str(planted(tmp_path, real, "task-agencies.csv", "agency", 0, "da-nang/so-khong-co")))
    assert errors(report) == [
        (
            "foreign-key",
            'Row at position "2" violates the foreign key: for "agency": values "da-nang/so-khong-co" not found in'
            ' the lookup table "agencies" as "id"',
        )
    ]


@pytest.mark.parametrize(
    ("name", "column", "value", "kind"),
    [
        ("tasks.csv", "plan", "da-nang-2020", "foreign-key"),
        ("tasks.csv", "status", "done", "constraint-error"),
        ("tasks.csv", "deadline_end", "30/04/2021", "type-error"),
        ("plan-purposes.csv", "plan", "hai-phong-2020", "foreign-key"),
        ("plan-general-tasks.csv", "item", "0", "constraint-error"),
        ("plan-general-duties.csv", "duty", "2", "primary-key"),
        ("reports.csv", "agency", "beta/so-khong-co", "foreign-key"),
        ("amendments.csv", "kind", "rename", "constraint-error"),
    ],
)
def test_other_planted_errors_are_reported(
    real: dict[str, bytes], progress: dict[str, bytes], tmp_path: Path, name: str, column: str, value: str, kind: str
) -> None:
    data = progress if name in ("reports.csv", "amendments.csv") else real
    report = validate(str(planted(tmp_path, data, name, column, 0, value)))
    assert [error[0] for error in errors(report)] == [kind]


def test_a_changed_file_no_longer_matches_its_size_and_hash(real: dict[str, bytes], tmp_path: Path) -> None:
    edited = {**real, "data/plans.csv": real["data/plans.csv"].replace("Đà Nẵng".encode(), b"Da Nang")}
    report = validate(str(written(tmp_path, edited)))
    assert {kind for kind, _ in errors(report)} == {"hash-count", "byte-count"}


def test_the_descriptor_is_bilingual_dated_by_the_build_and_reproducible(real: dict[str, bytes]) -> None:
    descriptor = json.loads(real["data/datapackage.json"])
    assert descriptor["created"] == "2021-12-31T17:00:00Z"
    assert descriptor["title"].startswith("Kế hoạch cải cách hành chính")
    assert descriptor["title_en"].startswith("Administrative reform plans")
    assert descriptor["description"]
    assert descriptor["description_en"]
    assert descriptor["licenses"][0]["name"] == "other-pd"
    assert next(s["title"] for s in descriptor["sources"]).startswith("Quyết định số ")
    tasks = next(r for r in descriptor["resources"] if r["name"] == "tasks")
    fields = {f["name"]: f for f in tasks["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["not_started", "in_progress", "completed", "suspended",
                                                       "dropped", "cancelled"]  # fmt: skip
    assert fields["deadline_end"]["type"] == "date"
    assert all(f["description"] and f["description_en"] for f in fields.values())
    for resource in descriptor["resources"]:
        assert resource["description"], resource["name"]
        assert resource["description_en"], resource["name"]
        assert resource["description"] != resource["description_en"], resource["name"]
    again = published(ROOT)["data/datapackage.json"]
    assert again == real["data/datapackage.json"]


def test_new_csv_files_open_in_excel(real: dict[str, bytes]) -> None:
    for name in TABLE_COLUMNS:
        raw = real[f"data/{name}.csv"]
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" in raw, name
        assert b"\n\n" not in raw, name


def test_plans_json_carries_the_plan_level_content(real: dict[str, bytes]) -> None:
    plans = {p["id"]: p for p in json.loads(real["data/plans.json"])}
    schema = json.loads(real["data/schema/plans.schema.json"])
    jsonschema.validate(list(plans.values()), schema)
    hai_phong = plans["hai-phong-2021"]
    assert [e["period"] for e in hai_phong["reporting_calendar"]] == ["2021-Q1", "2021-H1", "2021-Q3", "2021-Y"]
    assert hai_phong["reporting_calendar"][1]["due"]["date"] == "2021-06-05"
    assert len(hai_phong["targets"]) == 9
    assert hai_phong["targets"][1]["figures"][0]["value"] == 100
    assert hai_phong["purposes"]
    assert hai_phong["general_tasks"]
    assert hai_phong["funding"]["vi"]
    assert hai_phong["duties"][0]["agencies"] == ["hai-phong/so-noi-vu"]
    assert len(hai_phong["editorial_notes"]) == 7
    da_nang = plans["da-nang-2021"]
    assert da_nang["targets"] == []
    assert da_nang["reporting_calendar"] == []
    assert da_nang["decision"]["signer"]
    assert da_nang["decision"]["articles"]
    assert da_nang["url"] == {"vi": "/ke-hoach/da-nang-2021/", "en": "/en/ke-hoach/da-nang-2021/"}
    duties = list(csv.DictReader(io.StringIO(real["data/plan-duties.csv"].decode("utf-8-sig"))))
    assert sum(len(d["items"]) for p in plans.values() for d in p["duties"]) == len(duties)


def rows(data: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data[f"data/{name}.csv"].decode("utf-8-sig"))))


def test_every_part_of_a_plan_that_reads_as_a_table_is_in_a_csv(real: dict[str, bytes]) -> None:
    """Purposes, general tasks, general duties and funding: the CSV files say what plans.json says, in order."""
    plans = json.loads(real["data/plans.json"])

    def paragraphs(name: str, position: str) -> list[tuple[str, ...]]:
        return [(r["plan"], r[position], r["marker"], r["text_vi"], r["text_en"]) for r in rows(real, name)]

    assert paragraphs("plan-purposes", "purpose") == [
        (p["id"], str(n), m["marker"], m["text"]["vi"], m["text"]["en"])
        for p in plans
        for n, m in enumerate(p["purposes"], 1)
    ]
    assert paragraphs("plan-general-duties", "duty") == [
        (p["id"], str(n), m["marker"], m["text"]["vi"], m["text"]["en"])
        for p in plans
        for n, m in enumerate(p["general_duties"], 1)
    ]
    assert [
        (r["plan"], r["general_task"], r["marker"], r["heading_vi"], r["heading_en"], r["item"], r["text_vi"])
        for r in rows(real, "plan-general-tasks")
    ] == [
        (p["id"], str(g), t["marker"], t["heading"]["vi"], t["heading"]["en"], str(i), item["vi"])
        for p in plans
        for g, t in enumerate(p["general_tasks"], 1)
        for i, item in enumerate(t["items"], 1)
    ]
    by_id = {r["id"]: r for r in rows(real, "plans")}
    for plan in plans:
        assert (by_id[plan["id"]]["funding_vi"], by_id[plan["id"]]["funding_en"]) == (
            plan["funding"]["vi"],
            plan["funding"]["en"],
        )
        assert (by_id[plan["id"]]["url_vi"], by_id[plan["id"]]["url_en"]) == (plan["url"]["vi"], plan["url"]["en"])
    hai_phong = [r for r in rows(real, "plan-purposes") if r["plan"] == "hai-phong-2021"]
    assert [r["marker"] for r in hai_phong] == ["a)", "b)", "c)", "d)", "đ)", "e)"]
    assert hai_phong[0]["text_vi"].startswith("Công tác cải cách hành chính được xác định là nhiệm vụ trọng tâm")
    assert by_id["hai-phong-2021"]["funding_vi"].startswith("Kinh phí thực hiện Kế hoạch được bố trí")
    # The source prints "d)" twice among the general tasks: the position, not the marker, tells them apart.
    general = {(r["general_task"], r["marker"]) for r in rows(real, "plan-general-tasks")}
    assert ("4", "d)") in general
    assert ("5", "d)") in general
