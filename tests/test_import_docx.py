"""Word decisions: fixtures made here with python-docx, each imported to the expected draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from .test_import import files, project, run, tasks

HEADERS = [
    "TT",
    "Nội dung và kết quả đầu ra",
    "Cơ quan chủ trì tham mưu",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Ghi chú",
]


def _cell(cell: Any, value: str | list[str]) -> None:
    """A cell's text; a list is one paragraph per item (line breaks inside one cell)."""
    items = value if isinstance(value, list) else [value]
    cell.text = items[0]
    for item in items[1:]:
        cell.add_paragraph(item)


def write(path: Path, headers: list[str], rows: list[Any], before: list[str] | None = None) -> Path:
    """rows: a list of cells (strings or paragraph lists), a ("group", text) row spanning the table, or
    "header" for the header repeated at a page break; ("merge", column, first, last) merges a column down."""
    document = docx.Document()
    for text in before or [
        "Số: 15/QĐ-UBND",
        "Đà Nẵng, ngày 20 tháng 12 năm 2021",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2022",
    ]:
        document.add_paragraph(text)
    plain = [r for r in rows if not (isinstance(r, tuple) and r[0] == "merge")]
    table = document.add_table(rows=1 + len(plain), cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for index, row in enumerate(plain, start=1):
        cells = table.rows[index].cells
        if row == "header":
            for cell, text in zip(cells, headers, strict=True):
                cell.text = text
        elif isinstance(row, tuple) and row[0] == "group":
            merged = cells[0].merge(cells[-1])
            merged.text = row[1]
        else:
            for cell, value in zip(cells, row, strict=False):
                _cell(cell, value)
    for row in rows:
        if isinstance(row, tuple) and row[0] == "merge":
            _, column, first, last = row
            top = table.cell(first, column)
            text = top.text
            merged = top.merge(table.cell(last, column))
            merged.text = text
    document.add_paragraph("Ghi chú: các nhiệm vụ có dấu (*) được bố trí kinh phí.")
    document.save(str(path))
    return path


def summary(root: Path, plan: str = "da-nang-2022") -> list[tuple[Any, ...]]:
    return [
        (
            t["number"],
            t["parent"],
            t["text"]["vi"],
            (t.get("lead") or {}).get("agencies"),
            (t.get("coordinating") or {}).get("agencies"),
            (t.get("deadline") or {}).get("text", {}).get("vi"),
            bool(t.get("budget_funded")),
        )
        for t in tasks(root, plan)
    ]


GROUP = ("group", "1. Chỉ đạo điều hành và tuyên truyền về cải cách hành chính")


def test_group_rows_spanning_the_table_repeated_headers_and_dash_rows(tmp_path: Path) -> None:
    rows = [
        GROUP,
        ["a)", "Tổ chức đánh giá (*)", "Sở Nội vụ", "Sở, ban, ngành, UBND quận, huyện", "Trước 30/4", ""],
        "header",
        ["b)", "Kiểm tra về cải cách hành chính:", "", "", "", ""],
        ["", "- 100% các sở, ban, ngành", "Sở Nội vụ", "", "Thường xuyên", ""],
        ["", "- 100% UBND phường, xã", "UBND quận, huyện", "", "Thường xuyên", ""],
    ]
    root = project(tmp_path)
    assert run(root, write(tmp_path / "qd.docx", HEADERS, rows)) == 0
    assert summary(root) == [
        ("1.a", None, "Tổ chức đánh giá", ["so-noi-vu"], ["so-ban-nganh", "ubnd-quan-huyen"], "Trước 30/4", True),
        ("1.b", None, "Kiểm tra về cải cách hành chính:", None, None, None, False),
        ("1.b.1", "1-b", "100% các sở, ban, ngành", ["so-noi-vu"], None, "Thường xuyên", False),
        ("1.b.2", "1-b", "100% UBND phường, xã", ["ubnd-quan-huyen"], None, "Thường xuyên", False),
    ]


def test_columns_in_another_order_and_an_extra_column(tmp_path: Path) -> None:
    headers = ["STT", "Thời hạn hoàn thành", "Cơ quan phối hợp", "Kinh phí (triệu đồng)", "Nhiệm vụ", "Cơ quan chủ trì"]
    rows = [GROUP, ["a)", "Quý I/2022", "Sở Tư pháp", "120", "Rà soát văn bản", "Sở Nội vụ"]]
    root = project(tmp_path)
    assert run(root, write(tmp_path / "qd.docx", headers, rows)) == 0
    assert summary(root) == [("1.a", None, "Rà soát văn bản", ["so-noi-vu"], ["so-tu-phap"], "Quý I/2022", False)]


def test_sub_items_as_line_breaks_in_one_cell(tmp_path: Path) -> None:
    # One row whose cells hold one value per sub-item, a paragraph each (Da Nang 7.q's layout).
    rows = [
        GROUP,
        [
            "a)",
            ["Cập nhật các cơ sở dữ liệu:", "- Cơ sở dữ liệu công dân", "- Cơ sở dữ liệu đất đai"],
            ["Sở Thông tin và Truyền thông", "Sở Tài nguyên và Môi trường"],
            ["Sở Nội vụ", "Sở Xây dựng"],
            ["Thường xuyên", "Quý IV/2022"],
            "",
        ],
        [
            "b)",
            ["Công khai thủ tục:", "- Trên Cổng thông tin", "- Tại Bộ phận một cửa"],
            "Sở Nội vụ",
            "",
            "Thường xuyên",
            "",
        ],
    ]
    root = project(tmp_path)
    assert run(root, write(tmp_path / "qd.docx", HEADERS, rows)) == 0
    assert summary(root) == [
        ("1.a", None, "Cập nhật các cơ sở dữ liệu:", None, None, None, False),
        (
            "1.a.1",
            "1-a",
            "Cơ sở dữ liệu công dân",
            ["so-thong-tin-va-truyen-thong"],
            ["so-noi-vu"],
            "Thường xuyên",
            False,
        ),
        (
            "1.a.2",
            "1-a",
            "Cơ sở dữ liệu đất đai",
            ["so-tai-nguyen-va-moi-truong"],
            ["so-xay-dung"],
            "Quý IV/2022",
            False,
        ),
        # Single-valued cells: the bullets are the task's own text, one a line.
        (
            "1.b",
            None,
            "Công khai thủ tục:\n- Trên Cổng thông tin\n- Tại Bộ phận một cửa",
            ["so-noi-vu"],
            None,
            "Thường xuyên",
            False,
        ),
    ]


def test_vertically_merged_cells_apply_to_every_row_they_cover(tmp_path: Path) -> None:
    # Hai Phong's layout: Roman groups, numbered tasks, "a)" items in the text column; the lead and the
    # deadline are merged down over both items, the number over the parent and its items.
    headers = [
        "TT",
        "Nội dung công việc",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian thực hiện/ hoàn thành",
        "Sản phẩm",
    ]
    rows = [
        ("group", "I. Chỉ đạo điều hành, kiểm tra và tuyên truyền"),
        ["1", "Ban hành Kế hoạch cải cách hành chính năm 2022", "", "", "", ""],
        ["", "a) Thành phố", "Sở Nội vụ", "Các sở, ban, ngành", "Cả năm 2022", "Kế hoạch"],
        ["", "b) Các quận, huyện", "", "Sở Nội vụ", "", "Kế hoạch"],
        ("merge", 2, 3, 4),
        ("merge", 4, 3, 4),
        ("merge", 0, 2, 4),
    ]
    root = project(tmp_path)
    assert run(root, write(tmp_path / "qd.docx", headers, rows), city="hai-phong", plan="hai-phong-2022") == 0
    assert summary(root, "hai-phong-2022")[1:] == [
        ("1.a", "1", "Thành phố", ["so-noi-vu"], ["so-ban-nganh"], "Cả năm 2022", False),
        ("1.b", "1", "Các quận, huyện", ["so-noi-vu"], ["so-noi-vu"], "Cả năm 2022", False),
    ]
    assert [t["output"]["vi"] for t in tasks(root, "hai-phong-2022")[1:]] == ["Kế hoạch", "Kế hoạch"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04broken zip", "not a readable .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "password-protected or encrypted"),
    ],
)
def test_corrupt_or_protected_docx_gets_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    root = project(tmp_path)
    before = files(root)
    path = tmp_path / "qd.docx"
    path.write_bytes(data)
    assert run(root, path) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert message in out
    assert files(root) == before


def test_a_docx_without_a_task_table_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    path = tmp_path / "qd.docx"
    document = docx.Document()
    document.add_paragraph("Số: 15/QĐ-UBND")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Họ tên"
    document.save(str(path))
    assert run(root, path) == 1
    assert "no task table" in capsys.readouterr().out
