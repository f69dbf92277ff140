"""The compiled report Sở Nội vụ sends the City People's Committee each period, from the site's own data.

`compile_report(site, plan_id, period_id)` reads `Site.progress` (generator/content/progress.py) and lays the report
out as a list of blocks (headings, paragraphs, tables); generator/pages/compiled_docx.py writes the blocks as a
.docx and generator/pages/compiled_print.py as a printable page, so both say exactly the same thing.

The document is Vietnamese only: it is an administrative document (Nghị định 30/2020/NĐ-CP), so its
fixed phrases are kept here rather than in the interface wording, which must exist in both languages.
What only the office knows (the number, the date of signing, the signer) stays a blank placeholder.

A period without any report gives no compiled report (None): the site publishes the reports it has, and
for such a period the period page says that none was published; a document listing every agency as
"not reported" would state as the office's finding what is only missing from this site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.content.labels import STATUS_NAMES, section
from generator.content.progress import STATUSES, Period, PlanProgress, Status, Tally, task_agencies
from generator.content.site import Site

ISSUER = "SỞ NỘI VỤ"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER = "Số:        /BC-SNV"
"""The document number, left for the office's register to fill."""
BLANK_DATE = "ngày      tháng      năm"
"""The date of signing, left for the office."""
DOCUMENT_KIND = "BÁO CÁO"
SIGNER_TITLE = "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ"
SIGNATURE = "(Chữ ký, dấu)"
SIGNER_NAME = "Họ và tên"
RECIPIENTS = ("Như trên;", "Lưu: VT, …")
NO_LATE = "Không có nhiệm vụ nào trễ hạn trong kỳ này."
ALL_REPORTED = "Tất cả các cơ quan có nhiệm vụ trong kỳ đã gửi báo cáo."
DASH = "—"
TEXT_WIDTH = 165
"""Millimetres between the margins of A4 (210) less 30 left and 15 right, as Nghị định 30/2020/NĐ-CP sets them."""

DOCX_NAME = "bao-cao-tong-hop-{plan}-{period}.docx"
PRINT_PAGE = "ban-in/"
"""The printable page, under the period page: ke-hoach/<plan>/tien-do/<period>/ban-in/."""


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 'I. …' (capitals), level 2 '1. …'."""

    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """A table whose first row is its header (repeated on each printed page); `widths` in millimetres."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    """Columns of numbers (centred); the last row is a total when `total` is set."""
    total: bool = False


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class CompiledReport:
    """What the document says, by part: the title block's names, the title, and the body's blocks."""

    plan_id: str
    period_id: str
    authority: str
    """The issuing body's superior, in capitals: 'UBND THÀNH PHỐ ĐÀ NẴNG'."""
    place: str
    """The place of the place-and-date line: the city's name."""
    title: str
    """The summary line under 'BÁO CÁO'."""
    addressee: str
    blocks: tuple[Block, ...]


def vi_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def period_name(period: Period) -> str:
    """'Báo cáo Quý I (2021-Q1)' from the plan's calendar, else 'Quý I/2021 (2021-Q1)'."""
    if period.report is not None:
        return f"{period.report.vi} ({period.id})"
    part = period.id.rsplit("-", 1)[1]
    if part.startswith("Q"):
        quarter = section("quarters")["vi"][int(part[1:]) - 1]
        return f"{section('periods')['vi']['quarter'].format(quarter=quarter, year=period.start.year)} ({period.id})"
    return period.id


def docx_name(plan_id: str, period_id: str) -> str:
    """The .docx's file name: plan and period in it, so a downloaded copy still says what it is."""
    return DOCX_NAME.format(plan=plan_id, period=period_id)


def docx_url(plan_id: str, period_id: str) -> str:
    """Site-relative address of a period's .docx, beside its progress page (Vietnamese site only)."""
    return f"ke-hoach/{plan_id}/tien-do/{period_id}/{docx_name(plan_id, period_id)}"


def print_url(plan_id: str, period_id: str) -> str:
    """Site-relative address of a period's printable page (Vietnamese site only)."""
    return f"ke-hoach/{plan_id}/tien-do/{period_id}/{PRINT_PAGE}"


def has_reports(progress: PlanProgress, period_id: str) -> bool:
    """Whether a period has at least one report: only then is there a compiled report."""
    return bool(progress.reports(period_id))


def status_columns(tallies: list[Tally]) -> list[Status]:
    """The statuses counted in at least one row, in STATUSES order (as the period page's table)."""
    return [s for s in STATUSES if any(t.by_status[s] for t in tallies)]


