"""The self-evaluation form (项目支出绩效自评表) as plain data.

Everything a unit printed is kept as printed (`Printed`: the cell text and the number it
reads as), so that jixiao can recompute and still show the evidence. The JSON form of
these objects is the contract in `form-json.md`; `to_json` is its only producer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

SCHEMA_VERSION = 1

# Cells that mean "no value here" (domain.md §7.13). "0.00" is a value, "—" is not.
PLACEHOLDERS = frozenset({"", "—", "–", "-", "--", "——", "/", "*", "／"})


def parse_number(text: str) -> Decimal | None:
    """Read a printed numeric cell (`108000`, `108000.00`, `400,000`, `59.7`, `98.98%`).

    A trailing `%` is dropped: the caller knows whether the cell is a percentage.
    Anything that is not a plain number reads as None, never as 0.
    """
    cleaned = text.strip().replace(",", "").replace("，", "").rstrip("%％").strip()
    if cleaned in PLACEHOLDERS:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True, slots=True)
class Printed:
    """A numeric cell as the unit printed it: the text, and the number it reads as."""

    text: str = ""
    value: Decimal | None = None

    @classmethod
    def of(cls, text: str | None) -> Printed:
        text = (text or "").strip()
        return cls(text, parse_number(text))

    @classmethod
    def number(cls, value: Decimal | float | int | str) -> Printed:
        """A value built by hand (tests, writers): its text is the number itself."""
        number = Decimal(str(value))
        return cls(str(value), number)

    @property
    def present(self) -> bool:
        return self.value is not None

    def json(self) -> float | None:
        return None if self.value is None else float(self.value)


BLANK = Printed()


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a form came from, so every error and finding can name its place."""

    file: str
    index: int = 0  # the form's position in its file
    layout: str = ""
    rows: tuple[int, int] | None = None  # first and last line (1-based) of the form

    def json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "index": self.index,
            "layout": self.layout,
            "rows": list(self.rows) if self.rows else None,
        }


@dataclass(frozen=True, slots=True)
class ProjectHeader:
    """项目名称, 项目编码, 绩效自评年度, 主管部门, 实施单位, 一级预算单位, 项目金额."""

    name: str | None = None
    code: str | None = None
    year: int | None = None
    department: str | None = None
    implementing_unit: str | None = None
    budget_unit: str | None = None
    amount: Printed = BLANK  # 项目金额: a multi-year total, never the rate denominator

    def json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "code": self.code,
            "year": self.year,
            "department": self.department,
            "implementing_unit": self.implementing_unit,
            "budget_unit": self.budget_unit,
            "amount": self.amount.json(),
        }


@dataclass(frozen=True, slots=True)
class FundsRow:
    """One row of the funds block: 年初预算数 / 全年预算数 (A) / 全年执行数 (B), in 元."""

    initial: Printed = BLANK
    adjusted: Printed = BLANK
    executed: Printed = BLANK
    rate: Printed = BLANK  # 执行率 printed on this row, if any (2021 layouts repeat it on sub-rows)
    line: int | None = None

    def json(self) -> dict[str, Any]:
        return {
            "initial": self.initial.json(),
            "adjusted": self.adjusted.json(),
            "executed": self.executed.json(),
        }


@dataclass(frozen=True, slots=True)
class FundsBlock:
    """项目资金 / 资金使用情况: 年度资金总额 and its sub-rows, with 分值, 执行率 and 得分.

    `rate` is the printed 执行率 of the 年度资金总额 row. `rate_scale` says how it was printed:
    100 for a percentage (2022 layout: 59.7), 1 for a fraction (2021 layouts: 0.56).
    `unit` is the declared unit of the amounts before conversion (元 or 万元).
    """

    total: FundsRow = FundsRow()
    fiscal: FundsRow = FundsRow()
    carryover: FundsRow = FundsRow()
    other: FundsRow = FundsRow()
    weight: Printed = BLANK
    rate: Printed = BLANK
    rate_scale: int = 1
    score: Printed = BLANK
    unit: str = "元"

    @property
    def rate_claimed(self) -> Decimal | None:
        """The printed rate as a fraction (59.7 → 0.597)."""
        if self.rate.value is None:
            return None
        return self.rate.value / self.rate_scale

    def json(self) -> dict[str, Any]:
        rate = self.rate_claimed
        return {
            "total": self.total.json(),
            "fiscal": self.fiscal.json(),
            "carryover": self.carryover.json(),
            "other": self.other.json(),
            "weight": self.weight.json(),
            "rate_claimed": None if rate is None else float(rate),
            "score_claimed": self.score.json(),
        }


