"""The department summary table (部门预算项目绩效自评表) as one description both drawers use.

Laid out like the sample (domain.md §6.1): the title, `单位:万元`, three header rows with
merged cells (序号 … 实际支出金额 over 合计 | 其中:财政拨款 (一般公共预算, 政府性基金) |
非财政资金 … 产出目标 over 数量/质量/时效指标, 效益目标 over 经济/社会/生态效益 and 满意度指标,
each over 年度指标内容 | 完成情况 … 项目执行中的问题, 整改情况), then one row per project, the
单位名称 merged down over the projects of one unit, and a 合计 row (the sample has none; the
summary reader skips it). Amounts and rates are numbers with a format that shows the digits
`summary.shown_amount` and `shown_rate` give, so the summary reader reads back the same values.

Besides the table an export carries the findings of the scope-S checks, where each row's
numbers came from (数据来源), and the data of its charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.domain.model import Indicator
from jixiao.domain.summary import KINDS, SummaryRow, SummaryTable, shown_amount, shown_rate
from jixiao.writers.findings import OUTCOME_TEXT, SEVERITY_TEXT, FindingsTable, shown
from jixiao.writers.official_form import Role, TableCell, _wrapped_lines

if TYPE_CHECKING:
    from jixiao.checks.review import Review

SHEET_TITLE = "绩效自评汇总表"
SOURCES_TITLE = "数据来源"
CHARTS_TITLE = "图表"
COLUMNS = 27
HEADER_ROW, DATA_ROW = 2, 5  # 0-based rows: title 0, 单位 1, headers 2–4, projects from 5
AMOUNT_COLUMNS = (3, 4, 5, 6, 7)  # 项目年度预算金额, 合计, 一般公共预算, 政府性基金, 非财政资金
RATE_COLUMN, PAIRS_COLUMN, ISSUES_COLUMN = 8, 11, 25
# Spreadsheet character widths: 序号 单位 项目 | five amounts | 执行率 | two goals | 7 pairs | 问题 整改.
WIDTHS = (5.0, 12.0, 14.0, 11.0, 11.0, 11.0, 10.0, 10.0, 10.0, 22.0, 22.0, *(14.0,) * (2 * len(KINDS)), 18.0, 18.0)
RATE_FORMAT = "0.00%"
LINE_POINTS = 12.0  # a 9 pt line
TITLE_POINTS = 30.0
# Texts as the sample prints them (its colons are ASCII).
UNIT_LINE = "单位:{unit}"
FISCAL = "其中:财政拨款"
TOTAL = "合计"
SOURCE_HEADINGS = ("序号", "项目", "来源文件", "表样", "第几张表", "原表行", "预算与支出", "财政拨款", "非财政资金", "指标", "问题", "说明")
SOURCE_WIDTHS = (6.0, 20.0, 30.0, 10.0, 8.0, 10.0, 10.0, 10.0, 10.0, 24.0, 14.0, 40.0)


@dataclass(frozen=True, slots=True)
class SummarySheet:
    """The printed table: anchor cells (official_form.TableCell) and estimated row heights."""

    title: str
    cells: tuple[TableCell, ...]
    row_heights: tuple[float, ...]

    @property
    def rows(self) -> int:
        return len(self.row_heights)


@dataclass(frozen=True, slots=True)
class SummaryCharts:
    """What the charts show: 预算支出执行率 (%) by project, and findings by check code."""

    execution: tuple[tuple[str, Decimal | None], ...]
    findings: tuple[tuple[str, int], ...]  # most frequent first

    def json(self) -> dict[str, object]:
        return {
            "execution": [{"project": name, "rate": None if rate is None else float(rate)} for name, rate in self.execution],
            "findings": [{"code": code, "count": count} for code, count in self.findings],
        }


@dataclass(frozen=True, slots=True)
class SummaryExport:
    """Everything a summary file holds: the table, the findings, the sources and the charts."""

    sheet: SummarySheet
    findings: FindingsTable
    sources: tuple[tuple[str, ...], ...]  # rows under SOURCE_HEADINGS
    charts: SummaryCharts


def summary_export(table: SummaryTable, reviews: Sequence[Review]) -> SummaryExport:
    """The export of a summary table and the reviews of its rows (`SummaryRow.as_form`)."""
    return SummaryExport(summary_sheet(table), summary_findings(reviews), source_rows(table), summary_charts(table, reviews))


def summary_sheet(table: SummaryTable) -> SummarySheet:
    cells: list[TableCell] = [
        TableCell(0, 0, table.title, Role.TITLE, (1, COLUMNS)),
        TableCell(1, 0, UNIT_LINE.format(unit=table.unit.value), Role.VALUE, (1, COLUMNS)),
    ]
    cells += _header()
    for offset, row in enumerate(table.rows):
        cells += _project_row(DATA_ROW + offset, row, table)
    cells += _unit_merges(table.rows)
    cells += _total_row(DATA_ROW + len(table.rows), table)
    rows = DATA_ROW + len(table.rows) + 1
    return SummarySheet(table.title, tuple(cells), _row_heights(cells, rows))


def summary_findings(reviews: Sequence[Review]) -> FindingsTable:
    """The findings of the rows' reviews under findings.HEADINGS, as the form export lists
    them, but naming an indicator by its summary column and name (`质量指标 整理合格率`) and
    its line in the source form: its position among a row's checked indicators means nothing
    to a reader of the table."""
    rows = []
    for review in reviews:
        form = review.form
        for result in review.findings:
            indicator = form.indicators[result.indicator] if result.indicator is not None else None
            rows.append(
                (
                    str(len(rows) + 1),
                    form.project.name or "",
                    result.code,
                    SEVERITY_TEXT[result.severity],
                    OUTCOME_TEXT[result.outcome],
                    str(indicator.line) if indicator is not None and indicator.line is not None else "",
                    _column_and_name(indicator),
                    result.message,
                    shown(result.expected),
                    shown(result.found),
                )
            )
    return FindingsTable(tuple(rows))


def summary_charts(table: SummaryTable, reviews: Sequence[Review]) -> SummaryCharts:
    """Execution by project in table order, and how often each check code found something."""
    execution = tuple((row.project or f"第{row.seq}行", shown_rate(row.rate)) for row in table.rows)
    counts = Counter(result.code for review in reviews for result in review.findings)
    return SummaryCharts(execution, tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))))


def source_rows(table: SummaryTable) -> tuple[tuple[str, ...], ...]:
    """Per project, the file, form and lines each of its values was read from."""
    out = []
    for row in table.rows:
        source, lines = row.source, row.lines
        span = f"{source.rows[0]}–{source.rows[1]}" if source.rows else ""
        fiscal = lines.get("general_budget", ()) + lines.get("government_fund", ())
        indicator_lines = sorted({line for kind in KINDS for line in lines.get(kind, ())})
        out.append(
            (
                str(row.seq),
                row.project or "",
                source.file,
                source.layout,
                str(source.index + 1),
                span,
                _line_list(lines.get("budget", ())),
                _line_list(fiscal),
                _line_list(lines.get("non_fiscal", ())),
                _line_list(indicator_lines),
                _line_list(lines.get("issues", ())),
                "；".join(row.notes),
            )
        )
    return tuple(out)


def amount_cell(row: int, column: int, value: Decimal | None, table: SummaryTable) -> TableCell:
    """An amount in the table's unit: the number shown and the format showing its decimals."""
    shown = shown_amount(value, table.unit)
    if shown is None:
        return TableCell(row, column, "", Role.NUMBER)
    places = -shown.as_tuple().exponent  # type: ignore[operator]
    return TableCell(row, column, f"{shown:f}", Role.NUMBER, number=shown, number_format="0." + "0" * places)


