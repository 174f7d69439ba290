"""The department summary table (部门预算项目绩效自评表; domain.md §6.1): one Form per project row.

Amounts are in 万元 (`单位:万元`) and are converted to 元, keeping the printed text. Columns
cannot be taken from the three header rows: empty 政府性基金/非财政资金 cells are dropped in
the extraction, so the rate is found as the first cell ending in `%` after the amounts, and
the cells after it are read in order (two goals, one 年度指标内容/完成情况 pair per category,
问题, 整改). The categories come from the header row that lists them (数量指标 … 满意度指标:
seven, though the third header row lists nine pairs).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.domain.labels import PARENT_OF, Label
from jixiao.domain.model import (
    BLANK,
    Form,
    FundsBlock,
    FundsRow,
    Goals,
    Indicator,
    Printed,
    ProjectHeader,
    SourceRef,
    SummaryExtras,
    parse_number,
)
from jixiao.readers.layouts.common import LayoutError, Region, Row, is_placeholder, key, label_of, text_of

LAYOUT = "summary"
_SEQ = "序号"
_TOTAL_ROWS = frozenset({"合计", "总计", "小计"})
_PERCENT = ("%", "％")
_SOURCES = 3  # 一般公共预算, 政府性基金, 非财政资金
# The template's categories, for a table whose header names none.
_DEFAULT_LABELS = ("数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "生态效益指标", "满意度指标")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
TEN_THOUSAND = Decimal(10000)


def matches(region: Region) -> bool:
    """A header row that starts with 序号 and names 项目名称."""
    return any(is_table_header(row) for row in region.rows[:8])


def is_table_header(row: Row) -> bool:
    """The first header row: 序号 | 单位名称 | 项目名称 | …"""
    return "序" in row.first and key(row.first) == _SEQ and "项目名称" in row.keys()


def _is_project(row: Row) -> bool:
    """A project row prints its 序号 in the first cell."""
    return bool(row.cells) and row.cells[0].isdigit()


def read(region: Region, index: int) -> tuple[list[Form], int]:
    """One Form per project row, and the position of the table's last row."""
    rows = region.rows
    start = next(position for position, row in enumerate(rows) if is_table_header(row))
    year, scale = _preamble(rows[:start])
    position = start + 1
    while position < len(rows) and not _is_project(rows[position]) and rows[position].count() > 1:
        position += 1
    header_rows = rows[start:position]
    data: list[Row] = []
    end = position - 1
    for position in range(position, len(rows)):
        row = rows[position]
        if not (_is_project(row) or key(row.first) in _TOTAL_ROWS):
            break  # prose after the table (a stray paragraph) is not part of it
        if _is_project(row):
            data.append(row)
        end = position
    if not data:
        raise LayoutError("汇总表没有项目行", rows[start].line)
    labels, group_texts = _categories(header_rows)
    units = _fill_units(data)
    forms = []
    for offset, row in enumerate(data):
        unit, unit_note = units[offset]
        forms.append(_read_row(region.file, index + offset, row, labels, group_texts, year, scale, unit, unit_note))
    return forms, end


def _preamble(rows: tuple[Row, ...]) -> tuple[int | None, Decimal]:
    """The year from the title (`2020年…自评表`) and the amount scale from `单位:万元`."""
    year = None
    scale = TEN_THOUSAND  # the template's unit when no 单位 line survives
    for row in rows:
        text = row.first
        folded = key(text) or ""
        if "自评表" in folded and year is None:
            match = _YEAR.search(folded)
            year = int(match.group(1)) if match else None
        elif folded.startswith("单位"):
            scale = TEN_THOUSAND if "万元" in folded else Decimal(1)
    return year, scale


def _categories(header_rows: tuple[Row, ...]) -> tuple[list[tuple[Label, str]], dict[str, str]]:
    """The category columns in order, and the printed 一级 group headings (产出目标, 效益目标)."""
    labels: list[tuple[Label, str]] = []
    groups: dict[str, str] = {}
    for row in header_rows:
        for text in row.cells:
            label = label_of(text)
            if label is not None:
                labels.append((label, text))
                continue
            folded = key(text)
            if folded and folded.endswith("目标") and folded[:-2] in PARENT_OF.values():
                groups[folded[:-2]] = text
    if not labels:
        labels = [(label, text) for text in _DEFAULT_LABELS if (label := label_of(text)) is not None]
    return labels, groups


def _fill_units(data: list[Row]) -> list[tuple[str | None, str | None]]:
    """单位名称 per row, filled up and down from the one row that prints it (domain.md §7.4).

    A merged cell's text can be printed in the middle of its range (row 4 of 7).
    """
    printed = [(row.cells[1] if len(row.cells) > 1 else "") for row in data]
    filled: list[tuple[str | None, str | None]] = []
    for offset, text in enumerate(printed):
        if text:
            filled.append((text, None))
            continue
        source = next((i for i in range(offset - 1, -1, -1) if printed[i]), None)
        if source is None:
            source = next((i for i in range(offset + 1, len(printed)) if printed[i]), None)
        if source is None:
            filled.append((None, None))
        else:
            note = f"单位名称未打印，取自第{data[source].line}行（合并单元格）"
            filled.append((printed[source], note))
    return filled


