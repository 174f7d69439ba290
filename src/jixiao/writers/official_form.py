"""The official 项目支出绩效自评表 as one table description that every writer draws.

A `FormTable` is the printed form: nine columns, anchor cells with their spans and a role
that says how to draw them. It is built from a `Form` (export, `form_table`) or from a
layout and a rule profile (a blank form for a unit to fill, `blank_table`). The rows follow
the samples (domain.md §5.1–5.3), so the layout readers read a written form back to the
same Form: labels are printed where the source printed them, and a 一级/二级 label the
reader had filled down (`Indicator.inferred`) is left blank under a vertical merge again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.domain.labels import LEVEL2_OF
from jixiao.domain.model import BLANK, Form, FundsBlock, FundsRow, Indicator, Printed
from jixiao.domain.profiles import Profile

LAYOUTS = ("form-2021", "form-2022")
TITLE = "项目支出绩效自评表"
COLUMNS = 9
# Widths in spreadsheet character units: label | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 |
# 分值 | 得分 | 偏差原因分析及改进措施. The funds block shares the grid (domain.md §4).
COLUMN_WIDTHS = (12.0, 14.0, 13.0, 22.0, 17.0, 17.0, 8.0, 8.0, 28.0)
DASH = "—"
# Body text is 10.5 pt (五号): a line is about 14 pt high, a CJK character two width units.
LINE_POINTS = 14.0
TITLE_POINTS = 30.0
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.(\d+))?")
_WIDE = 0x2E80  # from here on (CJK radicals, ideographs, full-width forms) a character is two units wide


class Role(StrEnum):
    """How a cell is drawn: its font, alignment and border."""

    TITLE = "title"  # 项目支出绩效自评表, above the table
    SECTION = "section"  # 资金使用情况 / 项目目标完成情况 (2022 layout)
    LABEL = "label"  # printed labels and column headings
    VALUE = "value"  # short values, centred: names, codes, categories
    TEXT = "text"  # narratives and indicator texts, left-aligned and wrapped
    NUMBER = "number"  # amounts, weights, scores, rates


@dataclass(frozen=True, slots=True)
class TableCell:
    """One anchor cell of the printed form.

    `text` is what the form shows; a numeric cell also carries `number` and its
    spreadsheet `number_format`, chosen so that the number shows exactly that text.
    `path` names the form's cell it shows (`indicators.3.actual`, records.cell_place), for
    a page that edits the form in place; None for labels and for cells of no form.
    """

    row: int
    column: int
    text: str
    role: Role
    span: tuple[int, int] = (1, 1)  # rows × columns
    number: Decimal | None = None
    number_format: str | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class FormTable:
    """One printed form: its cells (anchors only), row count and estimated row heights."""

    name: str  # the project's name (or code): a sheet or heading name
    layout: str
    cells: tuple[TableCell, ...]
    row_heights: tuple[float, ...]  # points, estimated from the wrapped text

    @property
    def rows(self) -> int:
        return len(self.row_heights)

    def anchors(self) -> list[list[TableCell | None]]:
        """Rows × columns: the anchor cell where one starts, None elsewhere (covered or empty)."""
        grid: list[list[TableCell | None]] = [[None] * COLUMNS for _ in range(self.rows)]
        for cell in self.cells:
            grid[cell.row][cell.column] = cell
        return grid

    def covered(self) -> set[tuple[int, int]]:
        """(row, column) of every cell that a merged anchor covers."""
        hidden = set()
        for cell in self.cells:
            rows, columns = cell.span
            for row in range(cell.row, cell.row + rows):
                for column in range(cell.column, cell.column + columns):
                    if (row, column) != (cell.row, cell.column):
                        hidden.add((row, column))
        return hidden


@dataclass(frozen=True, slots=True)
class LayoutText:
    """The printed words that differ between the two layouts (domain.md §5.1, §5.3)."""

    rate_heading: str
    rate_scale: int  # 1: 执行率 as a fraction (0.56); 100: as a percentage (59.7)
    rate_format: str  # the blank form's number format for 执行率
    sub_row_rate: bool  # 2021 sub-rows repeat their own rate; 2022 prints "—"
    star: str  # 2022 marks required columns: `* 实际完成值`
    sections: bool  # 2022 prints 资金使用情况 and 项目目标完成情况 rows
    block_title_per_row: bool  # 2022 prints 年度绩效指标 on every indicator row
    funds_label_on_header: bool  # 2021 prints 项目资金（元） on the heading row


LAYOUT_TEXT = {
    "form-2021": LayoutText("执行率", 1, "0.00", True, "", False, False, True),
    "form-2022": LayoutText("执行率(%)", 100, "0.0", False, "* ", True, True, False),
}
# Funds rows in the printed order (domain.md §4.2), with their labels.
FUNDS_ROWS = (("total", "年度资金总额"), ("fiscal", "其中：当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
AMOUNT_FORMAT = "0.00"
SCORE_FORMAT = "0.00"


class _Table:
    """Cells appended row by row; `put` places an anchor and its span."""

    def __init__(self) -> None:
        self.cells: list[TableCell] = []
        self.rows = 0
        self.least_lines: dict[int, int] = {}  # row → lines of room to keep, for a blank form

    def keep_room(self, row: int, lines: int) -> None:
        """Make `row` at least `lines` lines high: space to write in on a blank form."""
        self.least_lines[row] = lines

    def new_row(self) -> int:
        self.rows += 1
        return self.rows - 1

    def put(
        self, row: int, column: int, text: str | None, role: Role, span: tuple[int, int] = (1, 1), path: str | None = None
    ) -> None:
        self.cells.append(TableCell(row, column, text or "", role, span, path=path))

    def put_number(
        self, row: int, column: int, printed: Printed, blank: str = "", span: tuple[int, int] = (1, 1), path: str | None = None
    ) -> None:
        """A printed number: stored as a number when its text is a plain number, else as printed."""
        self.cells.append(number_cell(row, column, printed, blank, span, path))

    def put_empty_number(
        self, row: int, column: int, number_format: str, span: tuple[int, int] = (1, 1), path: str | None = None
    ) -> None:
        """A value cell of a blank form, formatted for the number a unit will type."""
        self.cells.append(TableCell(row, column, "", Role.NUMBER, span, None, number_format, path))

    def finish(self, name: str, layout: str) -> FormTable:
        return FormTable(name, layout, tuple(self.cells), _row_heights(self.cells, self.rows, self.least_lines))


def number_cell(
    row: int, column: int, printed: Printed, blank: str = "", span: tuple[int, int] = (1, 1), path: str | None = None
) -> TableCell:
    """The cell of a printed number, keeping its printed digits (`5.60` stays `0.00`-formatted).

    The printed precision matters beyond looks: the rate check's tolerance depends on the
    digits the unit printed (checks.md, funds.rate-mismatch).
    """
    text = printed.text.strip()
    match = _PLAIN_NUMBER.fullmatch(text)
    if match is None:
        return TableCell(row, column, text or blank, Role.NUMBER, span, path=path)
    places = len(match.group(1) or "")
    return TableCell(row, column, text, Role.NUMBER, span, Decimal(text), "0." + "0" * places if places else "0", path)


def form_table(form: Form, layout: str | None = None) -> FormTable:
    """The printed form of `form` in `layout` (default: the layout it was read from)."""
    layout = layout or (form.source.layout if form.source.layout in LAYOUT_TEXT else "form-2021")
    words = LAYOUT_TEXT[layout]
    table = _Table()
    _title(table)
    _header(table, form, layout)
    _funds(table, form.funds, words)
    _goals(table, form.goals.expected, form.goals.actual, words)
    _indicators(table, form.indicators, words)
    _total(table, form.total.weight, form.total.score)
    return table.finish(form.project.name or form.project.code or TITLE, layout)


def blank_table(layout: str, profile: Profile) -> FormTable:
    """A blank form to fill: labels, the profile's weights per block, empty value cells.

    Each 一级 label is merged down over its 二级 rows as on the paper form; a unit inserts
    rows inside a block for more indicators, and the reader fills the label down.
    """
    words = LAYOUT_TEXT[layout]
    table = _Table()
    _title(table)
    if layout == "form-2022":
        _header_2022(table, None, None, None, None, None)
    else:
        _header_2021(table, None, None, None, None)
    _blank_funds(table, words, profile.funds_weight)
    _goals(table, None, None, words)
    blocks = blank_blocks(layout, profile)
    _indicator_heading(table, words, merged_rows=sum(len(level2) for _, level2 in blocks))
    for level1_text, level2_texts in blocks:
        for offset, level2_text in enumerate(level2_texts):
            row = table.new_row()
            if offset == 0:
                table.put(row, 1, level1_text, Role.VALUE, (len(level2_texts), 1))
            table.put(row, 2, level2_text, Role.VALUE)
            table.keep_room(row, 2)
            for column in (3, 4, 5, 8):
                table.put(row, column, "", Role.TEXT)
            for column in (6, 7):
                table.put_empty_number(row, column, SCORE_FORMAT)
    total_weight = profile.funds_weight + sum(profile.level1_weights.values(), Decimal(0))
    _total(table, Printed.number(total_weight), BLANK)
    return table.finish(TITLE, layout)


def blank_blocks(layout: str, profile: Profile) -> list[tuple[str, tuple[str, ...]]]:
    """(一级 label, its 二级 labels) of a blank form, each 一级 with the profile's weight.

    `产出(50分)` is how the 2022 layout prints a block (domain.md §5.3); the 2021 labels end in
    指标. A combined weight (hubei: 效益+满意度 40) belongs to no single block and is not printed.
    """
    weights = profile.level1_weights
    blocks = ["产出", "效益", "满意度"] + (["成本"] if "成本" in weights else [])
    suffix = "指标" if layout == "form-2021" else ""
    out = []
    for level1 in blocks:
        level2s = LEVEL2_OF[level1]
        if level1 == "满意度":
            level2s = level2s[:2]  # the third, a bare 满意度, is how some forms print the 一级 itself
        elif level1 == "产出" and "成本" in weights:
            level2s = level2s[:3]  # 成本 is its own block then (form-json.md, level1 成本)
        weight = weights.get(level1)
        shown = f"({_weight_text(weight)}分)" if weight is not None else ""
        out.append((f"{level1}{suffix}{shown}", tuple(f"{level2}{suffix}" for level2 in level2s)))
    return out


def _weight_text(value: Decimal) -> str:
    """A weight without trailing zeros or exponent: 50, 12.5."""
    return format(value.normalize(), "f")


def _title(table: _Table) -> None:
    table.put(table.new_row(), 0, TITLE, Role.TITLE, (1, COLUMNS))


def _header(table: _Table, form: Form, layout: str) -> None:
    project = form.project
    if layout == "form-2022":
        year = Printed.number(project.year) if project.year is not None else BLANK
        _header_2022(table, project.code, project.name, year, project.implementing_unit, project.budget_unit)
    else:
        _header_2021(table, project.name, project.amount, project.department, project.implementing_unit)


def _header_2021(table: _Table, name: str | None, amount: Printed | None, department: str | None, unit: str | None) -> None:
    """项目名称 … 项目金额 / 主管部门 … 实施单位 (domain.md §5.1); `amount` None on a blank form."""
    row = table.new_row()
    table.put(row, 0, "项目名称", Role.LABEL)
    table.put(row, 1, name, Role.VALUE, (1, 3), "project.name")
    table.put(row, 4, "项目金额", Role.LABEL)
    if amount is None:
        table.put_empty_number(row, 5, AMOUNT_FORMAT, (1, 4))
    else:
        table.put_number(row, 5, amount, span=(1, 4), path="project.amount")
    row = table.new_row()
    table.put(row, 0, "主管部门", Role.LABEL)
    table.put(row, 1, department, Role.VALUE, (1, 3), "project.department")
    table.put(row, 4, "实施单位", Role.LABEL)
    table.put(row, 5, unit, Role.VALUE, (1, 4), "project.implementing_unit")


def _header_2022(
    table: _Table, code: str | None, name: str | None, year: Printed | None, unit: str | None, budget_unit: str | None
) -> None:
    """项目编码 / 项目名称 / 绩效自评年度, then 实施单位 / 一级预算单位 (domain.md §5.3).

    The 21-digit 项目编码 stays text: as a number it would lose digits.
    """
    row = table.new_row()
    table.put(row, 0, "项目编码：", Role.LABEL)
    table.put(row, 1, code, Role.VALUE, (1, 2), "project.code")
    table.put(row, 3, "项目名称：", Role.LABEL)
    table.put(row, 4, name, Role.VALUE, (1, 2), "project.name")
    table.put(row, 6, "绩效自评年度：", Role.LABEL, (1, 2))
    if year is None:
        table.put_empty_number(row, 8, "0")
    else:
        table.put_number(row, 8, year, path="project.year")
    row = table.new_row()
    table.put(row, 0, "实施单位：", Role.LABEL)
    table.put(row, 1, unit, Role.VALUE, (1, 3), "project.implementing_unit")
    table.put(row, 4, "一级预算单位：", Role.LABEL, (1, 2))
    table.put(row, 6, budget_unit, Role.VALUE, (1, 3), "project.budget_unit")


def _funds_heading(table: _Table, words: LayoutText, unit: str) -> str:
    """The 年初预算数 … 得分 heading row; returns the 项目资金 label for the caller to place."""
    if words.sections:
        table.put(table.new_row(), 0, "资金使用情况", Role.SECTION, (1, COLUMNS))
    row = table.new_row()
    label = f"项目资金（{unit}）"
    if words.funds_label_on_header:
        table.put(row, 0, label, Role.LABEL, (1 + len(FUNDS_ROWS), 1))
    headings = ("年初预算数", "全年预算数", "全年执行数", "分值", words.rate_heading, "得分")
    for offset, text in enumerate(headings):
        table.put(row, 2 + offset, text, Role.LABEL, (1, 2) if text == "得分" else (1, 1))
    return label


def _funds(table: _Table, funds: FundsBlock, words: LayoutText) -> None:
    """项目资金: every row printed, "—" for a missing value so that the reader, which takes the
    row's non-empty cells in a fixed order (domain.md §7.2), finds each number in its place."""
    label = _funds_heading(table, words, funds.unit)
    for kind, row_label in FUNDS_ROWS:
        row = table.new_row()
        if kind == "total" and not words.funds_label_on_header:
            table.put(row, 0, label, Role.LABEL, (len(FUNDS_ROWS), 1))
        table.put(row, 1, row_label, Role.LABEL)
        amounts: FundsRow = getattr(funds, kind)
        for offset, key in enumerate(("initial", "adjusted", "executed")):
            table.put_number(row, 2 + offset, getattr(amounts, key), DASH, path=f"funds.{kind}.{key}")
        if kind == "total":
            table.put_number(row, 5, funds.weight, DASH, path="funds.weight")
            table.put_number(row, 6, _rate(funds.rate, funds.rate_scale, words), DASH, path="funds.rate")
            table.put_number(row, 7, funds.score, DASH, (1, 2), "funds.score")
        else:
            table.put(row, 5, DASH, Role.NUMBER)
            if words.sub_row_rate:
                table.put_number(row, 6, _rate(amounts.rate, funds.rate_scale, words), DASH, path=f"funds.{kind}.rate")
            else:
                table.put_number(row, 6, BLANK, DASH)
            table.put(row, 7, DASH, Role.NUMBER, (1, 2))


