"""Layout readers: a grid split into regions, each region read by the layout it matches.

A file can hold many forms. A region starts at a title line (`项目支出绩效自评表`,
`…部门预算项目绩效自评表`) or at a header line (`项目名称`/`项目编码`, or a summary's `序号`)
that follows a finished region. Each region is given to the first layout that recognises
it: `summary`, then `form-2022`, then `form-2021`. A region no layout matches, a form
missing its funds block or indicator rows, and table rows left outside any form become
ReadErrors naming the file and line; every other form in the file is still read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jixiao.domain.model import Form
from jixiao.readers.grid import Cell, Grid, ReadError
from jixiao.readers.layouts import form2021, form2022, summary
from jixiao.readers.layouts.common import LayoutError, Region, Row, key

_TITLE_MARK = "自评表"
_FORM_STARTS = frozenset({"项目名称", "项目编码"})
# Signature lines under a form are not part of its table and are no error.
_FOOTERS = frozenset(
    {"填报人", "填表人", "联系人", "联系电话", "填报日期", "填表日期", "审核人", "单位负责人", "财务负责人", "项目负责人", "填报单位"}
)


@dataclass(frozen=True, slots=True)
class Layout:
    """A layout reader: its name, how it recognises a region, and how it reads one."""

    name: str
    matches: Callable[[Region], bool]
    read: Callable[[Region, int], tuple[list[Form], int]]


# Tried in order: form-2021 last, because it also takes a bare 项目名称 header.
LAYOUTS = (
    Layout(summary.LAYOUT, summary.matches, summary.read),
    Layout(form2022.LAYOUT.name, form2022.matches, form2022.read),
    Layout(form2021.LAYOUT.name, form2021.matches, form2021.read),
)


def forms_from_grid(grid: Grid) -> tuple[list[Form], list[ReadError]]:
    """Every form in the grid, and a ReadError for each place that could not be read."""
    regions, loose = split_regions(grid)
    forms: list[Form] = []
    errors: list[ReadError] = []
    for region in regions:
        layout = next((layout for layout in LAYOUTS if layout.matches(region)), None)
        if layout is None:
            errors.append(ReadError(grid.file, "无法识别的表格：不是已知的自评表格式", region.first_line))
            continue
        try:
            read, end = layout.read(region, len(forms))
        except LayoutError as error:
            errors.append(ReadError(grid.file, f"{layout.name}：{error.message}", error.line))
            continue
        forms.extend(read)
        loose.append(region.rows[end + 1 :])
    for rows in loose:
        stray = [row for row in rows if row.count() > 1 and key(row.first) not in _FOOTERS]
        if stray:
            lines = f"第{stray[0].line}–{stray[-1].line}行" if len(stray) > 1 else f"第{stray[0].line}行"
            errors.append(ReadError(grid.file, f"{lines}不属于任何自评表，无法识别", stray[0].line))
    if not forms and not errors:
        errors.append(ReadError(grid.file, "未找到项目支出绩效自评表或部门汇总表"))
    errors.sort(key=lambda error: error.line or 0)
    return forms, errors


def split_regions(grid: Grid) -> tuple[list[Region], list[tuple[Row, ...]]]:
    """The grid's regions, and the rows before the first one (a preamble)."""
    regions: list[list[Row]] = []
    preamble: list[Row] = []
    current: list[Row] | None = None
    has_body = False  # the current region has table rows besides its title and header
    for row in _rows(grid):
        # Cheap tests first (a title, 项目名称/项目编码, a summary's 序号): this runs on every row.
        text = row.first
        first = key(text) if "表" in text or "项" in text or "序" in text else None
        if first is not None and _TITLE_MARK in first and row.count() == 1:
            current, has_body = [row], False
            regions.append(current)
        elif first in _FORM_STARTS or summary.is_table_header(row):
            if current is None or has_body:
                current = [row]
                regions.append(current)
            else:
                current.append(row)
            has_body = False
        elif current is None:
            preamble.append(row)
        else:
            current.append(row)
            # Prose lines (a summary's `单位:万元`) sit between a title and its table.
            has_body = has_body or row.count() > 1
    # Office readers name the part (sheet, table, page) and keep blank cells at their columns;
    # a text extraction has no part (grid.py).
    fixed_columns = bool(grid.part)
    return [Region(grid.file, tuple(rows), fixed_columns) for rows in regions], [tuple(preamble)]


def _rows(grid: Grid) -> list[Row]:
    """The grid's non-blank rows, cells stripped and trailing blanks cut."""
    rows = []
    # A text grid shares one tuple per distinct line (text.py); the grid keeps every tuple
    # alive while this runs, so a tuple's id names it.
    stripped: dict[int, tuple[str, ...]] = {}
    line = grid.first_line
    for cells in grid.rows:
        texts = stripped.get(id(cells))
        if texts is None:
            texts = stripped[id(cells)] = _stripped(cells)
        if texts:
            rows.append(Row(line, texts))
        line += 1
    return rows


def _stripped(cells: tuple[Cell | None, ...]) -> tuple[str, ...]:
    texts = [cell.text.strip() if cell is not None else "" for cell in cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)
