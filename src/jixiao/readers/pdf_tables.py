"""Ruled tables of one PDF page as rows of cells: the geometry step of `readers.pdf`.

pdfplumber's line strategy finds the cells as rectangles. A merged cell is a rectangle over
several column (row) boundaries, so its text goes on the anchor with a span and the places
it covers are None, as a spreadsheet's grid has them. Glyphs are put into cells in one pass
over the page (pdfplumber's `Table.extract` scans the whole page once per row and builds a
word map per cell, which costs more than finding the table).

A table cut by a page break often lacks the rule on the cut side (WeasyPrint leaves the top
rule off a continued row, and the rules of a merged cell off its cut side), and pdfplumber
would drop what lies there. Where the table's vertical rules run past its first or last
horizontal rule, the missing rule is added and the side marked open, so that `readers.pdf`
can join the row with the one across the break; places still left without a cell become
cells of their own. `realigned` sets such a continued part on the columns of the part
before it, which the cut may have hidden.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pdfplumber.page import Page
from pdfplumber.table import Table

from jixiao.readers.grid import Cell
from jixiao.readers.pdf_text import Char, cell_text, line_text, text_lines

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom

_EDGE_SLACK = 3.0  # pt: pdfplumber's snap and intersection tolerance
_RUN_ALIGN = 1.0  # pt: a glyph drawn next goes on the same run of text when this well aligned
_RUN_GAP = 0.3  # × font size: and no further from it than a space
_NEXT_LINE = 1.8  # × font size: the most a wrapped line's top lies below the line above
_FULL_LINE = 2.0  # × font size: a line ending this close to its cell's right edge was wrapped
_BLANK = Cell("")


@dataclass(slots=True)
class PageTable:
    """One table found on a page: its rows (None where a merged cell covers), and its edges."""

    rows: list[list[Cell | None]]
    bbox: BBox
    columns: list[float]  # left edge of each column
    head_height: float  # the taller of its first two rows: what did not fit on the page before
    ruled: bool = True
    open_top: bool = False  # no rule above the first row: the row may continue from the page before
    open_bottom: bool = False  # no rule below the last row: the row may go on over the page
    above: list[str] = field(default_factory=list)  # lines of text between it and what is above it


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Where a found table's cells are: column and row boundaries, and the cell on each slot."""

    bbox: BBox
    xs: list[float]  # left edges of the columns
    tops: list[float]  # top edges of the rows
    owner: list[list[int]]  # per row and column, the index of the cell covering it
    spans: list[tuple[int, int, int, int]]  # per cell: row, column, rows and columns covered


def ruled_tables(page: Page, chars: Sequence[Char]) -> list[PageTable]:
    """The page's tables drawn with rules, top to bottom, with their cell texts."""
    found = [table for table in page.find_tables() if len(table.cells) > 1]  # a lone box is a frame
    closing = _missing_rules(page, found)
    if closing:
        found = [table for table in page.find_tables({"explicit_horizontal_lines": closing}) if len(table.cells) > 1]
    if not found:
        return []
    geometries = [_geometry(table) for table in found]
    tables = []
    for geometry, cells in zip(geometries, _chars_by_cell(geometries, chars), strict=True):
        x0, top, x1, bottom = geometry.bbox
        heights = [below - above for above, below in zip(geometry.tops, [*geometry.tops[1:], bottom])]
        tables.append(
            PageTable(
                _rows(geometry, [cell_text(glyphs) if glyphs else "" for glyphs in cells]),
                geometry.bbox,
                geometry.xs,
                head_height=max(heights[:2]),
                open_top=any(_closes(line, x0, x1, top) for line in closing),
                open_bottom=any(_closes(line, x0, x1, bottom) for line in closing),
            )
        )
    tables.sort(key=lambda table: table.bbox[1])
    _add_lines_above(tables, chars)
    return tables


def _add_lines_above(tables: list[PageTable], chars: Sequence[Char]) -> None:
    """Give each table the lines of text over it (a title, `单位：万元`), up to the table above.

    The text reader sees them as rows of their own, and layouts use them: a summary takes
    its year from its title and its unit from the 单位 line."""
    tops = [table.bbox[1] for table in tables]
    above: list[list[Char]] = [[] for _ in tables]
    for char in chars:
        index = bisect_left(tops, char["bottom"] - _EDGE_SLACK)
        if index < len(tables) and (index == 0 or char["top"] >= tables[index - 1].bbox[3] - _EDGE_SLACK):
            above[index].append(char)
    for table, glyphs in zip(tables, above, strict=True):
        table.above = [text for line in text_lines(glyphs) if (text := line_text(line))] if glyphs else []


