"""Excel workbooks (.xlsx, legacy .xls) as grids, through python-calamine (Excel 工作簿).

calamine reads values only: a formula gives its cached value and nothing is ever evaluated
or executed (macro-enabled files are refused earlier, in formats.py). Each worksheet is one
grid named after the sheet, its rows numbered as the sheet numbers them, so an error reads
`file:line` with the sheet's row. A merged range puts its text on the anchor with its span
and leaves the covered cells None, as grid.py requires.

Numbers become text as the sheet shows them: for .xlsx the cells' number formats come from
xlsx_package.py (which also bounds each sheet's size before calamine allocates it); .xls
exposes no formats through calamine, so its numbers show as General (`300000`, `0.56`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from jixiao.readers.biff import check_workbook_stream
from jixiao.readers.compound_file import inspect_compound_file
from jixiao.readers.formats import FileFormat
from jixiao.readers.grid import Cell, Grid, ReadError
from jixiao.readers.limits import Limits
from jixiao.readers.number_format import display, general, iso
from jixiao.readers.xlsx_package import CellFormats, unpack_workbook

_WORKBOOK_STREAMS = ("Workbook", "Book")
_COVERED_BUDGET = 4  # merges may cover at most this many times the grid's cells (overlapping merges)


def read_workbook(file: str, limits: Limits, file_format: FileFormat = FileFormat.XLSX) -> list[Grid]:
    """One grid per worksheet (chart sheets have no cells); raises ReadError naming the file."""
    try:
        if file_format is FileFormat.XLSX:
            package = unpack_workbook(file, limits)
            return _read_sheets(file, limits, io.BytesIO(package.workbook), package.formats, package.date1904)
        streams = inspect_compound_file(file, read=_WORKBOOK_STREAMS).streams
        stream = streams.get("Workbook", streams.get("Book"))  # calamine's order
        if stream is None:
            raise ReadError(file, "Office 97-2003 文件中没有工作簿数据，无法读取")
        check_workbook_stream(stream, limits, file)
        # From a handle, calamine tells the format by content; from a path it goes by the
        # suffix, and an .xls saved under another name would fail.
        with open(file, "rb") as handle:
            return _read_sheets(file, limits, handle, {}, False)
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    except BaseException as error:
        # A Rust panic inside calamine arrives as pyo3's PanicException, a BaseException that
        # `except Exception` would let through; fuzzed .xls files raise it (out-of-range slices).
        if type(error).__name__ != "PanicException":
            raise
        raise ReadError(file, f"工作簿已损坏，无法读取（{_reason(error)}）") from None


def _read_sheets(file: str, limits: Limits, source, formats: dict[str, CellFormats], date1904: bool) -> list[Grid]:
    try:
        workbook = CalamineWorkbook.from_object(source)
    except PasswordError:
        raise ReadError(file, "文件设有密码，请去除密码后再提交") from None
    except (CalamineError, ValueError) as error:
        raise ReadError(file, f"工作簿已损坏，无法读取（{_reason(error)}）") from None
    grids = []
    cells = 0
    cache = _CellCache()  # shared by the sheets: forms repeat their labels and numbers
    with workbook:
        for sheet_info in workbook.sheets_metadata:
            if sheet_info.typ is not SheetTypeEnum.WorkSheet:
                continue
            name = sheet_info.name
            try:
                sheet = workbook.get_sheet_by_name(name)
            except PasswordError:
                raise ReadError(file, "文件设有密码，请去除密码后再提交") from None
            except (CalamineError, ValueError) as error:
                raise ReadError(file, f"工作表“{name}”已损坏，无法读取（{_reason(error)}）") from None
            cells += sheet.height * sheet.width
            if cells > limits.max_cells:
                raise ReadError(file, f"工作簿过大（超过 {limits.max_cells:,} 个单元格），已拒绝读取")
            # A hidden sheet is read all the same, but a reviewer should know the form was out of sight.
            notes = (f"读自隐藏的工作表“{name}”",) if sheet_info.visible is not SheetVisibleEnum.Visible else ()
            grid = _grid(file, name, sheet, formats.get(name, {}), date1904, cache)
            grids.append(replace(grid, notes=notes) if notes else grid)
    return grids


def _reason(error: Exception) -> str:
    """calamine's message, shortened and, where it is cryptic, said plainly."""
    text = str(error).strip() or type(error).__name__
    if "unrecognized entity" in text:  # calamine does not expand DTD entities: it stops at them
        return "含自定义 XML 实体，疑似恶意文件"
    if "Cannot detect file format" in text:  # every reader refused the content while opening it
        return "工作簿结构或共享字符串表无法解析"
    return text[:200]


