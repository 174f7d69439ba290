"""Unruled PDF tables: columns where text aligns, rows where lines are spaced apart.

A page without rules is read as one table. Each line of text is cut into pieces at wide
gaps (wider than cell padding leaves between two cells, far wider than a space). Columns
start where the left edges of pieces from several lines meet; a piece reaching over the
next column's start is a merged cell and spans it.

A line either starts a row or continues cells of the rows above: a piece continues the
cell of its column when its first word would not have fitted at the end of that cell's
last line (the text wrapped there: the limit is where the next column starts, less the
padding) and the line sits closer under it than rows sit under each other (rows are
padded apart, the lines of one cell are not). Lines with several pieces give the row
spacing. So cells must be top-aligned and rows padded: a table with bottom- or
centre-aligned wrapped cells, or rows set as tight as its lines, needs rules to be read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from jixiao.readers.grid import Cell
from jixiao.readers.pdf_tables import PageTable
from jixiao.readers.pdf_text import Char, ends_in_space, join_lines, line_text, text_lines, wrap_lead

_CELL_GAP = 0.8  # × font size: a wider gap inside one line separates two cells
_ALIGN = 2.0  # pt: left edges this close start the same column
_SLACK = 0.5  # × font size: how far short of a cell's right limit its lines may wrap
_TIGHTER = 1.0  # pt: a wrapped line follows its cell's line above at least this much closer than rows follow
_ROW_PIECES = 3  # a line with this many pieces starts a row; these lines give the row spacing
_BLANK = Cell("")


@dataclass(slots=True)
class _Piece:
    """One cell's text on one line."""

    x0: float
    x1: float
    top: float
    size: float
    text: str
    lead: float  # width of its first word: what would not fit at the end of the line above
    chars: list[Char]
    column: int = 0
    across: int = 1


@dataclass(slots=True)
class _OpenCell:
    """A cell being read: its text so far, and where its last line is."""

    text: str
    across: int
    top: float
    end: float  # right end of its last line
    limit: float  # the right edge its lines wrap at
    last: _Piece  # its last line


def unruled_table(chars: Sequence[Char]) -> PageTable | None:
    """The page's text as one table, wrapped lines folded back into their cells."""
    lines = [_pieces(line) for line in text_lines(chars)]
    pieces = [piece for line in lines for piece in line]
    if not pieces:
        return None
    starts = _column_starts(pieces)
    for piece in pieces:
        piece.column = max(0, bisect_right(starts, piece.x0 + _ALIGN) - 1)
        piece.across = max(1, bisect_left(starts, piece.x1 - _ALIGN) - piece.column)
    gutter = min((after.x0 - before.x1 for line in lines for before, after in zip(line, line[1:])), default=0.0)
    right_edge = max(piece.x1 for piece in pieces)

    def limit(piece: _Piece) -> float:
        end = piece.column + piece.across
        return starts[end] - gutter if end < len(starts) else right_edge

    row_pitch = _row_pitch(lines)
    rows: list[dict[int, _OpenCell]] = []
    row_tops: list[float] = []
    open_cells: dict[int, _OpenCell] = {}
    for line in lines:
        fresh: dict[int, _OpenCell] = {}
        for piece in line:
            cell = open_cells.get(piece.column)
            if (
                cell
                and row_pitch is not None
                and piece.top - cell.top <= row_pitch - _TIGHTER
                and cell.end + piece.lead > cell.limit - _SLACK * piece.size
            ):  # the piece's first word did not fit on the cell's line above: it wrapped
                spaced = ends_in_space(cell.last.chars, cell.last.text, [cell.text, piece.text])
                cell.text = join_lines(cell.text, piece.text, spaced=spaced)
                cell.top, cell.end, cell.last = piece.top, piece.x1, piece
            elif piece.column in fresh:  # two pieces of one line in one column: keep both
                fresh[piece.column].text += " " + piece.text
            else:
                fresh[piece.column] = _OpenCell(piece.text, piece.across, piece.top, piece.x1, limit(piece), piece)
        if fresh:
            open_cells.update(fresh)
            rows.append(fresh)
            row_tops.append(line[0].top)
    if sum(len(cells) > 1 for cells in rows) < 2:
        return None  # prose (a cover letter), not a table
    bbox = (
        min(char["x0"] for char in chars),
        min(char["top"] for char in chars),
        max(char["x1"] for char in chars),
        max(char["bottom"] for char in chars),
    )
    heights = [below - above for above, below in zip(row_tops, [*row_tops[1:], bbox[3]])]
    grid_rows = [_row(cells, len(starts)) for cells in rows]
    return PageTable(grid_rows, bbox, starts, head_height=max(heights[:2]), ruled=False)


def _pieces(line: list[Char]) -> list[_Piece]:
    """A line's glyphs cut into cell pieces at gaps wider than any space."""
    groups: list[list[Char]] = []
    last_ink: Char | None = None
    for char in line:
        if last_ink is None or char["x0"] - last_ink["x1"] > _CELL_GAP * char["size"]:
            groups.append([])
        groups[-1].append(char)
        if not char["text"].isspace():
            last_ink = char
    pieces = []
    for group in groups:
        text = line_text(group)
        if text:
            x1 = max(char["x1"] for char in group)
            pieces.append(_Piece(group[0]["x0"], x1, group[0]["top"], group[0]["size"], text, wrap_lead(group), group))
    return pieces


def _column_starts(pieces: list[_Piece]) -> list[float]:
    """Left edges shared by pieces of at least two lines, and the leftmost edge of all."""
    edges = sorted(piece.x0 for piece in pieces)
    starts = [edges[0]]
    cluster = [edges[0]]
    for edge in edges[1:]:
        if edge - cluster[0] <= _ALIGN:
            cluster.append(edge)
            continue
        if len(cluster) >= 2 and cluster[0] != starts[-1]:
            starts.append(cluster[0])
        cluster = [edge]
    if len(cluster) >= 2 and cluster[0] != starts[-1]:
        starts.append(cluster[0])
    return starts


def _row_pitch(lines: list[list[_Piece]]) -> float | None:
    """The usual distance from one row's first line to the next: taken above lines of many cells."""
    pitches = [
        line[0].top - above[0].top for above, line in zip(lines, lines[1:]) if len(line) >= _ROW_PIECES
    ]
    return median(pitches) if pitches else None


def _row(cells: dict[int, _OpenCell], width: int) -> list[Cell | None]:
    """A grid row: each cell on its column, spanning up to the next cell of the row."""
    row: list[Cell | None] = [_BLANK] * width
    columns = sorted(cells)
    for column, following in zip(columns, [*columns[1:], width]):
        across = min(cells[column].across, following - column)
        row[column] = Cell(cells[column].text, (1, across))
        row[column + 1 : column + across] = [None] * (across - 1)
    return row