def compile_report(site: Site, plan_id: str, period_id: str) -> CompiledReport | None:
    """The compiled report of a plan's period; None when no agency reported for it (see the module's doc).

    KeyError when the plan or the period does not exist.
    """
    progress = site.progress[plan_id]
    period = progress.period(period_id)
    if not has_reports(progress, period_id):
        return None
    plan = progress.plan
    city = site.city_of(plan)
    names = {a.id: a.name.vi for a in city.agencies}
    statuses = STATUS_NAMES["vi"]
    tally = progress.tally(period_id)
    reporting = progress.agency_reporting(period_id)
    expected = [r for r in reporting if r.expected]
    sent = [r for r in expected if r.report is not None]
    missing = [r for r in expected if r.report is None]
    late_reports = [r for r in sent if r.on_time is False]

    pillars = [
        (site.pillars[p].name.vi if p in site.pillars else "Khác", t)
        for p, t in progress.pillar_tally(period_id).items()
        if len(t)
    ]
    columns = status_columns([t for _, t in pillars])
    rows = (
        *(
            (str(n), name, str(len(t)), *(str(t.by_status[s]) for s in columns), str(len(t.late)))
            for n, (name, t) in enumerate(pillars, 1)
        ),
        ("", "Tổng cộng", str(len(tally)), *(str(tally.by_status[s]) for s in columns), str(len(tally.late))),
    )
    status_width = (TEXT_WIDTH - 13 - 34) / (len(columns) + 2)
    by_pillar = Table(
        ("STT", "Lĩnh vực", "Tổng số", *(statuses[s] for s in columns), "Trễ hạn"),
        rows,
        (13, 34, *(status_width,) * (len(columns) + 2)),
        (True, False, *(True,) * (len(columns) + 2)),
        total=True,
    )

    late_rows = tuple(
        (
            str(n),
            state.task.task.number,
            state.task.task.text.vi,
            ", ".join(names.get(a, a) for a in task_agencies(state.task.task, "lead")) or DASH,
            state.task.task.deadline.text.vi if state.task.task.deadline else DASH,
            statuses[state.status],
        )
        for n, state in enumerate(tally.late, 1)
    )
    late_table = Table(
        ("STT", "Số hiệu", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình hình thực hiện"),
        late_rows,
        (13, 15, 55, 30, 25, 27),
        (True, True, False, False, False, False),
    )

    due = (
        f"Hạn gửi báo cáo theo kế hoạch: {vi_date(period.due)}."
        if period.due
        else "Kế hoạch không quy định hạn gửi báo cáo này."
    )
    blocks: list[Block] = [
        Paragraph(
            f"Sở Nội vụ tổng hợp báo cáo của các cơ quan về tình hình thực hiện {plan.title.vi} của Ủy ban "
            f"nhân dân thành phố {city.name.vi} (Quyết định số {plan.decision.number} ngày "
            f"{vi_date(plan.decision.date)}), {period_name(period)}, từ ngày {vi_date(period.start)} đến ngày "
            f"{vi_date(period.end)}, như sau:"
        ),
        Paragraph(
            f"Số liệu tổng hợp từ báo cáo của {len(sent)}/{len(expected)} cơ quan có nhiệm vụ trong kỳ. "
            f"Nhiệm vụ và thời hạn tính theo kế hoạch và các quyết định điều chỉnh có hiệu lực đến ngày "
            f"{vi_date(period.moment)}; đúng hạn hay trễ hạn tính từ thời hạn đó và ngày hoàn thành các cơ quan báo cáo."
        ),
        Heading("I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", 1),
        Heading("1. Số nhiệm vụ theo lĩnh vực và tình hình thực hiện", 2),
        Paragraph(summary(tally, columns)),
        by_pillar,
        Heading("2. Nhiệm vụ trễ hạn", 2),
    ]
    if late_rows:
        blocks += [Paragraph(f"Có {len(late_rows)} nhiệm vụ trễ hạn:"), late_table]
    else:
        blocks.append(Paragraph(NO_LATE))
    blocks += [
        Heading("II. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN", 1),
        Paragraph(f"{len(sent)}/{len(expected)} cơ quan có nhiệm vụ trong kỳ đã gửi báo cáo. {due}"),
        Heading("1. Cơ quan chưa gửi báo cáo", 2),
    ]
    if missing:
        blocks.append(
            Table(
                ("STT", "Cơ quan"),
                tuple((str(n), names.get(r.agency, r.agency)) for n, r in enumerate(missing, 1)),
                (13, 152),
                (True, False),
            )
        )
    else:
        blocks.append(Paragraph(ALL_REPORTED))
    if period.due is not None:
        blocks.append(Heading("2. Cơ quan gửi báo cáo trễ hạn", 2))
        if late_reports:
            blocks.append(
                Table(
                    ("STT", "Cơ quan", "Ngày nhận báo cáo", "Số văn bản"),
                    tuple(
                        (
                            str(n),
                            names.get(r.agency, r.agency),
                            vi_date(r.report.received or r.report.date) if r.report else DASH,
                            r.report.document.number if r.report and r.report.document else DASH,
                        )
                        for n, r in enumerate(late_reports, 1)
                    ),
                    (13, 82, 35, 35),
                    (True, False, True, False),
                )
            )
        else:
            blocks.append(Paragraph("Không có cơ quan nào gửi báo cáo trễ hạn."))
    return CompiledReport(
        plan_id=plan.id,
        period_id=period.id,
        authority=f"UBND THÀNH PHỐ {city.name.vi.upper()}",
        place=city.name.vi,
        title=f"Tình hình thực hiện {plan.title.vi} – {period_name(period)}",
        addressee=f"Ủy ban nhân dân thành phố {city.name.vi}",
        blocks=tuple(blocks),
    )


def summary(tally: Tally, columns: list[Status]) -> str:
    """'Tổng số 9 nhiệm vụ: 1 hoàn thành, 6 đang thực hiện …; 1 nhiệm vụ trễ hạn.'"""
    names = STATUS_NAMES["vi"]
    parts = ", ".join(f"{tally.by_status[s]} {names[s].lower()}" for s in columns)
    return f"Tổng số {len(tally)} nhiệm vụ: {parts}; {len(tally.late)} nhiệm vụ trễ hạn."


def period_page(plan_id: str, period_id: str) -> str:
    """Site-relative address of the period's progress page, which the printable page links back to."""
    return f"ke-hoach/{plan_id}/tien-do/{period_id}/"