def _blank_funds(table: _Table, words: LayoutText, weight: Decimal) -> None:
    label = _funds_heading(table, words, "元")
    for kind, row_label in FUNDS_ROWS:
        row = table.new_row()
        if kind == "total" and not words.funds_label_on_header:
            table.put(row, 0, label, Role.LABEL, (len(FUNDS_ROWS), 1))
        table.put(row, 1, row_label, Role.LABEL)
        for column in (2, 3, 4):
            table.put_empty_number(row, column, AMOUNT_FORMAT)
        if kind == "total":
            table.put_number(row, 5, Printed.number(weight))
            table.put_empty_number(row, 6, words.rate_format)
            table.put_empty_number(row, 7, SCORE_FORMAT, (1, 2))
        else:
            table.put(row, 5, DASH, Role.NUMBER)
            if words.sub_row_rate:
                table.put_empty_number(row, 6, words.rate_format)
            else:
                table.put(row, 6, DASH, Role.NUMBER)
            table.put(row, 7, DASH, Role.NUMBER, (1, 2))


def _rate(printed: Printed, scale: int, words: LayoutText) -> Printed:
    """执行率 in the layout's scale: a 2021 fraction (0.56) or a 2022 percentage (56.0).

    Converted only when exporting to the other layout, with every significant digit kept.
    """
    if scale == words.rate_scale or printed.value is None or printed.text.endswith(("%", "％")):
        return printed
    value = printed.value / scale * words.rate_scale
    exponent = value.normalize().as_tuple().exponent
    places = max(-exponent if isinstance(exponent, int) else 0, len(words.rate_format) - 2)
    return Printed(f"{value:.{places}f}", value)


