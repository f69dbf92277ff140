"""The deadline parser reads every phrase printed in both plans, and never invents dates."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content.deadlines import UnreadableDeadline, read_deadline
from generator.content.history import History
from generator.content.validate import load_content
from generator.pages.render import Renderer
from generator.pages.search import deadline_filters
from generator.publish.ics import due_dates

from .conftest import ROOT

D = dt.date
# Every distinct deadline phrase of both 2021 plans: (phrase, kind, start, end).
PHRASES = [
    ("Trước 30/4", "date", None, D(2021, 4, 30)),
    ("Trước ngày 31/3", "date", None, D(2021, 3, 31)),
    ("Tháng 4", "month", D(2021, 4, 1), D(2021, 4, 30)),
    ("Tháng 4/2021", "month", D(2021, 4, 1), D(2021, 4, 30)),
    ("Tháng 6/2021", "month", D(2021, 6, 1), D(2021, 6, 30)),
    ("Tháng 02/2021", "month", D(2021, 2, 1), D(2021, 2, 28)),
    ("Tháng 12/2021", "month", D(2021, 12, 1), D(2021, 12, 31)),
    ("12/2020", "month", D(2020, 12, 1), D(2020, 12, 31)),
    ("Trong tháng 01/2021", "month", D(2021, 1, 1), D(2021, 1, 31)),
    ("10/01/2021", "date", None, D(2021, 1, 10)),
    ("31/12/2021", "date", None, D(2021, 12, 31)),
    ("30/11/2021", "date", None, D(2021, 11, 30)),
    ("Quý I/2021", "quarter", D(2021, 1, 1), D(2021, 3, 31)),
    ("Quý III/2021", "quarter", D(2021, 7, 1), D(2021, 9, 30)),
    ("Quý IV/2021", "quarter", D(2021, 10, 1), D(2021, 12, 31)),
    ("Quý I/2022", "quarter", D(2022, 1, 1), D(2022, 3, 31)),
    ("Quý I 2021", "quarter", D(2021, 1, 1), D(2021, 3, 31)),
    ("Quý III 2021", "quarter", D(2021, 7, 1), D(2021, 9, 30)),
    ("Cả năm 2021", "year", D(2021, 1, 1), D(2021, 12, 31)),
    ("Thường xuyên", "ongoing", None, None),
    ("Thường xuyên theo lộ trình", "ongoing", None, None),
    ("Thường xuyên (sau khi có Thông tư của các Bộ, ngành)", "ongoing", None, None),
    ("Sau khi Chính phủ ban hành Chương trình tổng thể", "event", None, None),
    ("Sau khi Chính phủ ban hành Nghị quyết về Chương trình tổng thể CCHC giai đoạn 2021-2030", "event", None, None),
    ("Theo tiến độ Đề án", "event", None, None),
    ("Theo chỉ đạo của UBND thành phố", "conditional", None, None),
    ("Theo yêu cầu của Bộ Nội vụ", "conditional", None, None),
    ("- Kế hoạch triển khai: Tháng 02. - Hoàn thành: Tháng 12", "milestones", D(2021, 2, 1), D(2021, 12, 31)),
    ("- Có văn bản hướng dẫn Tháng 02. - Hoàn thành: Tháng 12", "milestones", D(2021, 2, 1), D(2021, 12, 31)),
    (
        "- Thực hiện: Thường xuyên - Báo cáo đánh giá kết quả thí điểm: 28/02",
        "milestones",
        D(2021, 2, 28),
        D(2021, 2, 28),
    ),
    ("- Triển khai: Tháng 02/2021 - Hoàn thành: Tháng 12/2021", "milestones", D(2021, 2, 1), D(2021, 12, 31)),
    # A list whose last step is ongoing never falls due as a whole (Đà Nẵng 7.b, 7.d).
    ("- Triển khai: Tháng 02/2021 - Thực hiện: Thường xuyên", "milestones", D(2021, 2, 1), None),
    ("- Triển khai: Tháng 01/2021 - Thực hiện: Thường xuyên", "milestones", D(2021, 1, 1), None),
    ("- Triển khai: Tháng 01/2021 - Hoàn thành: Tháng 12/2021", "milestones", D(2021, 1, 1), D(2021, 12, 31)),
]


@pytest.mark.parametrize(("phrase", "kind", "start", "end"), PHRASES)
def test_phrase(phrase: str, kind: str, start: dt.date | None, end: dt.date | None) -> None:
    reading = read_deadline(phrase, 2021)
    assert (reading.kind, reading.start, reading.end) == (kind, start, end)


def test_every_phrase_of_both_plans_is_tested() -> None:
    content, _ = load_content(ROOT)
    printed = {" ".join(t.deadline.text.vi.split()) for p in content.plans for t in p.tasks if t.deadline}
    assert printed <= {phrase for phrase, *_ in PHRASES}, printed - {phrase for phrase, *_ in PHRASES}


def test_milestones_keep_their_labels() -> None:
    reading = read_deadline("- Thực hiện: Thường xuyên - Báo cáo đánh giá kết quả thí điểm: 28/02", 2021)
    assert [(m.label_vi, m.label_en, m.kind) for m in reading.milestones] == [
        ("Thực hiện", "Implementation", "ongoing"),
        ("Báo cáo đánh giá kết quả thí điểm", "Pilot evaluation report", "date"),
    ]


@pytest.mark.parametrize("phrase", ["Khi nào xong", "31/02/2021", "Tháng 13", "Quý V/2021", ""])
def test_unreadable_phrases_are_refused(phrase: str) -> None:
    with pytest.raises(UnreadableDeadline):
        read_deadline(phrase, 2021)


def test_plan_year_is_the_default() -> None:
    assert read_deadline("Trước 30/4", 2022).end == D(2022, 4, 30)


@pytest.mark.parametrize(
    ("phrase", "end"),
    [
        ("- Triển khai: Tháng 02/2021 - Thực hiện: Thường xuyên", None),
        ("- Triển khai: Tháng 02/2021 - Báo cáo: Hằng quý", None),
        ("- Thực hiện: Thường xuyên - Báo cáo đánh giá kết quả thí điểm: 28/02", D(2021, 2, 28)),
        ("- Triển khai: Tháng 02/2021 - Hoàn thành: Tháng 12/2021", D(2021, 12, 31)),
    ],
)
def test_a_milestone_list_ending_in_an_ongoing_step_has_no_end(phrase: str, end: dt.date | None) -> None:
    reading = read_deadline(phrase, 2021)
    assert reading.end == end
    # Each dated step keeps its own date, whatever the list's end.
    assert any(step.end for step in reading.milestones)


def test_ongoing_milestone_lists_of_da_nang_are_not_due() -> None:
    content, _ = load_content(ROOT)
    tasks = {t.number: t for p in content.plans if p.plan.id == "da-nang-2021" for t in p.tasks}
    for number, month in (("7.b", 2), ("7.d", 1)):
        deadline = tasks[number].deadline
        assert deadline is not None
        assert (deadline.kind, deadline.end) == ("milestones", None), number
        first, last = deadline.milestones
        assert (first.kind, first.start, first.end) == (
            "month",
            D(2021, month, 1),
            D(2021, month + 1, 1) - dt.timedelta(1),
        )
        assert (last.kind, last.end) == ("ongoing", None)
    # 3.a.1's pilot report is a real deliverable: the list still falls due on 28/02.
    deadline = tasks["3.a.1"].deadline
    assert deadline is not None
    assert deadline.end == D(2021, 2, 28)


def test_deadlines_page_calendars_and_finder_list_them_as_ongoing() -> None:
    content, _ = load_content(ROOT)
    renderer = Renderer(content, "en", D(2021, 6, 1), History(), {})
    lists = renderer.deadline_lists()
    ongoing = {ref.key for ref in lists["undated"]["ongoing"]}
    dated = {ref.key for _, refs in lists["by_month"] for ref in refs}
    behind = {ref.key for ref in renderer.upcoming()["behind_count"]}
    for key in ("da-nang-2021/7-b", "da-nang-2021/7-d"):
        assert key in ongoing
        assert key not in dated
        assert key not in behind
        ref = renderer.site.task_by_key[key]
        assert deadline_filters(ref) == {"quarter": ["ongoing"], "month": ["ongoing"]}
        # The calendar keeps the dated roll-out step, and only it.
        assert [label.en if label else None for _, label in due_dates(ref.task.deadline)] == ["Roll-out"]
    assert "da-nang-2021/3-a-1" in behind