def rate_cell(row: int, column: int, rate: Decimal | None) -> TableCell:
    """预算支出执行率 as a fraction formatted 0.00% (98.98%); blank when it cannot be computed."""
    percent = shown_rate(rate)
    if percent is None:
        return TableCell(row, column, "", Role.NUMBER)
    return TableCell(row, column, f"{percent}%", Role.NUMBER, number=percent / 100, number_format=RATE_FORMAT)


def _header() -> list[TableCell]:
    top, middle, bottom = HEADER_ROW, HEADER_ROW + 1, HEADER_ROW + 2
    tall = (3, 1)
    cells = [
        TableCell(top, 0, "序号", Role.LABEL, tall),
        TableCell(top, 1, "单位名称", Role.LABEL, tall),
        TableCell(top, 2, "项目名称", Role.LABEL, tall),
        TableCell(top, 3, "项目年度预算金额", Role.LABEL, tall),
        TableCell(top, 4, "实际支出金额", Role.LABEL, (1, 4)),
        TableCell(top, RATE_COLUMN, "预算支出执行率", Role.LABEL, tall),
        TableCell(top, 9, "年初绩效目标", Role.LABEL, tall),
        TableCell(top, 10, "绩效目标整体完成情况", Role.LABEL, tall),
        TableCell(top, PAIRS_COLUMN, "产出目标", Role.LABEL, (1, 6)),
        TableCell(top, PAIRS_COLUMN + 6, "效益目标", Role.LABEL, (1, 2 * len(KINDS) - 6)),
        TableCell(top, ISSUES_COLUMN, "项目执行中的问题", Role.LABEL, tall),
        TableCell(top, ISSUES_COLUMN + 1, "整改情况", Role.LABEL, tall),
        TableCell(middle, 4, TOTAL, Role.LABEL, (2, 1)),
        TableCell(middle, 5, FISCAL, Role.LABEL, (1, 2)),
        TableCell(middle, 7, "非财政资金", Role.LABEL, (2, 1)),
        TableCell(bottom, 5, "一般公共预算", Role.LABEL),
        TableCell(bottom, 6, "政府性基金", Role.LABEL),
    ]
    for pair, kind in enumerate(KINDS):
        column = PAIRS_COLUMN + 2 * pair
        cells.append(TableCell(middle, column, f"{kind}指标", Role.LABEL, (1, 2)))
        cells.append(TableCell(bottom, column, "年度指标内容", Role.LABEL))
        cells.append(TableCell(bottom, column + 1, "完成情况", Role.LABEL))
    return cells


