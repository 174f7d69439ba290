"""An evaluation report (绩效评价报告) as PDF: HTML and CSS laid out by WeasyPrint.

The content is the .docx's (report_docx.py): title, numbered headings, body text, charts
with captions, signature, and the 附表 on landscape pages with the framework table, whose
header WeasyPrint repeats on each page. Fonts are Debian's Noto CJK faces (fonts-noto-cjk),
which WeasyPrint embeds as subsets (stack-notes.md §3). `report_html` is also what a web
page can show.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from html import escape

from weasyprint import HTML

from jixiao.domain.report import Report, Section
from jixiao.writers.charts import CAPTIONS
from jixiao.writers.report_layout import ANNEX_LABEL, ANNEX_TITLE, HEADINGS, TEXT_COLUMNS, WIDTHS_MM, signature, table_lines

STYLE = """
@page { size: A4; margin: 25mm 24mm 22mm 24mm;
        @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC"; font-size: 9pt; } }
@page annex { size: A4 landscape; margin: 15mm 18mm;
        @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC"; font-size: 9pt; } }
body { font-family: "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.75; text-align: justify; }
.organisation { font-family: "Noto Sans CJK SC", sans-serif; font-weight: bold; font-size: 16pt; text-align: center;
                margin: 8mm 0 2mm 0; letter-spacing: 1pt; }
h1.title { font-family: "Noto Serif CJK SC", serif; font-weight: 900; font-size: 20pt; text-align: center;
           margin: 0 0 10mm 0; line-height: 1.4; }
h2, h3, h4 { margin: 3mm 0 1mm 0; text-indent: 2em; break-after: avoid; line-height: 1.6; }
h2 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 14pt; font-weight: bold; }
h3 { font-family: "Noto Serif CJK SC", serif; font-size: 12pt; font-weight: bold; }
h4 { font-family: "Noto Serif CJK SC", serif; font-size: 12pt; font-weight: bold; }
p { margin: 0; text-indent: 2em; }
figure { margin: 3mm 0; text-align: center; break-inside: avoid; }
figure img { width: 150mm; }
figcaption { font-size: 10.5pt; text-indent: 0; }
.signature { margin-top: 12mm; text-align: right; }
.signature p { text-indent: 0; }
.annex { page: annex; break-before: page; }
.annex .label { font-family: "Noto Sans CJK SC", sans-serif; font-weight: bold; font-size: 14pt; text-indent: 0; }
.annex h2 { text-align: center; text-indent: 0; font-size: 16pt; margin: 0 0 3mm 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 8.5pt; line-height: 1.35; }
th, td { border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: middle; text-align: center;
         overflow-wrap: anywhere; }
th { font-family: "Noto Sans CJK SC", sans-serif; font-weight: bold; background: #f2f2f2; }
td.text { text-align: left; }
tr { break-inside: avoid; }
"""


def write_report_pdf(path: str | os.PathLike[str], report: Report, charts: Mapping[str, bytes]) -> None:
    """Write the report with its charts (PNG bytes by chart key) and the 附表 as PDF."""
    HTML(string=report_html(report, charts)).write_pdf(os.fspath(path))


def report_html(report: Report, charts: Mapping[str, bytes]) -> str:
    """The whole report as one HTML document, charts embedded as data URLs."""
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>',
        escape(report.title),
        "</title><style>",
        STYLE,
        "</style></head><body>",
    ]
    if report.organisation:
        parts.append(f'<div class="organisation">{escape(report.organisation)}</div>')
    parts.append(f'<h1 class="title">{escape(report.title)}</h1>')
    parts.extend(_section(section, charts) for section in report.sections)
    lines = signature(report)
    if lines:
        parts.append('<div class="signature">' + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</div>")
    parts.append(_annex(report))
    parts.append("</body></html>")
    return "".join(parts)


def _section(section: Section, charts: Mapping[str, bytes]) -> str:
    tag = f"h{section.level + 1}"
    html = [f"<{tag}>{escape(section.heading)}</{tag}>"]
    html.extend(f"<p>{escape(text)}</p>" for text in section.paragraphs)
    image = charts.get(section.chart or "")
    if image is not None:
        data = base64.b64encode(image).decode("ascii")
        caption = escape(CAPTIONS.get(section.chart or "", ""))
        picture = f'<img src="data:image/png;base64,{data}" alt="{caption}">'
        html.append(f"<figure>{picture}<figcaption>{caption}</figcaption></figure>")
    return "".join(html)


def _annex(report: Report) -> str:
    total = sum(WIDTHS_MM)
    columns = "".join(f'<col style="width:{100 * width / total:.2f}%">' for width in WIDTHS_MM)
    head = "<tr>" + "".join(f"<th>{escape(text)}</th>" for text in HEADINGS) + "</tr>"
    body = []
    for line in table_lines(report):
        cells = []
        for column, text in enumerate(line.cells):
            span = line.level1_span if column == 0 else line.level2_span if column == 1 else 1
            if span == 0:
                continue
            rowspan = f' rowspan="{span}"' if span > 1 else ""
            kind = ' class="text"' if column in TEXT_COLUMNS else ""
            cells.append(f"<td{rowspan}{kind}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<section class="annex"><p class="label">{ANNEX_LABEL}</p><h2>{ANNEX_TITLE}</h2>'
        f"<table><colgroup>{columns}</colgroup><thead>{head}</thead><tbody>{''.join(body)}</tbody></table></section>"
    )