def _goals(table: _Table, expected: str | None, actual: str | None, words: LayoutText) -> None:
    """年度总体目标: 预期目标 on the left, 实际完成情况 on the right (domain.md §4.3)."""
    if words.sections:
        table.put(table.new_row(), 0, "项目目标完成情况", Role.SECTION, (1, COLUMNS))
    heading = table.new_row()
    table.put(heading, 0, "年度总体目标", Role.LABEL, (2, 1))
    table.put(heading, 1, "预期目标", Role.LABEL, (1, 3))
    table.put(heading, 4, f"{words.star}实际完成情况", Role.LABEL, (1, 5))
    row = table.new_row()
    table.put(row, 1, expected, Role.TEXT, (1, 3), "goals.expected")
    table.put(row, 4, actual, Role.TEXT, (1, 5), "goals.actual")
    if not (expected or actual):
        table.keep_room(row, 4)


def _indicator_heading(table: _Table, words: LayoutText, merged_rows: int) -> None:
    """一级指标 … 偏差原因分析及改进措施, under 年度绩效指标 merged down over `merged_rows` rows."""
    row = table.new_row()
    table.put(row, 0, "年度绩效指标", Role.LABEL, (1 + merged_rows, 1))
    star = words.star
    headings = ("一级指标", "二级指标", "三级指标", "年度指标值", f"{star}实际完成值", f"{star}分值", f"{star}得分", "偏差原因分析及改进措施")
    for offset, text in enumerate(headings, 1):
        table.put(row, offset, text, Role.LABEL)


