"""Word (.docx) tables as grids (Word 表格): one grid per table, in document order.

Only tables are read; paragraphs between them (a title, 填表说明) are not part of any form.
The main document part (the one `_rels/.rels` names, as Word finds it: office_package.py;
usually `word/document.xml`) is fed in chunks to an lxml pull parser and read one table row
at a time, instead of through python-docx. Measured on a 50-form document (1.1 MB of XML, 10,600
cells): python-docx's table API (`row.cells`, `cell.text`) takes ~530 ms and repeats a merged
cell's text into the cells it covers; walking python-docx's tree like this reader does takes
~37 ms; this reader ~40 ms, of which ~20 ms is lxml parsing. What streaming buys is memory:
finished rows, tables and paragraphs are dropped as they pass, so memory holds one row plus
the grids, and a document part inflated to the `Limits` maximum cannot exhaust it (a tree
of the whole part takes ~12 bytes per byte of XML).

Merges follow the grid contract (grid.py): `w:gridSpan` gives the anchor a column span and
covers the columns to its right; `w:vMerge` continue cells are covered (None) and extend the
row span of the cell above them. A form that a unit pasted as two tables (or a PDF converter
cut at a page break) reads as one grid: a table continues the table before it unless its
first row opens a form, a title or a summary (layouts.split_regions), or the table before
ended its form (总分) and this one has a one-cell title of its own (jixiao's 审核意见 list,
a 填表说明 table). A signature table (填报人…) continues the form, whose footer it is.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from jixiao.readers.grid import Cell, Grid, ReadError
from jixiao.readers.layouts import split_regions
from jixiao.readers.layouts.common import key
from jixiao.readers.limits import Limits, open_zip
from jixiao.readers.office_package import WORD_MAIN_TYPES, OfficePackage

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _TR, _TC, _P, _T = _W + "tbl", _W + "tr", _W + "tc", _W + "p", _W + "t"
_TAB, _BR, _CR = _W + "tab", _W + "br", _W + "cr"
_GRID_SPAN, _V_MERGE, _GRID_BEFORE, _VAL = _W + "gridSpan", _W + "vMerge", _W + "gridBefore", _W + "val"
# Text that is not the cell's visible text: the VML copy of a text box (mc:Fallback repeats
# mc:Choice), tracked moves' old place, and ruby (phonetic) annotations. Deleted text and
# field codes have their own tags (w:delText, w:instrText) and are never collected.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HIDDEN = (_FALLBACK, _W + "moveFrom", _W + "rt")
# What a row is read from, in document order: cells, their paragraphs and text, and the
# merge properties (tcPr comes first in a cell, trPr first in a row).
_ROW_PARTS = (_TC, _TBL, _P, _T, _TAB, _BR, _CR, _GRID_SPAN, _V_MERGE, _GRID_BEFORE)
_BREAKS = {_TAB: "\t", _BR: "\n", _CR: "\n"}
_BODY = _W + "body"
_CHUNK = 1 << 16  # bytes of XML fed to the parser at a time
_USUAL_MAIN_PART = "word/document.xml"
_TOTAL = "总分"  # the last row of a form (domain.md §4)
_STRICT_NAMESPACE = "http://purl.oclc.org/ooxml/wordprocessingml/main"
# Word allows 63 columns; a larger gridSpan is corrupt or hostile and must not make millions
# of covered cells.
_MAX_SPAN = 63
_BLANK = Cell("")


# One w:tc before merging: its text, the grid columns it spans (w:gridSpan) and whether it
# continues the vertical merge above it (w:vMerge without val="restart").
_RawCell = tuple[str, int, bool]


@dataclass(slots=True)
class _GridBuilder:
    """Rows of one or more consecutive tables, with vertical merges linked across rows."""

    tables: list[int]  # 1-based numbers of the document's tables in this grid
    shared: dict[str, Cell]  # one Cell per distinct text of the file: texts repeat ("—", "0.00")
    rows: list[list[Cell | None]] = field(default_factory=list)
    chains: dict[int, int] = field(default_factory=dict)  # column → anchor row of a vMerge reaching the last row
    grown: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # anchor → texts of the rows it covers

    def add_row(self, before: int, cells: list[_RawCell]) -> int:
        """Place one table row; returns how many grid cells it took."""
        rows = self.rows
        index = len(rows)
        chains: dict[int, int] = {}
        row: list[Cell | None] = [_BLANK] * before
        for text, spanned, continues in cells:
            column = len(row)
            if continues:
                top = self.chains.get(column, index - 1)
                anchor = rows[top][column] if 0 <= top and column < len(rows[top]) else None
                if anchor is not None and anchor.span[1] == spanned:
                    # Covered by the cell above. Word shows only the anchor's text, but a stray
                    # text in a covered cell is kept on the anchor rather than dropped.
                    self.grown.setdefault((top, column), []).append(text)
                    chains[column] = top
                    row.extend([None] * spanned)
                    continue
            if spanned > 1:
                row.append(Cell(text, (1, spanned)))
                row.extend([None] * (spanned - 1))
                continue
            cell = self.shared.get(text)
            if cell is None:
                cell = self.shared[text] = Cell(text)
            row.append(cell)
        rows.append(row)
        self.chains = chains
        return len(row)

    def grid(self, file: str) -> Grid:
        """The finished grid; anchors that vertical merges grew get their row span."""
        for (row, column), texts in self.grown.items():
            anchor = self.rows[row][column]
            assert anchor is not None
            extra = "\n".join(filter(None, texts))
            text = f"{anchor.text}\n{extra}" if extra and anchor.text else anchor.text or extra
            self.rows[row][column] = Cell(text, (len(texts) + 1, anchor.span[1]))
        first, last = self.tables[0], self.tables[-1]
        part = f"表格{first}" if first == last else f"表格{first}–{last}"
        return Grid(file=file, rows=tuple(map(tuple, self.rows)), part=part)


def read_docx(file: str, limits: Limits) -> list[Grid]:
    """The grids of a .docx file's tables; ReadError when it cannot be read or holds no table."""
    with open_zip(file, limits) as archive:
        member = _main_member(OfficePackage(archive), file)
        try:
            with archive.open(member) as stream:
                return _read_tables(stream, file, limits)
        except etree.XMLSyntaxError as error:
            if "entity" in error.msg.lower():  # libxml2's own guard against entity expansion
                message = f"Word 文档正文的实体定义异常（{error.msg}），疑似 XML 实体炸弹，已拒绝读取"
            else:
                message = f"Word 文档正文不是有效的 XML（{error.msg}），文件已损坏或被篡改"
            raise ReadError(file, message) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise ReadError(file, f"文件已损坏或不完整，无法解压（{error}）") from None


