"""PDF text-layer tables as grids (pdfplumber; PyMuPDF 2.0 breaks decimals, stack-notes.md §3).

Each page's ruled tables are read (`pdf_tables`); a page without rules is read as one table
aligned on its text (`pdf_unruled`). The lines of text over a table (its title, `单位：万元`)
come before its rows, one cell each, as in a text extraction; other text outside the tables
(填报人 lines, page numbers, running heads) is left out.

A table that runs on over a page break is one grid with the part before it: its rows are
set on the first part's columns, a header row the next page repeats is dropped, and a row
the break cut in two is joined. Every other table starts a grid whose part names its pages
("第2页", "第2–3页"); line numbers count the grid's rows from 1.

What the text layer cannot be trusted for is refused, not guessed:
- no text at all (a scan) → "PDF 没有文字层…";
- `(cid:N)` glyphs, from a font without a ToUnicode map: the characters are unknown, and an
  audit must not read digits it cannot see, so the file is a ReadError naming the pages;
- a password → "文件设有密码"; more pages than `Limits.max_pdf_pages`; a compressed stream
  that inflates past the bounds below (a PDF zip bomb), or a large broken one (pdfminer
  recovers those a byte at a time, in quadratic time); more content than the bounds below.
What can be repaired is, with a note on the grid: fake-bold glyphs drawn twice at a tiny
offset ("项项目目") are kept once (`pdf_text.drop_doubled_glyphs`); scanned pages among
text pages are skipped.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from jixiao.readers.grid import Cell, Grid, ReadError
from jixiao.readers.limits import MB, Limits
from jixiao.readers.pdf_tables import PageTable, realigned, ruled_tables
from jixiao.readers.pdf_text import Char, drop_doubled_glyphs, join_lines
from jixiao.readers.pdf_unruled import unruled_table

NO_TEXT_LAYER = "PDF 没有文字层（可能是扫描件），请提供可复制文字的 PDF 或 Excel/Word 原件"
PASSWORD = "文件设有密码（已加密），请去除密码后再提交"
CORRUPT = "文件已损坏或不是有效的 PDF"

# pdfminer and pdfplumber spend about 0.1 ms on each glyph or line drawn, some 5 s per MB of
# content stream. A form page drawn by WeasyPrint holds 30–150 kB, so these bound the time a
# hostile file can take (about 5 s a page, 2 minutes a file) far above any real form.
MAX_PAGE_CONTENT = 1 * MB
MAX_DOCUMENT_CONTENT = 24 * MB
# Fonts and images may be large, but no stream inflates past this (a bomb, not a font).
MAX_STREAM = 64 * MB
# pdfminer re-inflates a broken stream one byte at a time, copying all output each step.
MAX_BROKEN_WORK = 4 * 10**10  # compressed × inflated bytes: about half a second

_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_INFLATE_STEP = 16 * 1024  # compressed bytes per step: at most ~16 MB inflated at a time
_EDGE_MATCH = 3.0  # pt: a continued table has the same left and right edges


@dataclass(slots=True)
class _Page:
    """What one page gave: its tables, and what the reader noticed on it."""

    number: int
    tables: list[PageTable]
    notes: list[str]
    height: float
    top: float  # where its text starts: the top margin (infinite without text)


@dataclass(slots=True)
class _Chain:
    """Tables joined across page breaks, becoming one grid."""

    first_page: int
    last_page: int
    rows: list[list[Cell | None]]
    last: PageTable
    columns: list[float]  # those of its first table: later pages' rows are set on them
    notes: list[str] = field(default_factory=list)

    def grid(self, file: str) -> Grid:
        pages = f"第{self.first_page}页" if self.first_page == self.last_page else f"第{self.first_page}–{self.last_page}页"
        return Grid(file, tuple(tuple(row) for row in self.rows), part=pages, notes=tuple(self.notes))


def read_pdf(file: str, limits: Limits) -> list[Grid]:
    """The grids of a PDF's tables; raises ReadError when it cannot be read with confidence."""
    _check_streams(file)
    try:
        document = pdfplumber.open(file)
    except PdfminerException as error:
        raise ReadError(file, _opening_error(error)) from None
    except Exception as error:  # pdfminer raises many kinds on malformed input
        raise ReadError(file, f"{CORRUPT}（{type(error).__name__}）") from None
    try:
        pages = _read_pages(file, document, limits)
    finally:
        # PDF.close() would first list every page of the document, however many there are.
        document.stream.close()
    chains = _chains(pages)
    if not chains:
        raise ReadError(file, "PDF 中未找到表格")
    cells = sum(len(row) for chain in chains for row in chain.rows)
    if cells > limits.max_cells:
        raise ReadError(file, f"表格过大（{cells} 个单元格，上限 {limits.max_cells}）")
    return [chain.grid(file) for chain in chains]


