"""The indicator block (年度绩效指标) of a self-evaluation form: one Indicator per row.

Rows are ragged (0–3 leading blanks, domain.md §7.1), so no column is fixed. Each row is
anchored on its right-most pair of plain numbers (分值, 得分), blank cells allowed between
them (§7.2); text after the score is the deviation note. Reading leftwards over the
non-empty cells gives 实际完成值, 年度指标值, then the 三级 name and up to two label cells.
Labels are matched against the closed list (target-grammar.md §6) and forward-filled down
the block (§7.4), each filled value named in `Indicator.inferred`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from jixiao.domain.labels import PARENT_OF, Label
from jixiao.domain.model import BLANK, Indicator, Printed
from jixiao.readers.layouts.common import (
    CACHE_SIZE,
    Row,
    is_placeholder,
    is_plain_number,
    key,
    label_of,
    printed,
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


def read_indicators(rows: Iterable[Row], notes: list[str]) -> list[Indicator]:
    """Every indicator row of the block, in order; rows without 分值/得分 are noted and skipped."""
    indicators = []
    level1: _Level | None = None
    level2: _Level | None = None
    for row in rows:
        cells, problems = read_cells(row.cells)
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
def read_cells(cells: tuple[str, ...]) -> tuple[RowCells | None, tuple[str, ...]]:
    """A row's cells read, and what had to be repaired (a note without its line); None when
    the row has no 分值/得分.

    Memoised on the cells: rows repeat across the forms of a batch (满意度 rows, 不适用 rows),
    and the pipeline must read, score and check ≥ 2,000 forms/s.
    """
    problems: list[str] = []
    parts = _split(cells, problems)
    if parts is None:
        return None, tuple(problems)
    weight, score, deviation, actual, target, rest = parts
    level1, level2, name = _peel_labels(rest, problems)
    applicable = not (is_placeholder(target) or is_placeholder(actual))
    return RowCells(weight, score, deviation, actual, target, level1, level2, name, applicable), tuple(problems)


def _split(cells: tuple[str, ...], problems: list[str]) -> tuple[Printed, Printed, str | None, str, str, list[str]] | None:
    """(分值, 得分, deviation, actual, target, cells left of the target) of one row."""
    score_at = len(cells) - 1
    while score_at >= 0 and not is_plain_number(cells[score_at]):
        score_at -= 1
    if score_at < 0:
        problems.append("指标行没有分值和得分，已跳过")
        return None
    weight_at = score_at - 1
    while weight_at >= 0 and not cells[weight_at]:
        weight_at -= 1
    if weight_at >= 0 and is_plain_number(cells[weight_at]):
        weight, score = printed(cells[weight_at]), printed(cells[score_at])
        if weight_at != score_at - 1:
            problems.append("得分与分值之间有空单元格（得分右移）")
        left_end = weight_at
    else:
        # One number only: it is the 分值, and the 得分 is missing.
        problems.append("指标行只有一个数值，按分值读取，得分缺失")
        weight, score, left_end = printed(cells[score_at]), BLANK, score_at
    after = list(filter(None, cells[score_at + 1 :]))
    deviation = text_of(after[0] if len(after) == 1 else "\n".join(after)) if after else None
    left = list(filter(None, cells[:left_end]))
    while left and left[0].endswith("标") and key(left[0]) in _BLOCK_TITLES:
        left.pop(0)
    actual = text_of(left.pop()) if left else None
    target = text_of(left.pop()) if left else None
    return weight, score, deviation, actual or "", target or "", left


def _peel_labels(rest: list[str], problems: list[str]) -> tuple[_Level | None, _Level | None, str | None]:
    """Split the cells left of the target into the row's 一级, 二级 and 三级 name.

    At most two labels, 一级 before 二级. A second cell repeating the first one's category
    is a name (文化产业规划及服务: `满意度指标⇥满意度`), and so is a 一级 after a 二级. A label
    with nothing after it stands where the name should be (`⇥⇥经济效益指标⇥不适用⇥不适用`
    lost one 不适用): it stays a label and the name is None (domain.md §7.12).
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
    if not names and len(labels) == 2 and _suffixed(labels[0][1]) and not _suffixed(labels[1][1]):
        # The 2021 template spells its labels with 指标; a bare `服务对象满意度` after
        # `满意度指标` (shenzhen 2021 · 文化活动预告及文化新闻发布) is the 三级 name.
        names = [labels.pop()[1]]
    if not names:
        where = f"，该位置为分类标签“{labels[-1][1]}”" if labels else ""
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
