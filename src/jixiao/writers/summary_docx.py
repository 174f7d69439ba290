"""The department summary table as a Word document (python-docx), A3 landscape.

The title and the `单位:万元` line are the table's first two rows, without borders: the
docx reader reads tables only, and the summary reader takes the year from the title and the
unit from that line (without it, it would assume 万元). The five title and header rows
repeat on every page. The findings and the sources follow as numbered paragraphs, not as
tables: a table after the summary would be read as more rows of it (the docx reader
continues a table that does not end with a form's 总分).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jixiao.writers.docx_pages import landscape_pages
from jixiao.writers.findings import FINDINGS_TITLE, HEADINGS
from jixiao.writers.official_form import Role
from jixiao.writers.summary_table import DATA_ROW, SOURCE_HEADINGS, SOURCES_TITLE, WIDTHS, SummaryExport, SummarySheet

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(420), Mm(297), Mm(12)
_LEFT_ROLES = frozenset({Role.TEXT})
_BORDERLESS_ROWS = frozenset({0, 1})  # the title and the 单位 line


def write_docx(path: str | os.PathLike[str], export: SummaryExport) -> None:
    document = Document()
    landscape_pages(document, PAGE_WIDTH, PAGE_HEIGHT, MARGIN, 8)
    _draw_table(document, export.sheet)
    _page_break(document)
    _section(document, FINDINGS_TITLE, [_finding_line(row) for row in export.findings.printed_rows()])
    _section(document, SOURCES_TITLE, [_source_line(row) for row in export.sources])
    document.save(os.fspath(path))


def _draw_table(document: DocumentObject, sheet: SummarySheet) -> None:
    table = document.add_table(rows=sheet.rows, cols=len(WIDTHS))
    table.style = "Table Grid"
    table.autofit = False
    usable = PAGE_WIDTH - 2 * MARGIN
    total = sum(WIDTHS)
    emus = [int(usable * width / total) for width in WIDTHS]
    for column, emu in zip(table.columns, emus, strict=True):
        column.width = emu
    # Cells are taken once per row before any merge: a merge removes covered cells.
    cells = [list(row.cells) for row in table.rows]
    for row in cells:
        for cell, emu in zip(row, emus, strict=True):
            cell.width = emu
    for row in table.rows[:DATA_ROW]:
        _repeat_as_header(row)
    for item in sheet.cells:
        anchor = cells[item.row][item.column]
        rows, columns = item.span
        if rows > 1 or columns > 1:
            anchor = anchor.merge(cells[item.row + rows - 1][item.column + columns - 1])
        if item.row in _BORDERLESS_ROWS:
            _no_borders(anchor)  # before vAlign: tcBorders precedes it in a cell's properties
        anchor.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        alignment = WD_ALIGN_PARAGRAPH.RIGHT if item.row == 1 else None
        _write(anchor, item.text, item.role, alignment)


def _write(cell, text: str, role: Role, alignment: WD_ALIGN_PARAGRAPH | None) -> None:
    """The cell's text, one paragraph per line (the reader joins them with line breaks)."""
    if alignment is None:
        alignment = WD_ALIGN_PARAGRAPH.LEFT if role in _LEFT_ROLES else WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(text.split("\n") if text else [""]):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = alignment
        if not line:
            continue
        run = paragraph.add_run(line)
        if role is Role.TITLE:
            run.bold = True
            run.font.size = Pt(16)
        elif role is Role.LABEL:
            run.bold = True


def _repeat_as_header(row) -> None:
    """Mark a row to repeat at the top of each page (w:tblHeader)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def _no_borders(cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    properties.append(borders)


def _page_break(document: DocumentObject) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _section(document: DocumentObject, heading: str, lines: Sequence[str]) -> None:
    title = document.add_paragraph()
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(4)
    run = title.add_run(heading)
    run.bold = True
    run.font.size = Pt(12)
    for line in lines:
        document.add_paragraph(line).paragraph_format.space_after = Pt(2)


def _finding_line(values: tuple[str, ...]) -> str:
    """`1. 干部健康管理 · funds.low-execution（警告，不通过）第9行：…；应为 0.8，填报 0.5975`."""
    field = dict(zip(HEADINGS, values, strict=True))
    if not field["检查项"]:
        return field["说明"]  # 未发现问题
    where = "".join(
        part for part in (f"第{field['原表行']}行" if field["原表行"] else "", field["指标"]) if part
    )
    text = f"{field['序号']}. {field['项目']} · {field['检查项']}（{field['级别']}，{field['结果']}）"
    text += f"{where}：{field['说明']}" if where else f"：{field['说明']}"
    compared = "，".join(part for part in (_said("应为", field["应为"]), _said("填报", field["填报"])) if part)
    return f"{text}；{compared}" if compared else text


def _source_line(values: tuple[str, ...]) -> str:
    """`1. 干部健康管理：luohu….txt 第1张表（form-2022，第3–28行）；预算与支出 第9行；…`."""
    field = dict(zip(SOURCE_HEADINGS, values, strict=True))
    place = f"{field['来源文件']} 第{field['第几张表']}张表（{field['表样']}"
    place += f"，第{field['原表行']}行）" if field["原表行"] else "）"
    parts = [f"{field['序号']}. {field['项目']}：{place}"]
    for heading in ("预算与支出", "财政拨款", "非财政资金", "指标", "问题"):
        if field[heading]:
            parts.append(f"{heading} 第{field[heading]}行")
    if field["说明"]:
        parts.append(field["说明"])
    return "；".join(parts)


def _said(label: str, value: str) -> str:
    return f"{label} {value}" if value else ""
