"""What every layout reader shares: rows as texts, folded keys, numbers and placeholders.

Layout readers see a region of a grid as `Row`s: the cell texts stripped, trailing blanks cut,
blank rows dropped, each row keeping its file line. Cells are matched by their folded `key`
(full-width → half-width, spaces and colons removed: `绩效自评年 度:` → `绩效自评年度`,
domain.md §7.10), never by a fixed position: columns are ragged (§7.1). Only an indicator
row is read by column, and only when its cells fit its own block's header row (indicators.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from jixiao.domain.labels import Label, clean_text, read_label, squeeze
from jixiao.domain.model import Printed

# Labels and headings are short; folding a 1,000-character narrative would only cost time.
KEY_MAX = 64
# A weight or score is a bare number: `100%` is an actual, never a weight (domain.md §7.1).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# …or a number of points: some units type the weight as `15分`, `15.0分` or `15 分`.
_POINTS = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*分")
# target-grammar.md §3, class 1 (kind `na`): the texts of a placeholder row.
_NA_TEXTS = frozenset({"无", "不适用", "—", "/", "-", "--", "——", "无。", "不适用。"})
_NA_PREFIX = "本项目不涉及"
# First characters of those texts as printed (full-width variants fold to them), a cheap
# test before folding: most targets and actuals are not placeholders.
_NA_FIRST = frozenset(text[0] for text in _NA_TEXTS | {_NA_PREFIX}) | {"／", "－"}
CACHE_SIZE = 16384  # distinct texts (or rows) remembered by the memoised readers


class LayoutError(Exception):
    """A region that a layout reader recognised but could not read; names the line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Row:
    """One non-blank grid row: its 1-based file line, stripped cells and first non-empty cell.

    Titles, headers and 总分 rows are recognised by that first cell.
    """

    __slots__ = ("line", "cells", "first", "_folded")

    def __init__(self, line: int, cells: tuple[str, ...]) -> None:
        self.line = line
        self.cells = cells
        self.first = next(filter(None, cells), "")
        self._folded: tuple[tuple[str | None, ...], frozenset[str | None]] | None = None

    def __repr__(self) -> str:
        return f"Row({self.line}, {self.cells!r})"

    def filled(self) -> list[tuple[int, str]]:
        """(column, text) of the non-empty cells."""
        return [(column, text) for column, text in enumerate(self.cells) if text]

    def count(self) -> int:
        """How many cells are non-empty."""
        return len(self.cells) - self.cells.count("")

    def folded(self) -> tuple[str | None, ...]:
        """Each cell's `key`, computed once."""
        if self._folded is None:
            self._folded = _folded_row(self.cells)
        return self._folded[0]

    def keys(self) -> frozenset[str | None]:
        """The set of the row's folded keys (None stands for blank and long cells)."""
        if self._folded is None:
            self._folded = _folded_row(self.cells)
        return self._folded[1]


@lru_cache(maxsize=CACHE_SIZE)
def _folded_row(cells: tuple[str, ...]) -> tuple[tuple[str | None, ...], frozenset[str | None]]:
    # Memoised on the cells too: header, heading and 满意度 rows repeat in every form of a batch.
    folded = tuple(map(key, cells))
    return folded, frozenset(folded)


class Region:
    """Consecutive rows of one grid that hold one form (or one summary table).

    `fixed_columns`: the grid keeps every cell at its column, blanks included (office
    formats); a text extraction may drop an empty cell or add a stray tab (domain.md §7.1).
    """

    __slots__ = ("file", "rows", "fixed_columns", "_head")

    def __init__(self, file: str, rows: tuple[Row, ...], fixed_columns: bool = False) -> None:
        self.file = file
        self.rows = rows
        self.fixed_columns = fixed_columns
        self._head: set[str | None] | None = None

    @property
    def first_line(self) -> int:
        return self.rows[0].line

    def head_keys(self, rows: int = 6) -> set[str | None]:
        """The folded keys of the region's first rows, where layouts print their header."""
        if self._head is None:
            self._head = set().union(*(row.keys() for row in self.rows[:rows]))
        return self._head


# Folded keys by cell text, "" → None. Cells repeat across forms ("产出指标", "0.0"), so the
# cache spares NFKC on most of them; it is cleared when full, for batches that never repeat.
_FOLDED: dict[str, str | None] = {"": None}
_UNSEEN = object()


def key(text: str) -> str | None:
    """A cell folded for matching headings and labels; None for blank or long cells."""
    folded = _FOLDED.get(text, _UNSEEN)
    if folded is _UNSEEN:
        if len(text) > KEY_MAX:
            return None
        if len(_FOLDED) >= CACHE_SIZE:
            _FOLDED.clear()
            _FOLDED[""] = None
        folded = _FOLDED[text] = squeeze(text).strip(":").lstrip("*")
    return folded  # type: ignore[return-value]


@lru_cache(maxsize=CACHE_SIZE)
def _label(text: str) -> Label | None:
    return read_label(text)


def label_of(text: str) -> Label | None:
    """The 一级/二级 label a cell is, against the closed list (labels.read_label)."""
    if not text or len(text) > KEY_MAX:
        return None
    return _label(text)


class _Memo(dict[str, bool]):
    """A test's answer by cell text, computed on first lookup; cleared when full.

    Looked up as `memo[text]`: a hit costs one dict lookup and no Python call, and these tests
    run on every cell of every indicator row.
    """

    __slots__ = ("_test",)

    def __init__(self, test: Callable[[str], bool]) -> None:
        super().__init__()
        self._test = test

    def __missing__(self, text: str) -> bool:
        if len(self) >= CACHE_SIZE:
            self.clear()
        answer = self[text] = self._test(text)
        return answer


_PLAIN_NUMBERS = _Memo(lambda text: _PLAIN_NUMBER.fullmatch(text) is not None)
_POINTS_CELLS = _Memo(lambda text: _PLAIN_NUMBERS[text] or ("分" in text and _POINTS.fullmatch(text) is not None))


def is_plain_number(text: str) -> bool:
    """A weight/score-like cell: digits with an optional decimal part, no unit, no %."""
    return _PLAIN_NUMBERS[text]


def is_points(text: str) -> bool:
    """A weight/score cell: a plain number, or one followed by 分 (`15分`)."""
    return _POINTS_CELLS[text]


def points(text: str) -> Printed:
    """A weight or score cell read: `15分` is 15, its printed text kept (Printed.of reads no 分)."""
    match = _POINTS.fullmatch(text) if "分" in text else None
    if match is None:
        return printed(text)
    return Printed(text, Decimal(match.group(1)))


@lru_cache(maxsize=CACHE_SIZE)
def printed(text: str) -> Printed:
    """`Printed.of`, shared across forms: the same texts ("0.00", "10.0", "—") recur."""
    return Printed.of(text)


def is_placeholder(text: str | None) -> bool:
    """无 / 不适用 / 本项目不涉及…: the texts of a row that does not apply."""
    if not text or text[0] not in _NA_FIRST:
        return False
    folded = key(text)
    if folded is None:
        return False
    return folded in _NA_TEXTS or folded.startswith(_NA_PREFIX)


def text_of(text: str | None) -> str | None:
    """A name or narrative cell as the JSON keeps it (labels.clean_text), None when empty.

    Most cells are plain; only those with tags, entities, line breaks or runs of
    spaces need the full clean-up.
    """
    if not text:
        return None
    if "<" in text or "&" in text or "\n" in text or "  " in text or "\u3000" in text or "\xa0" in text:
        return clean_text(text)
    return text.strip() or None
