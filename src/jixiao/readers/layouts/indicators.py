"""The indicator block (年度绩效指标) of a self-evaluation form: one Indicator per row.

A row is read by column when its cells sit where the block's header row puts 三级指标,
年度指标值, 实际完成值, 分值 and 得分: then a blank cell stays blank (an actual not yet measured
reads as "", not as the target shifted right). The evidence is the numbers: 分值 and 得分
hold numbers (or one of them is blank), and no number lies right of 得分. In a text
extraction the row must also be no wider than the header, since a stray tab shifts the
cells after it; office grids keep their columns whatever the width.

Other rows are ragged (0–3 leading blanks, domain.md §7.1) and read by tokens: anchored on
the right-most pair of numbers (分值, 得分), blank cells allowed between them (§7.2); text
after the score is the deviation note. Reading leftwards over the non-empty cells gives
实际完成值, 年度指标值, then the 三级 name and up to two label cells.

Either way, labels are matched against the closed list (target-grammar.md §6) and
forward-filled down the block (§7.4), each filled value named in `Indicator.inferred`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from jixiao.domain.labels import PARENT_OF, Label
from jixiao.domain.model import BLANK, Indicator, Printed
from jixiao.readers.layouts.common import (
    CACHE_SIZE,
    Row,
    is_placeholder,
    is_plain_number,
    is_points,
    key,
    label_of,
    points,
    text_of,
)

# 2022 rows repeat the block's merged title in their first cell (domain.md §5.3).
_BLOCK_TITLES = frozenset({"年度绩效指标", "绩效指标"})
# `Indicator.inferred` values, built once: a frozenset per row would cost time (≥ 2,000 forms/s).
_NONE: frozenset[str] = frozenset()
_LEVEL1 = frozenset({"level1"})
_BOTH = frozenset({"level1", "level2"})

# A category as the form printed it: (canonical name, printed text or None when implied).
_Level = tuple[str, str | None]
# Header cells (folded) naming the columns a row is read by; `* 实际完成值` folds to 实际完成值.
_HEADINGS = {
    "三级指标": "name",
    "指标名称": "name",
    "年度指标值": "target",
    "实际完成值": "actual",
    "分值": "weight",
    "得分": "score",
}
_ORDER = ("name", "target", "actual", "weight", "score")  # left to right, as every template prints them


@dataclass(frozen=True, slots=True, eq=False)
class Columns:
    """Where the indicator table's header row (表头) puts the columns a row is read by.

    Compared by identity: `header_columns` gives one per header text, so the row cache
    (`read_cells`) keys on it at no cost.
    """

    name: int
    target: int
    actual: int
    weight: int
    score: int
    gaps: tuple[int, ...]  # columns between 三级指标 and 得分 that are none of these (merged headings)
    width: int  # the header's cells: a wider text row has a stray tab
    fixed: bool  # an office grid: cells stay at their columns whatever the row's width


def header_columns(header: Row, fixed: bool) -> Columns | None:
    """The columns named on the block's header row; None unless all five are there, in order."""
    return _header_columns(header.cells, fixed)


@lru_cache(maxsize=256)
def _header_columns(cells: tuple[str, ...], fixed: bool) -> Columns | None:
    found: dict[str, int] = {}
    for column, text in enumerate(cells):
        heading = _HEADINGS.get(key(text) or "")
        if heading is not None:
            found.setdefault(heading, column)
    if len(found) < len(_ORDER):
        return None
    at = [found[heading] for heading in _ORDER]
    if at != sorted(set(at)):
        return None
    gaps = tuple(column for column in range(at[0] + 1, at[-1]) if column not in at)
    return Columns(*at, gaps=gaps, width=len(cells), fixed=fixed)


class RowCells(NamedTuple):
    """What one indicator row's own cells say, before the block's labels are filled down."""

    weight: Printed
    score: Printed
    deviation: str | None
    actual: str
    target: str
    level1: _Level | None  # the labels the row prints itself
    level2: _Level | None
    name: str | None
    applicable: bool