def _main_member(package: OfficePackage, file: str) -> str:
    """The zip member of the document part Word opens; ReadError naming it when it is missing.

    The root relationship decides, as in Word. A package whose `_rels/.rels` is missing,
    unreadable or dangling is still read through its content types or the usual name, as
    long as one of them holds a part: only the document's tables matter here.
    """
    main = package.main_part()
    if main is not None and (member := package.member(main)) is not None:
        return member
    for part in (*package.parts_typed(WORD_MAIN_TYPES), _USUAL_MAIN_PART):
        if (member := package.member(part)) is not None:
            return member
    if main is not None:
        raise ReadError(file, f"Word 文档的正文部件 {main} 不在文件中（_rels/.rels 指向它），文件不完整或已损坏")
    raise ReadError(file, f"不是 Word 文档（缺少正文部件 {_USUAL_MAIN_PART}）")


def _read_tables(stream, file: str, limits: Limits) -> list[Grid]:
    """Feed the document part to a pull parser in chunks, reading each table row as it ends."""
    parser = etree.XMLPullParser(
        events=("start", "end"),
        tag=(_BODY, _TBL, _TR),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )
    tables = _Tables(file, limits)
    while chunk := stream.read(_CHUNK):
        parser.feed(chunk)
        tables.take(parser.read_events())
    root = parser.close()
    tables.take(parser.read_events())
    return tables.grids(root)


