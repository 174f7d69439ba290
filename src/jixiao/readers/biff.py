"""The records of an .xls workbook stream (BIFF8, 二进制工作簿记录), walked the way calamine
walks them, to bound what calamine will allocate before it runs.

calamine builds each sheet as a dense rectangle from its first to its last cell, reserves
room for the cells a DIMENSIONS record announces and for the strings the SST announces, and
parses every sheet at once when the workbook is opened. In a doctored or fuzzed .xls each of
these asked for gigabytes and aborted the process. This walk reads only record headers and
cell positions: the globals up to their EOF (sheet offsets, the SST's count), then each sheet
from its offset to its EOF, and refuses the file when the sheets together would exceed
`Limits.max_cells`.
"""

from __future__ import annotations

import struct

from jixiao.readers.grid import ReadError
from jixiao.readers.limits import Limits

_RECORD = struct.Struct("<HH")  # type, length; also a cell's row, column
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_I32 = struct.Struct("<i")
_DIMENSIONS_10 = struct.Struct("<HHHH")
_DIMENSIONS_14 = struct.Struct("<IIHH")
_EOF, _BOUNDSHEET, _SST, _CONTINUE, _MULRK, _DIMENSIONS = 0x000A, 0x0085, 0x00FC, 0x003C, 0x00BD, 0x0200
# Records calamine turns into cells: Number, Label, BoolErr, Rk, LabelSst, Formula.
_CELLS = frozenset({0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006})
# calamine takes CONTINUE records off a list's front one by one (quadratic in their number).
_MAX_CONTINUES = 20_000
_WRAP = 1 << 32


def check_workbook_stream(stream: bytes, limits: Limits, file: str) -> None:
    """ReadError when calamine would allocate more than the limits allow for this stream."""
    sheets = _globals(stream, limits, file)
    extents: dict[int, tuple[int, int, int]] = {}  # sheet offset → (bytes walked, rows, columns)
    walked = cells = 0
    for offset, name in sheets:
        if offset not in extents:
            extents[offset] = _sheet_extent(stream, offset, limits, file, name)
            walked += extents[offset][0]
            if walked > len(stream):
                raise ReadError(file, "工作簿的工作表记录相互重叠，疑似恶意文件，已拒绝读取")
        _, rows, columns = extents[offset]
        cells += rows * columns
        if rows * columns > limits.max_cells:
            raise ReadError(file, f"工作表“{name}”范围过大（{rows} 行 × {columns} 列），疑似恶意文件，已拒绝读取")
        if cells > limits.max_cells:
            raise ReadError(file, f"工作簿过大（超过 {limits.max_cells:,} 个单元格），已拒绝读取")


def _globals(stream: bytes, limits: Limits, file: str) -> list[tuple[int, str]]:
    """The sheets' (offset, name) from the BOUNDSHEET records; checks the SST's count."""
    sheets = []
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = _RECORD.unpack_from(stream, position)
        body = position + 4
        if body + length > end:
            break  # calamine stops here with an error
        if kind == _EOF:
            break
        following = _after_continues(stream, body + length, file)
        if kind == _BOUNDSHEET and length >= 8:
            sheets.append((_U32.unpack_from(stream, body)[0], _sheet_name(stream[body + 6 : body + length])))
        elif kind == _SST and length >= 8:
            declared = _I32.unpack_from(stream, body + 4)[0]
            if declared > limits.max_cells or declared > end // 3:  # a string takes at least 3 bytes
                raise ReadError(file, f"共享字符串表声明的字符串数目异常（{declared:,}），疑似恶意文件，已拒绝读取")
        position = following
    return sheets


def _after_continues(stream: bytes, position: int, file: str) -> int:
    """Where the next record starts once the CONTINUE records here are absorbed, as calamine does."""
    count = 0
    end = len(stream)
    while position + 4 < end and _U16.unpack_from(stream, position)[0] == _CONTINUE:
        position += 4 + _U16.unpack_from(stream, position + 2)[0]
        count += 1
        if count > _MAX_CONTINUES:
            raise ReadError(file, "工作簿记录异常（续记录过多），疑似恶意文件，已拒绝读取")
    return position


def _sheet_name(data: bytes) -> str:
    """A BOUNDSHEET's name (ShortXLUnicodeString: length, flags, characters)."""
    if len(data) < 2:
        return ""
    count, wide = data[0], data[1] & 1
    raw = data[2 : 2 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _sheet_extent(stream: bytes, offset: int, limits: Limits, file: str, name: str) -> tuple[int, int, int]:
    """(bytes walked, rows, columns) of the rectangle calamine would build for one sheet."""
    top = left = _WRAP
    bottom = right = -1
    position, end = offset, len(stream)
    unpack = _RECORD.unpack_from
    cells = _CELLS
    # The hot loop: one header per record, a row and column per cell record.
    while position + 4 <= end:
        kind, length = unpack(stream, position)
        body = position + 4
        position = body + length
        if position > end:
            break
        if kind in cells:
            if length >= 4:
                row, column = unpack(stream, body)
                if row < top:
                    top = row
                if row > bottom:
                    bottom = row
                if column < left:
                    left = column
                if column > right:
                    right = column
        elif kind == _EOF:
            break
        elif kind == _MULRK and length >= 6:
            row, first = unpack(stream, body)
            last = _U16.unpack_from(stream, position - 2)[0]
            top, bottom = min(top, row), max(bottom, row)
            left, right = min(left, first, last), max(right, first, last)
        elif kind == _DIMENSIONS:
            _check_dimensions(stream[body:position], limits, file, name)
    if bottom < 0:
        return position - offset, 0, 0
    return position - offset, bottom - top + 1, right - left + 1


def _check_dimensions(data: bytes, limits: Limits, file: str, name: str) -> None:
    """calamine reserves rows × columns cells for a DIMENSIONS record, with wrapping arithmetic."""
    if len(data) == 10:
        first_row, last_row, first_column, last_column = _DIMENSIONS_10.unpack_from(data)
    elif len(data) == 14:
        first_row, last_row, first_column, last_column = _DIMENSIONS_14.unpack_from(data)
    else:
        return  # calamine stops with an error
    if last_row < 1 or last_column < 1:
        return
    rows = (last_row - 1 - first_row + 1) % _WRAP
    columns = (last_column - 1 - first_column + 1) % _WRAP
    if rows * columns > limits.max_cells:
        raise ReadError(file, f"工作表“{name}”范围过大（{rows} 行 × {columns} 列），疑似恶意文件，已拒绝读取")
