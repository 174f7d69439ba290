"""A self-evaluation form (项目支出绩效自评表) read top to bottom, for either form layout.

The sections follow domain.md §4: header, funds block, goals, indicator block, 总分. Each
row is recognised by what it says (a label, a heading), not by where it sits, because
extractions shift cells and even whole headers (§7.1–7.2). The 2021 and 2022 layouts differ
only in their header fields and in how 执行率 is printed; `FormLayout` carries that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.domain.model import BLANK, Form, Goals, ProjectHeader, SourceRef, Total
from jixiao.readers.layouts import funds as funds_block
from jixiao.readers.layouts.common import LayoutError, Region, Row, is_points, key, points, printed, text_of
from jixiao.readers.layouts.indicators import header_columns, read_indicators

# Header labels (folded) → ProjectHeader field.
HEADER_FIELDS = {
    "项目名称": "name",
    "项目编码": "code",
    "项目金额": "amount",
    "项目金额(元)": "amount",
    "主管部门": "department",
    "实施单位": "implementing_unit",
    "一级预算单位": "budget_unit",
    "绩效自评年度": "year",
    "自评年度": "year",
}
_GOAL_LABELS = frozenset({"年度总体目标", "总体目标"})
_EXPECTED, _ACTUAL = "预期目标", "实际完成情况"
_INDICATOR_HEADINGS = frozenset({"一级指标", "二级指标", "三级指标", "年度指标值"})
_TOTAL = "总分"
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True, slots=True)
class FormLayout:
    """What differs between the self-evaluation layouts: their name and the rate's scale."""

    name: str
    rate_scale: int  # 1: 执行率 printed as a fraction (0.56); 100: as a percentage (59.7)


def read_form(region: Region, layout: FormLayout, index: int) -> tuple[Form, int]:
    """The form in `region` and the position of the last row it used (its 总分 row)."""
    notes: list[str] = []
    header: dict[str, str | None] = {}
    funds = funds_block.FundsReading()
    goal_header: Row | None = None
    goal_rows: list[Row] = []
    indicator_header: Row | None = None
    indicator_rows: list[Row] = []
    total_row: Row | None = None
    in_indicators = False
    end = len(region.rows) - 1
    for position, row in enumerate(region.rows):
        if in_indicators:
            if "总" in row.first and key(row.first) == _TOTAL:
                total_row, end = row, position
                break
            indicator_rows.append(row)
            continue
        keys = row.keys()
        kind = funds_block.row_kind(row)
        if kind is not None:
            funds.add_row(row, *kind)
        elif funds_block.is_header(row):
            funds.add_header(row)
        elif keys & _INDICATOR_HEADINGS:
            in_indicators, indicator_header = True, row
        elif key(row.first) == _TOTAL:
            total_row, end = row, position
            break
        elif _EXPECTED in keys or _ACTUAL in keys:
            goal_header = row
        elif keys & HEADER_FIELDS.keys() and not funds.rows:
            _read_header(row, header)
        elif goal_header is not None or keys & _GOAL_LABELS:
            goal_rows.append(row)
        elif row.count() > 1:
            notes.append(f"第{row.line}行：未识别的行，已忽略")
    if "total" not in funds.rows:
        raise LayoutError("未找到资金表（年度资金总额行）", region.first_line)
    columns = header_columns(indicator_header, region.fixed_columns) if indicator_header else None
    indicators = read_indicators(indicator_rows, notes, columns)
    if not indicators:
        raise LayoutError("未找到绩效指标行（分值、得分）", region.first_line)
    if total_row is None:
        notes.append(f"未找到总分行（表格止于第{region.rows[end].line}行）")
    funds_read = funds.block(layout.rate_scale)
    form = Form(
        source=SourceRef(
            file=region.file,
            index=index,
            layout=layout.name,
            rows=(region.first_line, region.rows[end].line),
        ),
        project=_project(header),
        funds=funds_read,
        goals=_goals(goal_header, goal_rows),
        indicators=tuple(indicators),
        total=_total(total_row),
        notes=tuple(funds.notes + notes),
    )
    return form, end


def _read_header(row: Row, header: dict[str, str | None]) -> None:
    """Label/value pairs: the value is the next non-empty cell unless that is a label too."""
    filled = row.filled()
    for position, (_, text) in enumerate(filled):
        field = HEADER_FIELDS.get(key(text) or "")
        if field is None or field in header:
            continue
        following = filled[position + 1][1] if position + 1 < len(filled) else None
        if following is not None and key(following) in HEADER_FIELDS:
            following = None
        header[field] = following


def _project(header: dict[str, str | None]) -> ProjectHeader:
    year_text = header.get("year")
    year_match = _YEAR.search(year_text) if year_text else None
    return ProjectHeader(
        name=text_of(header.get("name")),
        code=header.get("code") or None,
        year=int(year_match.group()) if year_match else None,
        department=text_of(header.get("department")),
        implementing_unit=text_of(header.get("implementing_unit")),
        budget_unit=text_of(header.get("budget_unit")),
        amount=printed(header.get("amount") or ""),
    )


def _goals(heading: Row | None, rows: list[Row]) -> Goals:
    """预期目标 / 实际完成情况 from the rows under their heading.

    Two text cells are the pair whatever their columns; otherwise the heading's
    实际完成情况 column splits them (2022: the 年度总体目标 label may sit on the data row).
    """
    actual_column = None
    if heading is not None:
        actual_column = next((column for column, text in heading.filled() if key(text) == _ACTUAL), None)
    expected: list[str] = []
    actual: list[str] = []
    for row in rows:
        cells = [(column, text) for column, text in row.filled() if key(text) not in _GOAL_LABELS]
        if len(cells) == 2:
            expected.append(cells[0][1])
            actual.append(cells[1][1])
            continue
        for column, text in cells:
            if actual_column is not None and column >= actual_column:
                actual.append(text)
            else:
                expected.append(text)
    return Goals(
        expected=text_of("\n".join(expected)) if expected else None,
        actual=text_of("\n".join(actual)) if actual else None,
    )


def _total(row: Row | None) -> Total:
    if row is None:
        return Total()
    numbers = [text for text in row.cells if is_points(text)]
    return Total(
        weight=points(numbers[0]) if numbers else BLANK,
        score=points(numbers[1]) if len(numbers) > 1 else BLANK,
        line=row.line,
    )