_TRUE, _FALSE, _ZERO, _ONE = Cell("TRUE"), Cell("FALSE"), Cell("0"), Cell("1")
_Anchors = dict[tuple[str, tuple[int, int]], Cell]  # merged anchors by (text, span)


class _CellCache(dict):
    """Cells by calamine value: texts are interned (cells repeat: "", "—", "无偏差") and numbers
    shown as General. 0 and 1 are never stored, because True == 1 and False == 0 would make a
    boolean cell hit a number's entry: they come from constants, like TRUE and FALSE. `shown`
    holds formatted numbers by (value, format), `spanned` merged anchors by (text, span)."""

    __slots__ = ("shown", "spanned")

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[tuple[object, str], Cell] = {}
        self.spanned: _Anchors = {}

    def __missing__(self, value: object) -> Cell:
        kind = type(value)
        if kind is str:
            cell = self[value] = Cell(value)  # type: ignore[index]
        elif kind is bool:
            cell = _TRUE if value else _FALSE
        elif kind is float or kind is int:
            if value == 0 or value == 1:  # General shows -0.0 as 0 too
                cell = _ONE if value else _ZERO
            else:
                cell = self[value] = Cell(general(value))  # type: ignore[arg-type,index]
        elif isinstance(value, (dt.date, dt.time, dt.timedelta)):
            cell = Cell(iso(value))
        else:
            cell = Cell(str(value))
        return cell


def _grid(file: str, part: str, sheet: CalamineSheet, formats: CellFormats, date1904: bool, cache: _CellCache) -> Grid:
    start = sheet.start
    if start is None:
        return Grid(file=file, rows=(), part=part)
    top, left = start
    values = sheet.to_python()
    # Most cells are text or General numbers: one C-level map per row. Formatted numbers
    # (a few dozen per form) are put right afterwards.
    lookup = cache.__getitem__
    rows = [list(map(lookup, row)) for row in values]
    height = len(rows)
    width = len(values[0]) if values else 0
    shown = cache.shown
    for (row_number, column), code in formats.items():
        index, offset = row_number - top, column - left
        if 0 <= index < height and 0 <= offset < width:
            value = values[index][offset]
            kind = type(value)
            if kind is not str and kind is not bool:
                key = (value, code)
                cell = shown.get(key)
                if cell is None:
                    cell = shown[key] = Cell(display(value, code, date1904))  # type: ignore[arg-type]
                rows[index][offset] = cell
    _merge(rows, sheet.merged_cell_ranges or (), top, left, cache.spanned)
    return Grid(file=file, rows=tuple(map(tuple, rows)), part=part, first_line=top + 1)


def _merge(rows: list[list[Cell | None]], ranges, top: int, left: int, spanned: _Anchors) -> None:
    """Put each merged range's span on its anchor and cover the rest with None. Spanned
    anchors are shared through `spanned`, as forms repeat their merged labels.

    Ranges are clipped to the grid (a merge may reach past the last filled cell); a range
    whose anchor lies outside the grid or is already covered is skipped, and the work is
    capped, so overlapping merges in a hostile file cannot make this quadratic.
    """
    height = len(rows)
    width = len(rows[0]) if rows else 0
    budget = _COVERED_BUDGET * height * width
    for (first_row, first_column), (last_row, last_column) in ranges:
        anchor_row, anchor_column = first_row - top, first_column - left
        if not (0 <= anchor_row < height and 0 <= anchor_column < width):
            continue
        anchor = rows[anchor_row][anchor_column]
        if anchor is None or anchor.span != (1, 1):
            continue
        bottom = min(last_row - top, height - 1)
        right = min(last_column - left, width - 1)
        span = (bottom - anchor_row + 1, right - anchor_column + 1)
        if span == (1, 1) or span[0] < 1 or span[1] < 1:
            continue
        budget -= span[0] * span[1]
        if budget < 0:
            return
        if span[1] == 1:  # a label merged down its column: the common case
            for row in rows[anchor_row + 1 : bottom + 1]:
                row[anchor_column] = None
        else:
            covered = [None] * span[1]
            for row in rows[anchor_row : bottom + 1]:
                row[anchor_column : right + 1] = covered
        key = (anchor.text, span)
        cell = spanned.get(key)
        if cell is None:
            cell = spanned[key] = Cell(anchor.text, span)
        rows[anchor_row][anchor_column] = cell
