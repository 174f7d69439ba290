"""The department summary table as an .xlsx workbook (openpyxl).

Sheets: 绩效自评汇总表 (the table, `summary_table.summary_sheet`), 审核意见 (the findings of
the scope-S checks, drawn as the form export draws them), 数据来源 (where each row's numbers
were read) and 图表 (执行率 by project and findings by check code, as native Excel bar
charts over the data printed beside them). The three extra sheets each open with a one-cell
title, so the summary reader takes them for no form.
"""

from __future__ import annotations

import math
import os

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.writers.findings import FINDINGS_TITLE
from jixiao.writers.form_xlsx import _draw_findings
from jixiao.writers.official_form import Role
from jixiao.writers.summary_table import (
    CHARTS_TITLE,
    COLUMNS,
    DATA_ROW,
    HEADER_ROW,
    SHEET_TITLE,
    SOURCE_HEADINGS,
    SOURCE_WIDTHS,
    SOURCES_TITLE,
    WIDTHS,
    SummaryCharts,
    SummaryExport,
    SummarySheet,
)

BODY_FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(name=BODY_FONT, size=9)
_BOLD = Font(name=BODY_FONT, size=9, bold=True)
_TITLE = Font(name=BODY_FONT, size=16, bold=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_ROW_CM = 0.5  # a default row is 15 pt high: about half a centimetre, to stack the charts


def write_xlsx(path: str | os.PathLike[str], export: SummaryExport) -> None:
    workbook = Workbook()
    table = workbook.active
    table.title = SHEET_TITLE
    _draw_table(table, export.sheet)
    _draw_findings(workbook.create_sheet(FINDINGS_TITLE), export.findings)
    _draw_sources(workbook.create_sheet(SOURCES_TITLE), export.sources)
    _draw_charts(workbook.create_sheet(CHARTS_TITLE), export.charts)
    workbook.save(os.fspath(path))


def _draw_table(sheet: Worksheet, table: SummarySheet) -> None:
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, height in enumerate(table.row_heights, 1):
        sheet.row_dimensions[row].height = round(height, 1)
    # Borders on every cell of the header and body, covered ones included: a merged range
    # only shows the borders of the cells it covers.
    for row in range(HEADER_ROW + 1, table.rows + 1):
        for column in range(1, COLUMNS + 1):
            cell = sheet.cell(row, column)
            cell.border, cell.font, cell.alignment = _BORDER, _BODY, _CENTRE
    for item in table.cells:
        row, column = item.row + 1, item.column + 1
        cell = sheet.cell(row, column)
        if item.number is not None:
            cell.value = int(item.number) if item.number_format == "0" else float(item.number)
            cell.number_format = item.number_format
        elif item.text:
            cell.value = item.text
        if item.role is Role.TITLE:
            cell.font, cell.alignment = _TITLE, _CENTRE
        elif item.row == 1:  # 单位:万元, at the right as the sample prints it
            cell.font, cell.alignment = _BODY, _RIGHT
        elif item.role is Role.LABEL:
            cell.font = _BOLD
        elif item.role is Role.TEXT:
            cell.alignment = _LEFT
        rows, columns = item.span
        if rows > 1 or columns > 1:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + rows - 1, end_column=column + columns - 1)
    sheet.freeze_panes = sheet.cell(DATA_ROW + 1, 4)
    sheet.print_title_rows = f"{HEADER_ROW + 1}:{DATA_ROW}"
    _print_setup(sheet)


def _draw_sources(sheet: Worksheet, rows: tuple[tuple[str, ...], ...]) -> None:
    title = sheet.cell(1, 1, f"{SOURCES_TITLE}（每行数字取自哪个文件、哪张表、哪一行）")
    title.font, title.alignment = _TITLE, _CENTRE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SOURCE_HEADINGS))
    sheet.row_dimensions[1].height = 30
    for column, (heading, width) in enumerate(zip(SOURCE_HEADINGS, SOURCE_WIDTHS, strict=True), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(2, column, heading)
        cell.font, cell.border, cell.alignment = _BOLD, _BORDER, _CENTRE
    for row, values in enumerate(rows, 3):
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row, column, value or None)
            cell.font, cell.border, cell.alignment = _BODY, _BORDER, _LEFT
    sheet.freeze_panes = "A3"
    _print_setup(sheet)


def _draw_charts(sheet: Worksheet, charts: SummaryCharts) -> None:
    """The charts' data in columns A–B and D–E, the bar charts below it."""
    title = sheet.cell(1, 1, CHARTS_TITLE)
    title.font = _TITLE
    _data(sheet, 1, ("项目", "预算支出执行率(%)"), [(name, float(rate) if rate is not None else None) for name, rate in charts.execution])
    _data(sheet, 4, ("检查项", "问题数"), list(charts.findings))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["D"].width = 30
    # Below the data, not beside it: a chart beside the data is cut by the page break.
    below = 4 + max(len(charts.execution), len(charts.findings))
    if charts.execution:
        chart = _bar_chart("预算支出执行率（%）", sheet, 1, len(charts.execution), "%")
        sheet.add_chart(chart, f"A{below}")
        below += math.ceil(chart.height / _ROW_CM) + 2
    if charts.findings:
        sheet.add_chart(_bar_chart("审核问题（按检查项）", sheet, 4, len(charts.findings), "条"), f"A{below}")
    _print_setup(sheet)


def _data(sheet: Worksheet, column: int, headings: tuple[str, str], rows: list[tuple[str, float | int | None]]) -> None:
    for offset, heading in enumerate(headings):
        cell = sheet.cell(2, column + offset, heading)
        cell.font, cell.border = _BOLD, _BORDER
    for row, (name, value) in enumerate(rows, 3):
        sheet.cell(row, column, name).border = _BORDER
        cell = sheet.cell(row, column + 1, value)
        cell.border = _BORDER
        cell.number_format = "0.00" if isinstance(value, float) else "0"


def _bar_chart(title: str, sheet: Worksheet, column: int, count: int, unit: str) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: project names are long
    chart.title = title
    chart.legend = None
    chart.y_axis.title = unit
    values = Reference(sheet, min_col=column + 1, min_row=2, max_row=2 + count)
    names = Reference(sheet, min_col=column, min_row=3, max_row=2 + count)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(names)
    chart.x_axis.scaling.orientation = "maxMin"  # first project on top, as in the table
    # openpyxl 3.1 writes axes as deleted unless told otherwise: no project names, no scale.
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.x_axis.tickLblSkip = 1  # every project's name, not every other one
    chart.width = 24
    chart.height = max(6.0, 1.2 * count)  # room for every project's name
    return chart


def _print_setup(sheet: Worksheet) -> None:
    """A3 landscape, one page wide: the summary has 27 columns."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.3, footer=0.3)
