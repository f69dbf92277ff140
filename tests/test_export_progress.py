"""Open data of progress: reports.csv/json and amendments.csv/json on the progress fixture and the real plans."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.export import files
from generator.pages.export_progress import AMENDMENT_COLUMNS, REPORT_COLUMNS, AmendmentRecord, ReportRecord

from .conftest import FIXTURES, ROOT, make_root

HOSTILE = '=HYPERLINK("http://x","y")'


def rows(data: dict[str, bytes], name: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file of data/, read as a spreadsheet would (BOM first)."""
    raw = data[f"data/{name}"]
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the byte-order mark
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    found = list(reader)
    return list(reader.fieldnames or []), found


@pytest.fixture(scope="module")
def progress(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, dict[str, bytes]]:
    root = make_root(tmp_path_factory.mktemp("progress"), FIXTURES / "progress")
    report = root / "content/plans/beta-2021/reports/2021-Q1/so-tu-phap.yaml"
    # A report text that a spreadsheet would run: quoted in CSV, exact in JSON.
    text = report.read_text(encoding="utf-8").replace("vi: Đang rà soát quy chế.", f"vi: '{HOSTILE}'")
    assert HOSTILE in text
    report.write_text(text, encoding="utf-8")
    content, problems = load_content(root)
    assert problems == []
    site = Site(content)
    return site, files(site)


def test_every_reported_entry_is_a_row_and_no_unreported_task_is(progress: tuple[Site, dict[str, bytes]]) -> None:
    site, data = progress
    item = next(p for p in site.content.plans if p.plan.id == "beta-2021")  # the mini fixture's plan has no report
    entries = {(r.period, f"beta-2021/{e.task}", f"beta/{r.agency}") for r in item.reports for e in r.entries}
    header, found = rows(data, "reports.csv")
    assert tuple(header) == REPORT_COLUMNS
    assert len(found) == len(entries) == sum(len(r.entries) for r in item.reports)
    assert {(r["period"], r["task"], r["agency"]) for r in found} == entries
    assert "beta-2021/2-a" not in {r["task"] for r in found}  # never reported: "not reported" on the pages, no row
    records = json.loads(data["data/reports.json"])
    assert [(r["period"], r["task"], r["agency"]) for r in records] == [
        (r["period"], r["task"], r["agency"]) for r in found
    ]


def test_report_rows_carry_computed_timeliness_and_the_reports_own_timeliness(
    progress: tuple[Site, dict[str, bytes]],
) -> None:
    _, data = progress
    _, found = rows(data, "reports.csv")
    by_key = {(r["period"], r["task"], r["agency"]): r for r in found}
    on_time = by_key[("2021-Q1", "beta-2021/1-a", "beta/so-noi-vu")]
    assert (on_time["status"], on_time["timeliness"], on_time["completed"]) == ("completed", "on_time", "2021-03-20")
    assert (on_time["evidence_numbers"], on_time["report_document"]) == ("30/KH-UBND", "12/BC-SNV (2021-03-31)")
    late = by_key[("2021-H1", "beta-2021/1-b", "beta/so-tu-phap")]
    assert (late["status"], late["timeliness"]) == ("completed", "late")
    # Received 2021-04-08, after the Q1 due date 2021-04-05: the agency's report was late.
    assert by_key[("2021-Q1", "beta-2021/1-b", "beta/so-tu-phap")]["report_on_time"] == "false"
    assert on_time["report_on_time"] == "true"
    # 1-c's deadline moved from June to Q3 on 2021-06-15: at the H1 due date it is not due, not late.
    assert by_key[("2021-H1", "beta-2021/1-c", "beta/so-tai-chinh")]["timeliness"] == "not_due"
    suspended = by_key[("2021-H1", "beta-2021/2-b", "beta/so-tu-phap")]
    assert (suspended["status"], suspended["reason_vi"]) == ("suspended", "Chờ hướng dẫn của Bộ Tư pháp.")
    # 2-d moved to Sở Nội vụ on 2021-08-10: in Q3 its entry counts, the former lead's does not.
    assert by_key[("2021-Q3", "beta-2021/2-d", "beta/so-noi-vu")]["counted"] == "true"
    assert by_key[("2021-Q3", "beta-2021/2-d", "beta/so-tu-phap")]["counted"] == "false"