@dataclass(frozen=True, slots=True)
class Goals:
    """年度总体目标: 预期目标 and 实际完成情况, free text."""

    expected: str | None = None
    actual: str | None = None

    def json(self) -> dict[str, Any]:
        return {"expected": self.expected, "actual": self.actual}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One 三级指标 row: category, name, 年度指标值, 实际完成值, 分值, 得分, 偏差原因.

    `level1`/`level2` are canonical (产出, 数量 …); the `_text` fields keep what the form
    printed. A label filled down from a merged cell above is named in `inferred`.
    """

    level1: str | None = None
    level1_text: str | None = None
    level2: str | None = None
    level2_text: str | None = None
    name: str | None = None
    target: str = ""
    actual: str = ""
    weight: Printed = BLANK
    score: Printed = BLANK
    deviation: str | None = None
    applicable: bool = True
    inferred: frozenset[str] = frozenset()  # subset of {"level1", "level2"}
    line: int | None = None

    def json(self) -> dict[str, Any]:
        return {
            "level1": self.level1,
            "level1_text": self.level1_text,
            "level2": self.level2,
            "level2_text": self.level2_text,
            "name": self.name,
            "target": self.target,
            "actual": self.actual,
            "weight": self.weight.json(),
            "score_claimed": self.score.json(),
            "deviation": self.deviation,
            "applicable": self.applicable,
            "inferred": sorted(self.inferred),
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Total:
    """总分 row: 分值 (100) and 得分 as printed."""

    weight: Printed = BLANK
    score: Printed = BLANK
    line: int | None = None

    def json(self) -> dict[str, Any]:
        return {"weight_claimed": self.weight.json(), "score_claimed": self.score.json()}


@dataclass(frozen=True, slots=True)
class SummaryExtras:
    """Columns only a department summary table (部门预算项目绩效自评表) has."""

    seq: str | None = None  # 序号
    general_budget: Printed = BLANK  # 一般公共预算, 元
    government_fund: Printed = BLANK  # 政府性基金, 元
    non_fiscal: Printed = BLANK  # 非财政资金, 元
    issues: str | None = None  # 项目执行中的问题
    rectification: str | None = None  # 整改情况

    def json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "general_budget": self.general_budget.json(),
            "government_fund": self.government_fund.json(),
            "non_fiscal": self.non_fiscal.json(),
            "issues": self.issues,
            "rectification": self.rectification,
        }


@dataclass(frozen=True, slots=True)
class Form:
    """One project's self-evaluation for one year (项目支出绩效自评表), or one summary row."""

    source: SourceRef
    project: ProjectHeader = ProjectHeader()
    funds: FundsBlock = FundsBlock()
    goals: Goals = Goals()
    indicators: tuple[Indicator, ...] = ()
    total: Total = Total()
    grade_claimed: str | None = None  # no sample form prints one; reports do
    summary: SummaryExtras | None = None  # set on department summary rows only
    notes: tuple[str, ...] = field(default=())  # what the reader had to repair, for parser QA

    @property
    def is_summary(self) -> bool:
        return self.summary is not None

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "source": self.source.json(),
            "project": self.project.json(),
            "funds": self.funds.json(),
            "goals": self.goals.json(),
            "indicators": [indicator.json() for indicator in self.indicators],
            "total": self.total.json(),
        }
        if self.summary is not None:
            data["kind"] = "summary"
            data["summary"] = self.summary.json()
            data["funds"]["unit_declared"] = self.funds.unit
        if self.notes:
            data["notes"] = list(self.notes)
        return data