def read_indicators(rows: Iterable[Row], notes: list[str], columns: Columns | None = None) -> list[Indicator]:
    """Every indicator row of the block, in order; rows without 分值/得分 are noted and skipped.

    `columns`: the header row's, when it names them (`header_columns`); rows are read by
    tokens without it.
    """
    indicators = []
    level1: _Level | None = None
    level2: _Level | None = None
    for row in rows:
        cells, problems = read_cells(row.cells, columns)
        if problems:
            notes.extend(f"第{row.line}行：{problem}" for problem in problems)
        if cells is None:
            continue
        printed1, printed2 = cells.level1, cells.level2
        if printed1 is not None:
            # A new 一级 opens a new merged range: its 二级 is only what the row prints.
            level1, level2, inferred = printed1, printed2, _NONE
            if printed2 is not None and PARENT_OF[printed2[0]] != printed1[0]:
                notes.append(f"第{row.line}行：二级指标“{printed2[1]}”不属于一级指标“{printed1[1]}”")
        elif printed2 is not None:
            level2, inferred = printed2, _LEVEL1
            parent = PARENT_OF[printed2[0]]
            if level1 is None or level1[0] != parent:
                # The 二级 names its 一级 (成本 → 产出, 经济效益 → 效益). An inherited 一级
                # that disagrees belongs to an earlier range whose label was lost.
                notes.append(f"第{row.line}行：一级指标未填，按二级“{printed2[1]}”推定为{parent}")
                level1 = (parent, None)
        elif level1 is None:
            inferred = _NONE
        else:
            inferred = _LEVEL1 if level2 is None else _BOTH
        indicators.append(
            Indicator(
                level1=level1[0] if level1 else None,
                level1_text=level1[1] if level1 else None,
                level2=level2[0] if level2 else None,
                level2_text=level2[1] if level2 else None,
                name=cells.name,
                target=cells.target,
                actual=cells.actual,
                weight=cells.weight,
                score=cells.score,
                deviation=cells.deviation,
                applicable=cells.applicable,
                inferred=inferred,
                line=row.line,
            )
        )
    return indicators


@lru_cache(maxsize=CACHE_SIZE)
def read_cells(cells: tuple[str, ...], columns: Columns | None = None) -> tuple[RowCells | None, tuple[str, ...]]:
    """A row's cells read, and what had to be repaired (a note without its line); None when
    the row has no 分值/得分.

    Memoised on the cells and columns: rows repeat across the forms of a batch (满意度 rows,
    不适用 rows), and the pipeline must read, score and check ≥ 2,000 forms/s.
    """
    problems: list[str] = []
    if columns is not None and _aligned(cells, columns):
        weight, score, deviation, actual, target, rest, name_cell = _split_by_column(cells, columns, problems)
        if name_cell:
            rest.append(name_cell)
        level1, level2, name = _peel_labels(rest, problems, unnamed=not name_cell)
    else:
        parts = _split(cells, problems)
        if parts is None:
            return None, tuple(problems)
        weight, score, deviation, actual, target, rest = parts
        level1, level2, name = _peel_labels(rest, problems)
    applicable = not (is_placeholder(target) or is_placeholder(actual))
    return RowCells(weight, score, deviation, actual, target, level1, level2, name, applicable), tuple(problems)


def _aligned(cells: tuple[str, ...], columns: Columns) -> bool:
    """Whether the row's cells sit in the header's columns (module docstring)."""
    weight_at, score_at, fixed = columns.weight, columns.score, columns.fixed
    size = len(cells)
    if size <= weight_at or (size > columns.width and not fixed):
        return False
    weight = cells[weight_at]
    score = cells[score_at] if score_at < size else ""
    if score and weight and cells[columns.actual] and cells[columns.target] and cells[columns.name]:
        # Nothing blank: reading by tokens gives the same cells whenever these are aligned,
        # and most rows are full (a shortcut: ≥ 2,000 forms/s).
        return False
    if score:
        if not is_points(score) or (weight and not is_points(weight)):
            return False
    elif not weight or not is_points(weight):
        return False
    elif not fixed and is_plain_number(cells[weight_at - 1]):
        # In a text extraction, two numbers ending at the 分值 column are the pair shifted one
        # cell left (a row that lost a leading blank, as shenzhen 2021's
        # `满意度指标⇥⇥用户满意度⇥…`), more likely than a blank 得分 after a numeric actual.
        return False
    if columns.gaps and any(cells[column] for column in columns.gaps if column < size):
        return False
    return not any(map(is_points, filter(None, cells[score_at + 1 :])))


def _split_by_column(
    cells: tuple[str, ...], columns: Columns, problems: list[str]
) -> tuple[Printed, Printed, str | None, str, str, list[str], str]:
    """(分值, 得分, deviation, actual, target, label cells, 三级 cell) of a row read by column."""
    score_at = columns.score
    weight = cells[columns.weight]
    score = cells[score_at] if score_at < len(cells) else ""
    if not weight:
        problems.append("分值未填")
    if not score:
        problems.append("得分未填")
    return (
        points(weight) if weight else BLANK,
        points(score) if score else BLANK,
        _deviation(cells[score_at + 1 :]),
        text_of(cells[columns.actual]) or "",
        text_of(cells[columns.target]) or "",
        _without_block_title(cells[: columns.name]),
        cells[columns.name],
    )