def _missing_rules(page: Page, tables: list[Table]) -> list[dict[str, Any]]:
    """Horizontal rules to add where vertical rules run past the horizontal ones: the sides
    of rows and merged cells a page break cut, whose rule on the cut side is missing."""
    verticals = _vertical_rules(page)
    closing = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        # Rules beside the table from its top to its bottom are the sides of merged cells
        # the break cut at both ends, such as a label over the rows of two pages: the table
        # is widened to take them in (luohu 2021 · 群众文化工作, 效益指标 on its middle page).
        beside = [x for x, start, end in verticals if start <= top + _EDGE_SLACK and end >= bottom - _EDGE_SLACK]
        left, right = min([x0, *beside]), max([x1, *beside])
        inside = [(start, end) for x, start, end in verticals if left - _EDGE_SLACK <= x <= right + _EDGE_SLACK]
        above = [start for start, end in inside if start < top - _EDGE_SLACK <= end]
        below = [end for start, end in inside if start <= bottom + _EDGE_SLACK < end]
        widened = left < x0 - _EDGE_SLACK or right > x1 + _EDGE_SLACK
        if above or widened:
            closing.append(_rule(left, right, min([top, *above]), cut=bool(above)))
        if below or widened:
            closing.append(_rule(left, right, max([bottom, *below]), cut=bool(below)))
    # Vertical rules away from every table, three or more side by side, are a row no table
    # was found in: cut at the page's foot, or the middle of a row taller than a page.
    loose = [
        rule for rule in verticals if not any(top - _EDGE_SLACK <= rule[1] and rule[2] <= bottom + _EDGE_SLACK for _, top, _, bottom in (table.bbox for table in tables))
    ]
    horizontals = _joined_segments((edge["top"], edge["x0"], edge["x1"]) for edge in page.edges if edge["orientation"] == "h")
    for group in _side_by_side(loose):
        x0, x1 = group[0][0], group[-1][0]
        for y in (min(rule[1] for rule in group), max(rule[2] for rule in group)):
            if not any(abs(top - y) <= _EDGE_SLACK and start <= x0 + _EDGE_SLACK and end >= x1 - _EDGE_SLACK for top, start, end in horizontals):
                closing.append(_rule(x0, x1, y, cut=True))
    return closing


def _side_by_side(rules: list[tuple[float, float, float]]) -> list[list[tuple[float, float, float]]]:
    """Groups of three or more vertical rules whose spans overlap, each sorted left to right."""
    groups: list[list[tuple[float, float, float]]] = []
    bottom = float("-inf")
    for rule in sorted(rules, key=lambda rule: rule[1]):
        if groups and rule[1] <= bottom - _EDGE_SLACK:
            groups[-1].append(rule)
            bottom = max(bottom, rule[2])
        else:
            groups.append([rule])
            bottom = rule[2]
    return [sorted(group) for group in groups if len(group) >= 3]


def _vertical_rules(page: Page) -> list[tuple[float, float, float]]:
    """The page's vertical rules as (x, top, bottom)."""
    return _joined_segments((edge["x0"], edge["top"], edge["bottom"]) for edge in page.edges if edge["orientation"] == "v")