def test_report_csv_is_spreadsheet_safe_and_json_exact(progress: tuple[Site, dict[str, bytes]]) -> None:
    _, data = progress
    _, found = rows(data, "reports.csv")
    cell = next(r["done_vi"] for r in found if r["task"] == "beta-2021/1-b" and r["period"] == "2021-Q1")
    assert cell == "'" + HOSTILE
    for row in found:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    record = next(
        r for r in json.loads(data["data/reports.json"]) if r["task"] == "beta-2021/1-b" and r["period"] == "2021-Q1"
    )
    assert record["done"] == {"vi": HOSTILE, "en": "The rules are under review."}
    assert record["difficulties"] == {"vi": "Thiếu cán bộ pháp chế.", "en": "Too few legal staff."}


def test_amendments_list_every_change_before_and_after(progress: tuple[Site, dict[str, bytes]]) -> None:
    _, data = progress
    header, found = rows(data, "amendments.csv")
    assert tuple(header) == AMENDMENT_COLUMNS
    shown = [(r["decision_number"], r["task"], r["kind"], r["before_vi"], r["after_vi"]) for r in found]
    assert shown == [
        ("50/QĐ-UBND", "beta-2021/1-c", "deadline", "Tháng 6", "Quý III"),
        ("50/QĐ-UBND", "beta-2021/2-c", "cancel", "", "Dùng phần mềm một cửa chung của tỉnh."),
        ("50/QĐ-UBND", "beta-2021/2-f", "add", "", "Triển khai dịch vụ công trực tuyến mức độ 4."),
        ("75/QĐ-UBND", "beta-2021/2-d", "agencies", "Chủ trì: Sở Tài chính", "Chủ trì: Sở Nội vụ"),
    ]
    assert found[3]["before_en"] == "Lead: Department of Finance"
    record = json.loads(data["data/amendments.json"])[0]
    assert record["decision"] == {"number": "50/QĐ-UBND", "date": "2021-06-15", "url": None}
    assert (record["before"], record["after"]) == (
        {"vi": "Tháng 6", "en": "June 2021"},
        {"vi": "Quý III", "en": "Q3 2021"},
    )


def test_the_json_files_match_their_published_schemas(progress: tuple[Site, dict[str, bytes]]) -> None:
    _, data = progress
    for name, model in (("reports", ReportRecord), ("amendments", AmendmentRecord)):
        records = json.loads(data[f"data/{name}.json"])
        assert records
        adapter = TypeAdapter(list[model])  # type: ignore[valid-type]
        adapter.validate_python(records, strict=False)  # every record has the schema's shape
        schema = json.loads(data[f"data/schema/{name}.schema.json"])
        assert schema["$id"] == f"{name}.schema.json"
        assert {k: v for k, v in schema.items() if k not in ("$schema", "$id")} == adapter.json_schema()
        item_schema = schema["$defs"][model.__name__]
        for record in records:
            assert set(record) == set(item_schema["properties"])
            assert set(item_schema["required"]) <= set(record)


def test_tasks_csv_status_is_the_computed_current_status(progress: tuple[Site, dict[str, bytes]]) -> None:
    _, data = progress
    _, found = rows(data, "tasks.csv")
    status = {r["id"]: r["status"] for r in found}
    # Latest period with reports: 2021-Q3. 2-c was cancelled by an amendment; 2-a was never reported.
    assert status["beta-2021/1-a"] == "completed"
    assert status["beta-2021/2-b"] == "dropped"
    assert status["beta-2021/2-c"] == "cancelled"
    assert status["beta-2021/2-a"] == ""


def test_real_plans_publish_progress_files_with_a_header_and_no_rows(tmp_path: Path) -> None:
    content, _ = load_content(ROOT)
    data = files(Site(content))
    for name, columns in (("reports.csv", REPORT_COLUMNS), ("amendments.csv", AMENDMENT_COLUMNS)):
        header, found = rows(data, name)
        assert (tuple(header), found) == (columns, [])
    assert json.loads(data["data/reports.json"]) == json.loads(data["data/amendments.json"]) == []
