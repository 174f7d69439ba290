"""The official form as an .xlsx workbook (openpyxl): one sheet per form, then 审核意见.

Drawn like the paper form: merged cells, thin borders, 宋体 10.5 pt, wrapped text, row
heights for the wrapped lines, A4 landscape fitted to one page wide. Numbers are stored as
numbers with a format that shows the digits the unit printed (`official_form.number_cell`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.writers.findings import FINDINGS_TITLE, HEADINGS, TEXT_COLUMNS, WIDTHS, FindingsTable
from jixiao.writers.official_form import COLUMN_WIDTHS, COLUMNS, FormTable, Role

BODY_FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONTS = {
    Role.TITLE: Font(name=BODY_FONT, size=16, bold=True),
    Role.SECTION: Font(name=BODY_FONT, size=10.5, bold=True),
}
_BODY = Font(name=BODY_FONT, size=10.5)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_ALIGNMENTS = {
    Role.TEXT: Alignment(horizontal="left", vertical="center", wrap_text=True),
    Role.SECTION: Alignment(horizontal="left", vertical="center", wrap_text=True),
}
_HEADING_FONT = Font(name=BODY_FONT, size=10.5, bold=True)
# Characters Excel refuses in a sheet name, and its length limit.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31


def write_xlsx(path: str | os.PathLike[str], tables: Sequence[FormTable], findings: FindingsTable | None = None) -> None:
    """Write each form on its own sheet, then the findings sheet when `findings` is given."""
    workbook = Workbook()
    default = workbook.active
    names: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.name, names))
        _draw_form(sheet, table)
    if findings is not None:
        _draw_findings(workbook.create_sheet(_sheet_name(FINDINGS_TITLE, names)), findings)
    workbook.remove(default)
    workbook.save(os.fspath(path))


def _sheet_name(name: str, taken: set[str]) -> str:
    """A unique, valid sheet name from a project name."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "自评表"
    candidate = base[:_SHEET_NAME_MAX]
    number = 2
    while candidate.casefold() in taken:
        suffix = f"({number})"
        candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def _draw_form(sheet: Worksheet, table: FormTable) -> None:
    for column, width in enumerate(COLUMN_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, height in enumerate(table.row_heights, 1):
        sheet.row_dimensions[row].height = round(height, 1)
    # Every cell of the table gets its border and font, covered ones included: a merged
    # range only shows the borders of the cells it covers.
    for row in range(2, table.rows + 1):
        for column in range(1, COLUMNS + 1):
            cell = sheet.cell(row, column)
            cell.border = _BORDER
            cell.font = _BODY
            cell.alignment = _CENTRE
    for item in table.cells:
        row, column = item.row + 1, item.column + 1
        cell = sheet.cell(row, column)
        if item.number is not None:
            cell.value = int(item.number) if item.number_format == "0" else float(item.number)
        elif item.text:
            cell.value = item.text
        if item.number_format:
            cell.number_format = item.number_format
        if item.role in _FONTS:
            cell.font = _FONTS[item.role]
        if item.role in _ALIGNMENTS:
            cell.alignment = _ALIGNMENTS[item.role]
        elif item.role is Role.TITLE:
            cell.alignment = _CENTRE
        rows, columns = item.span
        if rows > 1 or columns > 1:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + rows - 1, end_column=column + columns - 1)
    _print_setup(sheet)


def _draw_findings(sheet: Worksheet, findings: FindingsTable) -> None:
    # The title in A1 is how a reader tells jixiao's findings from a form (findings.py).
    title = sheet.cell(1, 1, FINDINGS_TITLE)
    title.font, title.alignment = _FONTS[Role.TITLE], _CENTRE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet.row_dimensions[1].height = 30
    for column, (heading, width) in enumerate(zip(HEADINGS, WIDTHS), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(2, column, heading)
        cell.font, cell.border, cell.alignment = _HEADING_FONT, _BORDER, _CENTRE
    rows = findings.printed_rows()
    for row, values in enumerate(rows, 3):
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row, column, value or None)
            cell.font, cell.border = _BODY, _BORDER
            cell.alignment = _ALIGNMENTS[Role.TEXT] if column - 1 in TEXT_COLUMNS else _CENTRE
    sheet.freeze_panes = "A3"
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide and as many pages tall as needed, centred."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.3, footer=0.3)