def _deviation(cells: tuple[str, ...]) -> str | None:
    """The deviation note: the non-empty cells right of the 得分, one per line."""
    after = list(filter(None, cells))
    return text_of(after[0] if len(after) == 1 else "\n".join(after)) if after else None


def _without_block_title(cells: tuple[str, ...]) -> list[str]:
    """The non-empty cells, without the 2022 block title that opens the row."""
    left = list(filter(None, cells))
    while left and left[0].endswith("标") and key(left[0]) in _BLOCK_TITLES:
        left.pop(0)
    return left


def _split(cells: tuple[str, ...], problems: list[str]) -> tuple[Printed, Printed, str | None, str, str, list[str]] | None:
    """(分值, 得分, deviation, actual, target, cells left of the target) of one row, by tokens."""
    score_at = len(cells) - 1
    while score_at >= 0 and not is_points(cells[score_at]):
        score_at -= 1
    if score_at < 0:
        problems.append("指标行没有分值和得分，已跳过")
        return None
    weight_at = score_at - 1
    while weight_at >= 0 and not cells[weight_at]:
        weight_at -= 1
    if weight_at >= 0 and is_points(cells[weight_at]):
        weight, score = points(cells[weight_at]), points(cells[score_at])
        if weight_at != score_at - 1:
            problems.append("得分与分值之间有空单元格（得分右移）")
        left_end = weight_at
    else:
        # One number only: it is the 分值, and the 得分 is missing.
        problems.append("指标行只有一个数值，按分值读取，得分缺失")
        weight, score, left_end = points(cells[score_at]), BLANK, score_at
    left = _without_block_title(cells[:left_end])
    actual = text_of(left.pop()) if left else None
    target = text_of(left.pop()) if left else None
    return weight, score, _deviation(cells[score_at + 1 :]), actual or "", target or "", left


def _peel_labels(rest: list[str], problems: list[str], unnamed: bool = False) -> tuple[_Level | None, _Level | None, str | None]:
    """Split the cells left of the target into the row's 一级, 二级 and 三级 name.

    At most two labels, 一级 before 二级. A second cell repeating the first one's category
    is a name (文化产业规划及服务: `满意度指标⇥满意度`), and so is a 一级 after a 二级. A label
    with nothing after it stands where the name should be (`⇥⇥经济效益指标⇥不适用⇥不适用`
    lost one 不适用): it stays a label and the name is None (domain.md §7.12).
    `unnamed`: the row was read by column and its 三级 cell is blank, so `rest` holds the
    label columns only and none of them stands in for the name.
    """
    labels: list[tuple[Label, str]] = []
    taken = 0
    while taken < len(rest) and len(labels) < 2:
        label = label_of(rest[taken])
        if label is None:
            break
        if labels:
            first = labels[0][0]
            if first.level == 2 or (label.level == 1 and label.canonical == first.canonical):
                break
        labels.append((label, rest[taken]))
        taken += 1
    if len(labels) == 2 and labels[1][0].level == 1:
        # 满意度指标 printed in the 二级 column under another 一级 is itself the 一级
        # (target-grammar.md §6), so the row's category is the second label.
        problems.append(f"“{labels[1][1]}”位于二级指标列，按一级指标读取")
        del labels[0]
    names = rest[taken:]
    if not names and not unnamed and len(labels) == 2 and _suffixed(labels[0][1]) and not _suffixed(labels[1][1]):
        # The 2021 template spells its labels with 指标; a bare `服务对象满意度` after
        # `满意度指标` (shenzhen 2021 · 文化活动预告及文化新闻发布) is the 三级 name.
        names = [labels.pop()[1]]
    if not names:
        where = f"，该位置为分类标签“{labels[-1][1]}”" if labels and not unnamed else ""
        problems.append(f"三级指标名称缺失{where}")
    elif len(names) > 1:
        problems.append(f"三级指标左侧有未识别的单元格“{'、'.join(names[:-1])}”")
    level1 = level2 = None
    for label, text in labels:
        if label.level == 1:
            level1 = (label.canonical, text)
        else:
            level2 = (label.canonical, text)
    return level1, level2, text_of(names[-1]) if names else None


def _suffixed(text: str) -> bool:
    return (key(text) or "").endswith("指标")