def _read_row(
    file: str,
    index: int,
    row: Row,
    labels: list[tuple[Label, str]],
    groups: dict[str, str],
    year: int | None,
    scale: Decimal,
    unit: str | None,
    unit_note: str | None,
) -> Form:
    cells = list(row.cells)
    cells += [""] * max(0, 5 - len(cells))
    notes = [unit_note] if unit_note else []
    position = 5
    sources: list[str] = []
    while (
        position < len(cells)
        and len(sources) < _SOURCES
        and not cells[position].endswith(_PERCENT)
        and (not cells[position] or parse_number(cells[position]) is not None)
    ):
        sources.append(cells[position])
        position += 1
    rate = BLANK
    if position < len(cells) and cells[position].endswith(_PERCENT):
        rate_text = cells[position].rstrip("%％").strip()
        rate = Printed(rate_text, parse_number(rate_text))
        position += 1
    else:
        notes.append(f"第{row.line}行：未找到以%结尾的预算支出执行率")
    expected, actual = (cells[position : position + 2] + ["", ""])[:2]
    tail = _align_tail(cells[position + 2 :], len(labels), row.line, notes)
    sources += [""] * (_SOURCES - len(sources))
    return Form(
        source=SourceRef(file=file, index=index, layout=LAYOUT, rows=(row.line, row.line)),
        project=ProjectHeader(name=text_of(cells[2]), year=year, implementing_unit=text_of(unit)),
        funds=FundsBlock(
            total=FundsRow(adjusted=_amount(cells[3], scale), executed=_amount(cells[4], scale), line=row.line),
            rate=rate,
            rate_scale=100,
            unit="万元" if scale == TEN_THOUSAND else "元",
        ),
        goals=Goals(expected=text_of(expected), actual=text_of(actual)),
        indicators=tuple(_indicators(tail, labels, groups, row.line)),
        summary=SummaryExtras(
            seq=cells[0] or None,
            general_budget=_amount(sources[0], scale),
            government_fund=_amount(sources[1], scale),
            non_fiscal=_amount(sources[2], scale),
            issues=text_of(tail[-2]),
            rectification=text_of(tail[-1]),
        ),
        notes=tuple(notes),
    )


def _amount(text: str, scale: Decimal) -> Printed:
    value = parse_number(text)
    return Printed(text, None if value is None else value * scale)


def _align_tail(tail: list[str], pairs: int, line: int, notes: list[str]) -> list[str]:
    """The pair cells plus 问题 and 整改, exactly `2 × pairs + 2` of them.

    Horizontally merged text is repeated in each covered cell (大芬双年展: "借助中央重点媒体…"
    four times). Where that leaves a row too long, one repeat is dropped from the first run
    of equal cells that breaks the pairing: one starting on a 完成情况 column or of odd
    length (a run of two on a pair, `本项目不涉及…⇥本项目不涉及…`, is a real pair).
    """
    wanted = 2 * pairs + 2
    while tail and not tail[-1]:
        tail.pop()
    if len(tail) > wanted:
        tail = _drop_repeats(tail, len(tail) - wanted)
        notes.append(f"第{line}行：合并单元格的重复文字多占了单元格，已按列对齐")
    if len(tail) > wanted:
        # No repeat to drop: keep the pairs from the left and 问题/整改 from the right end.
        tail = tail[: 2 * pairs] + tail[-2:]
    return tail + [""] * (wanted - len(tail))


def _drop_repeats(tail: list[str], surplus: int) -> list[str]:
    tail = list(tail)
    while surplus:
        runs = []
        start = 0
        while start < len(tail):
            stop = start
            while stop + 1 < len(tail) and tail[stop + 1] and tail[stop + 1] == tail[start]:
                stop += 1
            if stop > start and tail[start]:
                runs.append((start, stop - start + 1))
            start = stop + 1
        if not runs:
            break
        misaligned = [run for run in runs if run[0] % 2 or run[1] % 2]
        first, length = misaligned[0] if misaligned else max(runs, key=lambda run: run[1])
        del tail[first + length - 1]
        surplus -= 1
    return tail


def _indicators(tail: list[str], labels: list[tuple[Label, str]], groups: dict[str, str], line: int) -> list[Indicator]:
    indicators = []
    for pair, (label, text) in enumerate(labels):
        target, actual = text_of(tail[2 * pair]), text_of(tail[2 * pair + 1])
        if label.level == 1:
            level1, level1_text, level2, level2_text = label.canonical, text, None, None
        else:
            level1 = PARENT_OF[label.canonical]
            level1_text, level2, level2_text = groups.get(level1), label.canonical, text
        indicators.append(
            Indicator(
                level1=level1,
                level1_text=level1_text,
                level2=level2,
                level2_text=level2_text,
                target=target or "",
                actual=actual or "",
                applicable=not (is_placeholder(target) or is_placeholder(actual)),
                line=line,
            )
        )
    return indicators