class _Tables:
    """The document's top-level tables as they stream past, joined into grids."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.builders: list[_GridBuilder] = []
        self.shared: dict[str, Cell] = {"": _BLANK}
        self.body = None  # w:body, once its start tag has been parsed
        self.table_number = 0  # of the current top-level table, from 1
        self.in_table = False  # a row of the current top-level table has been read
        self.finished = False  # the table before ended with its form's 总分 row
        self.cells = 0

    def take(self, events) -> None:
        """Read the rows that ended, then drop what is finished: memory holds one row at a time."""
        for event, element in events:
            if event == "start":
                if element.tag == _BODY:
                    _refuse_dtd(element, self.file)
                    self.body = element
                continue
            parent = element.getparent()
            # A nested table is text of its cell; a text box's VML copy is a duplicate. The
            # common case, a row of a table in the body, needs no walk up the tree.
            if (parent is None or parent.getparent() is not self.body) and next(
                element.iterancestors(_TC, _FALLBACK), None
            ) is not None:
                continue
            if element.tag == _TBL:
                self.in_table = False
                self.finished = _ends_with_total(self.builders[-1].rows) if self.builders else False
            elif element.tag == _TR:
                self._row(element)
                # Drop the row and the rows (and tblPr/tblGrid) before it.
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del parent[0]
        # Everything in the body before its last child has ended: paragraphs, finished tables.
        if self.body is not None and len(self.body) > 1:
            del self.body[:-1]

    def _row(self, row) -> None:
        before, cells = _row_cells(row)
        if not self.in_table:
            self.in_table = True
            self.table_number += 1
            if not self.builders or _opens_region(cells) or (self.finished and _is_title(cells)):
                self.builders.append(_GridBuilder([self.table_number], self.shared))
            else:
                self.builders[-1].tables.append(self.table_number)
        self.cells += self.builders[-1].add_row(before, cells)
        if self.cells > self.limits.max_cells:
            message = f"表格过大（超过 {self.limits.max_cells} 个单元格），疑似恶意文件，已拒绝读取"
            raise ReadError(self.file, message)

    def grids(self, root) -> list[Grid]:
        """The finished grids; ReadError when the document holds no table."""
        if self.body is None:
            _refuse_dtd(root, self.file)
        if not self.builders:
            if root.tag.startswith("{" + _STRICT_NAMESPACE):
                raise ReadError(self.file, "不支持“Strict Open XML”格式的 Word 文档，请另存为普通 .docx")
            raise ReadError(self.file, "文档中没有表格：自评表须以 Word 表格填写")
        return [builder.grid(self.file) for builder in self.builders]


def _row_cells(row) -> tuple[int, list[_RawCell]]:
    """A w:tr's cells and its leading empty grid columns (w:gridBefore).

    One pass over the row's elements in document order is several times faster than looking
    into each cell separately. Paragraphs join with "\n"; the paragraphs of a nested table
    become lines of the cell that holds it.
    """
    for hidden in list(row.iter(_HIDDEN)):
        hidden.clear(keep_tail=True)
    before = 0
    cells: list[_RawCell] = []
    texts: list[str] = []  # of the current cell; "\n" before each paragraph but the first
    columns, continues = 1, False
    started = False  # the row's first w:tc has been met
    nested = False  # the current cell holds a table: its w:tc and merges are not the row's
    for element in row.iter(_ROW_PARTS):
        tag = element.tag
        if tag == _T:
            text = element.text
            if text:
                texts.append(text)
        elif tag == _P:
            texts.append("\n" if texts else "")
        elif tag == _TC:
            if nested and _in_nested_table(element, row):
                continue
            if started:
                cells.append(("".join(texts), columns, continues))
            texts, columns, continues, nested, started = [], 1, False, False, True
        elif tag in _BREAKS:
            texts.append(_BREAKS[tag])
        elif tag == _TBL:
            nested = True
        elif nested:
            continue
        elif tag == _GRID_SPAN:
            columns = _count(element.get(_VAL))
        elif tag == _V_MERGE:
            continues = element.get(_VAL) != "restart"
        elif not started:  # w:gridBefore, in the row's properties
            before = _count(element.get(_VAL))
    if started:
        cells.append(("".join(texts), columns, continues))
    return before, cells


def _in_nested_table(cell, row) -> bool:
    """Whether a w:tc belongs to a table nested in the row rather than to the row itself."""
    parent = cell.getparent()
    while parent is not None and parent is not row:
        if parent.tag == _TBL:
            return True
        parent = parent.getparent()
    return False


def _count(value: str | None) -> int:
    """A gridSpan/gridBefore value, 1..63; garbage counts as 1 (bad data never raises)."""
    try:
        return min(max(int(value), 1), _MAX_SPAN) if value else 1
    except ValueError:
        return 1


def _opens_region(cells: list[_RawCell]) -> bool:
    """Whether a table's first row starts a form, a title or a summary of its own.

    Asks the layouts' own region splitter, so this never disagrees with how the grid is read.
    """
    texts = [text for text, _, _ in cells]
    if not any(text.strip() for text in texts):
        return False
    regions, _ = split_regions(Grid(file="", rows=(tuple(map(Cell, texts)),)))
    return bool(regions)


def _is_title(cells: list[_RawCell]) -> bool:
    """A row of one filled cell: the title of a table of its own (审核意见, 填表说明) — or a
    section row inside a form (资金使用情况), which is why only a finished form is not continued."""
    return sum(1 for text, _, _ in cells if text.strip()) == 1


def _ends_with_total(rows: list[list[Cell | None]]) -> bool:
    """Whether the last filled row is a 总分 row: the form above it is complete."""
    for row in reversed(rows):
        first = next((cell.text for cell in row if cell is not None and cell.text.strip()), None)
        if first is not None:
            return key(first.strip()) == _TOTAL
    return False


def _refuse_dtd(element, file: str) -> None:
    """Refuse a DOCTYPE: Office never writes one, and entity bombs need it.

    Entities are not expanded anyway (resolve_entities=False), so a bomb costs nothing; the
    error only says clearly why the file is not read.
    """
    if element.getroottree().docinfo.doctype:
        raise ReadError(file, "Word 文档含 DTD 声明（Office 从不写入），疑似 XML 实体炸弹，已拒绝读取")