def _indicators(table: _Table, indicators: Sequence[Indicator], words: LayoutText) -> None:
    _indicator_heading(table, words, 0 if words.block_title_per_row else len(indicators))
    level1_spans = _label_spans(indicators, "level1")
    level2_spans = _label_spans(indicators, "level2")
    for index, indicator in enumerate(indicators):
        row = table.new_row()
        if words.block_title_per_row:
            table.put(row, 0, "年度绩效指标", Role.LABEL)
        path = f"indicators.{index}."
        if index in level1_spans:
            table.put(row, 1, indicator.level1_text, Role.VALUE, (level1_spans[index], 1), path + "level1_text")
        if index in level2_spans:
            table.put(row, 2, indicator.level2_text, Role.VALUE, (level2_spans[index], 1), path + "level2_text")
        table.put(row, 3, indicator.name, Role.TEXT, path=path + "name")
        table.put(row, 4, indicator.target, Role.TEXT, path=path + "target")
        table.put(row, 5, indicator.actual, Role.TEXT, path=path + "actual")
        table.put_number(row, 6, indicator.weight, path=path + "weight")
        table.put_number(row, 7, indicator.score, path=path + "score")
        table.put(row, 8, indicator.deviation, Role.TEXT, path=path + "deviation")


def _label_spans(indicators: Sequence[Indicator], level: str) -> dict[int, int]:
    """Row index → rows spanned, for each printed 一级 (or 二级) label.

    A label spans down over the rows that the reader filled from it (named in `inferred`
    with the same category), so those rows read back as inferred again (domain.md §7.4).
    """
    spans: dict[int, int] = {}
    anchor: int | None = None
    for index, indicator in enumerate(indicators):
        if level not in indicator.inferred:
            anchor = index if getattr(indicator, f"{level}_text") else None
            if anchor is not None:
                spans[anchor] = 1
        elif anchor is not None and _same_category(indicators[anchor], indicator, level):
            spans[anchor] += 1
        else:
            anchor = None
    return spans