def _read_pages(file: str, document: pdfplumber.PDF, limits: Limits) -> list[_Page]:
    """Every page's tables; ReadError for a scan, unknown glyphs, or a page that will not parse."""
    pages: list[_Page] = []
    unreadable: list[int] = []
    has_text = has_images = False
    for number, page in _pages(file, document, limits):
        try:
            chars = page.chars
            if not chars:
                scanned = bool(page.images)
                has_images |= scanned
                notes = [f"第{number}页没有文字层（可能是扫描件），未读取"] if scanned else []
                pages.append(_Page(number, [], notes, page.height, float("inf")))
                continue
            has_text = True
            top = min(char["top"] for char in chars)
            tables, doubled = _tables(chars, page)
        except Exception as error:  # a broken page (truncated stream, bad font) fails the file
            raise ReadError(file, f"第{number}页无法读取：{CORRUPT}（{type(error).__name__}）") from None
        finally:
            page.close()
        if any("(cid:" in cell.text for table in tables for row in table.rows for cell in row if cell):
            unreadable.append(number)
        notes = [f"第{number}页有{doubled}个字重复绘制（伪粗体），已去重"] if doubled else []
        pages.append(_Page(number, tables, notes, page.height, top))
    if unreadable:
        raise ReadError(
            file,
            f"第{'、'.join(map(str, unreadable))}页的文字无法识别（字体缺少 ToUnicode 映射，显示为 (cid:…)），"
            "请提供 Excel/Word 原件或重新导出 PDF",
        )
    if not has_text:
        raise ReadError(file, NO_TEXT_LAYER if has_images else "PDF 中没有任何文字")
    return pages


def _tables(chars: list[Char], page: Page) -> tuple[list[PageTable], int]:
    """The page's ruled tables, or its text as one unruled table; and the fake-bold glyphs dropped."""
    chars, doubled = drop_doubled_glyphs(chars)
    tables = ruled_tables(page, chars)
    if not tables:
        unruled = unruled_table(chars)
        tables = [unruled] if unruled else []
    return tables, doubled


def _chains(pages: list[_Page]) -> list[_Chain]:
    """The tables in reading order, joined where one runs on over a page break.

    A table continues the last one of the page before when it is first on its page, lines
    up with it, and either its top rule is missing (a cut row) or its first rows would
    hardly have fitted under the other: the other reached the page's foot. The foot is as
    far from the bottom as the text starts from the top: Word, Excel and WeasyPrint set the
    top and bottom margins alike.
    """
    margin = min((page.top for page in pages), default=0.0)
    chains: list[_Chain] = []
    pending: list[str] = []  # notes of pages before the first table
    for page in pages:
        for index, table in enumerate(page.tables):
            chain = chains[-1] if chains else None
            foot = page.height - margin
            if chain and index == 0 and chain.last_page == page.number - 1 and _runs_on(chain, table, foot):
                _extend(chain, table, page.number)
            else:
                rows = [[Cell(line)] for line in table.above] + table.rows
                chains.append(_Chain(page.number, page.number, rows, table, table.columns))
        if chains:
            chains[-1].notes.extend(pending + page.notes)
            pending = []
        else:
            pending.extend(page.notes)
    return chains


