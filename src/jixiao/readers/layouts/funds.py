"""The funds block (项目资金 / 资金使用情况) of a self-evaluation form.

Rows are found by their label wherever it sits in the row, and their numbers are read in
the fixed order 年初, 全年, 执行, 分值, 执行率, 得分 from the non-empty cells after the label
(domain.md §4.2). The header may be missing or come after the rows (§7.2), so it only
tells the rate scale (`执行率(%)`), never the columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.model import FundsBlock, FundsRow, Printed
from jixiao.readers.layouts.common import Row, is_plain_number, is_points, points, printed

# Row labels after folding, with the 其中 that may open them (`其中：当年财政拨款`).
_ROW_KINDS = {
    prefix + label: kind
    for label, kind in (
        ("年度资金总额", "total"),
        ("当年财政拨款", "fiscal"),
        ("财政拨款", "fiscal"),
        ("上年结转资金", "carryover"),
        ("上年结转", "carryover"),
        ("其他资金", "other"),
    )
    for prefix in ("", "其中", "其中:")
}
_HEADER_KEYS = frozenset({"年初预算数", "全年预算数", "全年执行数"})
_COLUMNS = 6  # 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
_AMOUNTS = 3
_WEIGHT, _RATE, _SCORE = 3, 4, 5
TEN_THOUSAND = Decimal(10000)
_NO_ROW = FundsRow()  # a sub-row the form does not print


def row_kind(row: Row) -> tuple[str, int] | None:
    """Which funds row this is (total, fiscal, carryover, other) and the label's column."""
    if _ROW_KINDS.keys().isdisjoint(row.keys()):
        return None
    for column, folded in enumerate(row.folded()):
        kind = _ROW_KINDS.get(folded or "")
        if kind:
            return kind, column
    return None


def is_header(row: Row) -> bool:
    """The 年初预算数 | 全年预算数 | … heading (possibly on its own, after the rows)."""
    return not _HEADER_KEYS.isdisjoint(row.keys())


def header_rate_scale(row: Row) -> int | None:
    """100 when the heading prints `执行率(%)`, 1 for a bare `执行率`, None without one."""
    for folded in row.folded():
        if folded and folded.startswith("执行率"):
            return 100 if "%" in folded else 1
    return None


def declared_unit(row: Row) -> str | None:
    """万元 or 元, from a `项目资金 (元)` cell on the row."""
    for folded in row.folded():
        if folded and folded.startswith("项目资金"):
            return "万元" if "万元" in folded else "元"
    return None


@dataclass(slots=True)
class FundsReading:
    """The funds rows found so far in a form, with what had to be repaired."""

    rows: dict[str, tuple[int, list[str]]] = field(default_factory=dict)  # kind → (line, 6 texts)
    header_line: int | None = None
    rate_scale: int | None = None
    unit: str = "元"
    notes: list[str] = field(default_factory=list)

    def add_row(self, row: Row, kind: str, column: int) -> None:
        values = [text for text in row.cells[column + 1 :] if text]
        self.rows.setdefault(kind, (row.line, self._align(values, kind == "total", row.line)))
        unit = declared_unit(row)
        if unit:
            self.unit = unit

    def add_header(self, row: Row) -> None:
        if self.header_line is None:
            self.header_line = row.line
            if self.rows:
                self.notes.append(f"第{row.line}行：资金表表头位于资金行之后")
        scale = header_rate_scale(row)
        if scale is not None:
            self.rate_scale = scale
        unit = declared_unit(row)
        if unit:
            self.unit = unit

    def _align(self, values: list[str], is_total: bool, line: int) -> list[str]:
        """Six texts in the fixed column order, from the row's non-empty cells.

        An extra cell (文化产业规划及服务: `其他资金⇥0.00⇥0.00⇥0.00⇥0.00⇥—⇥0.00⇥—`) is dropped by
        choosing the six-cell window that reads most like the row: amounts are numbers, and
        分值/得分 are numbers on 年度资金总额 but "—" on sub-rows. Ties go to the right.
        """
        if len(values) == _COLUMNS:
            return values
        if len(values) < _COLUMNS:
            if values:
                self.notes.append(f"第{line}行：资金行只有{len(values)}个数值，其余按缺失处理")
            return values + [""] * (_COLUMNS - len(values))
        best, best_fit = 0, -1
        for start in range(len(values) - _COLUMNS + 1):
            window = values[start : start + _COLUMNS]
            fit = sum(is_plain_number(text.replace(",", "")) for text in window[:_AMOUNTS])
            fit += sum(is_points(window[i]) == is_total for i in (_WEIGHT, _SCORE))
            if fit >= best_fit:
                best, best_fit = start, fit
        self.notes.append(f"第{line}行：资金行有{len(values)}个数值，多余的单元格已忽略")
        return values[best : best + _COLUMNS]

    def block(self, default_scale: int) -> FundsBlock:
        """The FundsBlock; amounts declared in 万元 are converted to 元."""
        if self.header_line is None:
            self.notes.append("资金表缺少表头（年初预算数/全年预算数…）")
        _, total = self.rows["total"]
        # A rate printed with its % sign is a percentage whatever the layout or heading say.
        scale = 100 if total[_RATE].endswith(("%", "％")) else self.rate_scale or default_scale
        rows = {kind: self._funds_row(line, values) for kind, (line, values) in self.rows.items()}
        return FundsBlock(
            total=rows["total"],
            fiscal=rows.get("fiscal", _NO_ROW),
            carryover=rows.get("carryover", _NO_ROW),
            other=rows.get("other", _NO_ROW),
            weight=points(total[_WEIGHT]),
            rate=printed(total[_RATE]),
            rate_scale=scale,
            score=points(total[_SCORE]),
            unit=self.unit,
        )

    def _funds_row(self, line: int, values: list[str]) -> FundsRow:
        amounts = [self._amount(text) for text in values[:_AMOUNTS]]
        return FundsRow(*amounts, rate=printed(values[_RATE]), line=line)

    def _amount(self, text: str) -> Printed:
        amount = printed(text)
        if self.unit != "万元" or amount.value is None:
            return amount
        return Printed(amount.text, amount.value * TEN_THOUSAND)