def _same_category(anchor: Indicator, row: Indicator, level: str) -> bool:
    if anchor.level1 != row.level1:
        return False
    return level == "level1" or anchor.level2 == row.level2


def _total(table: _Table, weight: Printed, score: Printed) -> None:
    """总分: 分值 and 得分, and "—" under 偏差原因 as the samples print it; a blank 得分 of a
    blank form is formatted for the score a unit will type."""
    row = table.new_row()
    table.put(row, 0, "总分", Role.LABEL, (1, 6))
    table.put_number(row, 6, weight, path="total.weight")
    if score.present or score.text:
        table.put_number(row, 7, score, path="total.score")
    else:
        table.put_empty_number(row, 7, SCORE_FORMAT, path="total.score")
    table.put(row, 8, DASH, Role.NUMBER)


def _row_heights(cells: Sequence[TableCell], rows: int, least_lines: dict[int, int]) -> tuple[float, ...]:
    """Each row's height in points, from the wrapped lines of its tallest cell.

    Spreadsheets do not grow a row for wrapped text when a file is printed unopened, so the
    writer sets the height; a cell spanning rows shares its height among them.
    """
    heights = [least_lines.get(row, 1) * LINE_POINTS + 4 for row in range(rows)]
    for cell in cells:
        rows_spanned, columns = cell.span
        if cell.role is Role.TITLE:
            heights[cell.row] = TITLE_POINTS
            continue
        if not cell.text:
            continue
        width = sum(COLUMN_WIDTHS[cell.column : cell.column + columns])
        needed = _wrapped_lines(cell.text, width) * LINE_POINTS + 4
        share = needed / rows_spanned
        for row in range(cell.row, cell.row + rows_spanned):
            heights[row] = max(heights[row], share)
    return tuple(heights)


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a text wraps into in a column `width` units wide (a unit is about 7 px, a
    10.5 pt CJK character about 14 px: two units)."""
    lines = 0
    for paragraph in text.split("\n"):
        units = sum(2 if ord(character) >= _WIDE else 1 for character in paragraph)
        lines += max(1, math.ceil(units / width))
    return lines