def _runs_on(chain: _Chain, after: PageTable, foot: float) -> bool:
    before = chain.last
    if before.ruled != after.ruled:
        return False
    # The right edges meet; the left one may lie further in, where a merged label in the
    # first column lost its rules with the cut (luohu 2021 · 文化体育市场执法, 第3页).
    if after.ruled and not (
        abs(before.bbox[2] - after.bbox[2]) <= _EDGE_MATCH and chain.columns[0] - _EDGE_MATCH <= after.bbox[0] < before.bbox[2]
    ):
        return False
    # Twice its first rows: widow and orphan control moves a line or two more than must go.
    return after.open_top or before.bbox[3] + 2 * after.head_height > foot - _EDGE_MATCH


def _extend(chain: _Chain, table: PageTable, page: int) -> None:
    aligned = realigned(table, chain.columns)
    rows = table.rows if aligned is None else aligned
    # Header rows repeated at the top of the page: the table's own first rows (a <thead>,
    # Excel's 打印标题), or a digit-free row met before (the indicator header).
    repeated = 0
    while repeated < len(rows) and repeated < len(chain.rows) and _texts(rows[repeated]) == _texts(chain.rows[repeated]):
        repeated += 1
    rows = rows[repeated:]
    seen = {_texts(row) for row in chain.rows if _is_heading(row)}
    while rows and _is_heading(rows[0]) and _texts(rows[0]) in seen:
        rows = rows[1:]
    if rows and (chain.last.open_bottom and table.open_top or _is_remainder(rows[0], chain.rows[-1])):
        # One row cut in two by the break; rows not set on the chain's columns are placed by x.
        edges = table.columns if aligned is None else chain.columns
        places = [max(0, bisect_right(chain.columns, edge + _EDGE_MATCH) - 1) for edge in edges]
        chain.rows[-1] = _joined(chain.rows[-1], rows[0], places)
        rows = rows[1:]
    chain.rows.extend(rows)
    chain.last_page = page
    chain.last = table


def _pages(file: str, document: pdfplumber.PDF, limits: Limits) -> Iterator[tuple[int, Page]]:
    """The pages one at a time, refusing more than the page limit and oversized content."""
    too_many = f"PDF 页数超过上限（{limits.max_pdf_pages} 页），请拆分后再提交"
    try:
        declared = resolve1(resolve1(document.doc.catalog["Pages"])["Count"])
    except Exception:  # a broken page tree is counted while it is walked
        declared = None
    if isinstance(declared, int) and declared > limits.max_pdf_pages:
        raise ReadError(file, too_many)
    doctop = 0.0
    number = 0
    total = 0
    try:
        for number, page_object in enumerate(PDFPage.create_pages(document.doc), start=1):
            if number > limits.max_pdf_pages:
                raise ReadError(file, too_many)
            content = _content_size(page_object)
            total += content
            if content > MAX_PAGE_CONTENT:
                raise ReadError(file, f"第{number}页内容过多（{content / MB:.1f} MB），疑似恶意文件，已拒绝读取")
            if total > MAX_DOCUMENT_CONTENT:
                raise ReadError(file, f"PDF 内容过多（前{number}页已超过 {MAX_DOCUMENT_CONTENT // MB} MB），请拆分后再提交")
            page = Page(document, page_object, page_number=number, initial_doctop=doctop)
            doctop += page.height
            yield number, page
    except ReadError:
        raise
    except Exception as error:  # a broken page tree or page dictionary
        raise ReadError(file, f"第{number + 1}页无法读取：{CORRUPT}（{type(error).__name__}）") from None


def _content_size(page_object: PDFPage) -> int:
    """Bytes of the page's content streams, decoded (pdfminer keeps them for the parse)."""
    total = 0
    for item in page_object.contents:
        stream = resolve1(item)
        if isinstance(stream, PDFStream):
            total += len(stream.get_data())
    return total