def _joined_segments(segments: Iterable[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Rules as (position across, start, end), the segments a producer draws cell by cell
    joined into one where they meet along the same line."""
    rules: list[tuple[float, float, float]] = []
    for at, start, end in sorted(segments):
        if rules and abs(rules[-1][0] - at) <= _RUN_ALIGN and start <= rules[-1][2] + _EDGE_SLACK:
            rules[-1] = (rules[-1][0], rules[-1][1], max(rules[-1][2], end))
        else:
            rules.append((at, start, end))
    return rules


def _rule(x0: float, x1: float, y: float, *, cut: bool) -> dict[str, Any]:
    """A horizontal rule for pdfplumber; `cut` when it closes rows the page break cut."""
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "cut": cut}


def _closes(line: dict[str, Any], x0: float, x1: float, y: float) -> bool:
    """Whether an added rule closes rows cut by the break at this edge of a table."""
    return line["cut"] and abs(line["top"] - y) <= _EDGE_SLACK and line["x0"] < x1 and line["x1"] > x0


def _geometry(table: Table) -> _Geometry:
    cells = table.cells
    xs = sorted({cell[0] for cell in cells})
    tops = sorted({cell[1] for cell in cells})
    column_of = {x: index for index, x in enumerate(xs)}
    row_of = {top: index for index, top in enumerate(tops)}
    owner = [[-1] * len(xs) for _ in tops]
    spans = []
    for index, (x0, top, x1, bottom) in enumerate(cells):
        row, column = row_of[top], column_of[x0]
        down = max(1, bisect_left(tops, bottom - _EDGE_SLACK) - row)
        across = max(1, bisect_left(xs, x1 - _EDGE_SLACK) - column)
        spans.append((row, column, down, across))
        for covered in owner[row : row + down]:
            for slot in range(column, column + across):
                if covered[slot] < 0:
                    covered[slot] = index
    # Places no rectangle covers are a cell missing a rule: a merged cell cut by a page break
    # has none on the cut side (luohu 2021 · 文化产业规划及服务, 成本指标). Each run of them
    # down a column is made one cell, so the text drawn there is kept.
    for column in range(len(xs)):
        row = 0
        while row < len(tops):
            if owner[row][column] >= 0:
                row += 1
                continue
            down = 1
            while row + down < len(tops) and owner[row + down][column] < 0:
                down += 1
            for covered in owner[row : row + down]:
                covered[column] = len(spans)
            spans.append((row, column, down, 1))
            row += down
    return _Geometry(table.bbox, xs, tops, owner, spans)


def _chars_by_cell(geometries: list[_Geometry], chars: Sequence[Char]) -> list[list[list[Char]]]:
    """Each table's glyphs grouped by cell: where the first glyph of their text lies.

    Glyphs drawn one after the other go with the one before when they go on its line (past
    the cell's right rule only when they touch), or start the next line under it after a
    line that ran to the cell's right edge. So text stays in its cell where a spreadsheet
    lets it run on over empty cells, and where it clips it at a filled cell or a row too low
    for it, the PDF still holding every glyph. Anything else goes where its centre lies."""
    grouped: list[list[list[Char]]] = [[[] for _ in geometry.spans] for geometry in geometries]
    cell: list[Char] | None = None
    right = line_start = 0.0  # the current cell's right edge, and where its current line began
    previous: Char | None = None
    for char in chars:
        size = char["size"]
        if previous is not None and cell is not None:
            step = char["top"] - previous["top"]
            gap = char["x0"] - previous["x1"]
            # Over the cell's right rule only glyph to glyph: the next cell's text starts
            # at least two paddings away.
            if abs(step) <= _RUN_ALIGN and -_RUN_ALIGN <= gap <= (_RUN_GAP * size if char["x0"] < right else _RUN_ALIGN):
                cell.append(char)
                previous = char
                continue
            if (
                _RUN_ALIGN < step <= _NEXT_LINE * size
                and abs(char["x0"] - line_start) <= _RUN_ALIGN
                and previous["x1"] >= right - _FULL_LINE * size
            ):
                cell.append(char)
                previous = char
                continue
        cell, right = _cell_at(geometries, grouped, char)
        if cell is not None:
            cell.append(char)
        line_start = char["x0"]
        previous = char
    return grouped


def _cell_at(geometries: list[_Geometry], grouped: list[list[list[Char]]], char: Char) -> tuple[list[Char] | None, float]:
    """The glyphs of the cell a glyph's centre lies in, and that cell's right edge."""
    across = (char["x0"] + char["x1"]) / 2
    down = (char["top"] + char["bottom"]) / 2
    for geometry, cells in zip(geometries, grouped, strict=True):
        x0, top, x1, bottom = geometry.bbox
        if x0 <= across < x1 and top <= down < bottom:
            index = geometry.owner[bisect_right(geometry.tops, down) - 1][bisect_right(geometry.xs, across) - 1]
            _, column, _, columns = geometry.spans[index]
            end = column + columns
            return cells[index], geometry.xs[end] if end < len(geometry.xs) else x1
    return None, 0.0


def _rows(geometry: _Geometry, texts: list[str]) -> list[list[Cell | None]]:
    """The grid rows: the text on each cell's anchor, None on the places it covers."""
    rows: list[list[Cell | None]] = []
    shared: dict[str, Cell] = {"": _BLANK}  # one Cell per distinct text, as the text reader does
    for row_index, owners in enumerate(geometry.owner):
        row: list[Cell | None] = []
        for column, index in enumerate(owners):
            anchor_row, anchor_column, down, across = geometry.spans[index]
            if (anchor_row, anchor_column) != (row_index, column):
                row.append(None)
            elif (down, across) != (1, 1):
                row.append(Cell(texts[index], (down, across)))
            else:
                text = texts[index]
                cell = shared.get(text)
                if cell is None:
                    cell = shared[text] = Cell(text)
                row.append(cell)
        rows.append(row)
    return rows


def realigned(table: PageTable, columns: list[float]) -> list[list[Cell | None]] | None:
    """The table's rows set on the column edges of the page before, when it runs on over a
    page break and has only some of them: a merged label cut by the break may have lost
    its rules there, and columns with them (luohu 2021 · 文化体育市场执法, 第3页). A table
    with edges of its own cannot be set on them: None."""
    if not all(any(abs(edge - other) <= _EDGE_SLACK for other in columns) for edge in table.columns):
        return None
    edges = [*table.columns, table.bbox[2]]
    rows: list[list[Cell | None]] = [[_BLANK] * len(columns) for _ in table.rows]
    for row_index, row in enumerate(table.rows):
        for column, cell in enumerate(row):
            if cell is None:
                continue
            down, across = cell.span
            start = max(0, bisect_right(columns, edges[column] + _EDGE_SLACK) - 1)
            end = max(start + 1, bisect_left(columns, edges[min(column + across, len(edges) - 1)] - _EDGE_SLACK))
            for covered in rows[row_index : row_index + down]:
                covered[start:end] = [None] * (end - start)
            rows[row_index][start] = Cell(cell.text, (down, end - start)) if (down, end - start) != (1, 1) else cell
    return rows
