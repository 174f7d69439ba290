"""What the .docx and PDF of an evaluation report share: the framework table's columns and
merged cells, and the texts around the narrative.

The 附表 is the sample's table (项目支出绩效评价指标体系框架): 一级指标 | 二级指标 | 三级指标 |
权重 | 指标解释 | 评分标准 | 完成值 | 得分, with 一级 and 二级 merged down their rows and a last
总分 row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jixiao.domain.report import Report, ReportRow

HEADINGS = ("一级指标", "二级指标", "三级指标", "权重", "指标解释", "评分标准", "完成值", "得分")
WIDTHS_MM = (20, 20, 26, 11, 52, 86, 20, 13)  # landscape A4 less margins
TEXT_COLUMNS = frozenset({4, 5})  # left-aligned long texts
ANNEX_LABEL = "附表"
ANNEX_TITLE = "项目支出绩效评价指标体系框架"


@dataclass(frozen=True, slots=True)
class TableLine:
    """One row of the 附表 as drawn: its cell texts, and the rows its 一级 and 二级 cells span
    (0 where a merged cell above covers the cell)."""

    cells: tuple[str, ...]
    level1_span: int
    level2_span: int


def table_lines(report: Report) -> list[TableLine]:
    """The framework rows, then 总分; a 一级 or 二级 cell spans the run of rows that share it."""
    rows = report.rows
    lines = []
    for index, row in enumerate(rows):
        level1_span = _run(rows, index, lambda item: item.level1)
        level2_span = _run(rows, index, lambda item: (item.level1, item.level2))
        lines.append(TableLine(_cells(row), level1_span, level2_span))
    weight = report.table_weight.text or "100"
    score = report.table_score.text if report.table_score.present else "待评"
    lines.append(TableLine(("总分", "—", "—", weight, "—", "—", "—", score), 1, 1))
    return lines


def _cells(row: ReportRow) -> tuple[str, ...]:
    level1 = row.level1_text or row.level1
    name = row.name_text or row.name
    return (level1, row.level2, name, row.weight.text, row.explanation, row.criteria, row.achieved, row.score.text)


def _run(rows: Sequence[ReportRow], index: int, key: Callable[[ReportRow], object]) -> int:
    """How many rows from `index` share its key; 0 when the row above already does."""
    if index > 0 and key(rows[index - 1]) == key(rows[index]):
        return 0
    span = 1
    while index + span < len(rows) and key(rows[index + span]) == key(rows[index]):
        span += 1
    return span


def signature(report: Report) -> list[str]:
    """The lines at the foot of the report: the organisation and the date, when known."""
    return [line for line in (report.organisation, report.date) if line]