def _texts(row: list[Cell | None]) -> tuple[str, ...]:
    return tuple(cell.text if cell else "" for cell in row)


def _is_heading(row: list[Cell | None]) -> bool:
    """A row that could be a repeated header: at least two labels and no digit anywhere.

    Data rows carry numbers (分值, 得分); a digit-free row met twice is a header."""
    texts = [cell.text for cell in row if cell and cell.text]
    return len(texts) >= 2 and not any(character.isdigit() for text in texts for character in text)


def _is_remainder(row: list[Cell | None], above: list[Cell | None]) -> bool:
    """Whether a row that starts a page is the rest of the row that ended the page before.

    Word and LibreOffice rule both sides of a row they cut, so the cut is told by what is in
    it: a few cells, each under a filled cell of the row above (the texts that ran over),
    at most half of them; a row of its own fills its number cells anew."""
    filled = [column for column, cell in enumerate(row) if cell is not None and cell.text]
    over = {column for column, cell in enumerate(above) if cell is not None and cell.text}
    return bool(filled) and 2 * len(filled) <= len(over) and all(column in over for column in filled)


def _joined(upper: list[Cell | None], lower: list[Cell | None], places: list[int]) -> list[Cell | None]:
    """A row cut by a page break, made whole: each lower text added to the upper cell it goes
    on (`places` gives the upper column of each lower one). Where the lower cell spans several
    upper ones (the empty 得分 part of a cut row may lose its rules), it is the one with the
    longest text: the text that ran over the page."""
    joined = list(upper)
    anchors = [column for column, cell in enumerate(joined) if cell is not None]
    for index, cell in enumerate(lower[: len(places)]):
        if cell is None or not cell.text:
            continue
        column = places[index]
        last = places[min(index + cell.span[1], len(places)) - 1]
        under = [anchor for anchor in anchors if anchor <= last and anchor + joined[anchor].span[1] > column]
        if under:
            target = max(under, key=lambda anchor: len(joined[anchor].text))
            above = joined[target]
            joined[target] = Cell(join_lines(above.text, cell.text), above.span)
    return joined


def _opening_error(error: PdfminerException) -> str:
    cause = error.args[0] if error.args else error
    name = type(cause).__name__
    if name in {"PDFPasswordIncorrect", "PDFEncryptionError"}:
        return PASSWORD
    if name == "PSEOF":
        return f"{CORRUPT}（文件不完整，可能被截断）"
    return f"{CORRUPT}（{name}）"


def _check_streams(file: str) -> None:
    """Refuse compressed streams that inflate past the bounds, before pdfminer sees them.

    pdfminer inflates a stream whole and unbounded (object streams while opening, content
    while parsing a page), and a 50 MB file can hold gigabytes. Every `stream` keyword is
    tried as zlib data, step by step, keeping nothing; what is not zlib (JPEG scans,
    encrypted streams) fails at the first step and is left to pdfminer.
    """
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    view = memoryview(data)
    for match in _STREAM_START.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        raw = view[start : end if end >= 0 else len(data)]
        inflated, complete = _inflated_size(raw)
        if inflated > MAX_STREAM:
            raise ReadError(file, "PDF 中的数据流解压后过大，疑似压缩炸弹，已拒绝读取")
        if inflated and not complete and len(raw) * inflated > MAX_BROKEN_WORK:
            raise ReadError(file, f"{CORRUPT}（数据流不完整）")


def _inflated_size(raw: memoryview) -> tuple[int, bool]:
    """How many bytes zlib data inflates to (stopping past MAX_STREAM), and whether it ended cleanly."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for offset in range(0, len(raw), _INFLATE_STEP):
            size += len(inflater.decompress(raw[offset : offset + _INFLATE_STEP]))
            if inflater.eof or size > MAX_STREAM:
                break
    except zlib.error:
        return size, False
    return size, inflater.eof
