"""The grid: what every input format becomes before a layout reader sees it.

A text extraction is one grid per file (a line is a row, a tab a cell boundary). Office
readers add merged-cell spans on the anchor cell; covered cells are None. Layout readers
only ever see grids, so a new format is one new grid reader and no new parser.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its text as extracted ("" when blank) and the span of a merged cell."""

    text: str
    span: tuple[int, int] = (1, 1)  # rows × columns covered, on the anchor only


@dataclass(frozen=True, slots=True)
class Grid:
    """Rows of cells from one file (or one sheet / table / page of it)."""

    file: str
    rows: tuple[tuple[Cell | None, ...], ...]
    part: str = ""  # sheet, table or page name within the file, "" for a text file
    first_line: int = 1  # line number (1-based) of rows[0] in the file
    notes: tuple[str, ...] = ()  # said of the whole part (a hidden sheet); copied onto its forms' notes

    def line_of(self, row_index: int) -> int:
        return self.first_line + row_index

    def texts(self, row_index: int) -> list[str]:
        """The row's cell texts, covered cells as ""."""
        return [cell.text if cell is not None else "" for cell in self.rows[row_index]]


class ReadError(Exception):
    """An input that could not be read. The message names the file and the place."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")
