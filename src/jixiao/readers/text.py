"""Text extractions (.txt/.tsv) as a grid: one line is one row, a tab is a cell boundary.

Chinese users' files come as UTF-8 (with or without a BOM) or as GBK, so decoding falls back
to GB18030, GBK's superset; Excel's "Unicode text" export is UTF-16 with a BOM. A file that
is empty, binary or in no such encoding is a ReadError naming the file.
"""

from __future__ import annotations

import os

from jixiao.readers.grid import Cell, Grid, ReadError

ENCODINGS = ("utf-8-sig", "gb18030")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control bytes a text extraction never holds (\t \n \r and \f for page breaks are fine).
# Neither UTF-8 nor GB18030 uses bytes below 0x20 inside a multi-byte character, so they
# can be looked for before decoding; GB18030 would otherwise decode almost any binary.
_CONTROL_BYTES = bytes(code for code in range(32) if chr(code) not in "\t\n\r\f")


class _SharedCells(dict[str, Cell]):
    """One immutable Cell per distinct text: cells repeat heavily ("", "无偏差", "0.0")."""

    def __missing__(self, text: str) -> Cell:
        cell = self[text] = Cell(text)
        return cell


class _SharedRows(dict[str, tuple[Cell, ...]]):
    """One row of cells per distinct line: headings, 满意度 and 不适用 rows repeat in every form."""

    def __init__(self) -> None:
        super().__init__()
        self._cells = _SharedCells().__getitem__

    def __missing__(self, line: str) -> tuple[Cell, ...]:
        row = self[line] = tuple(map(self._cells, line.split("\t")))
        return row


def read_text_grid(path: str | os.PathLike[str]) -> Grid:
    """The grid of one text file; raises ReadError when the file cannot be read as text."""
    file = os.fspath(path)
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    return grid_from_text(decode_text(data, file), file)


def decode_text(data: bytes, file: str) -> str:
    """Decode UTF-8 (BOM optional), else GB18030, or UTF-16 with a BOM; refuse empty and binary content."""
    if data.startswith(_UTF16_BOMS):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ReadError(file, "UTF-16 文本无法解码") from None
    if not data.strip():
        raise ReadError(file, "文件为空")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        raise ReadError(file, "不是文本文件（含二进制内容）")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(file, "无法按 UTF-8 或 GB18030 解码，不是可读的文本文件")


def grid_from_text(text: str, file: str, first_line: int = 1) -> Grid:
    """Split text into rows and cells. Line numbers stay those of the file (1-based)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line opens no row
    # Sharing cells and rows keeps grid building cheap: the pipeline must read, score and
    # check ≥ 2,000 forms/s on one core.
    rows = tuple(map(_SharedRows().__getitem__, lines))
    return Grid(file=file, rows=rows, first_line=first_line)