def _project_row(at: int, row: SummaryRow, table: SummaryTable) -> list[TableCell]:
    cells = [
        TableCell(at, 0, str(row.seq), Role.NUMBER, number=Decimal(row.seq), number_format="0"),
        TableCell(at, 2, row.project or "", Role.TEXT),
    ]
    amounts = (row.budget, row.spent, row.general_budget, row.government_fund, row.non_fiscal)
    cells += [amount_cell(at, column, value, table) for column, value in zip(AMOUNT_COLUMNS, amounts, strict=True)]
    cells.append(rate_cell(at, RATE_COLUMN, row.rate))
    cells.append(TableCell(at, 9, row.goal or "", Role.TEXT))
    cells.append(TableCell(at, 10, row.outcome or "", Role.TEXT))
    for pair, kind in enumerate(KINDS):
        column = PAIRS_COLUMN + 2 * pair
        cells.append(TableCell(at, column, row.target_text(kind), Role.TEXT))
        cells.append(TableCell(at, column + 1, row.actual_text(kind), Role.TEXT))
    cells.append(TableCell(at, ISSUES_COLUMN, row.issues_text, Role.TEXT))
    cells.append(TableCell(at, ISSUES_COLUMN + 1, row.rectification_text, Role.TEXT))
    return cells


def _unit_merges(rows: Sequence[SummaryRow]) -> list[TableCell]:
    """单位名称 once per run of projects of the same unit, merged down over the run (the
    sample prints one unit over all seven projects)."""
    cells = []
    start = 0
    for position in range(1, len(rows) + 1):
        if position == len(rows) or rows[position].unit != rows[start].unit:
            span = position - start
            cells.append(TableCell(DATA_ROW + start, 1, rows[start].unit or "", Role.VALUE, (span, 1)))
            start = position
    return cells


def _total_row(at: int, table: SummaryTable) -> list[TableCell]:
    """合计: each amount column summed over the projects that have it, and the overall rate."""
    cells = [TableCell(at, 0, TOTAL, Role.LABEL, (1, 3))]
    columns = ("budget", "spent", "general_budget", "government_fund", "non_fiscal")
    sums: dict[str, Decimal | None] = {}
    for column, name in zip(AMOUNT_COLUMNS, columns, strict=True):
        values = [getattr(row, name) for row in table.rows if getattr(row, name) is not None]
        sums[name] = sum(values, Decimal(0)) if values else None
        cells.append(amount_cell(at, column, sums[name], table))
    budget, spent = sums["budget"], sums["spent"]
    cells.append(rate_cell(at, RATE_COLUMN, spent / budget if budget and spent is not None else None))
    return cells


def _row_heights(cells: Sequence[TableCell], rows: int) -> tuple[float, ...]:
    """Points per row from the wrapped lines of its tallest cell; spreadsheets do not grow a
    row for wrapped text when a file is printed unopened (official_form does the same)."""
    heights = [LINE_POINTS + 4] * rows
    for cell in cells:
        if cell.role is Role.TITLE:
            heights[cell.row] = TITLE_POINTS
            continue
        if not cell.text:
            continue
        span_rows, span_columns = cell.span
        width = sum(WIDTHS[cell.column : cell.column + span_columns])
        needed = _wrapped_lines(cell.text, width) * LINE_POINTS + 4
        for row in range(cell.row, cell.row + span_rows):
            heights[row] = max(heights[row], needed / span_rows)
    return tuple(heights)


def _column_and_name(indicator: Indicator | None) -> str:
    if indicator is None:
        return ""
    column = indicator.level2_text or indicator.level1_text or ""
    return f"{column} {indicator.name}" if indicator.name else column


def _line_list(lines: Sequence[int]) -> str:
    """`9`, `10、11`: the lines of a value in its source file."""
    return "、".join(str(line) for line in lines)
