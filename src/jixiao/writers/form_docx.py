"""The official form as a Word document (python-docx): the title, then the same table.

Each form starts on a new A4 landscape page; the table has the official nine columns, its
merged cells made with `cell.merge` (horizontal gridSpan, vertical vMerge), 宋体 10.5 pt.
Word and LibreOffice size the rows to the wrapped text themselves. The findings follow on
their own page under the heading 审核意见.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt
from docx.table import Table

from jixiao.writers.docx_pages import landscape_pages
from jixiao.writers.findings import FINDINGS_TITLE, HEADINGS, TEXT_COLUMNS, WIDTHS, FindingsTable
from jixiao.writers.official_form import COLUMN_WIDTHS, TITLE, FormTable, Role

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(297), Mm(210), Mm(15)
_LEFT_ROLES = frozenset({Role.TEXT, Role.SECTION})


def write_docx(path: str | os.PathLike[str], tables: Sequence[FormTable], findings: FindingsTable | None = None) -> None:
    """Write each form on its own page, then the findings when `findings` is given."""
    document = Document()
    landscape_pages(document, PAGE_WIDTH, PAGE_HEIGHT, MARGIN, 10.5)
    for index, table in enumerate(tables):
        _heading(document, TITLE, page_break=index > 0)
        _draw_form(document, table)
    if findings is not None:
        if tables:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _draw_findings(document, findings)
    document.save(os.fspath(path))


def _heading(document: DocumentObject, text: str, page_break: bool) -> None:
    paragraph = document.add_paragraph()
    if page_break:
        paragraph.add_run().add_break(WD_BREAK.PAGE)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)


def _new_table(document: DocumentObject, rows: int, widths: Sequence[float]) -> tuple[Table, list[list]]:
    """A ruled table with column widths in proportion to `widths`, and its cells by row."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    usable = PAGE_WIDTH - 2 * MARGIN
    total = sum(widths)
    emus = [int(usable * width / total) for width in widths]
    for column, emu in zip(table.columns, emus):
        column.width = emu
    # Cells are taken once per row before any merge: a merge removes covered cells.
    cells = [list(row.cells) for row in table.rows]
    for row in cells:
        for cell, emu in zip(row, emus):
            cell.width = emu
    return table, cells


def _draw_form(document: DocumentObject, form: FormTable) -> None:
    # The title row is the heading paragraph above; the table starts with the header.
    body = [cell for cell in form.cells if cell.role is not Role.TITLE]
    first = min(cell.row for cell in body)
    _, cells = _new_table(document, form.rows - first, COLUMN_WIDTHS)
    for item in body:
        anchor = cells[item.row - first][item.column]
        rows, columns = item.span
        if rows > 1 or columns > 1:
            anchor = anchor.merge(cells[item.row - first + rows - 1][item.column + columns - 1])
        anchor.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _write(anchor, item.text, left=item.role in _LEFT_ROLES, bold=item.role is Role.SECTION)


def _draw_findings(document: DocumentObject, findings: FindingsTable) -> None:
    """The findings table, its title 审核意见 in its own first row: that row is how a reader
    tells jixiao's findings from a form (findings.py)."""
    rows = findings.printed_rows()
    _, cells = _new_table(document, len(rows) + 2, WIDTHS)
    title = cells[0][0].merge(cells[0][len(HEADINGS) - 1])
    _write(title, FINDINGS_TITLE, left=False, bold=True)
    for column, heading in enumerate(HEADINGS):
        _write(cells[1][column], heading, left=False, bold=True)
    for row, values in enumerate(rows, 2):
        for column, value in enumerate(values):
            _write(cells[row][column], value, left=column in TEXT_COLUMNS, bold=False)


def _write(cell, text: str, *, left: bool, bold: bool) -> None:
    """The cell's text, one paragraph per line (paragraph breaks kept, domain.md §7.3)."""
    paragraphs = text.split("\n") if text else []
    for index, line in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
    if not paragraphs:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
