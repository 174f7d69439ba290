"""An evaluation report (绩效评价报告) as a Word document (python-docx).

A4 portrait in the manner of an official document: the organisation and the title, headings
一、 in 黑体, （一） in 楷体, body in 仿宋 with a two-character first-line indent, the charts as
PNG images with a caption, and the organisation and date at the foot. The 附表 follows in a
landscape section: the framework table with its 一级 and 二级 cells merged down (vMerge),
its header row repeated on every page. Word and LibreOffice substitute their own CJK faces
for 仿宋/黑体/楷体 when those are missing (Noto CJK on Debian).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from jixiao.domain.report import Report, Section
from jixiao.writers.charts import CAPTIONS
from jixiao.writers.docx_pages import set_east_asian_font
from jixiao.writers.report_layout import ANNEX_LABEL, ANNEX_TITLE, HEADINGS, TEXT_COLUMNS, WIDTHS_MM, signature, table_lines

BODY, HEADING, SUBHEADING = "仿宋", "黑体", "楷体"
BODY_SIZE = Pt(12)
HEADING_SIZE = {1: Pt(14), 2: Pt(12), 3: Pt(12)}
HEADING_FONT = {1: HEADING, 2: SUBHEADING, 3: BODY}
BLACK = RGBColor(0, 0, 0)


def write_report_docx(path: str | os.PathLike[str], report: Report, charts: Mapping[str, bytes]) -> None:
    """Write the report with its charts (PNG bytes by the key a section names) and the 附表."""
    document = Document()
    _page_and_styles(document)
    _title(document, report)
    for section in report.sections:
        _section(document, section, charts)
    _signature(document, report)
    _annex(document, report)
    document.save(os.fspath(path))


def _page_and_styles(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY_SIZE
    set_east_asian_font(normal.element, BODY)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.5
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        style.font.name = "Times New Roman"
        style.font.size = HEADING_SIZE[level]
        style.font.bold = level != 2
        style.font.italic = False
        style.font.color.rgb = BLACK
        set_east_asian_font(style.element, HEADING_FONT[level])
        style.paragraph_format.space_before = Pt(6 if level == 1 else 3)
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.first_line_indent = Pt(24)
        style.paragraph_format.keep_with_next = True


def _title(document: DocumentObject, report: Report) -> None:
    for text, size in ((report.organisation, Pt(16)), (report.title, Pt(20))):
        if not text:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(12)
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = size
        set_east_asian_font(run._element, HEADING)


def _section(document: DocumentObject, section: Section, charts: Mapping[str, bytes]) -> None:
    document.add_heading(section.heading, level=section.level)
    for text in section.paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(24)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    image = charts.get(section.chart or "")
    if image is not None:
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(image), width=Cm(15))
        caption = document.add_paragraph(CAPTIONS.get(section.chart or "", ""))
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.runs[0].font.size = Pt(10.5)


def _signature(document: DocumentObject, report: Report) -> None:
    lines = signature(report)
    if not lines:
        return
    document.add_paragraph()
    for text in lines:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _annex(document: DocumentObject, report: Report) -> None:
    """The 附表 on landscape pages: the framework table with merged 一级 and 二级 cells."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    label = document.add_paragraph()
    _bold_run(label, ANNEX_LABEL, Pt(14))
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    _bold_run(title, ANNEX_TITLE, Pt(16))
    lines = table_lines(report)
    table = document.add_table(rows=len(lines) + 1, cols=len(HEADINGS))
    table.style = "Table Grid"
    table.autofit = False
    cells = [list(row.cells) for row in table.rows]  # taken before any merge removes covered cells
    for column, width in enumerate(WIDTHS_MM):
        table.columns[column].width = Mm(width)
        for row in cells:
            row[column].width = Mm(width)
    _repeat_header(table.rows[0])
    for column, heading in enumerate(HEADINGS):
        _cell(cells[0][column], heading, left=False, bold=True)
    # Every merge is made before any text is written: a merge moves the text of the cells it
    # joins, and python-docx counts a neighbouring column's merged cell among them.
    anchors = []
    for number, line in enumerate(lines, 1):
        for column, text in enumerate(line.cells):
            span = line.level1_span if column == 0 else line.level2_span if column == 1 else 1
            if span == 0:
                continue  # covered by the merged cell above
            anchor = cells[number][column]
            if span > 1:
                anchor = anchor.merge(cells[number + span - 1][column])
            anchors.append((anchor, text, column in TEXT_COLUMNS, line.cells[0] == "总分" and column == 0))
    for anchor, text, left, bold in anchors:
        _cell(anchor, text, left=left, bold=bold)


def _bold_run(paragraph: Paragraph, text: str, size: Pt) -> None:
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = size
    set_east_asian_font(run._element, HEADING)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    """Mark the row as the table's header, which Word and LibreOffice repeat on each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell(cell, text: str, *, left: bool, bold: bool) -> None:  # type: ignore[no-untyped-def]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.bold = bold
