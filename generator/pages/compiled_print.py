"""The compiled report (generator/pages/compiled_report.py) as a page to print: the same blocks as the .docx,
in a page of its own with no site navigation, set for A4 as the .docx is (margins 20/20/30/15 mm, Times New
Roman 14 pt, tables 13 pt whose header row repeats on each printed page).

A page of its own rather than the period page's print stylesheet: the official prints the document the
office sends, title block and signature included, not the site's page with its charts and links; and on
screen it shows what will be printed. Vietnamese only, as the document is.
"""

from __future__ import annotations

from html import escape

from generator.pages.compiled_report import (
    BLANK_DATE,
    DOCUMENT_KIND,
    ISSUER,
    MOTTO,
    NATION,
    NUMBER,
    RECIPIENTS,
    SIGNATURE,
    SIGNER_NAME,
    SIGNER_TITLE,
    TEXT_WIDTH,
    CompiledReport,
    Heading,
    Paragraph,
    Table,
    docx_name,
)

STYLE = f"""
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; @top-center {{ content: counter(page); font: 13pt "Times New Roman", serif; }} }}
@page :first {{ @top-center {{ content: none; }} }}
html {{ background: #fff; color: #000; }}
body {{ font-family: "Times New Roman", Tinos, "Liberation Serif", "DejaVu Serif", serif; font-size: 14pt;
  line-height: 1.3; max-width: {TEXT_WIDTH}mm; margin: 0 auto; padding: 1rem; }}
a {{ color: #00008b; }}
.screen {{ font-family: system-ui, sans-serif; font-size: 1rem; border-bottom: 1px solid #666; padding-bottom: .5rem;
  margin-bottom: 1.5rem; }}
.screen a {{ margin-right: 1.5rem; }}
.title-block {{ display: grid; grid-template-columns: 70mm 1fr; text-align: center; font-size: 13pt; }}
.title-block p {{ margin: 0; }}
.title-block .nation {{ font-size: 12pt; }}
.rule {{ display: inline-block; border-top: 1px solid #000; width: 26mm; height: 0; margin: 2pt 0 8pt; }}
.title-block .motto + .rule {{ width: 60mm; }}
.place {{ font-style: italic; font-size: 14pt; }}
h1 {{ font-size: 14pt; text-align: center; margin: 18pt 0 0; }}
h1 span {{ display: block; }}
.title-rule {{ text-align: center; margin: 0; }}
.title-rule .rule {{ width: 35mm; }}
.addressee {{ text-align: center; text-indent: 0; margin: 6pt 0 12pt; }}
.blank-field {{ white-space: pre-wrap; }}
h2, h3 {{ font-size: 14pt; margin: 6pt 0; text-indent: 10mm; break-after: avoid; }}
main > p {{ text-align: justify; text-indent: 10mm; margin: 0 0 6pt; }}
.table-wrap {{ overflow-x: auto; margin: 0 0 12pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13pt; line-height: 1.15; table-layout: fixed; }}
th, td {{ border: 1px solid #000; padding: .5mm 1mm; vertical-align: top; text-align: left; }}
th, td.num {{ text-align: center; }}
tr.total td {{ font-weight: bold; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
.signature {{ display: grid; grid-template-columns: 80mm 1fr; margin-top: 12pt; break-inside: avoid; }}
.recipients {{ font-size: 11pt; margin: 0; }}
.recipients strong {{ font-size: 12pt; font-style: italic; }}
.signer {{ text-align: center; margin: 0; }}
.signer .blank {{ display: block; height: 5em; }}
@media print {{
  body {{ max-width: none; padding: 0; }}
  .screen {{ display: none; }}
  .table-wrap {{ overflow: visible; }}
}}
@media screen and (max-width: 40em) {{
  .title-block, .signature {{ grid-template-columns: 1fr; gap: 1rem; }}
  table {{ table-layout: auto; min-width: 36rem; }}
}}
"""


def _table(block: Table, label: str) -> str:
    whole = sum(block.widths)  # in per cent of the text's width: millimetres plus borders would overflow it
    columns = "".join(f'<col style="width:{100 * w / whole:.2f}%">' for w in block.widths)
    head = "".join(f'<th scope="col">{escape(text)}</th>' for text in block.header)
    body = []
    for number, row in enumerate(block.rows, 1):
        total = ' class="total"' if block.total and number == len(block.rows) else ""
        cells = "".join(
            f'<td class="num">{escape(v)}</td>' if block.numeric[i] else f"<td>{escape(v)}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr{total}>{cells}</tr>")
    return (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{escape(label)}">'
        f"<table><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def page_html(report: CompiledReport) -> str:
    """The printable page; it lies at <period page>/ban-in/, so '../' is the period page."""
    parts = []
    label = ""
    for block in report.blocks:
        if isinstance(block, Heading):
            tag = "h2" if block.level == 1 else "h3"
            label = block.text
            parts.append(f"<{tag}>{escape(block.text)}</{tag}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{escape(block.text)}</p>")
        else:
            parts.append(_table(block, label))
    title = f"{DOCUMENT_KIND.capitalize()}: {report.title}"
    recipients = "".join(f"<br>- {escape(line)}" for line in RECIPIENTS)
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<nav class="screen" aria-label="Bản in">
<a href="../">Về trang tiến độ của kỳ</a>
<a href="../{escape(docx_name(report.plan_id, report.period_id))}" download>Tải tệp Word (.docx)</a>
<span>Bản in khổ A4: dùng lệnh In của trình duyệt.</span>
</nav>
<header class="title-block">
<div><p>{escape(report.authority)}</p><p><strong>{escape(ISSUER)}</strong></p><span class="rule"></span><p class="blank-field">{escape(NUMBER)}</p></div>
<div><p class="nation"><strong>{escape(NATION)}</strong></p><p class="motto"><strong>{escape(MOTTO)}</strong></p><span class="rule"></span><p class="place blank-field">{escape(report.place)}, {escape(BLANK_DATE)}</p></div>
</header>
<main>
<h1><span>{escape(DOCUMENT_KIND)}</span><span>{escape(report.title)}</span></h1>
<div class="title-rule"><span class="rule"></span></div>
<p class="addressee">Kính gửi: {escape(report.addressee)}.</p>
{chr(10).join(parts)}
</main>
<footer class="signature">
<p class="recipients"><strong>Nơi nhận:</strong>{recipients}</p>
<p class="signer"><strong>{escape(SIGNER_TITLE)}</strong><br><em>{escape(SIGNATURE)}</em><span class="blank"></span><strong>{escape(SIGNER_NAME)}</strong></p>
</footer>
</body>
</html>
"""
